/**
 * The encryption plugin's chunk kernels (`@adapipe/plugin-encryption/kernels`), loaded by the chunk
 * engine on its worker threads: sealing and opening chunks with the run's chunk key.
 */
import type { ChunkKernel, ChunkKernelFactory } from '@adapipe/core/kernel';
import { aeadAlgorithmInfo, type AeadAlgorithm } from './aead/aead-algorithm.js';
import { openChunk, sealChunk } from './encryption-chunk.js';

/** What {@link aeadKernel} needs; `key` is this thread's copy of the run's chunk key, wiped by `dispose`. */
export interface AeadKernelConfig {
  readonly algorithm: AeadAlgorithm;
  readonly key: Uint8Array;
  readonly binding: Uint8Array | undefined;
  readonly label: string;
}

/** Seals (forward) or opens (reverse) one chunk, as `EncryptionStageExecutor` does. */
export const aeadKernel: ChunkKernelFactory = (config, direction): ChunkKernel => {
  const { algorithm, key, binding, label } = config as AeadKernelConfig;
  const info = aeadAlgorithmInfo(algorithm);
  return {
    run(chunk, buffers) {
      if (direction === 'forward') return { ...chunk, data: sealChunk(info, key, binding, chunk, buffers), metadata: new Map() };
      return { ...chunk, ...openChunk(info, key, binding, chunk, label) };
    },
    dispose() {
      key.fill(0);
    },
  };
};
