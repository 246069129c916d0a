import { createHash } from 'node:crypto';
import { parseChecksumAlgorithm } from './checksum-algorithm.js';

/**
 * The digest of one buffer, in one call: SHA-2 from `node:crypto`, BLAKE3 from hash-wasm.
 *
 * @throws {TypeError|RangeError} when `algorithm` names no supported algorithm.
 * @example
 * ```ts
 * const digest = await computeDigest('sha256', new Uint8Array(0)); // e3b0c442…
 * ```
 */
export async function computeDigest(algorithm: string, data: Uint8Array): Promise<Uint8Array> {
  const canonical = parseChecksumAlgorithm(algorithm);
  if (canonical === 'blake3') return Uint8Array.from(Buffer.from(await (await import('hash-wasm')).blake3(data, 256), 'hex'));
  return Uint8Array.from(createHash(canonical).update(data).digest());
}
