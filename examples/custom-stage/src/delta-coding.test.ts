import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deltaDecode, deltaEncode } from './delta-coding.js';

describe('deltaEncode / deltaDecode', () => {
  it('stores differences to the byte `stride` places back, modulo 256', () => {
    expect([...deltaEncode(Uint8Array.of(10, 11, 13, 16, 0), 1)]).toEqual([10, 1, 2, 3, 240]);
    expect([...deltaEncode(Uint8Array.of(1, 200, 3, 202, 6, 204), 2)]).toEqual([1, 200, 2, 2, 3, 2]);
    expect([...deltaEncode(Uint8Array.of(5, 6), 16)]).toEqual([5, 6]);
    expect([...deltaEncode(new Uint8Array(0), 3)]).toEqual([]);
  });

  it('decodes what it encodes, for every stride, and leaves its input alone', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 1, max: 16 }), (data, stride) => {
        const copy = data.slice();
        const encoded = deltaEncode(data, stride);
        expect(data).toEqual(copy);
        expect(deltaDecode(encoded, stride)).toEqual(data);
      }),
    );
  });

  it('turns a smooth ramp into a run of equal small values', () => {
    const ramp = Uint8Array.from({ length: 256 }, (_, index) => index * 3);
    expect(new Set(deltaEncode(ramp, 1).subarray(1))).toEqual(new Set([3]));
  });
});
