import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { chunkKeyInfo, deriveRunKeys, HEADER_MAC_INFO, hkdfSha256 } from './derive-run-keys.js';

const fromHex = (text: string) => Uint8Array.from(Buffer.from(text, 'hex'));
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const utf8 = (text: string) => new TextEncoder().encode(text);

describe('hkdfSha256', () => {
  it('reproduces RFC 5869 Appendix A.1 (Test Case 1, basic SHA-256)', () => {
    const okm = hkdfSha256(new Uint8Array(22).fill(0x0b), fromHex('000102030405060708090a0b0c'), fromHex('f0f1f2f3f4f5f6f7f8f9'), 42);
    expect(hex(okm)).toBe('3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865');
  });

  it('reproduces RFC 5869 Appendix A.3 (Test Case 3, empty salt and info)', () => {
    const okm = hkdfSha256(new Uint8Array(22).fill(0x0b), new Uint8Array(0), new Uint8Array(0), 42);
    expect(hex(okm)).toBe('8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8');
  });

  it('refuses a length HKDF-SHA-256 cannot produce', () => {
    expect(() => hkdfSha256(new Uint8Array(32), new Uint8Array(32), 'x', 8161)).toThrow(RangeError);
    expect(() => hkdfSha256(new Uint8Array(32), new Uint8Array(32), 'x', 0)).toThrow(RangeError);
  });
});

describe('deriveRunKeys', () => {
  it('derives the chunk key and the header key with the documented info strings (checked with @noble/hashes)', () => {
    const master = randomBytes(32);
    const salt = randomBytes(32);
    const keys = deriveRunKeys(master, salt, 'aes-gcm');
    expect(chunkKeyInfo('aes-gcm')).toBe('adapipe/v1/chunk-key/aes-256-gcm');
    expect(HEADER_MAC_INFO).toBe('adapipe/v1/header-mac');
    expect(hex(keys.chunkKey)).toBe(hex(hkdf(sha256, master, salt, utf8('adapipe/v1/chunk-key/aes-256-gcm'), 32)));
    expect(hex(keys.headerAuthenticationKey)).toBe(hex(hkdf(sha256, master, salt, utf8('adapipe/v1/header-mac'), 32)));
  });

  it('gives each algorithm its own chunk key and keeps the header key independent of it', () => {
    const master = randomBytes(32);
    const salt = randomBytes(32);
    const all = ['aes-256-gcm', 'chacha20-poly1305', 'xchacha20-poly1305'].map((algorithm) => deriveRunKeys(master, salt, algorithm));
    expect(new Set(all.map((keys) => hex(keys.chunkKey))).size).toBe(3);
    expect(new Set(all.map((keys) => hex(keys.headerAuthenticationKey))).size).toBe(1);
    expect(hex(all[0]!.chunkKey)).not.toBe(hex(all[0]!.headerAuthenticationKey));
    expect(hex(deriveRunKeys(master, randomBytes(32), 'aes-256-gcm').chunkKey)).not.toBe(hex(all[0]!.chunkKey));
  });

  it('refuses a master key that is not 32 bytes', () => {
    expect(() => deriveRunKeys(new Uint8Array(31), new Uint8Array(32), 'aes-256-gcm')).toThrow(
      new RangeError('masterKey must be 32 bytes, found 31'),
    );
  });

  it('never shows the keys when inspected, printed or serialised', () => {
    const keys = deriveRunKeys(randomBytes(32), randomBytes(32), 'chacha20');
    for (const shown of [inspect(keys, { depth: 10, showHidden: true }), JSON.stringify(keys), String(keys.chunkKey)]) {
      expect(shown).not.toContain(hex(keys.chunkKey));
      expect(shown).not.toContain(hex(keys.headerAuthenticationKey));
      expect(shown).toContain('redacted');
    }
  });
});
