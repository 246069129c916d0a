import type { FileChunk } from '../domain/file-chunk.js';
import type { PipelineStage } from '../domain/pipeline-stage.js';
import type { ProcessingContext } from '../domain/processing-context.js';
import type { ResourceRequirements } from '../domain/resource-requirements.js';
import type { StageKernel } from '../kernel/chunk-kernel.js';
import type { StageCapability } from './stage-capability.js';

/** Which way data flows through a stage: `forward` when processing, `reverse` when restoring. */
export type StageDirection = 'forward' | 'reverse';

/**
 * The contract every stage implementation fulfils: the seed's `StageExecutor` (execute,
 * executeParallel, canExecute, supportedStageTypes, estimateProcessingTime,
 * getResourceRequirements) plus the reverse direction restore needs and two optional run hooks.
 *
 * Executors are shared by every run and called concurrently: anything that belongs to one file
 * (running digests, per-file keys, open files) lives in the {@link ProcessingContext}, never in the
 * executor. Bind implementations to the {@link StageExecutor} token; extend
 * {@link BaseStageExecutor} to get the parallel, validation and estimation methods for free.
 */
export interface StageExecutor {
  /** The npm package providing this executor, named when a container needs it and it is missing. */
  readonly packageName: string;
  /** The (stage type, algorithm) pairs this executor serves. */
  readonly capabilities: readonly StageCapability[];

  /**
   * Prepares one run before its first chunk, for example opening a file or deriving a key.
   * Errors here stop the run before any chunk is processed.
   */
  startRun?(stage: PipelineStage, context: ProcessingContext, direction: StageDirection): Promise<void>;

  /** Finishes one run after its last chunk, for example closing a file or checking a digest. */
  finishRun?(stage: PipelineStage, context: ProcessingContext, direction: StageDirection): Promise<void>;

  /**
   * Opts the stage into the chunk engine's worker threads: returns its per-chunk work as a
   * {@link StageKernel} for this run and direction (called after `startRun`, before the first
   * chunk), or `undefined` to have the engine call `execute`/`reverse` on the calling thread.
   * The kernel must give the same output, metadata and errors as `execute`/`reverse`; whatever
   * spans chunks goes in `observe`. Executors without this method always run on the calling thread.
   */
  kernel?(stage: PipelineStage, context: ProcessingContext, direction: StageDirection): StageKernel | undefined;

  /**
   * Runs the stage forward on one chunk. Never modify `chunk.data` in place: earlier stages may
   * still hold it (a checksum stage's whole-stream digest keeps chunks that arrive early); return a
   * new buffer with `chunk.withData(…)` (`Buffer#slice` is a view, not a copy).
   */
  execute(stage: PipelineStage, chunk: FileChunk, context: ProcessingContext): Promise<FileChunk>;

  /** Runs the stage forward on several chunks concurrently; results keep the input order. */
  executeParallel(stage: PipelineStage, chunks: readonly FileChunk[], context: ProcessingContext): Promise<FileChunk[]>;

  /**
   * Undoes {@link StageExecutor.execute} on one chunk: decompresses, decrypts, verifies. The same
   * rule holds: never modify `chunk.data` in place.
   *
   * @throws {PipelineError} a typed error (`CompressionFailed`, `EncryptionFailed`,
   * `IntegrityFailed`, …) when the input is corrupt; never releases unauthenticated bytes.
   */
  reverse(stage: PipelineStage, chunk: FileChunk, context: ProcessingContext): Promise<FileChunk>;

  /** Runs {@link StageExecutor.reverse} on several chunks concurrently; results keep the input order. */
  reverseParallel(stage: PipelineStage, chunks: readonly FileChunk[], context: ProcessingContext): Promise<FileChunk[]>;

  /**
   * Checks that this executor can run `stage` as configured.
   *
   * @throws {PipelineError} `InvalidConfiguration` saying which parameter is wrong and why, or
   * `ExecutorNotFound` when the stage's type and algorithm are not served here.
   */
  validate(stage: PipelineStage): void;

  /** Whether this executor can run `stage` as configured. */
  canExecute(stage: PipelineStage): Promise<boolean>;

  /** The stage types this executor serves, lowercase. */
  supportedStageTypes(): string[];

  /** Expected time to process `dataSize` bytes, in milliseconds. */
  estimateProcessingTime(stage: PipelineStage, dataSize: number): Promise<number>;

  /** What processing `dataSize` bytes needs. */
  getResourceRequirements(stage: PipelineStage, dataSize: number): Promise<ResourceRequirements>;
}

/** The DI token every plugin binds its executors to; core collects them with `@multiInject`. */
export const StageExecutor: unique symbol = Symbol.for('@adapipe/core/StageExecutor');
