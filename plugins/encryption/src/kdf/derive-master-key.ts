import { scrypt } from 'node:crypto';
import type { RunSecret } from '@adapipe/core';
import { AEAD_KEY_LENGTH } from '../aead/aead-algorithm.js';
import { markSecret } from '../secret-bytes.js';
import { kdfCostProblem, type KdfParameters } from './kdf-parameters.js';

/** Length of every master key, in bytes. */
export const MASTER_KEY_LENGTH = 32;

/**
 * Turns the run's secret into the 32-byte master key: a password through Argon2id (hash-wasm) or
 * scrypt (`node:crypto`) with `salt`, or a raw key as it is (`kdf: 'none'`, returned as a copy).
 * The caller owns the result and should wipe it (`fill(0)`) as soon as the run keys are derived;
 * `util.inspect` and `String()` of it show a placeholder, never the bytes.
 *
 * Restore caps are not applied here: check them first ({@link parseEncryptionRunParameters} does).
 *
 * @throws {TypeError} when the secret's kind does not suit the KDF (a password needs `argon2id` or
 * `scrypt`, a raw key needs `none`).
 * @throws {RangeError} when a raw key is not 32 bytes, the password is empty, the salt is shorter
 * than 8 bytes, or the costs are invalid for the KDF.
 * @example
 * ```ts
 * const master = await deriveMasterKey({ kind: 'password', password }, salt, { kdf: 'argon2id', ...ARGON2ID_DEFAULTS });
 * ```
 */
export async function deriveMasterKey(secret: RunSecret, salt: Uint8Array, kdf: KdfParameters): Promise<Uint8Array> {
  if (!(salt instanceof Uint8Array) || salt.length < 8) {
    throw new RangeError(`salt must be at least 8 bytes, found ${salt instanceof Uint8Array ? salt.length : typeof salt}`);
  }
  const problem = kdfCostProblem(kdf);
  if (problem !== undefined) throw new RangeError(`${kdf.kdf} ${problem.field} ${problem.reason}`);
  if (secret?.kind === 'key') {
    if (kdf.kdf !== 'none') throw new TypeError(`a raw key needs kdf 'none', found '${kdf.kdf}'`);
    if (!(secret.key instanceof Uint8Array) || secret.key.length !== AEAD_KEY_LENGTH) {
      throw new RangeError(
        `a raw key must be exactly ${AEAD_KEY_LENGTH} bytes, found ${secret.key instanceof Uint8Array ? secret.key.length : typeof secret.key}`,
      );
    }
    return markSecret(Uint8Array.from(secret.key), 'master key');
  }
  if (secret?.kind !== 'password') throw new TypeError("secret must be { kind: 'password', password } or { kind: 'key', key }");
  if (kdf.kdf === 'none') throw new TypeError("a password needs kdf 'argon2id' or 'scrypt', found 'none'");
  if (!(secret.password instanceof Uint8Array) || secret.password.length === 0) {
    throw new RangeError('password must be a non-empty Uint8Array');
  }
  const derived =
    kdf.kdf === 'argon2id'
      ? await (await import('hash-wasm')).argon2id({
          password: secret.password,
          salt,
          memorySize: kdf.memoryKib,
          iterations: kdf.iterations,
          parallelism: kdf.parallelism,
          hashLength: MASTER_KEY_LENGTH,
          outputType: 'binary',
        })
      : await scryptAsync(secret.password, salt, kdf.n, kdf.r, kdf.p);
  const master = Uint8Array.from(derived);
  derived.fill(0);
  return markSecret(master, 'master key');
}

function scryptAsync(password: Uint8Array, salt: Uint8Array, n: number, r: number, p: number): Promise<Uint8Array> {
  const maxmem = 128 * n * r * p + 32 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(password, salt, MASTER_KEY_LENGTH, { N: n, r, p, maxmem }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}
