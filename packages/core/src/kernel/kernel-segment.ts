import type { StageDirection } from '../executor/stage-executor.js';
import type { BufferRecycler } from './buffer-recycler.js';
import type { ChunkKernel, ChunkKernelFactory, KernelBuffers, KernelChunk } from './chunk-kernel.js';

/** The part of a `StageKernel` that crosses to a worker thread. */
export interface KernelSpec {
  readonly module: string;
  readonly factory: string;
  readonly config: unknown;
}

/**
 * Loads `spec.module` and calls its export `spec.factory` with the config: how a chunk kernel is
 * created, on whichever thread runs it.
 *
 * @throws {TypeError} when the export is not a function; whatever the import or the factory throws.
 */
async function createKernel(spec: KernelSpec, direction: StageDirection): Promise<ChunkKernel> {
  const loaded = (await import(spec.module)) as Record<string, unknown>;
  const factory = loaded[spec.factory];
  if (typeof factory !== 'function') throw new TypeError(`${spec.module} has no export '${spec.factory}' that is a function`);
  return (factory as ChunkKernelFactory)(spec.config, direction);
}

/** A kernel of a segment failed; `stageIndex` says which, `cause` is what it threw. */
export class KernelStageFailure extends Error {
  constructor(
    readonly stageIndex: number,
    override readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

/** One kernel's share of a chunk's run: its output size and time. */
export interface KernelStep {
  readonly bytesOut: number;
  readonly durationMs: number;
}

/** What one chunk's run through a segment gives: the chunk and what each kernel did. */
export interface SegmentOutcome {
  readonly chunk: KernelChunk;
  readonly steps: readonly KernelStep[];
}

/**
 * Consecutive stages' kernels fused into one step: a chunk runs through all of them on one
 * thread, one after the other. The same code runs them on a worker thread and, for small chunks
 * or without workers, on the calling thread. Buffers that kernels took for intermediate results
 * go back to the recycler once the next kernel has consumed them.
 */
export class KernelSegment {
  private constructor(private readonly kernels: readonly ChunkKernel[]) {}

  /**
   * Loads each spec's module and creates its kernel.
   *
   * @throws {KernelStageFailure} naming the spec whose module, export or factory failed.
   */
  static async create(specs: readonly KernelSpec[], direction: StageDirection): Promise<KernelSegment> {
    const kernels: ChunkKernel[] = [];
    for (const [index, spec] of specs.entries()) {
      try {
        kernels.push(await createKernel(spec, direction));
      } catch (error) {
        for (const kernel of kernels) kernel.dispose?.();
        throw new KernelStageFailure(index, error);
      }
    }
    return new KernelSegment(kernels);
  }

  /**
   * Runs `chunk` through every kernel in order.
   *
   * @throws {KernelStageFailure} naming the kernel that threw.
   */
  async run(chunk: KernelChunk, recycler: BufferRecycler): Promise<SegmentOutcome> {
    const taken: Uint8Array[] = [];
    const buffers: KernelBuffers = {
      take: (size) => {
        const view = recycler.take(size);
        taken.push(view);
        return view;
      },
    };
    const steps: KernelStep[] = [];
    let current = chunk;
    for (const [index, kernel] of this.kernels.entries()) {
      const started = performance.now();
      try {
        current = await kernel.run(current, buffers);
      } catch (error) {
        recycler.give(...taken.map((view) => view.buffer as ArrayBuffer));
        throw new KernelStageFailure(index, error);
      }
      steps.push({ bytesOut: current.data.length, durationMs: performance.now() - started });
    }
    const kept = current.data.buffer;
    recycler.give(
      ...taken.filter((view) => view.buffer !== kept && view.buffer !== chunk.data.buffer).map((view) => view.buffer as ArrayBuffer),
    );
    return { chunk: current, steps };
  }

  /** Disposes every kernel (wiping keys). */
  dispose(): void {
    for (const kernel of this.kernels) kernel.dispose?.();
  }
}
