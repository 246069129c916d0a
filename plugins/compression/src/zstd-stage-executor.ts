import { availableParallelism } from 'node:os';
import { CompressionStageExecutor, type CompressionStageExecutorOptions } from './compression-stage-executor.js';
import { ZstdCodec, zstdBinding } from './zstd-codec.js';
import { ZstdWorkerPool } from './zstd-worker-pool.js';

/** Options for {@link ZstdStageExecutor}. */
export interface ZstdStageExecutorOptions extends CompressionStageExecutorOptions {
  /**
   * Worker threads running zstd, 0–256. Default: the number of cores (`os.availableParallelism()`).
   * 0 runs zstd on the calling thread, which then blocks while a chunk is (de)compressed.
   */
  readonly workers?: number;
}

const inlineLimit = 64 * 1024;

/**
 * Zstandard (zstd-napi). Levels 1–22, default 3. Frames carry the content size and a content
 * checksum (xxHash64), so bit flips are detected. zstd-napi is synchronous, so by default the work
 * runs on a pool of worker threads, one per core (chunks under 64 KiB stay on the calling thread,
 * where they take less time than the hand-off). Before decompressing, the frame's declared content
 * size must equal the declared length; decompression then writes into a buffer of exactly that
 * length and fails if the data holds more.
 */
export class ZstdStageExecutor extends CompressionStageExecutor {
  protected override readonly throughputBytesPerSecond = 150_000_000;
  /** Worker threads in use; 0 when zstd runs on the calling thread. */
  readonly workers: number;
  readonly #pool: ZstdWorkerPool | undefined;
  #codec: ZstdCodec | undefined;

  /**
   * @throws {RangeError} when `options.defaultLevel` is not within 1–22 or `options.workers` is not
   * a whole number from 0 to 256.
   */
  constructor(options: ZstdStageExecutorOptions = {}) {
    super({ algorithm: 'zstd', aliases: ['zstandard', 'zst'], description: 'Zstandard (zstd-napi), levels 1-22, content checksum' }, options);
    const workers = options.workers ?? availableParallelism();
    if (!Number.isInteger(workers) || workers < 0 || workers > 256) {
      throw new RangeError(`workers must be a whole number from 0 to 256, found ${String(workers)}`);
    }
    this.workers = workers;
    this.#pool = workers > 0 ? new ZstdWorkerPool(workers) : undefined;
  }

  /** Stops the worker threads now instead of leaving them idle; later chunks start new ones. */
  async close(): Promise<void> {
    await this.#pool?.close();
  }

  protected async compress(data: Uint8Array, level: number | undefined): Promise<Uint8Array> {
    const chosen = level ?? this.defaultLevel!;
    return this.#onWorker(data.length) ? this.#pool!.compress(data, chosen) : this.#inline().compress(data, chosen);
  }

  protected async decompress(data: Uint8Array, length: number): Promise<Uint8Array> {
    const contentSize = zstdBinding().getFrameContentSize(data);
    if (contentSize !== null && contentSize !== length) {
      throw new Error(`the zstd frame declares ${contentSize} bytes, not the declared ${length}`);
    }
    return this.#onWorker(length) ? this.#pool!.decompress(data, length) : this.#inline().decompress(data, length);
  }

  /** Small chunks cost less inline than a message to a worker (or starting one, ~30 ms). */
  #onWorker(bytes: number): boolean {
    return this.#pool !== undefined && bytes >= inlineLimit;
  }

  #inline(): ZstdCodec {
    this.#codec ??= new ZstdCodec();
    return this.#codec;
  }
}
