import { createHash } from 'node:crypto';
import { loadBlake3 } from '@adapipe/core/kernel';
import { parseChecksumAlgorithm } from './checksum-algorithm.js';

/**
 * The digest of one buffer, in one call: SHA-2 from `node:crypto`, BLAKE3 native (hash-wasm where
 * the platform has no native binary).
 *
 * @throws {TypeError|RangeError} when `algorithm` names no supported algorithm.
 * @example
 * ```ts
 * const digest = await computeDigest('sha256', new Uint8Array(0)); // e3b0c442…
 * ```
 */
export async function computeDigest(algorithm: string, data: Uint8Array): Promise<Uint8Array> {
  const canonical = parseChecksumAlgorithm(algorithm);
  if (canonical === 'blake3') return (await loadBlake3()).digest(data);
  return Uint8Array.from(createHash(canonical).update(data).digest());
}
