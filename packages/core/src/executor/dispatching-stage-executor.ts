import { inject, injectable } from 'inversify';
import type { FileChunk } from '../domain/file-chunk.js';
import type { PipelineStage } from '../domain/pipeline-stage.js';
import type { ProcessingContext } from '../domain/processing-context.js';
import type { ResourceRequirements } from '../domain/resource-requirements.js';
import { PipelineError } from '../errors/pipeline-error.js';
import type { StageKernel } from '../kernel/chunk-kernel.js';
import type { StageCapability } from './stage-capability.js';
import type { StageDirection, StageExecutor } from './stage-executor.js';
import { StageExecutorRegistry } from './stage-executor-registry.js';

/**
 * The executor a runner talks to (the seed's `BasicStageExecutor` role): it serves every stage by
 * routing it to the registered executor for its (type, algorithm), skips disabled stages, checks
 * cancellation, records per-stage metrics in the context, and wraps stray errors as
 * `ProcessingFailed` naming the stage and chunk.
 *
 * @example
 * ```ts
 * const executor = container.get(DispatchingStageExecutor);
 * const out = await executor.execute(stage, new FileChunk(0, bytes), new ProcessingContext('p1'));
 * ```
 */
@injectable()
export class DispatchingStageExecutor implements StageExecutor {
  readonly packageName = '@adapipe/core';

  constructor(@inject(StageExecutorRegistry) private readonly registry: StageExecutorRegistry) {}

  /** Every capability installed in the registry. */
  get capabilities(): readonly StageCapability[] {
    return this.registry.capabilities;
  }

  async startRun(stage: PipelineStage, context: ProcessingContext, direction: StageDirection): Promise<void> {
    if (!stage.enabled) return;
    const executor = this.#executorFor(stage);
    executor.validate(stage);
    await executor.startRun?.(stage, context, direction);
  }

  async finishRun(stage: PipelineStage, context: ProcessingContext, direction: StageDirection): Promise<void> {
    if (!stage.enabled) return;
    await this.#executorFor(stage).finishRun?.(stage, context, direction);
  }

  /** Whether the stage is enabled, parallel, and its executor offers kernels (known before the run starts). */
  offersKernel(stage: PipelineStage): boolean {
    return stage.enabled && stage.configuration.parallelProcessing && typeof this.#executorFor(stage).kernel === 'function';
  }

  /** The stage's kernel for this run, when its executor offers one and the stage is enabled. */
  kernel(stage: PipelineStage, context: ProcessingContext, direction: StageDirection): StageKernel | undefined {
    if (!stage.enabled) return undefined;
    return this.#executorFor(stage).kernel?.(stage, context, direction);
  }

  execute(stage: PipelineStage, chunk: FileChunk, context: ProcessingContext): Promise<FileChunk> {
    return this.#run(stage, chunk, context, 'forward');
  }

  reverse(stage: PipelineStage, chunk: FileChunk, context: ProcessingContext): Promise<FileChunk> {
    return this.#run(stage, chunk, context, 'reverse');
  }

  /**
   * Runs a stage on a record that is not part of the data (the container trailer) in `direction`,
   * like {@link DispatchingStageExecutor.execute} or {@link DispatchingStageExecutor.reverse}, but
   * without counting it in the stage's metrics: they count the data's chunks and bytes only.
   */
  runUncounted(stage: PipelineStage, chunk: FileChunk, context: ProcessingContext, direction: StageDirection): Promise<FileChunk> {
    return this.#run(stage, chunk, context, direction, false);
  }

  executeParallel(stage: PipelineStage, chunks: readonly FileChunk[], context: ProcessingContext): Promise<FileChunk[]> {
    return Promise.all(chunks.map((chunk) => this.#run(stage, chunk, context, 'forward')));
  }

  reverseParallel(stage: PipelineStage, chunks: readonly FileChunk[], context: ProcessingContext): Promise<FileChunk[]> {
    return Promise.all(chunks.map((chunk) => this.#run(stage, chunk, context, 'reverse')));
  }

  validate(stage: PipelineStage): void {
    this.#executorFor(stage).validate(stage);
  }

  async canExecute(stage: PipelineStage): Promise<boolean> {
    const executor = this.registry.find(stage.stageType, stage.algorithm);
    return executor === undefined ? false : executor.canExecute(stage);
  }

  supportedStageTypes(): string[] {
    return [...new Set(this.registry.capabilities.map((capability) => capability.stageType))];
  }

  estimateProcessingTime(stage: PipelineStage, dataSize: number): Promise<number> {
    return this.#executorFor(stage).estimateProcessingTime(stage, dataSize);
  }

  getResourceRequirements(stage: PipelineStage, dataSize: number): Promise<ResourceRequirements> {
    return this.#executorFor(stage).getResourceRequirements(stage, dataSize);
  }

  #executorFor(stage: PipelineStage): StageExecutor {
    return this.registry.resolve(stage.stageType, stage.algorithm);
  }

  async #run(
    stage: PipelineStage,
    chunk: FileChunk,
    context: ProcessingContext,
    direction: StageDirection,
    counted = true,
  ): Promise<FileChunk> {
    if (!stage.enabled) return chunk;
    context.throwIfAborted();
    const executor = this.#executorFor(stage);
    const started = performance.now();
    let result: FileChunk;
    try {
      result = direction === 'forward' ? await executor.execute(stage, chunk, context) : await executor.reverse(stage, chunk, context);
    } catch (error) {
      throw stageFailure(stage, chunk.sequenceNumber, direction, error);
    }
    if (counted) {
      context.recordStage(stage.name, { bytesIn: chunk.size, bytesOut: result.size, durationMs: performance.now() - started });
    }
    return result;
  }
}

/**
 * What a stage's error becomes: a `PipelineError` as it is, anything else `ProcessingFailed`
 * naming the stage, the chunk (none for state that spans chunks) and the direction.
 */
export function stageFailure(
  stage: PipelineStage,
  sequenceNumber: number | undefined,
  direction: StageDirection,
  error: unknown,
): PipelineError {
  if (PipelineError.is(error)) return error;
  return new PipelineError(
    'ProcessingFailed',
    `Stage '${stage.name}' (${stage.stageType}:${stage.algorithm}) failed ${sequenceNumber === undefined ? 'on its whole-stream state' : `on chunk ${sequenceNumber}`} (${direction}): ${error instanceof Error ? error.message : String(error)}`,
    { cause: error },
  );
}
