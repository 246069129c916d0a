import { createRequire } from 'node:module';
import { CompressionStageExecutor } from './compression-stage-executor.js';
import { lz4FrameBound } from './lz4-frame-bound.js';

/**
 * LZ4 frames (lz4-napi, built on lz4_flex) with the content checksum (xxHash32) on, so bit flips are
 * detected. lz4-napi exposes only LZ4's fast mode: there are no levels and a `level` parameter is
 * refused. Its asynchronous functions run on libuv's thread pool. Before decompressing, the frame's
 * headers are walked: it must be one frame that cannot expand beyond the declared length (rounded
 * up to one block) and, if it states a content size, state the declared one.
 */
export class Lz4StageExecutor extends CompressionStageExecutor {
  protected override readonly throughputBytesPerSecond = 300_000_000;

  constructor() {
    super({ algorithm: 'lz4', aliases: ['lz4-frame'], description: 'LZ4 frame (lz4-napi), no levels, content checksum' });
  }

  protected async compress(data: Uint8Array): Promise<Uint8Array> {
    return lz4napi().compressFrame(data, { contentChecksum: true });
  }

  protected async decompress(data: Uint8Array, length: number): Promise<Uint8Array> {
    const { blockMaxSize, maxOutputLength, contentSize } = lz4FrameBound(data);
    if (contentSize !== undefined && contentSize !== length) {
      throw new Error(`the LZ4 frame declares ${contentSize} bytes, not the declared ${length}`);
    }
    if (maxOutputLength > Math.ceil(length / blockMaxSize) * blockMaxSize) {
      throw new Error(`the LZ4 frame can expand to ${maxOutputLength} bytes, beyond its declared ${length}`);
    }
    return lz4napi().decompressFrame(data);
  }
}

/** lz4-napi's native binding, loaded with the first lz4 chunk so other stages do not pay for it. */
function lz4napi(): typeof import('lz4-napi') {
  return createRequire(import.meta.url)('lz4-napi') as typeof import('lz4-napi');
}
