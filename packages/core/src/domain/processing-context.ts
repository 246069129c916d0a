import { randomUUID } from 'node:crypto';
import { PipelineError } from '../errors/pipeline-error.js';
import type { ContextKey } from './context-key.js';
import type { StageMetrics, StageSample } from './stage-metrics.js';

/** Options for {@link ProcessingContext}'s constructor. */
export interface ProcessingContextOptions {
  /** Cancels the run; executors check it between chunks. */
  readonly signal?: AbortSignal;
}

/**
 * The state of one run of a pipeline over one input: per-stage metrics, named checksums, and
 * per-run values for stateful stages (running digests, per-file keys, open files). Executors are
 * shared and concurrent; everything that belongs to one file lives here, never in the executor.
 *
 * @example
 * ```ts
 * const context = new ProcessingContext('pipeline-123');
 * const result = await executor.execute(stage, chunk, context);
 * context.stageMetrics.get(stage.name)?.bytesIn;
 * ```
 */
export class ProcessingContext {
  /** The pipeline being run. */
  readonly pipelineId: string;
  /** A unique id for this run. */
  readonly runId: string;
  /** Aborts the run when signalled. */
  readonly signal: AbortSignal | undefined;
  readonly #metrics = new Map<string, StageMetrics>();
  readonly #checksums = new Map<string, Uint8Array>();
  readonly #values = new Map<ContextKey<unknown>, unknown>();
  readonly #stageValues = new Map<string, Map<ContextKey<unknown>, unknown>>();
  readonly #runParameters = new Map<string, Readonly<Record<string, string>>>();

  constructor(pipelineId: string, options: ProcessingContextOptions = {}) {
    this.pipelineId = pipelineId;
    this.runId = randomUUID();
    this.signal = options.signal;
  }

  /** Metrics per stage name, accumulated over the run. */
  get stageMetrics(): ReadonlyMap<string, StageMetrics> {
    return this.#metrics;
  }

  /** Checksums recorded during the run, by name (for example `"input-checksum"`). */
  get checksums(): ReadonlyMap<string, Uint8Array> {
    return this.#checksums;
  }

  /** Every stage's run parameters, by stage name. */
  get allRunParameters(): ReadonlyMap<string, Readonly<Record<string, string>>> {
    return this.#runParameters;
  }

  /**
   * Records values a stage chose for this run and needs again to restore it, such as a salt or
   * KDF costs. The container stores them in its authenticated header. Never put secrets here.
   */
  setRunParameters(stageName: string, parameters: Readonly<Record<string, string>>): void {
    this.#runParameters.set(stageName, Object.freeze({ ...parameters }));
  }

  /** The run parameters a stage recorded (or the container restored), if any. */
  runParameters(stageName: string): Readonly<Record<string, string>> | undefined {
    return this.#runParameters.get(stageName);
  }

  /** Adds one chunk's figures to a stage's metrics. */
  recordStage(stageName: string, sample: StageSample): void {
    const previous = this.#metrics.get(stageName) ?? { chunks: 0, bytesIn: 0, bytesOut: 0, durationMs: 0 };
    this.#metrics.set(stageName, {
      chunks: previous.chunks + 1,
      bytesIn: previous.bytesIn + sample.bytesIn,
      bytesOut: previous.bytesOut + sample.bytesOut,
      durationMs: previous.durationMs + sample.durationMs,
    });
  }

  /** Records a named checksum, replacing any earlier one of that name. */
  setChecksum(name: string, digest: Uint8Array): void {
    this.#checksums.set(name, digest);
  }

  /** The value stored under `key`, or `undefined`. */
  get<T>(key: ContextKey<T>): T | undefined {
    return this.#values.get(key) as T | undefined;
  }

  /**
   * The value stored under `key`.
   *
   * @throws {PipelineError} `InvalidConfiguration` naming the key when nothing is stored.
   */
  require<T>(key: ContextKey<T>): T {
    if (!this.#values.has(key)) {
      throw new PipelineError(
        'InvalidConfiguration',
        `Run ${this.runId} has no value for '${key.description}'; it must be set before the stage runs`,
      );
    }
    return this.#values.get(key) as T;
  }

  /** Stores `value` under `key` for the rest of the run. */
  set<T>(key: ContextKey<T>, value: T): void {
    this.#values.set(key, value);
  }

  /** The value under `key`, created by `create` on first use. */
  getOrCreate<T>(key: ContextKey<T>, create: () => T): T {
    if (!this.#values.has(key)) this.#values.set(key, create());
    return this.#values.get(key) as T;
  }

  /**
   * One stage's own value under `key`, created by `create` on first use: two stages of the same
   * kind in one pipeline (an input and an output checksum, say) each get their own.
   */
  stageState<T>(stageId: string, key: ContextKey<T>, create: () => T): T {
    let values = this.#stageValues.get(stageId);
    if (values === undefined) {
      values = new Map();
      this.#stageValues.set(stageId, values);
    }
    if (!values.has(key)) values.set(key, create());
    return values.get(key) as T;
  }

  /**
   * Throws if the run was cancelled.
   *
   * @throws {PipelineError} `Cancelled`, with the abort reason as cause.
   */
  throwIfAborted(): void {
    if (this.signal?.aborted) {
      throw new PipelineError('Cancelled', `Run ${this.runId} was cancelled`, { cause: this.signal.reason });
    }
  }
}
