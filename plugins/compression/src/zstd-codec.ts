import { createRequire } from 'node:module';

type ZstdBinding = typeof import('zstd-napi/binding.js');

const require = createRequire(import.meta.url);

/** The absolute path of zstd-napi's native binding module, for worker threads to load. */
export const zstdBindingPath: string = require.resolve('zstd-napi/binding');

let loadedBinding: ZstdBinding | undefined;

/** zstd-napi's native binding, loaded on first use. */
export function zstdBinding(): ZstdBinding {
  loadedBinding ??= require(zstdBindingPath) as ZstdBinding;
  return loadedBinding;
}

/**
 * Single-shot zstd on the calling thread with reusable contexts: frames carry the content size and
 * an xxHash64 content checksum; decompression writes into a buffer of exactly the declared length,
 * so it cannot produce more. Not safe to share between threads; each worker has its own.
 * The worker source in `zstd-worker-source.ts` mirrors these two methods.
 */
export class ZstdCodec {
  readonly #binding = zstdBinding();
  readonly #cctx = new this.#binding.CCtx();
  readonly #dctx = new this.#binding.DCtx();

  /** Compresses `data` into one frame at `level`. */
  compress(data: Uint8Array, level: number): Uint8Array {
    const { CParameter, compressBound } = this.#binding;
    this.#cctx.setParameter(CParameter.compressionLevel, level);
    this.#cctx.setParameter(CParameter.checksumFlag, 1);
    const output = Buffer.allocUnsafeSlow(compressBound(data.length));
    const written = this.#cctx.compress2(output, data);
    return written < output.length * 0.75 ? new Uint8Array(output.subarray(0, written)) : output.subarray(0, written);
  }

  /** Decompresses `data` into at most `length` bytes; throws if it holds more. */
  decompress(data: Uint8Array, length: number): Uint8Array {
    const output = Buffer.allocUnsafeSlow(length);
    const written = this.#dctx.decompress(output, data);
    return output.subarray(0, written);
  }
}
