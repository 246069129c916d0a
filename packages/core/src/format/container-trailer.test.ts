import { describe, expect, it } from 'vitest';
import { thrownBy } from '../testing/pipeline-error-of.js';
import { type ContainerTrailer, decodeContainerTrailer, encodeContainerTrailer, trailerAttributes } from './container-trailer.js';

const base: ContainerTrailer = { chunkCount: 2, originalSize: 1026, digest: 'ab'.repeat(32), name: 'report.txt', checksums: { sum: '0f' } };
const encoder = new TextEncoder();
const decoded = (json: object) => decodeContainerTrailer(encoder.encode(JSON.stringify(json)), 'c.adapipe');
const text = (trailer: ContainerTrailer) => new TextDecoder().decode(encodeContainerTrailer(trailer));

describe('container trailer: mode and mtimeMs', () => {
  it('without attributes encodes exactly as before (no key at all) and decodes without them', () => {
    expect(text(base)).toBe(
      `{"chunkCount":2,"originalSize":1026,"digest":"${'ab'.repeat(32)}","name":"report.txt","checksums":{"sum":"0f"}}`,
    );
    const back = decodeContainerTrailer(encodeContainerTrailer(base), 'c');
    expect(back).toEqual(base);
    expect('mode' in back || 'mtimeMs' in back).toBe(false);
    expect(trailerAttributes(back)).toBeUndefined();
  });

  it('round-trips a mode and a fractional mtime exactly, after the other fields', () => {
    const trailer = { ...base, mode: 0o640, mtimeMs: 981173106789.1234 };
    expect(text(trailer)).toMatch(/"checksums":\{"sum":"0f"\},"mode":416,"mtimeMs":981173106789\.1234\}$/);
    const back = decodeContainerTrailer(encodeContainerTrailer(trailer), 'c');
    expect(back).toEqual(trailer);
    expect(trailerAttributes(back)).toEqual({ mode: 0o640, mtimeMs: 981173106789.1234 });
    expect(decoded({ ...base, mode: 0, mtimeMs: 0 })).toMatchObject({ mode: 0, mtimeMs: 0 });
    expect(decoded({ ...base, mode: 0o777, mtimeMs: 8.64e15 })).toMatchObject({ mode: 0o777, mtimeMs: 8.64e15 });
  });

  it.each([
    ['a setuid mode', { mode: 0o4755, mtimeMs: 1 }, /field 'mode' must be a whole number from 0 to 0o777/],
    ['a sticky mode', { mode: 0o1777, mtimeMs: 1 }, /field 'mode'/],
    ['a negative mode', { mode: -1, mtimeMs: 1 }, /field 'mode'/],
    ['a fractional mode', { mode: 420.5, mtimeMs: 1 }, /field 'mode'/],
    ['a mode as text', { mode: '644', mtimeMs: 1 }, /field 'mode'/],
    ['a null mode', { mode: null, mtimeMs: 1 }, /field 'mode'/],
    ['a negative mtime', { mode: 0o644, mtimeMs: -1 }, /field 'mtimeMs' must be a finite number/],
    ['an mtime as text', { mode: 0o644, mtimeMs: '1' }, /field 'mtimeMs'/],
    ['an mtime beyond a Date', { mode: 0o644, mtimeMs: 8.64e15 + 1 }, /field 'mtimeMs'/],
    ['a mode without mtime', { mode: 0o644 }, /field 'mtimeMs' is missing/],
    ['an mtime without mode', { mtimeMs: 5 }, /field 'mode' is missing/],
  ])('rejects %s as CorruptContainer naming the field', (_what, fields, message) => {
    const error = thrownBy(() => decoded({ ...base, ...fields }), 'CorruptContainer');
    expect(error.message).toMatch(/^c\.adapipe: trailer /);
    expect(error.message).toMatch(message);
  });

  it('rejects an infinite mtime (1e400 in the JSON)', () => {
    const json = text(base).replace(/\}$/, ',"mode":420,"mtimeMs":1e400}');
    expect(thrownBy(() => decodeContainerTrailer(encoder.encode(json), 'c'), 'CorruptContainer').message).toMatch(/field 'mtimeMs'/);
  });

  it('refuses to encode one attribute without the other', () => {
    thrownBy(() => encodeContainerTrailer({ ...base, mode: 0o644 }), 'Internal');
  });
});
