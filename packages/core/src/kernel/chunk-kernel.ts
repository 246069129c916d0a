import type { StageDirection } from '../executor/stage-executor.js';

/** One chunk as a kernel sees it: plain data, so it crosses to a worker thread as it is. */
export interface KernelChunk {
  /** 0-based position of the chunk in the stream. */
  readonly sequenceNumber: number;
  /** Byte offset of the chunk in the original input. */
  readonly offset: number;
  /** Whether this is the last chunk of the input. */
  readonly isFinal: boolean;
  /** The chunk's bytes at this point of the pipeline. Never modify them in place. */
  readonly data: Uint8Array;
  /** Per-stage values recorded for this chunk, keyed by stage name. */
  readonly metadata: ReadonlyMap<string, Uint8Array>;
}

/** Where a kernel gets buffers for its output: recycled between chunks, so large outputs cost no fresh allocation. */
export interface KernelBuffers {
  /** A buffer of exactly `size` bytes with undefined contents; it belongs to the chunk from then on. */
  take(size: number): Uint8Array;
}

/** A run's recycled buffers as a reader fills them: {@link KernelBuffers.take}, and `reuse` for a free one only. */
export interface RecyclingBuffers extends KernelBuffers {
  /** A buffer of exactly `size` bytes from a free recycled slot, or `undefined` when none is free (never allocates). */
  reuse(size: number): Uint8Array | undefined;
}

/**
 * The per-chunk work of one stage in one direction, holding no state shared between chunks, so
 * the chunk engine may run it on any thread, several chunks at once on several threads.
 */
export interface ChunkKernel {
  /**
   * Runs the stage on one chunk and returns the chunk it passes on. Must not modify `chunk.data`.
   * The returned data must be the input's (or a view of it), a buffer from `buffers.take`, or a
   * new buffer nothing else refers to: the engine may move it to another thread.
   *
   * @throws {PipelineError} a typed error naming the stage and chunk when the input is bad.
   */
  run(chunk: KernelChunk, buffers: KernelBuffers): KernelChunk | Promise<KernelChunk>;
  /** Releases what the kernel holds (wipes keys); called once when the run ends. */
  dispose?(): void;
}

/** Creates a {@link ChunkKernel} from the `config` a {@link StageKernel} carried, on the thread that runs it. */
export type ChunkKernelFactory = (config: unknown, direction: StageDirection) => ChunkKernel | Promise<ChunkKernel>;

/**
 * How a stage offers its per-chunk work to the chunk engine, which then runs it on its worker
 * threads, fused with the neighbouring stages that offer one too (one hand-off per chunk for all
 * of them). Returned by `StageExecutor.kernel`.
 *
 * @example
 * ```ts
 * kernel(stage: PipelineStage): StageKernel {
 *   return { module: import.meta.resolve('@me/plugin-delta/kernels'), factory: 'deltaKernel', config: { stride: 2 } };
 * }
 * ```
 */
export interface StageKernel {
  /**
   * The URL of an ES module exporting the factory. It is loaded on worker threads without DI, so it
   * imports from core only `@adapipe/core/kernel`.
   */
  readonly module: string;
  /** The name of the module's export that is a {@link ChunkKernelFactory}. */
  readonly factory: string;
  /**
   * What the factory needs, copied to every thread by structured clone (plain objects, arrays,
   * strings, numbers, typed arrays, Maps). May hold a key: the kernel's `dispose` wipes its copy.
   */
  readonly config: unknown;
  /** Whether the kernel passes `data` on unchanged (it only adds or checks metadata). */
  readonly preservesData?: boolean;
  /**
   * Called on the calling thread for every chunk, in sequence order, with the bytes the stage
   * passed on: for state that spans chunks, such as a whole-stream digest (native digests run at
   * GB/s there; the calling thread is otherwise idle most of a run). The bytes are valid only until
   * the returned promise settles; keep a copy, not the view.
   */
  readonly observe?: (sequenceNumber: number, data: Uint8Array) => void | Promise<void>;
}
