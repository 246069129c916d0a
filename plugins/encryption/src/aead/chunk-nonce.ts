/**
 * The nonce of one chunk: the chunk's sequence number as a big-endian counter filling every byte
 * but the last, and a last byte of `0x01` for the final chunk or `0x00` otherwise. Unique per
 * chunk under one key, and a final chunk cannot pass for a middle one (or the other way round).
 *
 * @param nonceLength 12 for AES-256-GCM and ChaCha20-Poly1305, 24 for XChaCha20-Poly1305.
 * @throws {RangeError} when `nonceLength` is not 12 or 24, or `sequenceNumber` is not a whole
 * number ≥ 0 (at most `Number.MAX_SAFE_INTEGER`).
 * @example
 * ```ts
 * chunkNonce(12, 1, true); // 00 00 00 00 00 00 00 00 00 00 01 | 01
 * ```
 */
export function chunkNonce(nonceLength: number, sequenceNumber: number, isFinal: boolean): Uint8Array {
  if (nonceLength !== 12 && nonceLength !== 24) {
    throw new RangeError(`nonceLength must be 12 or 24, found ${nonceLength}`);
  }
  requireSequenceNumber(sequenceNumber);
  const nonce = new Uint8Array(nonceLength);
  new DataView(nonce.buffer).setBigUint64(nonceLength - 9, BigInt(sequenceNumber));
  nonce[nonceLength - 1] = isFinal ? 0x01 : 0x00;
  return nonce;
}

/** @throws {RangeError} when `sequenceNumber` is not a whole number ≥ 0. Internal. */
export function requireSequenceNumber(sequenceNumber: number): void {
  if (!Number.isSafeInteger(sequenceNumber) || sequenceNumber < 0) {
    throw new RangeError(`sequenceNumber must be a whole number >= 0, found ${sequenceNumber}`);
  }
}
