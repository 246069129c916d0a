/**
 * The checksum plugin's chunk kernel (`@adapipe/plugin-checksum/kernels`), loaded by the chunk
 * engine on its worker threads: the per-chunk digest of a checksum stage.
 */
import type { ChunkKernel, ChunkKernelFactory } from '@adapipe/core/kernel';
import type { ChecksumAlgorithm } from './checksum-algorithm.js';
import { checkChunkDigest, withChunkDigest } from './checksum-chunk.js';

/** What {@link checksumKernel} needs: the stage's name (its metadata key) and algorithm. */
export interface ChecksumKernelConfig {
  readonly stageName: string;
  readonly algorithm: ChecksumAlgorithm;
}

/** Records (forward) or checks (reverse) one chunk's digest; the data passes on unchanged. */
export const checksumKernel: ChunkKernelFactory = (config, direction): ChunkKernel => {
  const { stageName, algorithm } = config as ChecksumKernelConfig;
  return {
    async run(chunk) {
      if (direction === 'forward') return { ...chunk, metadata: await withChunkDigest(stageName, algorithm, chunk) };
      await checkChunkDigest(stageName, algorithm, chunk);
      return chunk;
    },
  };
};
