import { createHash } from 'node:crypto';
import type { ContainerDigestAlgorithm } from '../format/container-header.js';
import { loadBlake3 } from './blake3-backend.js';

/** A running digest of a container's original: `update` in order, then `hex` once. */
export interface WholeFileDigest {
  update(data: Uint8Array): void;
  /** The digest, lowercase hex. */
  hex(): string;
}

/**
 * A running whole-file digest in `algorithm`, for a run whose first stage does not record one: SHA-256
 * from `node:crypto`, BLAKE3 native (hash-wasm where the platform has no binary, see {@link loadBlake3}).
 */
export async function createWholeFileDigest(algorithm: ContainerDigestAlgorithm): Promise<WholeFileDigest> {
  if (algorithm === 'sha256') {
    const hash = createHash('sha256');
    return { update: (data) => void hash.update(data), hex: () => hash.digest('hex') };
  }
  const hasher = await (await loadBlake3()).createHasher();
  return { update: (data) => hasher.update(data), hex: () => Buffer.from(hasher.digest()).toString('hex') };
}
