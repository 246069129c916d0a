/** Bytes in the metadata entry a compression stage records per chunk. */
export const UNCOMPRESSED_LENGTH_BYTES = 4;

/**
 * Encodes a chunk's uncompressed length as the stage's metadata entry: 4 bytes, unsigned,
 * big-endian.
 *
 * @throws {RangeError} when `length` is not a whole number from 0 to 2^32 - 1.
 */
export function encodeUncompressedLength(length: number): Uint8Array {
  if (!Number.isInteger(length) || length < 0 || length > 0xffff_ffff) {
    throw new RangeError(`uncompressed length must be a whole number from 0 to 4294967295, found ${length}`);
  }
  const bytes = new Uint8Array(UNCOMPRESSED_LENGTH_BYTES);
  new DataView(bytes.buffer).setUint32(0, length, false);
  return bytes;
}

/**
 * Decodes a metadata entry written by {@link encodeUncompressedLength}; `undefined` when the
 * entry is missing or not exactly 4 bytes.
 */
export function decodeUncompressedLength(bytes: Uint8Array | undefined): number | undefined {
  if (bytes === undefined || bytes.length !== UNCOMPRESSED_LENGTH_BYTES) return undefined;
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, false);
}
