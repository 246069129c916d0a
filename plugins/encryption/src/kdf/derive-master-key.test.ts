import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { argon2id as nobleArgon2id } from '@noble/hashes/argon2.js';
import { scrypt as nobleScrypt } from '@noble/hashes/scrypt.js';
import { describe, expect, it } from 'vitest';
import { deriveMasterKey } from './derive-master-key.js';
import { ARGON2ID_DEFAULTS, type KdfParameters } from './kdf-parameters.js';

const text = (value: string) => new TextEncoder().encode(value);
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const password = (value: string | Uint8Array) => ({ kind: 'password', password: typeof value === 'string' ? text(value) : value }) as const;

describe('deriveMasterKey with argon2id (hash-wasm)', () => {
  // phc-winner-argon2, src/test.c ("Test Argon2id version number: 13"): password "password",
  // salt "somesalt", 32-byte tag, no secret and no associated data.
  it.each([
    [256, 2, 1, '9dfeb910e80bad0311fee20f9c0e2b12c17987b4cac90c2ef54d5b3021c68bfe'],
    [256, 2, 2, '6d093c501fd5999645e0ea3bf620d7b8be7fd2db59c20d9fff9539da2bf57037'],
    [65_536, 2, 1, '09316115d5cf24ed5a15a31a3ba326e5cf32edc24702987c02b6566f61913cf7'],
  ])('reproduces the Argon2 reference vector m=%i t=%i p=%i', async (memoryKib, iterations, parallelism, expected) => {
    const kdf: KdfParameters = { kdf: 'argon2id', memoryKib, iterations, parallelism };
    expect(hex(await deriveMasterKey(password('password'), text('somesalt'), kdf))).toBe(expected);
  });

  it('agrees with @noble/hashes, itself checked against the RFC 9106 §5.3 Argon2id test vector', async () => {
    // RFC 9106 §5.3: P = 32 × 0x01, S = 16 × 0x02, K = 8 × 0x03, X = 12 × 0x04, m = 32, t = 3, p = 4.
    // hash-wasm takes no associated data (X), so the vector checks @noble/hashes, and our
    // derivation is then compared with @noble/hashes at the same costs without K and X.
    const P = new Uint8Array(32).fill(1);
    const S = new Uint8Array(16).fill(2);
    const rfc = nobleArgon2id(P, S, {
      m: 32,
      t: 3,
      p: 4,
      dkLen: 32,
      key: new Uint8Array(8).fill(3),
      personalization: new Uint8Array(12).fill(4),
    });
    expect(hex(rfc)).toBe('0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659');
    for (const [m, t, p] of [
      [32, 3, 4],
      [64, 1, 1],
      [128, 2, 3],
    ] as const) {
      const salt = randomBytes(32);
      const ours = await deriveMasterKey(password(P), salt, { kdf: 'argon2id', memoryKib: m, iterations: t, parallelism: p });
      expect(hex(ours)).toBe(hex(nobleArgon2id(P, salt, { m, t, p, dkLen: 32 })));
    }
  });

  it('defaults to the documented argon2id costs (its time is measured by bench/speed.mjs, not here)', () => {
    expect(ARGON2ID_DEFAULTS).toMatchObject({ memoryKib: 65_536, iterations: 3, parallelism: 4 });
  });
});

describe('deriveMasterKey with scrypt (node:crypto)', () => {
  it('reproduces the RFC 7914 §12 test vector ("pleaseletmein", "SodiumChloride", N=16384, r=8, p=1)', async () => {
    // The RFC lists 64 output bytes; scrypt's PBKDF2 output block 1 does not depend on the length,
    // so the 32-byte master key is its first half.
    const key = await deriveMasterKey(password('pleaseletmein'), text('SodiumChloride'), { kdf: 'scrypt', n: 16_384, r: 8, p: 1 });
    expect(hex(key)).toBe('7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2');
  });

  it('agrees with @noble/hashes', async () => {
    const salt = randomBytes(32);
    const key = await deriveMasterKey(password('pw'), salt, { kdf: 'scrypt', n: 1024, r: 4, p: 2 });
    expect(hex(key)).toBe(hex(nobleScrypt(text('pw'), salt, { N: 1024, r: 4, p: 2, dkLen: 32 })));
  });
});

describe('deriveMasterKey with a raw key', () => {
  it('returns a copy of the key and leaves the caller key intact when the copy is wiped', async () => {
    const key = randomBytes(32);
    const master = await deriveMasterKey({ kind: 'key', key }, randomBytes(32), { kdf: 'none' });
    expect(master).not.toBe(key);
    expect(hex(master)).toBe(hex(key));
    master.fill(0);
    expect(hex(key)).not.toBe('00'.repeat(32));
  });

  it('refuses a 31-byte key', async () => {
    await expect(deriveMasterKey({ kind: 'key', key: new Uint8Array(31) }, randomBytes(32), { kdf: 'none' })).rejects.toThrow(
      new RangeError('a raw key must be exactly 32 bytes, found 31'),
    );
  });
});

describe('deriveMasterKey argument checks', () => {
  const salt = randomBytes(32);
  it.each([
    ['a password with kdf none', password('pw'), salt, { kdf: 'none' }, TypeError],
    ['a key with a password KDF', { kind: 'key', key: randomBytes(32) }, salt, { kdf: 'scrypt', n: 16, r: 1, p: 1 }, TypeError],
    ['an empty password', password(''), salt, { kdf: 'argon2id', memoryKib: 8, iterations: 1, parallelism: 1 }, RangeError],
    ['a 7-byte salt', password('pw'), new Uint8Array(7), { kdf: 'argon2id', memoryKib: 8, iterations: 1, parallelism: 1 }, RangeError],
    ['argon2 memory below 8 x lanes', password('pw'), salt, { kdf: 'argon2id', memoryKib: 31, iterations: 1, parallelism: 4 }, RangeError],
    ['scrypt N not a power of two', password('pw'), salt, { kdf: 'scrypt', n: 1000, r: 1, p: 1 }, RangeError],
    ['scrypt N too large for r', password('pw'), salt, { kdf: 'scrypt', n: 2 ** 16, r: 1, p: 1 }, RangeError],
  ] as const)('refuses %s', async (_name, secret, saltBytes, kdf, errorType) => {
    await expect(deriveMasterKey(secret as never, saltBytes, kdf as KdfParameters)).rejects.toThrow(errorType);
  });

  it('shows a placeholder, not the bytes, when the master key is inspected or printed', async () => {
    const master = await deriveMasterKey(password('pw'), salt, { kdf: 'scrypt', n: 16, r: 1, p: 1 });
    const bytesHex = hex(master);
    for (const shown of [inspect(master), String(master), JSON.stringify({ master }), inspect({ nested: { master } }, { depth: 5 })]) {
      expect(shown).toContain('redacted');
      expect(shown).not.toContain(bytesHex);
      expect(shown).not.toContain(`${String(master[0])}, ${String(master[1])}, ${String(master[2])}`);
    }
  });
});
