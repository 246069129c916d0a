import { describe, expect, it } from 'vitest';
import { GiB, KiB, MiB } from './byte-size.js';
import { ChunkSizePolicy } from './chunk-size-policy.js';

describe('ChunkSizePolicy', () => {
  const policy = ChunkSizePolicy.default();

  it.each([
    [0, MiB],
    [10 * MiB - 1, MiB],
    [10 * MiB, 4 * MiB],
    [100 * MiB, 4 * MiB],
    [100 * MiB + 1, 4 * MiB],
    [GiB, 4 * MiB],
    [GiB + 1, 4 * MiB],
    [64 * GiB, 4 * MiB],
  ])('a %d-byte input gets %d-byte chunks', (size, expected) => {
    expect(policy.chunkSizeFor(size)).toBe(expected);
  });

  it('gives inputs of unknown size (a pipe) the chunk size of large inputs', () => {
    expect(policy.chunkSizeFor(undefined)).toBe(4 * MiB);
  });

  it('lets an explicit, valid chunk size win', () => {
    expect(policy.chunkSizeFor(GiB * 4, 64 * KiB)).toBe(64 * KiB);
    expect(() => policy.chunkSizeFor(10, 100)).toThrow(expect.objectContaining({ kind: 'InvalidConfiguration' }));
  });

  it('validates custom bands', () => {
    expect(() => new ChunkSizePolicy([{ maxFileSize: 10, chunkSize: 10 }], MiB)).toThrow(/between 1KB and 100MB/);
    expect(
      () =>
        new ChunkSizePolicy(
          [
            { maxFileSize: 100, chunkSize: KiB },
            { maxFileSize: 50, chunkSize: KiB },
          ],
          MiB,
        ),
    ).toThrow('Chunk size bands must be sorted by increasing maxFileSize');
  });
});
