import { describe, expect, it } from 'vitest';
import { checksumAlgorithms, checksumAlgorithmSpecs, findChecksumAlgorithm, parseChecksumAlgorithm } from './checksum-algorithm.js';

describe('parseChecksumAlgorithm', () => {
  it.each([
    ['sha256', 'sha256'],
    ['SHA-256', 'sha256'],
    [' default ', 'sha256'],
    ['sha512', 'sha512'],
    ['Sha-512', 'sha512'],
    ['blake3', 'blake3'],
    ['B3', 'blake3'],
  ])('reads %j as %s', (name, expected) => {
    expect(parseChecksumAlgorithm(name)).toBe(expected);
  });

  it('rejects an unknown name, listing what is accepted', () => {
    expect(() => parseChecksumAlgorithm('md5')).toThrow(
      new RangeError("algorithm must be one of sha256 (sha-256, default), sha512 (sha-512), blake3 (b3), found 'md5'"),
    );
    expect(findChecksumAlgorithm('sha384')).toBeUndefined();
  });

  it('rejects a value that is not a string, naming the parameter', () => {
    expect(() => parseChecksumAlgorithm(256 as unknown as string, 'options.algorithms[0]')).toThrow(
      new TypeError('options.algorithms[0] must be a string naming a checksum algorithm, found number'),
    );
  });

  it('lists three algorithms with their digest sizes', () => {
    expect(checksumAlgorithms).toEqual(['sha256', 'sha512', 'blake3']);
    expect(checksumAlgorithms.map((algorithm) => checksumAlgorithmSpecs[algorithm].digestSize)).toEqual([32, 64, 32]);
  });
});
