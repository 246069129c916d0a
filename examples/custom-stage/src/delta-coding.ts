/**
 * Byte-wise delta encoding: `out[i] = data[i] - data[i - stride]` (mod 256); the first `stride`
 * bytes are copied. Smooth data (audio samples, sorted integers, gradients) turns into small,
 * repetitive values that a later compression stage packs much better. Returns a new array.
 *
 * @example
 * ```ts
 * deltaEncode(Uint8Array.of(10, 11, 13, 16), 1); // [10, 1, 2, 3]
 * ```
 */
export function deltaEncode(data: Uint8Array, stride: number): Uint8Array {
  const out = new Uint8Array(data.length);
  const head = Math.min(stride, data.length);
  out.set(data.subarray(0, head));
  for (let index = head; index < data.length; index++) out[index] = data[index]! - data[index - stride]!;
  return out;
}

/**
 * Undoes {@link deltaEncode} with the same `stride`: `out[i] = data[i] + out[i - stride]` (mod 256).
 * Returns a new array.
 *
 * @example
 * ```ts
 * deltaDecode(Uint8Array.of(10, 1, 2, 3), 1); // [10, 11, 13, 16]
 * ```
 */
export function deltaDecode(data: Uint8Array, stride: number): Uint8Array {
  const out = data.slice();
  for (let index = stride; index < out.length; index++) out[index] = out[index]! + out[index - stride]!;
  return out;
}
