import { requireSequenceNumber } from './chunk-nonce.js';

/** The ASCII label every chunk's associated data starts with. */
export const CHUNK_AD_LABEL = 'adapipe-chunk-v1';

const label = new TextEncoder().encode(CHUNK_AD_LABEL);
const empty = new Uint8Array(0);

/**
 * The associated data of one chunk: ASCII `adapipe-chunk-v1` ‖ u64be(sequenceNumber) ‖
 * u8(isFinal) ‖ `binding`. Binds each chunk to its position, its role and (through `binding`, the
 * container's header digest) to its container, so chunks cannot be reordered, dropped from the end
 * or spliced in from another file without failing authentication.
 *
 * @param binding the container's record binding (`ContainerSealing.recordBinding`), empty outside a container.
 * @throws {RangeError} when `sequenceNumber` is not a whole number ≥ 0.
 * @example
 * ```ts
 * chunkAssociatedData(0, true).length === 16 + 8 + 1;
 * ```
 */
export function chunkAssociatedData(sequenceNumber: number, isFinal: boolean, binding: Uint8Array = empty): Uint8Array {
  requireSequenceNumber(sequenceNumber);
  if (!(binding instanceof Uint8Array)) throw new TypeError('binding must be a Uint8Array');
  const data = new Uint8Array(label.length + 9 + binding.length);
  data.set(label, 0);
  new DataView(data.buffer).setBigUint64(label.length, BigInt(sequenceNumber));
  data[label.length + 8] = isFinal ? 1 : 0;
  data.set(binding, label.length + 9);
  return data;
}
