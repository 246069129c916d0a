import { createRequire } from 'node:module';
import type { KernelBuffers } from '@adapipe/core/kernel';

type ZstdBinding = typeof import('zstd-napi/binding.js');

const require = createRequire(import.meta.url);

let loadedBinding: ZstdBinding | undefined;

/** zstd-napi's native binding, loaded on first use. */
export function zstdBinding(): ZstdBinding {
  loadedBinding ??= require('zstd-napi/binding') as ZstdBinding;
  return loadedBinding;
}

/**
 * Single-shot zstd with reusable contexts: frames carry the content size and an xxHash64 content
 * checksum; decompression writes into a buffer of exactly the declared length, so it cannot
 * produce more, and a frame that declares another content size is refused first. Not safe to
 * share between threads; each thread has its own. Output goes into `buffers` when given (the chunk
 * engine's recycled ones), else into a new buffer.
 */
export class ZstdCodec {
  readonly #binding = zstdBinding();
  readonly #cctx = new this.#binding.CCtx();
  readonly #dctx = new this.#binding.DCtx();

  /** Compresses `data` into one frame at `level`. */
  compress(data: Uint8Array, level: number, buffers?: KernelBuffers): Uint8Array {
    const { CParameter, compressBound } = this.#binding;
    this.#cctx.setParameter(CParameter.compressionLevel, level);
    this.#cctx.setParameter(CParameter.checksumFlag, 1);
    const bound = compressBound(data.length);
    const output = buffers?.take(bound) ?? Buffer.allocUnsafeSlow(bound);
    const written = this.#cctx.compress2(output, data);
    if (buffers === undefined && written < bound * 0.75) return new Uint8Array(output.subarray(0, written));
    return output.subarray(0, written);
  }

  /**
   * Decompresses `data` into at most `length` bytes.
   *
   * @throws {Error} when the frame declares a content size other than `length`, or holds more.
   */
  decompress(data: Uint8Array, length: number, buffers?: KernelBuffers): Uint8Array {
    const contentSize = this.#binding.getFrameContentSize(data);
    if (contentSize !== null && contentSize !== length) {
      throw new Error(`the zstd frame declares ${contentSize} bytes, not the declared ${length}`);
    }
    const output = buffers?.take(length) ?? Buffer.allocUnsafeSlow(length);
    const written = this.#dctx.decompress(output, data);
    return output.subarray(0, written);
  }
}
