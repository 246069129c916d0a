import { describe, expect, it } from 'vitest';
import { resolveEncryptionOptions, type EncryptionModuleOptions } from './encryption-options.js';
import { ARGON2ID_DEFAULTS, DEFAULT_KDF_CAPS, SCRYPT_DEFAULTS } from './kdf/kdf-parameters.js';

describe('resolveEncryptionOptions', () => {
  it('fills in the defaults', () => {
    expect(resolveEncryptionOptions()).toEqual({
      kdf: 'argon2id',
      argon2id: ARGON2ID_DEFAULTS,
      scrypt: SCRYPT_DEFAULTS,
      caps: DEFAULT_KDF_CAPS,
    });
  });

  it('merges partial costs and caps over the defaults', () => {
    const resolved = resolveEncryptionOptions({
      kdf: 'scrypt',
      scrypt: { n: 2 ** 15 },
      argon2id: { memoryKib: 262_144 },
      caps: { argon2id: { memoryKib: 262_144 }, scrypt: { memoryBytes: 2 ** 31 } },
    });
    expect(resolved.kdf).toBe('scrypt');
    expect(resolved.scrypt).toEqual({ n: 2 ** 15, r: 8, p: 1 });
    expect(resolved.argon2id).toEqual({ memoryKib: 262_144, iterations: 3, parallelism: 4 });
    expect(resolved.caps.argon2id).toEqual({ memoryKib: 262_144, iterations: 64, parallelism: 16 });
    expect(resolved.caps.scrypt.memoryBytes).toBe(2 ** 31);
    expect(resolveEncryptionOptions(resolved)).toEqual(resolved);
  });

  /** Expects `options` to be refused with `errorType` and the message `encryptionContainerModule: <message>`. */
  function expectRefused(options: unknown, errorType: ErrorConstructor, message: string): void {
    expect(() => resolveEncryptionOptions(options as EncryptionModuleOptions)).toThrow(errorType);
    expect(() => resolveEncryptionOptions(options as EncryptionModuleOptions)).toThrow(`encryptionContainerModule: ${message}`);
  }

  it('refuses not an object, naming the option', () => {
    expectRefused('argon2id', TypeError, 'options must be an object, found "argon2id"');
  });

  it.each<[string, unknown, string]>([
    ['an unknown option', { kdfs: 'scrypt' }, "'kdfs' is unknown; did you mean 'kdf'? known options: kdf, argon2id, scrypt, caps"],
    ['a cost of the wrong type', { argon2id: { memoryKib: '65536' } }, `'argon2id.memoryKib' must be a whole number >= 1, found "65536"`],
    ['an unknown cost', { scrypt: { N: 1024 } }, "'scrypt.N' is unknown; did you mean 'n'? known options: n, r, p"],
    ['caps that are not an object', { caps: [] }, "'caps' must be an object, found an empty list"],
  ])('refuses %s, naming the option', (_name, options, message) => expectRefused(options, TypeError, `option ${message}`));

  it.each<[string, unknown, string]>([
    ['an unknown KDF', { kdf: 'pbkdf2' }, `'kdf' must be one of argon2id, scrypt, found "pbkdf2"`],
    ['a fractional cost', { scrypt: { r: 1.5 } }, "'scrypt.r' must be a whole number >= 1, found 1.5"],
    ['an invalid Argon2id cost', { argon2id: { memoryKib: 16 } }, "'argon2id.memoryKib' must be a whole number >= 8 x parallelism (32)"],
    ['a scrypt N that is not a power of two', { scrypt: { n: 100_000 } }, "'scrypt.n' must be a power of two"],
    ['a default over its cap', { argon2id: { iterations: 65 } }, "'argon2id.iterations' (65) is over caps.argon2id.iterations (64)"],
    [
      'a default over the scrypt memory cap',
      { scrypt: { n: 2 ** 21 } },
      "'scrypt' needs 2147483648 bytes (128 x N x r), over caps.scrypt.memoryBytes",
    ],
    ['a cap of zero', { caps: { scrypt: { p: 0 } } }, "'caps.scrypt.p' must be a whole number >= 1, found 0"],
    [
      'a cap below the smallest valid cost',
      { caps: { argon2id: { memoryKib: 4 } } },
      "'caps.argon2id.memoryKib' must be a whole number >= 8",
    ],
  ])('refuses %s, naming the option', (_name, options, message) => expectRefused(options, RangeError, `option ${message}`));
});
