import { randomBytes } from 'node:crypto';
import { PipelineError } from '@adapipe/core';
import { describe, expect, it } from 'vitest';
import {
  encodeEncryptionRunParameters,
  kdfSaltOf,
  parseEncryptionRunParameters,
  type EncryptionRunParameters,
} from './encryption-run-parameters.js';
import { DEFAULT_KDF_CAPS } from './kdf/kdf-parameters.js';

const salt = randomBytes(32);
const saltHex = salt.toString('hex');
const hexOf = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

function failure(run: () => unknown): PipelineError {
  try {
    run();
  } catch (error) {
    if (PipelineError.is(error)) return error;
    throw error;
  }
  throw new Error('expected a PipelineError');
}

describe('encryption run parameters', () => {
  it.each<EncryptionRunParameters>([
    { algorithm: 'aes-256-gcm', kdf: { kdf: 'none' }, salt },
    { algorithm: 'chacha20-poly1305', kdf: { kdf: 'argon2id', memoryKib: 65_536, iterations: 3, parallelism: 4 }, salt },
    { algorithm: 'xchacha20-poly1305', kdf: { kdf: 'scrypt', n: 131_072, r: 8, p: 1 }, salt },
  ])('round trip through strings for kdf $kdf.kdf', (parameters) => {
    const record = encodeEncryptionRunParameters(parameters);
    expect(Object.values(record).every((value) => typeof value === 'string')).toBe(true);
    expect(record.salt).toBe(saltHex);
    const parsed = parseEncryptionRunParameters('encrypt', record);
    expect(parsed.algorithm).toBe(parameters.algorithm);
    expect(parsed.kdf).toEqual(parameters.kdf);
    expect(Buffer.from(parsed.salt).toString('hex')).toBe(saltHex);
  });

  it('records the documented field names', () => {
    expect(
      encodeEncryptionRunParameters({
        algorithm: 'aes-256-gcm',
        kdf: { kdf: 'argon2id', memoryKib: 64, iterations: 2, parallelism: 1 },
        salt,
      }),
    ).toEqual({
      algorithm: 'aes-256-gcm',
      kdf: 'argon2id',
      salt: saltHex,
      argon2_memory_kib: '64',
      argon2_iterations: '2',
      argon2_parallelism: '1',
    });
    expect(encodeEncryptionRunParameters({ algorithm: 'aes-256-gcm', kdf: { kdf: 'scrypt', n: 1024, r: 8, p: 2 }, salt })).toMatchObject({
      kdf: 'scrypt',
      scrypt_n: '1024',
      scrypt_r: '8',
      scrypt_p: '2',
    });
  });

  const argon = {
    algorithm: 'aes-256-gcm',
    kdf: 'argon2id',
    salt: saltHex,
    argon2_memory_kib: '64',
    argon2_iterations: '1',
    argon2_parallelism: '1',
  };

  it.each<[string, Record<string, string> | undefined, string]>([
    ['nothing recorded', undefined, 'no run parameters recorded'],
    ['no algorithm', { ...argon, algorithm: '' }, "run parameter 'algorithm' is missing"],
    ['an unknown algorithm', { ...argon, algorithm: 'rot13' }, "run parameter 'algorithm' must be one of"],
    ['no salt', { algorithm: 'aes-256-gcm', kdf: 'none' }, "run parameter 'salt' is missing"],
    ['a short salt', { ...argon, salt: 'abcd' }, "run parameter 'salt' must be 64 lowercase hex digits"],
    ['a non-hex salt', { ...argon, salt: 'zz'.repeat(32) }, "run parameter 'salt'"],
    ['no kdf', { algorithm: 'aes-256-gcm', salt: saltHex }, "run parameter 'kdf' is missing"],
    ['an unknown kdf', { ...argon, kdf: 'pbkdf2' }, "run parameter 'kdf' must be argon2id, scrypt or none"],
    ['a missing cost', { ...argon, argon2_iterations: undefined as unknown as string }, "run parameter 'argon2_iterations' is missing"],
    ['a malformed cost', { ...argon, argon2_memory_kib: '64k' }, "run parameter 'argon2_memory_kib' must be a whole number"],
    ['a zero cost', { ...argon, argon2_iterations: '0' }, "run parameter 'argon2_iterations' must be a whole number"],
    [
      'an invalid cost',
      { ...argon, argon2_memory_kib: '8', argon2_parallelism: '2' },
      "run parameter 'argon2_memory_kib' must be a whole number >= 8 x parallelism",
    ],
    ['an empty kdf_salt', { ...argon, kdf_salt: '' }, "run parameter 'kdf_salt' is missing"],
    ['a short kdf_salt', { ...argon, kdf_salt: 'ab'.repeat(16) }, "run parameter 'kdf_salt' must be 64 lowercase hex digits, found 32"],
    ['an upper-case kdf_salt', { ...argon, kdf_salt: 'AB'.repeat(32) }, "run parameter 'kdf_salt' must be 64 lowercase hex digits"],
    ['a non-hex kdf_salt', { ...argon, kdf_salt: 'zz'.repeat(32) }, "run parameter 'kdf_salt' must be 64 lowercase hex digits"],
    [
      'a scrypt N that is not a power of two',
      { algorithm: 'aes-256-gcm', kdf: 'scrypt', salt: saltHex, scrypt_n: '1000', scrypt_r: '8', scrypt_p: '1' },
      "run parameter 'scrypt_n' must be a power of two",
    ],
  ])('refuses %s with CorruptContainer naming the field', (_name, record, message) => {
    const error = failure(() => parseEncryptionRunParameters('encrypt', record));
    expect(error.kind).toBe('CorruptContainer');
    expect(error.message).toContain("Stage 'encrypt'");
    expect(error.message).toContain(message);
  });

  it('refuses a field it does not know with UnsupportedFormat', () => {
    const error = failure(() => parseEncryptionRunParameters('encrypt', { ...argon, scrypt_n: '1024' }));
    expect(error.kind).toBe('UnsupportedFormat');
    expect(error.message).toContain("'scrypt_n'");
    const withKdfSalt = failure(() => parseEncryptionRunParameters('encrypt', { ...argon, kdf_salt: saltHex, kdf_pepper: '1' }));
    expect(withKdfSalt.kind).toBe('UnsupportedFormat');
    expect(withKdfSalt.message).toContain("'kdf_pepper'");
    expect(withKdfSalt.message).not.toContain("'kdf_salt'");
  });

  it('records kdf_salt only for a password KDF whose salt differs from salt', () => {
    const kdfSalt = randomBytes(32);
    const argon2id = { kdf: 'argon2id', memoryKib: 64, iterations: 1, parallelism: 1 } as const;
    const record = encodeEncryptionRunParameters({ algorithm: 'aes-256-gcm', kdf: argon2id, salt, kdfSalt });
    expect(record.kdf_salt).toBe(kdfSalt.toString('hex'));
    const parsed = parseEncryptionRunParameters('encrypt', record);
    expect(hexOf(parsed.kdfSalt!)).toBe(kdfSalt.toString('hex'));
    expect(hexOf(kdfSaltOf(parsed))).toBe(kdfSalt.toString('hex'));
    expect(hexOf(parsed.salt)).toBe(saltHex);

    expect(
      encodeEncryptionRunParameters({ algorithm: 'aes-256-gcm', kdf: argon2id, salt, kdfSalt: Uint8Array.from(salt) }),
    ).not.toHaveProperty('kdf_salt');
    expect(encodeEncryptionRunParameters({ algorithm: 'aes-256-gcm', kdf: { kdf: 'none' }, salt, kdfSalt })).not.toHaveProperty('kdf_salt');
    const old = parseEncryptionRunParameters('encrypt', argon);
    expect(old.kdfSalt).toBeUndefined();
    expect(hexOf(kdfSaltOf(old))).toBe(saltHex);
  });

  it('refuses kdf_salt with a raw key as an unknown field', () => {
    const error = failure(() =>
      parseEncryptionRunParameters('encrypt', { algorithm: 'aes-256-gcm', kdf: 'none', salt: saltHex, kdf_salt: saltHex }),
    );
    expect(error.kind).toBe('UnsupportedFormat');
    expect(error.message).toContain("'kdf_salt'");
  });

  it.each<[string, Record<string, string>, string]>([
    [
      'argon2 memory',
      { ...argon, argon2_memory_kib: String(2 * 1_048_576) },
      'argon2id cost argon2_memory_kib = 2097152 is over the restore cap of 1048576',
    ],
    ['argon2 passes', { ...argon, argon2_iterations: '65' }, 'argon2id cost argon2_iterations = 65 is over the restore cap of 64'],
    [
      'argon2 lanes',
      { ...argon, argon2_parallelism: '17', argon2_memory_kib: '1024' },
      'argon2id cost argon2_parallelism = 17 is over the restore cap of 16',
    ],
    [
      'scrypt N',
      { algorithm: 'aes-256-gcm', kdf: 'scrypt', salt: saltHex, scrypt_n: String(2 ** 23), scrypt_r: '1', scrypt_p: '1' },
      'scrypt cost scrypt_n = 8388608 is over the restore cap of 4194304',
    ],
    [
      'scrypt memory',
      { algorithm: 'aes-256-gcm', kdf: 'scrypt', salt: saltHex, scrypt_n: String(2 ** 22), scrypt_r: '8', scrypt_p: '1' },
      'scrypt memory 128 x N x r = 4294967296 bytes is over the restore cap of 1073741824 bytes',
    ],
    ['an absurd cost', { ...argon, argon2_memory_kib: '999999999999999' }, 'is over the restore cap'],
  ])('refuses %s over its cap with LimitExceeded naming the cost and the cap', (_name, record, message) => {
    const error = failure(() => parseEncryptionRunParameters('encrypt', record, DEFAULT_KDF_CAPS));
    expect(error.kind).toBe('LimitExceeded');
    expect(error.message).toContain(message);
  });

  it('applies the caps it is given', () => {
    const caps = { ...DEFAULT_KDF_CAPS, argon2id: { memoryKib: 32, iterations: 64, parallelism: 16 } };
    expect(failure(() => parseEncryptionRunParameters('encrypt', argon, caps)).message).toContain('raise caps.argon2id.memoryKib');
  });
});
