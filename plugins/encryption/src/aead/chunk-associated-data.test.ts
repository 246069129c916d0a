import { describe, expect, it } from 'vitest';
import { CHUNK_AD_LABEL, chunkAssociatedData } from './chunk-associated-data.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const labelHex = Buffer.from('adapipe-chunk-v1', 'ascii').toString('hex');

describe('chunkAssociatedData', () => {
  it('is the label, u64be(sequence), u8(final) and the binding bytes', () => {
    expect(CHUNK_AD_LABEL).toBe('adapipe-chunk-v1');
    expect(hex(chunkAssociatedData(0, false))).toBe(`${labelHex}000000000000000000`);
    expect(hex(chunkAssociatedData(0x010203, true, Uint8Array.of(0xaa, 0xbb)))).toBe(`${labelHex}000000000001020301aabb`);
  });

  it('differs for every sequence number, flag and binding', () => {
    const variants = [
      chunkAssociatedData(1, false),
      chunkAssociatedData(2, false),
      chunkAssociatedData(1, true),
      chunkAssociatedData(1, false, Uint8Array.of(0)),
    ].map(hex);
    expect(new Set(variants).size).toBe(4);
  });

  it('refuses a bad sequence number or binding', () => {
    expect(() => chunkAssociatedData(-1, false)).toThrow(RangeError);
    expect(() => chunkAssociatedData(0, false, 'x' as unknown as Uint8Array)).toThrow(new TypeError('binding must be a Uint8Array'));
  });
});
