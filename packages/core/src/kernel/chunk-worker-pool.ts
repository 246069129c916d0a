import { Worker } from 'node:worker_threads';
import type { StageDirection } from '../executor/stage-executor.js';
import type { KernelChunk } from './chunk-kernel.js';
import type { KernelSpec } from './kernel-segment.js';
import type { ChunkWorkerMessage, TaskReply } from './worker-protocol.js';

/** A fused group of kernels of one run, as the pool knows it. */
export interface PoolSegment {
  readonly id: number;
  readonly specs: readonly KernelSpec[];
  readonly direction: StageDirection;
}

interface PendingTask {
  readonly segment: number;
  readonly resolve: (reply: TaskReply) => void;
  readonly reject: (error: Error) => void;
}

interface WorkerSlot {
  readonly worker: Worker;
  readonly pending: Map<number, PendingTask>;
  readonly segments: Set<number>;
}

/**
 * The chunk engine's worker threads. Workers start on demand (at most `size`), each task goes to
 * the least busy one among the first `maxWorkers`, and chunk bytes are shared (recycled
 * `SharedArrayBuffer` slots) or moved by transfer, never copied. Idle workers do not keep the process alive. A worker that dies fails its tasks; the next
 * task starts a new one.
 */
export class ChunkWorkerPool {
  /** The most worker threads this pool runs. */
  readonly size: number;
  readonly #workerUrl: URL;
  readonly #slots: WorkerSlot[] = [];
  #nextTask = 0;

  /** @throws {RangeError} when `size` is not a whole number from 1 to 256. */
  constructor(size: number, workerUrl: URL) {
    if (!Number.isInteger(size) || size < 1 || size > 256) {
      throw new RangeError(`size must be a whole number from 1 to 256, found ${size}`);
    }
    this.size = size;
    this.#workerUrl = workerUrl;
  }

  /** The worker threads running now. */
  get running(): number {
    return this.#slots.length;
  }

  /**
   * Starts chunk workers until `count` run (at most the pool's size), so a run's first chunks do
   * not wait for threads to boot. Warm workers idle like any other: they do not keep the process
   * alive.
   */
  warm(count: number): void {
    while (this.#slots.length < Math.min(count, this.size)) this.#spawn();
  }

  /**
   * Runs `chunk` through `segment` on a worker, sharing or moving the buffers in `transfer` (the
   * chunk's own) to it, with a spare slot from `spare` for its outputs when there is one (a worker
   * hands back the spares it does not need with its reply).
   */
  run(
    segment: PoolSegment,
    chunk: KernelChunk,
    transfer: readonly ArrayBuffer[],
    options: { readonly maxWorkers: number; readonly slotSize: number; readonly spare: () => ArrayBuffer | undefined },
  ): Promise<TaskReply> {
    const slot = this.#slotForNextTask(Math.min(options.maxWorkers, this.size));
    const spare = options.spare();
    const spares = spare === undefined ? [] : [spare];
    const task = this.#nextTask++;
    const message: ChunkWorkerMessage = {
      type: 'run',
      task,
      segment: segment.id,
      direction: segment.direction,
      chunk,
      spares,
      slotSize: options.slotSize,
      ...(slot.segments.has(segment.id) ? {} : { specs: segment.specs }),
    };
    const reply = this.#request(slot, task, segment.id, message, [...transfer, ...spares]);
    slot.segments.add(segment.id);
    return reply;
  }

  #request(
    slot: WorkerSlot,
    task: number,
    segment: number,
    message: ChunkWorkerMessage,
    transfer: readonly ArrayBuffer[],
  ): Promise<TaskReply> {
    return new Promise<TaskReply>((resolve, reject) => {
      slot.pending.set(task, { segment, resolve, reject });
      slot.worker.ref();
      try {
        slot.worker.postMessage(
          message,
          transfer.filter((buffer) => buffer instanceof ArrayBuffer),
        );
      } catch (error) {
        this.#settled(slot, task);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  /** Drops a segment's kernels on every worker that has them (their keys are wiped). */
  closeSegment(segment: number): void {
    for (const slot of this.#slots) {
      if (!slot.segments.delete(segment)) continue;
      slot.worker.postMessage({ type: 'close', segment } satisfies ChunkWorkerMessage);
    }
  }

  /**
   * Stops a segment's tasks now: every worker busy with one of them is terminated (native work in
   * progress cannot be interrupted otherwise), their tasks fail with `error`, and the segment's
   * kernels are dropped everywhere else.
   */
  async cancelSegment(segment: number, error: Error): Promise<void> {
    const busy = this.#slots.filter((slot) => [...slot.pending.values()].some((task) => task.segment === segment));
    for (const slot of busy) this.#retire(slot, error);
    this.closeSegment(segment);
    await Promise.all(busy.map((slot) => slot.worker.terminate()));
  }

  /** Stops every worker; tasks still running fail. The pool stays usable. */
  async close(): Promise<void> {
    const slots = [...this.#slots];
    for (const slot of slots) this.#retire(slot, new Error('the chunk worker pool was closed'));
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  #slotForNextTask(limit: number): WorkerSlot {
    let best: WorkerSlot | undefined;
    for (const slot of this.#slots.slice(0, limit)) {
      if (best === undefined || slot.pending.size < best.pending.size) best = slot;
    }
    if (best !== undefined && (best.pending.size === 0 || this.#slots.length >= limit)) return best;
    return this.#spawn();
  }

  /** A new worker for chunk tasks. */
  #spawn(): WorkerSlot {
    const worker = startWorker(this.#workerUrl);
    const slot: WorkerSlot = { worker, pending: new Map(), segments: new Set() };
    worker.unref();
    worker.on('message', (reply: TaskReply) => {
      const task = slot.pending.get(reply.task);
      if (task === undefined) return;
      this.#settled(slot, reply.task);
      task.resolve(reply);
    });
    worker.on('error', (error) => this.#retire(slot, error));
    worker.on('exit', (code) => this.#retire(slot, new Error(`a chunk worker thread stopped (exit code ${code})`)));
    this.#slots.push(slot);
    return slot;
  }

  #settled(slot: WorkerSlot, task: number): void {
    slot.pending.delete(task);
    if (slot.pending.size === 0) slot.worker.unref();
  }

  #retire(slot: WorkerSlot, error: Error): void {
    const index = this.#slots.indexOf(slot);
    if (index >= 0) this.#slots.splice(index, 1);
    for (const task of slot.pending.values()) task.reject(error);
    slot.pending.clear();
  }
}

/**
 * A worker thread on `url` with the process's Node options, minus those only the main script takes
 * (`-e`, `-p`, `--input-type`: a worker started from a file refuses them) and any Node refuses for
 * workers (process-wide V8 flags such as `--expose-gc`, named in its error).
 */
function startWorker(url: URL): Worker {
  let execArgv = mainScriptOptionsRemoved(process.execArgv);
  for (;;) {
    try {
      return new Worker(url, { execArgv });
    } catch (error) {
      const refused =
        (error as NodeJS.ErrnoException).code === 'ERR_WORKER_INVALID_EXEC_ARGV'
          ? /flags: (.*)$/.exec((error as Error).message)?.[1]?.split(', ')
          : undefined;
      const kept =
        refused === undefined ? execArgv : execArgv.filter((arg) => !refused.includes(arg) && !refused.includes(arg.split('=')[0]!));
      if (kept.length === execArgv.length) throw error;
      execArgv = kept;
    }
  }
}

function mainScriptOptionsRemoved(args: readonly string[]): string[] {
  const kept: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    if (['-e', '--eval', '-p', '--print', '--input-type'].includes(arg)) {
      index++;
      continue;
    }
    if (/^(--input-type|--eval|--print)=/.test(arg)) continue;
    kept.push(arg);
  }
  return kept;
}
