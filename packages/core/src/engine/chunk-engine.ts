import { availableParallelism } from 'node:os';
import { inject, injectable } from 'inversify';
import { FileChunk } from '../domain/file-chunk.js';
import type { PipelineStage } from '../domain/pipeline-stage.js';
import type { ProcessingContext } from '../domain/processing-context.js';
import { PipelineError } from '../errors/pipeline-error.js';
import type { PipelineErrorKind } from '../errors/pipeline-error-kind.js';
import { DispatchingStageExecutor, stageFailure } from '../executor/dispatching-stage-executor.js';
import type { StageDirection } from '../executor/stage-executor.js';
import { maxPayloadLength } from '../format/container-format.js';
import { BufferRecycler, RECYCLED_MIN_BYTES } from '../kernel/buffer-recycler.js';
import type { KernelChunk, RecyclingBuffers, StageKernel } from '../kernel/chunk-kernel.js';
import { ChunkWorkerPool, type PoolSegment } from '../kernel/chunk-worker-pool.js';
import { KernelSegment, KernelStageFailure, type KernelStep } from '../kernel/kernel-segment.js';
import type { TaskReply } from '../kernel/worker-protocol.js';
import { mapOrdered } from './map-ordered.js';
import { SequenceGate } from './sequence-gate.js';

/** The most worker threads a run may ask for. */
export const MAX_WORKERS = 256;

/** Options of one {@link EngineSession}. */
export interface EngineSessionOptions {
  /** The run's chunk size: recycled buffers are sized for a chunk of it, compressed or sealed. */
  readonly chunkSize: number;
  /** Worker threads for kernels, 0–256 (0: everything on the calling thread). Default: the cores. */
  readonly workers?: number;
  /**
   * The input's expected size in bytes, when known: with two chunks of it per worker or more,
   * {@link EngineSession.start} boots the workers while the stages start.
   */
  readonly sizeHint?: number;
  /**
   * Whether the consumer of {@link EngineSession.map} is done with a chunk's data once it asks for
   * the next one (a file writer that awaits each write), so it can get the recycled buffer itself.
   * Default false: it gets a copy of its own.
   */
  readonly recycleOutput?: boolean;
}

/** A stage whose kernel keeps state across chunks, and where in its segment its output is. */
interface Tap {
  readonly stage: PipelineStage;
  readonly observe: NonNullable<StageKernel['observe']>;
  /** `input`: the segment's input (every kernel before it passes data on unchanged); `output`: the segment's output. */
  readonly at: 'input' | 'output';
}

/** Stages run by their kernels, fused: one hand-off per chunk for all of them. */
interface SegmentStep {
  readonly kind: 'segment';
  readonly stages: readonly PipelineStage[];
  readonly pool: PoolSegment;
  readonly taps: readonly Tap[];
  inline?: Promise<KernelSegment>;
}

/** A stage run through its executor on the calling thread. */
interface StageStep {
  readonly kind: 'stage';
  readonly stage: PipelineStage;
  readonly gate: SequenceGate | undefined;
}

type Step = SegmentStep | StageStep;

/** A chunk through every stage: its result, what the taps observe, and the buffers it held. */
interface ChunkOutcome {
  readonly chunk: FileChunk;
  readonly observed: readonly (readonly [Tap, Uint8Array])[];
  readonly held: readonly Uint8Array[];
}

/**
 * Schedules chunks through stages: stages whose executors offer a kernel (`StageExecutor.kernel`)
 * run, fused, on a pool of worker threads, with chunk bytes in recycled shared buffers that
 * every thread reads in place (never copied, never transferred); other stages run on the calling thread through their executor. The main thread is
 * left with I/O, ordering and framing. The pool starts threads on demand and lets idle ones not
 * hold the process; it is shared by every run of this engine.
 */
@injectable()
export class ChunkEngine {
  #pool: ChunkWorkerPool | undefined;
  #segments = 0;

  constructor(@inject(DispatchingStageExecutor) private readonly executor: DispatchingStageExecutor) {}

  /** The worker threads running now (idle ones included). */
  get runningWorkers(): number {
    return this.#pool?.running ?? 0;
  }

  /**
   * The stages of one run in one direction (`stages` in the order they run).
   *
   * @throws {RangeError} when `options.workers` is not a whole number from 0 to 256.
   */
  session(
    stages: readonly PipelineStage[],
    context: ProcessingContext,
    direction: StageDirection,
    options: EngineSessionOptions,
  ): EngineSession {
    const workers = options.workers ?? availableParallelism();
    if (!Number.isInteger(workers) || workers < 0 || workers > MAX_WORKERS) {
      throw new RangeError(`workers must be a whole number from 0 to ${MAX_WORKERS}, found ${String(workers)}`);
    }
    if (workers > 0) this.#pool ??= new ChunkWorkerPool(MAX_WORKERS, chunkWorkerUrl());
    const pool = workers === 0 ? undefined : this.#pool;
    const segmentIds = () => this.#segments++;
    return new EngineSession(this.executor, stages, context, direction, {
      pool,
      workers,
      segmentIds,
      slotSize: maxPayloadLength(options.chunkSize),
      recycleOutput: options.recycleOutput ?? false,
      expectedChunks: options.sizeHint === undefined ? 0 : Math.ceil(options.sizeHint / options.chunkSize),
    });
  }

  /** Stops every worker thread now; later runs start new ones. */
  async close(): Promise<void> {
    await this.#pool?.close();
  }
}

/**
 * One run's stages in one direction: starts and finishes them, and maps chunks through them,
 * a window at a time, results in order. Stages that ask for sequential processing
 * (`parallelProcessing: false`) take their chunks one at a time, in order, on the calling thread.
 */
export class EngineSession {
  /** Buffers for the run's chunks: input blocks, and outputs coming back from workers; `reuse` hands out only free ones. */
  readonly buffers: RecyclingBuffers;
  readonly #recycler: BufferRecycler;
  readonly #started: PipelineStage[] = [];
  readonly #finished = new Set<PipelineStage>();
  #steps: Step[] | undefined;
  #abortListener: (() => void) | undefined;

  /** @internal Created by {@link ChunkEngine.session}. */
  constructor(
    private readonly executor: DispatchingStageExecutor,
    private readonly stages: readonly PipelineStage[],
    private readonly context: ProcessingContext,
    private readonly direction: StageDirection,
    private readonly options: {
      readonly pool: ChunkWorkerPool | undefined;
      readonly workers: number;
      readonly segmentIds: () => number;
      readonly slotSize: number;
      readonly recycleOutput: boolean;
      readonly expectedChunks: number;
    },
  ) {
    this.#recycler = new BufferRecycler(options.slotSize);
    this.buffers = this.#recycler;
  }

  /**
   * Starts every stage, in order. When the input is expected to give every worker two chunks or
   * more (so the run would start them all anyway), the workers boot meanwhile: module loading and
   * a password's key derivation hide their start-up. Smaller runs start workers as chunks need them.
   */
  async start(): Promise<void> {
    const { pool, workers, expectedChunks } = this.options;
    if (pool !== undefined && expectedChunks >= 2 * workers && this.stages.some((stage) => this.executor.offersKernel(stage)))
      pool.warm(workers);
    for (const stage of this.stages) {
      await this.executor.startRun(stage, this.context, this.direction);
      this.#started.push(stage);
    }
  }

  /**
   * Runs every chunk of `source` through the stages, up to `window` at once, and yields the results
   * in order. Taps (whole-stream state) see each chunk in order, on this thread, before it is
   * yielded; a chunk's buffers are reused once the consumer asks for the next one.
   */
  async *map(source: AsyncIterable<FileChunk>, window: number): AsyncGenerator<FileChunk> {
    let handedOver: ChunkOutcome | undefined;
    for await (const outcome of mapOrdered(source, (chunk) => this.#through(chunk), window)) {
      this.#release(handedOver);
      handedOver = undefined;
      for (const [tap, data] of outcome.observed) {
        try {
          await tap.observe(outcome.chunk.sequenceNumber, data);
        } catch (error) {
          throw stageFailure(tap.stage, outcome.chunk.sequenceNumber, this.direction, error);
        }
      }
      handedOver = outcome;
      yield this.#handedOver(outcome.chunk);
    }
    this.#release(handedOver);
  }

  /** Finishes the started stages that `which` selects, in order. */
  async finish(which: (stage: PipelineStage) => boolean): Promise<void> {
    for (const stage of this.#started) {
      if (this.#finished.has(stage) || !which(stage)) continue;
      this.#finished.add(stage);
      await this.executor.finishRun(stage, this.context, this.direction);
    }
    if (this.#started.every((stage) => this.#finished.has(stage))) await this.#closeSegments();
  }

  /**
   * Stops whatever is still running: chunks waiting for a sequential stage are rejected, workers
   * busy with this run's chunks are stopped, kernels are dropped (keys wiped), and stages still open
   * are finished, ignoring further errors.
   */
  async abandon(): Promise<void> {
    await this.#cancel(new PipelineError('Cancelled', 'The run ended before this chunk was processed'));
    for (const stage of this.#started) {
      if (this.#finished.has(stage)) continue;
      this.#finished.add(stage);
      await this.executor.finishRun(stage, this.context, this.direction).catch(() => {});
    }
  }

  async #cancel(error: PipelineError): Promise<void> {
    this.#detachAbort();
    for (const step of this.#steps ?? []) {
      if (step.kind === 'stage') {
        step.gate?.cancel(
          (sequenceNumber) =>
            new PipelineError('Cancelled', `Stage '${step.stage.name}': the run ended before chunk ${sequenceNumber} got its turn`),
        );
      } else {
        await this.options.pool?.cancelSegment(step.pool.id, error);
      }
    }
    await this.#closeSegments();
  }

  async #closeSegments(): Promise<void> {
    this.#detachAbort();
    for (const step of this.#steps ?? []) {
      if (step.kind !== 'segment') continue;
      this.options.pool?.closeSegment(step.pool.id);
      const inline = step.inline;
      step.inline = undefined;
      (await inline?.catch(() => undefined))?.dispose();
    }
  }

  /** The plan: consecutive kernel stages fused into segments, built once the run's keys and bindings are set. */
  #plan(): Step[] {
    if (this.#steps !== undefined) return this.#steps;
    const steps: Step[] = [];
    let open: { stages: PipelineStage[]; kernels: StageKernel[]; taps: Tap[]; preserving: boolean } | undefined;
    const close = () => {
      if (open === undefined) return;
      const specs = open.kernels.map(({ module, factory, config }) => ({ module, factory, config }));
      steps.push({
        kind: 'segment',
        stages: open.stages,
        taps: open.taps,
        pool: { id: this.options.segmentIds(), specs, direction: this.direction },
      });
      open = undefined;
    };
    for (const stage of this.stages) {
      const kernel = this.executor.offersKernel(stage) ? this.executor.kernel(stage, this.context, this.direction) : undefined;
      if (kernel === undefined) {
        close();
        if (stage.enabled)
          steps.push({
            kind: 'stage',
            stage,
            gate: stage.configuration.parallelProcessing ? undefined : new SequenceGate({ label: `stage '${stage.name}'` }),
          });
        continue;
      }
      open ??= { stages: [], kernels: [], taps: [], preserving: true };
      open.stages.push(stage);
      open.kernels.push(kernel);
      open.preserving &&= kernel.preservesData === true;
      if (kernel.observe === undefined) continue;
      const tap = { stage, observe: kernel.observe };
      if (open.preserving) {
        open.taps.push({ ...tap, at: 'input' });
      } else {
        open.taps.push({ ...tap, at: 'output' });
        close();
      }
    }
    close();
    this.#steps = steps;
    this.#attachAbort();
    return steps;
  }

  async #through(chunk: FileChunk): Promise<ChunkOutcome> {
    const observed: (readonly [Tap, Uint8Array])[] = [];
    const held: Uint8Array[] = [];
    let current = chunk;
    for (const step of this.#plan()) {
      this.context.throwIfAborted();
      if (step.kind === 'stage') {
        this.#recycler.disown(current.data);
        const input = current;
        const run = () =>
          this.direction === 'forward'
            ? this.executor.execute(step.stage, input, this.context)
            : this.executor.reverse(step.stage, input, this.context);
        current = step.gate === undefined ? await run() : await step.gate.run(chunk.sequenceNumber, run);
        continue;
      }
      const { input, output } = await this.#runSegment(step, current);
      held.push(input.data, output.data);
      for (const tap of step.taps) observed.push([tap, tap.at === 'input' ? input.data : output.data]);
      current = output;
    }
    return { chunk: current, observed, held };
  }

  /** Runs a segment on a worker, or here for small chunks, a lone chunk, or without workers. */
  async #runSegment(step: SegmentStep, chunk: FileChunk): Promise<{ input: FileChunk; output: FileChunk }> {
    const here = this.options.pool === undefined || chunk.size < RECYCLED_MIN_BYTES || (chunk.sequenceNumber === 0 && chunk.isFinal);
    const { input, reply } = here
      ? { input: chunk, reply: await this.#runHere(step, chunk) }
      : await this.#runOnWorker(step, chunk, this.options.pool!);
    this.#record(step, chunk.size, reply.steps!);
    const output = new FileChunk(chunk.sequenceNumber, reply.data!, {
      offset: chunk.offset,
      isFinal: chunk.isFinal,
      metadata: reply.metadata!,
    });
    return { input, output };
  }

  /** The segment's kernels on this thread (created once per run). */
  async #runHere(step: SegmentStep, chunk: FileChunk): Promise<TaskReply> {
    try {
      step.inline ??= KernelSegment.create(step.pool.specs, this.direction);
      const outcome = await (await step.inline).run(toKernelChunk(chunk), this.#recycler);
      return { task: 0, data: outcome.chunk.data, metadata: outcome.chunk.metadata, steps: outcome.steps };
    } catch (error) {
      throw this.#failure(
        step,
        chunk.sequenceNumber,
        error instanceof KernelStageFailure ? error.stageIndex : 0,
        error instanceof KernelStageFailure ? error.cause : error,
      );
    }
  }

  /**
   * The segment on a worker: the chunk goes in a recycled slot (copied into one first when it is
   * not), its output comes back in a slot; returns the input as this thread now holds it.
   */
  async #runOnWorker(step: SegmentStep, chunk: FileChunk, pool: ChunkWorkerPool): Promise<{ input: FileChunk; reply: TaskReply }> {
    let data = chunk.data;
    if (!this.#recycler.owns(data)) {
      data = this.#recycler.take(chunk.size);
      data.set(chunk.data);
    }
    let reply = await pool.run(step.pool, { ...toKernelChunk(chunk), data }, [data.buffer as ArrayBuffer], {
      maxWorkers: this.options.workers,
      slotSize: this.options.slotSize,
      spare: () => this.#recycler.takeSpare(),
    });
    for (const spare of reply.returned ?? []) this.#recycler.give(spare);
    if (reply.failure !== undefined) {
      const { stageIndex, kind, message } = reply.failure;
      throw kind === undefined
        ? this.#failure(step, chunk.sequenceNumber, stageIndex, new Error(message))
        : new PipelineError(kind as PipelineErrorKind, message);
    }
    // A shared slot comes back as another object for the same memory: keep ours, so a slot is never held (and given back) twice.
    const sent = data.buffer instanceof ArrayBuffer ? reply.input! : data;
    if (reply.inInput !== undefined) {
      reply = { ...reply, data: sent.subarray(reply.inInput[0], reply.inInput[0] + reply.inInput[1]) };
    } else {
      this.#recycler.adopt(reply.data!.buffer as ArrayBuffer);
    }
    return { input: chunk.withData(sent), reply };
  }

  #record(step: SegmentStep, bytesIn: number, steps: readonly KernelStep[]): void {
    let size = bytesIn;
    steps.forEach(({ bytesOut, durationMs }, index) => {
      this.context.recordStage(step.stages[index]!.name, { bytesIn: size, bytesOut, durationMs });
      size = bytesOut;
    });
  }

  #failure(step: SegmentStep, sequenceNumber: number, stageIndex: number, error: unknown): PipelineError {
    return stageFailure(step.stages[stageIndex] ?? step.stages[0]!, sequenceNumber, this.direction, error);
  }

  /**
   * The chunk as the consumer gets it: a consumer that keeps its buffers gets a copy of a recycled
   * slot (a plain buffer it owns), so the slot goes back into circulation and shared memory never
   * piles up; one that is done with each buffer when it asks for the next gets the slot itself.
   */
  #handedOver(chunk: FileChunk): FileChunk {
    if (this.options.recycleOutput || !this.#recycler.owns(chunk.data)) return chunk;
    return chunk.withData(new Uint8Array(chunk.data));
  }

  /** Gives the buffers of a chunk the consumer is done with back (its output too, when it was handed over as is). */
  #release(outcome: ChunkOutcome | undefined): void {
    if (outcome === undefined) return;
    const done = new Map(outcome.held.map((view) => [view.buffer, view]));
    this.#recycler.release(...done.values());
  }

  /** An abort stops the run's work on the workers at once, not after the chunks in flight. */
  #attachAbort(): void {
    const signal = this.context.signal;
    if (signal === undefined || this.options.pool === undefined) return;
    this.#abortListener = () =>
      void this.#cancel(new PipelineError('Cancelled', `Run ${this.context.runId} was cancelled`, { cause: signal.reason }));
    signal.addEventListener('abort', this.#abortListener, { once: true });
  }

  #detachAbort(): void {
    if (this.#abortListener !== undefined) this.context.signal?.removeEventListener('abort', this.#abortListener);
    this.#abortListener = undefined;
  }
}

/** The worker script, built beside the `@adapipe/core/kernel` entry (found the same way from source and from dist). */
function chunkWorkerUrl(): URL {
  return new URL('./chunk-worker.js', import.meta.resolve('@adapipe/core/kernel'));
}

function toKernelChunk(chunk: FileChunk): KernelChunk {
  return { sequenceNumber: chunk.sequenceNumber, offset: chunk.offset, isFinal: chunk.isFinal, data: chunk.data, metadata: chunk.metadata };
}
