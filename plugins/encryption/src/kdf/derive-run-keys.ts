import { hkdfSync } from 'node:crypto';
import { AEAD_KEY_LENGTH, aeadAlgorithmInfo, type AeadAlgorithm } from '../aead/aead-algorithm.js';
import { markSecret } from '../secret-bytes.js';

/** HKDF `info` of the header authentication key. */
export const HEADER_MAC_INFO = 'adapipe/v1/header-mac';

/** HKDF `info` of the chunk key of `algorithm`: `adapipe/v1/chunk-key/<canonical algorithm>`. */
export function chunkKeyInfo(algorithm: AeadAlgorithm | string): string {
  return `adapipe/v1/chunk-key/${aeadAlgorithmInfo(algorithm).algorithm}`;
}

/** The two keys of one run, each 32 bytes; `util.inspect` shows placeholders, never the bytes. */
export interface RunKeys {
  /** Encrypts every chunk of the run. */
  readonly chunkKey: Uint8Array;
  /** Authenticates the container header (HMAC-SHA-256); given to the run's `ContainerSealing`. */
  readonly headerAuthenticationKey: Uint8Array;
}

/**
 * HKDF-SHA-256 (RFC 5869) through `node:crypto`: extract with `salt`, expand with `info`.
 *
 * @throws {RangeError} when `length` is not 1 to 8160 bytes.
 * @example
 * ```ts
 * const okm = hkdfSha256(master, salt, 'adapipe/v1/header-mac', 32);
 * ```
 */
export function hkdfSha256(ikm: Uint8Array, salt: Uint8Array, info: string | Uint8Array, length: number): Uint8Array {
  if (!Number.isSafeInteger(length) || length < 1 || length > 255 * 32) {
    throw new RangeError(`length must be a whole number from 1 to 8160, found ${length}`);
  }
  return new Uint8Array(hkdfSync('sha256', ikm, salt, info, length));
}

/**
 * The key schedule's second step: from the 32-byte master key and the run's salt, HKDF-SHA-256
 * derives the chunk key (info `adapipe/v1/chunk-key/<algorithm>`) and the header authentication
 * key (info `adapipe/v1/header-mac`). The master key is left as it is; wipe it afterwards.
 *
 * @throws {RangeError} when the master key is not 32 bytes or the algorithm is unknown.
 * @example
 * ```ts
 * const keys = deriveRunKeys(master, salt, 'aes-256-gcm');
 * master.fill(0);
 * ```
 */
export function deriveRunKeys(masterKey: Uint8Array, salt: Uint8Array, algorithm: AeadAlgorithm | string): RunKeys {
  if (!(masterKey instanceof Uint8Array) || masterKey.length !== AEAD_KEY_LENGTH) {
    throw new RangeError(
      `masterKey must be ${AEAD_KEY_LENGTH} bytes, found ${masterKey instanceof Uint8Array ? masterKey.length : typeof masterKey}`,
    );
  }
  return Object.freeze({
    chunkKey: markSecret(hkdfSha256(masterKey, salt, chunkKeyInfo(algorithm), AEAD_KEY_LENGTH), 'chunk key'),
    headerAuthenticationKey: markSecret(hkdfSha256(masterKey, salt, HEADER_MAC_INFO, 32), 'header authentication key'),
  });
}
