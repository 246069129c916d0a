import { randomBytes } from '@adapipe/core/testing';
import { describe, expect, it } from 'vitest';
import { computeDigest } from './compute-digest.js';
import { createDigest } from './create-digest.js';
import { blake3Vectors } from './test-support/blake3-vectors.js';
import { patternBytes, split, toHex } from './test-support/pattern-bytes.js';
import { systemDigest, systemTool } from './test-support/system-digest.js';

const sizes = [0, 1, 1025, 3 * 65536, 5 * 65536 + 17];

describe.each(['sha256', 'sha512'] as const)('%s digests equal the system tool', (algorithm) => {
  it.each(sizes)('on %i bytes, in one call and streamed in uneven pieces', async (size) => {
    const data = randomBytes(size, size + 3);
    const expected = systemDigest(systemTool(algorithm), data);
    expect(toHex(await computeDigest(algorithm, data))).toBe(expected);
    const running = await createDigest(algorithm);
    for (const piece of split(data, 40_000)) running.update(piece);
    expect(toHex(running.digest())).toBe(expected);
  });
});

describe('blake3 digests equal b3sum', () => {
  it.each(blake3Vectors.map((vector) => [vector.name, vector] as const))('%s', async (_name, vector) => {
    const data = patternBytes(vector.length);
    expect(toHex(await computeDigest('blake3', data))).toBe(vector.digest);
    const running = await createDigest('b3');
    for (const piece of split(data, 1000)) running.update(piece);
    expect(toHex(running.digest())).toBe(vector.digest);
  });
});

describe('createDigest', () => {
  it('reports its algorithm and digest size', async () => {
    const running = await createDigest('SHA-512');
    expect([running.algorithm, running.digestSize]).toEqual(['sha512', 64]);
    expect(running.digest()).toHaveLength(64);
  });

  it.each(['sha256', 'blake3'])('%s refuses to be used after digest()', async (algorithm) => {
    const running = await createDigest(algorithm);
    running.update(Uint8Array.of(1));
    running.digest();
    expect(() => running.update(Uint8Array.of(2))).toThrow(`The ${algorithm} digest was already finished`);
    expect(() => running.digest()).toThrow('already finished');
  });

  it('gives every caller its own state', async () => {
    const [a, b] = await Promise.all([createDigest('blake3'), createDigest('blake3')]);
    a.update(patternBytes(1025));
    expect(toHex(b.digest())).toBe(blake3Vectors.find((vector) => vector.length === 0)!.digest);
    expect(toHex(a.digest())).toBe(blake3Vectors.find((vector) => vector.length === 1025)!.digest);
  });

  it('rejects an unknown algorithm', async () => {
    await expect(createDigest('crc32')).rejects.toThrow(RangeError);
    await expect(computeDigest('crc32', Uint8Array.of())).rejects.toThrow("found 'crc32'");
  });
});
