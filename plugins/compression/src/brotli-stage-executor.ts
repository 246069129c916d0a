import { promisify } from 'node:util';
import { brotliCompress, brotliDecompress, constants } from 'node:zlib';
import { CompressionStageExecutor, type CompressionStageExecutorOptions } from './compression-stage-executor.js';
import { isOutputLimitError, zlibBufferSize } from './zlib-buffer-size.js';

const brotliCompressAsync = promisify(brotliCompress);
const brotliDecompressAsync = promisify(brotliDecompress);

/**
 * Brotli (RFC 7932) through node:zlib's asynchronous functions, which run on libuv's thread pool
 * so concurrent chunks use every core. Qualities 0–11, default 4. The format has no checksum: a
 * bit flip is caught only when it breaks the stream or changes the length; rely on the container's
 * per-chunk checksum or encryption for integrity. Decompression stops at the declared length
 * (`maxOutputLength`).
 */
export class BrotliStageExecutor extends CompressionStageExecutor {
  protected override readonly throughputBytesPerSecond = 60_000_000;

  /** @throws {RangeError} when `options.defaultLevel` is not within 0–11. */
  constructor(options: CompressionStageExecutorOptions = {}) {
    super({ algorithm: 'brotli', aliases: ['br'], description: 'Brotli (node:zlib), qualities 0-11' }, options);
  }

  protected compress(data: Uint8Array, level: number | undefined): Promise<Uint8Array> {
    return brotliCompressAsync(data, {
      chunkSize: zlibBufferSize(data.length >>> 1),
      params: {
        [constants.BROTLI_PARAM_QUALITY]: level ?? constants.BROTLI_DEFAULT_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      },
    });
  }

  protected async decompress(data: Uint8Array, length: number): Promise<Uint8Array> {
    try {
      return await brotliDecompressAsync(data, { maxOutputLength: Math.max(1, length), chunkSize: zlibBufferSize(length) });
    } catch (error) {
      if (isOutputLimitError(error)) throw new Error(`the data expands beyond its declared ${length} bytes`, { cause: error });
      throw error;
    }
  }
}
