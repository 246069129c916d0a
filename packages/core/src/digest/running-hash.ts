import { createHash } from 'node:crypto';
import { loadBlake3 } from './blake3-backend.js';

/** A running hash over data fed in order: `update` any number of times, then `digest` once. */
export interface RunningHash {
  update(data: Uint8Array): void;
  digest(): Uint8Array;
}

/** The hash algorithms {@link createRunningHash} computes. */
export type RunningHashAlgorithm = 'sha256' | 'sha512' | 'blake3';

/**
 * A running `algorithm` hash: SHA-2 from `node:crypto`, BLAKE3 native (hash-wasm where the platform
 * has no binary, see {@link loadBlake3}). Core's whole-file digest and the checksum plugin use it.
 */
export async function createRunningHash(algorithm: RunningHashAlgorithm): Promise<RunningHash> {
  if (algorithm === 'blake3') return (await loadBlake3()).createHasher();
  const hash = createHash(algorithm);
  return { update: (data) => void hash.update(data), digest: () => new Uint8Array(hash.digest()) };
}
