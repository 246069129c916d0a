/** `length` bytes where byte i is `i % 251`: the input of the official BLAKE3 test vectors. */
export function patternBytes(length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, index) => index % 251);
}

/** Splits `data` into pieces of `size` bytes (the last may be shorter; none for empty data). */
export function split(data: Uint8Array, size: number): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  for (let offset = 0; offset < data.length; offset += size) pieces.push(data.subarray(offset, offset + size));
  return pieces;
}

/** Hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}
