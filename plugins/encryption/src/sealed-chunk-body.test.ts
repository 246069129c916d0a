import { describe, expect, it } from 'vitest';
import { decodeSealedBody, encodeSealedBody } from './sealed-chunk-body.js';

describe('sealed chunk body', () => {
  it('round trips metadata and data', () => {
    const metadata = new Map([
      ['input-checksum', Uint8Array.of(1, 2, 3)],
      ['compress', Uint8Array.of(0, 0, 4, 0)],
    ]);
    const body = encodeSealedBody(metadata, Uint8Array.of(9, 8, 7));
    const decoded = decodeSealedBody(body, 'chunk 0');
    expect([...decoded.data]).toEqual([9, 8, 7]);
    expect(new Map([...decoded.metadata].map(([k, v]) => [k, [...v]]))).toEqual(
      new Map([
        ['input-checksum', [1, 2, 3]],
        ['compress', [0, 0, 4, 0]],
      ]),
    );
  });

  it('rejects a body whose metadata length overruns it', () => {
    expect(() => decodeSealedBody(Uint8Array.of(0, 0, 0, 9, 0), 'chunk 2')).toThrow(
      expect.objectContaining({ kind: 'CorruptContainer', message: 'chunk 2: sealed body is malformed (metadata length 9 for 5 bytes)' }),
    );
    expect(() => decodeSealedBody(Uint8Array.of(0, 0), 'chunk 2')).toThrow(/malformed/);
  });
});
