/**
 * The compression plugin's chunk kernels (`@adapipe/plugin-compression/kernels`), loaded by the
 * chunk engine on its worker threads: zstd, whose binding is synchronous and so belongs off the
 * main thread (brotli, gzip and lz4 already run on libuv's thread pool).
 */
import type { ChunkKernel, ChunkKernelFactory } from '@adapipe/core/kernel';
import { compressChunk, decompressChunk } from './compression-chunk.js';
import { ZstdCodec } from './zstd-codec.js';

/** What {@link zstdKernel} needs: the stage's name, its level (forward) and the restore limit (reverse). */
export interface ZstdKernelConfig {
  readonly stageName: string;
  readonly level: number;
  readonly limit: number;
}

/** Compresses (forward) or decompresses (reverse) one chunk with zstd, as `ZstdStageExecutor` does. */
export const zstdKernel: ChunkKernelFactory = (config, direction): ChunkKernel => {
  const { stageName, level, limit } = config as ZstdKernelConfig;
  const codec = new ZstdCodec();
  return {
    async run(chunk, buffers) {
      const chunkCodec = {
        compress: (data: Uint8Array) => codec.compress(data, level, buffers),
        decompress: (data: Uint8Array, length: number) => codec.decompress(data, length, buffers),
      };
      if (direction === 'forward') return { ...chunk, ...(await compressChunk('zstd', stageName, chunk, chunkCodec)) };
      return { ...chunk, data: await decompressChunk('zstd', stageName, chunk, limit, chunkCodec) };
    },
  };
};
