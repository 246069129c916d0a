import { describe, expect, it } from 'vitest';
import { chunkNonce } from './chunk-nonce.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('chunkNonce', () => {
  it('puts the big-endian counter in all but the last byte and the final flag last', () => {
    expect(hex(chunkNonce(12, 0, false))).toBe('000000000000000000000000');
    expect(hex(chunkNonce(12, 1, true))).toBe('000000000000000000000101');
    expect(hex(chunkNonce(12, 0x0102030405, false))).toBe('000000000000010203040500');
    expect(hex(chunkNonce(12, Number.MAX_SAFE_INTEGER, true))).toBe('000000001fffffffffffff01');
  });

  it('fills 23 counter bytes for the 24-byte XChaCha20 nonce', () => {
    expect(hex(chunkNonce(24, 258, true))).toBe(`${'00'.repeat(21)}010201`);
    expect(chunkNonce(24, 7, false)).toHaveLength(24);
  });

  it('never repeats across sequence numbers and final flags', () => {
    const seen = new Set<string>();
    for (let sequence = 0; sequence < 600; sequence++) {
      for (const isFinal of [false, true]) seen.add(hex(chunkNonce(12, sequence, isFinal)));
    }
    expect(seen.size).toBe(1200);
  });

  it('refuses a bad length or sequence number with a RangeError', () => {
    expect(() => chunkNonce(16, 0, false)).toThrow(new RangeError('nonceLength must be 12 or 24, found 16'));
    expect(() => chunkNonce(12, -1, false)).toThrow(RangeError);
    expect(() => chunkNonce(12, 1.5, false)).toThrow(RangeError);
    expect(() => chunkNonce(12, 2 ** 53, false)).toThrow('sequenceNumber must be a whole number >= 0');
  });
});
