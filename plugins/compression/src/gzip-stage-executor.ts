import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { CompressionStageExecutor, type CompressionStageExecutorOptions } from './compression-stage-executor.js';
import { isOutputLimitError, zlibBufferSize } from './zlib-buffer-size.js';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);
const GZIP_MIN_LENGTH = 18;

/**
 * gzip (RFC 1952) through node:zlib's asynchronous functions, which run on libuv's thread pool so
 * concurrent chunks use every core. Levels 1–9, default 5. The gzip trailer's CRC-32 detects bit
 * flips; its ISIZE field is checked against the declared length before inflating, and inflating
 * stops at the declared length (`maxOutputLength`).
 */
export class GzipStageExecutor extends CompressionStageExecutor {
  protected override readonly throughputBytesPerSecond = 60_000_000;

  /** @throws {RangeError} when `options.defaultLevel` is not within 1–9. */
  constructor(options: CompressionStageExecutorOptions = {}) {
    super({ algorithm: 'gzip', aliases: ['gz'], description: 'gzip (node:zlib), levels 1-9, CRC-32 checked' }, options);
  }

  protected compress(data: Uint8Array, level: number | undefined): Promise<Uint8Array> {
    return gzipAsync(data, { level, chunkSize: zlibBufferSize(data.length >>> 1) });
  }

  protected async decompress(data: Uint8Array, length: number): Promise<Uint8Array> {
    if (data.length < GZIP_MIN_LENGTH || data[0] !== 0x1f || data[1] !== 0x8b) {
      throw new Error(`not a gzip member (${data.length} bytes${data.length >= 2 ? `, starting ${hex(data[0]!)}${hex(data[1]!)}` : ''})`);
    }
    const trailerLength = new DataView(data.buffer, data.byteOffset, data.byteLength).getUint32(data.length - 4, true);
    if (trailerLength !== length % 2 ** 32) {
      throw new Error(`the gzip trailer declares ${trailerLength} bytes, not the declared ${length}`);
    }
    try {
      return await gunzipAsync(data, { maxOutputLength: Math.max(1, length), chunkSize: zlibBufferSize(length) });
    } catch (error) {
      if (isOutputLimitError(error)) throw new Error(`the data expands beyond its declared ${length} bytes`, { cause: error });
      throw error;
    }
  }
}

function hex(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}
