import { describe, expect, it } from 'vitest';
import { FileChunk } from './file-chunk.js';

describe('FileChunk', () => {
  it('defaults to offset 0, not final, no metadata', () => {
    const chunk = new FileChunk(0, Uint8Array.of(1, 2, 3));
    expect(chunk).toMatchObject({ sequenceNumber: 0, offset: 0, isFinal: false, size: 3 });
    expect(chunk.metadata.size).toBe(0);
  });

  it('keeps identity fields when data or metadata change', () => {
    const chunk = new FileChunk(4, Uint8Array.of(9), { offset: 4096, isFinal: true });
    const next = chunk.withData(Uint8Array.of(1, 2)).withMetadata('input-checksum', Uint8Array.of(7));
    expect(next).toMatchObject({ sequenceNumber: 4, offset: 4096, isFinal: true, size: 2 });
    expect([...next.metadata.get('input-checksum')!]).toEqual([7]);
    expect(chunk.metadata.size).toBe(0);
    expect(Object.isFrozen(next)).toBe(true);
  });

  it('rejects negative or fractional positions and non-byte data', () => {
    expect(() => new FileChunk(-1, new Uint8Array())).toThrow('Chunk sequence number must be a whole number >= 0, found -1');
    expect(() => new FileChunk(0, new Uint8Array(), { offset: 0.5 })).toThrow(/offset/);
    expect(() => new FileChunk(0, [1, 2] as never)).toThrow('Chunk 0 data must be a Uint8Array');
  });
});
