import { Worker } from 'node:worker_threads';
import { zstdBindingPath } from './zstd-codec.js';
import { zstdWorkerSource } from './zstd-worker-source.js';

type ZstdJob = { readonly op: 'compress'; readonly level: number } | { readonly op: 'decompress'; readonly length: number };

interface PendingJob {
  readonly resolve: (data: Uint8Array) => void;
  readonly reject: (error: Error) => void;
}

interface WorkerSlot {
  readonly worker: Worker;
  readonly pending: Map<number, PendingJob>;
}

interface WorkerReply {
  readonly id: number;
  readonly data?: Uint8Array;
  readonly error?: string;
}

/**
 * Runs zstd on up to `size` worker threads, since zstd-napi has only synchronous functions and
 * would otherwise hold the main thread: concurrent chunks then use every core. Workers start on
 * demand, each job goes to the least busy one, input is copied once and transferred, output is
 * transferred back. Idle workers do not keep the process alive; {@link ZstdWorkerPool.close}
 * stops them at once (later jobs start new ones). A worker that dies fails its pending jobs.
 */
export class ZstdWorkerPool {
  /** The most worker threads this pool runs. */
  readonly size: number;
  readonly #slots: WorkerSlot[] = [];
  #nextId = 0;

  /** @throws {RangeError} when `size` is not a whole number from 1 to 256. */
  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1 || size > 256) {
      throw new RangeError(`size must be a whole number from 1 to 256, found ${size}`);
    }
    this.size = size;
  }

  /** The worker threads running now. */
  get running(): number {
    return this.#slots.length;
  }

  /** Compresses `data` into one zstd frame at `level`, on a worker thread. `data` is not modified. */
  compress(data: Uint8Array, level: number): Promise<Uint8Array> {
    return this.#run({ op: 'compress', level }, data);
  }

  /** Decompresses `data` into at most `length` bytes, on a worker thread; fails if it holds more. */
  decompress(data: Uint8Array, length: number): Promise<Uint8Array> {
    return this.#run({ op: 'decompress', length }, data);
  }

  /** Stops every worker; jobs still running fail. The pool stays usable. */
  async close(): Promise<void> {
    await Promise.all(this.#slots.map((slot) => slot.worker.terminate()));
  }

  #run(job: ZstdJob, data: Uint8Array): Promise<Uint8Array> {
    const slot = this.#slotForNextJob();
    const id = this.#nextId++;
    const input = new Uint8Array(data);
    return new Promise((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      slot.worker.ref();
      try {
        slot.worker.postMessage({ ...job, id, data: input }, [input.buffer]);
      } catch (error) {
        slot.pending.delete(id);
        if (slot.pending.size === 0) slot.worker.unref();
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  #slotForNextJob(): WorkerSlot {
    let best: WorkerSlot | undefined;
    for (const slot of this.#slots) {
      if (best === undefined || slot.pending.size < best.pending.size) best = slot;
    }
    if (best !== undefined && (best.pending.size === 0 || this.#slots.length >= this.size)) return best;
    return this.#spawn();
  }

  #spawn(): WorkerSlot {
    const worker = new Worker(zstdWorkerSource, { eval: true, workerData: { bindingPath: zstdBindingPath } });
    const slot: WorkerSlot = { worker, pending: new Map() };
    worker.unref();
    worker.on('message', (reply: WorkerReply) => {
      const job = slot.pending.get(reply.id);
      if (job === undefined) return;
      slot.pending.delete(reply.id);
      if (slot.pending.size === 0) worker.unref();
      if (reply.data !== undefined) job.resolve(reply.data);
      else job.reject(new Error(reply.error ?? 'the zstd worker answered without data'));
    });
    worker.on('error', (error) => this.#retire(slot, error));
    worker.on('exit', (code) => this.#retire(slot, new Error(`the zstd worker thread stopped (exit code ${code})`)));
    this.#slots.push(slot);
    return slot;
  }

  #retire(slot: WorkerSlot, error: Error): void {
    const index = this.#slots.indexOf(slot);
    if (index >= 0) this.#slots.splice(index, 1);
    for (const job of slot.pending.values()) job.reject(error);
    slot.pending.clear();
  }
}
