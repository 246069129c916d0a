import { describe, expect, it } from 'vitest';
import { decodeChunkMetadata, encodeChunkMetadata } from './chunk-metadata-codec.js';

describe('chunk metadata', () => {
  it('decodes values into buffers of their own, even from a view of a large Buffer (whose slice is a view)', () => {
    const encoded = encodeChunkMetadata(
      new Map([
        ['digest', Uint8Array.of(1, 2, 3)],
        ['length', Uint8Array.of(4)],
      ]),
    );
    const block = Buffer.alloc(1 << 20);
    block.set(encoded, 1000);
    const decoded = decodeChunkMetadata(block.subarray(1000, 1000 + encoded.length), 'test');
    expect([...decoded].map(([name, value]) => [name, [...value], value.buffer.byteLength])).toEqual([
      ['digest', [1, 2, 3], 3],
      ['length', [4], 1],
    ]);
    block.fill(0);
    expect([...decoded.get('digest')!]).toEqual([1, 2, 3]);
  });
});
