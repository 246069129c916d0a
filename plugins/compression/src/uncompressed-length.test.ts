import { describe, expect, it } from 'vitest';
import { decodeUncompressedLength, encodeUncompressedLength } from './uncompressed-length.js';

describe('uncompressed length metadata', () => {
  it('is 4 bytes, unsigned, big-endian', () => {
    expect([...encodeUncompressedLength(0)]).toEqual([0, 0, 0, 0]);
    expect([...encodeUncompressedLength(0x0102_0304)]).toEqual([1, 2, 3, 4]);
    expect([...encodeUncompressedLength(0xffff_ffff)]).toEqual([0xff, 0xff, 0xff, 0xff]);
  });

  it('round trips, also from a view into a larger buffer', () => {
    for (const length of [0, 1, 65_536, 104_857_600, 0xffff_ffff]) {
      expect(decodeUncompressedLength(encodeUncompressedLength(length))).toBe(length);
    }
    expect(decodeUncompressedLength(Uint8Array.of(9, 0, 0, 1, 0, 9).subarray(1, 5))).toBe(256);
  });

  it('decodes a missing or wrongly sized entry as undefined', () => {
    expect(decodeUncompressedLength(undefined)).toBeUndefined();
    expect(decodeUncompressedLength(new Uint8Array(3))).toBeUndefined();
    expect(decodeUncompressedLength(new Uint8Array(5))).toBeUndefined();
  });

  it.each([-1, 1.5, 2 ** 32, Number.NaN])('refuses to encode %d', (length) => {
    expect(() => encodeUncompressedLength(length)).toThrow(RangeError);
  });
});
