import { describe, expect, it } from 'vitest';
import { aeadAlgorithmInfo, aeadAlgorithms } from './aead-algorithm.js';

describe('aeadAlgorithmInfo', () => {
  it.each([
    ['aes-256-gcm', 'aes-256-gcm', 12],
    ['AES256GCM', 'aes-256-gcm', 12],
    ['aes-gcm', 'aes-256-gcm', 12],
    ['chacha20', 'chacha20-poly1305', 12],
    ['ChaCha20-Poly1305', 'chacha20-poly1305', 12],
    ['xchacha20', 'xchacha20-poly1305', 24],
    [' xchacha20-poly1305 ', 'xchacha20-poly1305', 24],
  ])('resolves %s to %s with a %i-byte nonce', (name, algorithm, nonceLength) => {
    expect(aeadAlgorithmInfo(name)).toMatchObject({ algorithm, nonceLength });
  });

  it('lists every accepted name when the name is unknown', () => {
    expect(() => aeadAlgorithmInfo('aes-128-gcm')).toThrow(
      new RangeError(
        "algorithm must be one of aes-256-gcm, aes256gcm, aes-gcm, chacha20-poly1305, chacha20, xchacha20-poly1305, xchacha20, found 'aes-128-gcm'",
      ),
    );
  });

  it('serves exactly the three algorithms, frozen', () => {
    expect(aeadAlgorithms.map((info) => info.algorithm)).toEqual(['aes-256-gcm', 'chacha20-poly1305', 'xchacha20-poly1305']);
    expect(Object.isFrozen(aeadAlgorithms)).toBe(true);
    expect(Object.isFrozen(aeadAlgorithms[0])).toBe(true);
  });
});
