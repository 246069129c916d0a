import { thrownBy } from '@adapipe/core/testing';
import { randomBytes } from 'node:crypto';
import { gcm } from '@noble/ciphers/aes.js';
import { chacha20poly1305, xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { describe, expect, it } from 'vitest';
import { open, seal } from './aead.js';
import { aeadAlgorithms, type AeadAlgorithm } from './aead-algorithm.js';

const hex = (text: string) => Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
const toHex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const sunscreen = new TextEncoder().encode(
  "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.",
);
const key80 = hex('808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f');

/** Published known-answer vectors; the source of each is named in `source`. */
const knownAnswers: ReadonlyArray<{
  source: string;
  algorithm: AeadAlgorithm;
  key: Uint8Array;
  nonce: Uint8Array;
  ad: Uint8Array;
  plaintext: Uint8Array;
  sealed: string;
}> = [
  {
    source: 'McGrew & Viega, "The Galois/Counter Mode of Operation (GCM)", Test Case 16 (AES-256, 96-bit IV, AAD)',
    algorithm: 'aes-256-gcm',
    key: hex('feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308'),
    nonce: hex('cafebabefacedbaddecaf888'),
    ad: hex('feedfacedeadbeeffeedfacedeadbeefabaddad2'),
    plaintext: hex(
      'd9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39',
    ),
    sealed:
      '522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662' +
      '76fc6ece0f4e1768cddf8853bb2d551b',
  },
  {
    source: 'RFC 8439 §2.8.2 (ChaCha20-Poly1305 AEAD example)',
    algorithm: 'chacha20-poly1305',
    key: key80,
    nonce: hex('070000004041424344454647'),
    ad: hex('50515253c0c1c2c3c4c5c6c7'),
    plaintext: sunscreen,
    sealed:
      'd31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36' +
      '92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc3ff4def08e4b7a9de576d26586cec64b6116' +
      '1ae10b594f09e26a7e902ecbd0600691',
  },
  {
    source: 'draft-irtf-cfrg-xchacha-03 §A.3.1 (AEAD_XChaCha20_Poly1305 example)',
    algorithm: 'xchacha20-poly1305',
    key: key80,
    nonce: hex('404142434445464748494a4b4c4d4e4f5051525354555657'),
    ad: hex('50515253c0c1c2c3c4c5c6c7'),
    plaintext: sunscreen,
    sealed:
      'bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b452' +
      '2f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff921f9664c97637da9768812f615c68b13b52e' +
      'c0875924c1c7987947deafd8780acf49',
  },
];

const noble: Record<AeadAlgorithm, (key: Uint8Array, nonce: Uint8Array, ad: Uint8Array) => { encrypt(p: Uint8Array): Uint8Array }> = {
  'aes-256-gcm': gcm,
  'chacha20-poly1305': chacha20poly1305,
  'xchacha20-poly1305': xchacha20poly1305,
};

describe('seal and open', () => {
  it.each(knownAnswers)('reproduce $source', ({ algorithm, key, nonce, ad, plaintext, sealed }) => {
    expect(toHex(seal(algorithm, key, nonce, plaintext, ad))).toBe(sealed);
    expect(toHex(open(algorithm, key, nonce, hex(sealed), ad))).toBe(toHex(plaintext));
  });

  describe.each(aeadAlgorithms.map((info) => [info.algorithm, info.nonceLength] as const))('%s', (algorithm, nonceLength) => {
    it('matches @noble/ciphers byte for byte (same key, nonce, AAD)', () => {
      for (const size of [0, 1, 15, 16, 17, 63, 64, 65, 1000, 65_537]) {
        const key = randomBytes(32);
        const nonce = randomBytes(nonceLength);
        const ad = randomBytes(size % 41);
        const plaintext = randomBytes(size);
        const ours = seal(algorithm, key, nonce, plaintext, ad);
        expect(toHex(ours)).toBe(toHex(noble[algorithm](key, nonce, ad).encrypt(plaintext)));
        expect(toHex(open(algorithm, key, nonce, ours, ad))).toBe(toHex(plaintext));
      }
    });

    it('rejects any change to key, nonce, associated data, ciphertext or tag with EncryptionFailed', () => {
      const key = randomBytes(32);
      const nonce = randomBytes(nonceLength);
      const ad = Uint8Array.of(1, 2, 3);
      const sealed = seal(algorithm, key, nonce, randomBytes(100), ad);
      const flip = (bytes: Uint8Array, at: number) => {
        const copy = Uint8Array.from(bytes);
        copy[at] = copy[at]! ^ 1;
        return copy;
      };
      const attempts: Array<() => Uint8Array> = [
        () => open(algorithm, flip(key, 31), nonce, sealed, ad),
        () => open(algorithm, key, flip(nonce, 0), sealed, ad),
        () => open(algorithm, key, nonce, sealed, flip(ad, 2)),
        () => open(algorithm, key, nonce, sealed, ad.subarray(1)),
        () => open(algorithm, key, nonce, flip(sealed, 0), ad),
        () => open(algorithm, key, nonce, flip(sealed, sealed.length - 1), ad),
        () => open(algorithm, key, nonce, sealed.subarray(0, sealed.length - 1), ad),
        () => open(algorithm, key, nonce, sealed.subarray(0, 15), ad),
      ];
      for (const attempt of attempts) {
        expect(attempt).toThrow(expect.objectContaining({ kind: 'EncryptionFailed' }));
      }
      expect(attempts[0]).toThrow(`${algorithm}: authentication failed: wrong key or corrupted data`);
      expect(attempts[7]).toThrow('input of 15 bytes is shorter than the 16-byte authentication tag');
    });

    it('refuses a key or nonce of the wrong length with a RangeError', () => {
      expect(() => seal(algorithm, new Uint8Array(31), new Uint8Array(nonceLength), new Uint8Array(1), new Uint8Array())).toThrow(
        new RangeError('key must be 32 bytes, found 31'),
      );
      expect(() => open(algorithm, new Uint8Array(32), new Uint8Array(nonceLength + 1), new Uint8Array(16), new Uint8Array())).toThrow(
        RangeError,
      );
    });
  });

  it('accepts aliases and leaves the caller key intact for XChaCha20', () => {
    const key = randomBytes(32);
    const before = toHex(key);
    const sealed = seal('XChaCha20', key, new Uint8Array(24), Uint8Array.of(7), new Uint8Array());
    expect(toHex(key)).toBe(before);
    expect([...open('xchacha20-poly1305', key, new Uint8Array(24), sealed, new Uint8Array())]).toEqual([7]);
  });

  it('throws a PipelineError, not a library error, on a failed open', () => {
    thrownBy(() => open('aes-gcm', new Uint8Array(32), new Uint8Array(12), new Uint8Array(40), new Uint8Array()), 'EncryptionFailed');
  });
});
