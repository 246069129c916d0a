import { describe, expect, it } from 'vitest';
import { closestName } from './closest-name.js';

describe('closestName', () => {
  const names = ['compression:zstd', 'compression:gzip', 'compression:lz4', 'transform:tee'];

  it('suggests the nearest candidate within two edits, ignoring case', () => {
    expect(closestName('compression:zstdd', names)).toBe('compression:zstd');
    expect(closestName('Compression:GZIP2', names)).toBe('compression:gzip');
    expect(closestName('transform:te', names)).toBe('transform:tee');
  });

  it('suggests nothing for a far name or an exact one', () => {
    expect(closestName('encryption:aes', names)).toBeUndefined();
    expect(closestName('compression:zstd', names)).toBeUndefined();
    expect(closestName('x', [])).toBeUndefined();
    expect(closestName('Algorithm', ['algorithm'])).toBe('algorithm');
  });

  it('prefers the closer of two candidates', () => {
    expect(closestName('lz5', ['lz4', 'lz44'])).toBe('lz4');
  });
});
