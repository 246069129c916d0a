/**
 * Deterministic pseudo-random bytes (xorshift32) from a seed: incompressible, reproducible.
 *
 * @throws {RangeError} when `size` is not a whole number ≥ 0.
 */
export function randomBytes(size: number, seed = 0x9e3779b9): Uint8Array {
  requireSize(size);
  const bytes = new Uint8Array(size);
  let state = seed >>> 0 || 1;
  for (let index = 0; index < size; index++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    bytes[index] = state & 0xff;
  }
  return bytes;
}

const sampleText =
  'adapipe streams a file through ordered stages: checksum, compress, encrypt, checksum. ' +
  'Restore gives back the original, bit for bit, or refuses with a clear error.\n';

/**
 * Deterministic, highly compressible text-like bytes.
 *
 * @throws {RangeError} when `size` is not a whole number ≥ 0.
 */
export function compressibleBytes(size: number): Uint8Array {
  requireSize(size);
  const bytes = new Uint8Array(size);
  const pattern = new TextEncoder().encode(sampleText);
  for (let index = 0; index < size; index++) {
    bytes[index] = pattern[index % pattern.length]!;
  }
  return bytes;
}

function requireSize(size: number): void {
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new RangeError(`size must be a whole number >= 0, found ${size}`);
  }
}
