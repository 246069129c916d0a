import { createCipheriv, createDecipheriv } from 'node:crypto';
import { PipelineError, type KernelBuffers } from '@adapipe/core/kernel';
import { hchacha } from '@noble/ciphers/chacha.js';
import { AEAD_KEY_LENGTH, AEAD_TAG_LENGTH, aeadAlgorithmInfo, type AeadAlgorithm } from './aead-algorithm.js';

type OpenSslAead = 'aes-256-gcm' | 'chacha20-poly1305';

interface CipherInput {
  readonly cipher: OpenSslAead;
  readonly key: Uint8Array;
  readonly nonce: Uint8Array;
  readonly wipeKey: boolean;
}

/**
 * Encrypts and authenticates `plaintext` (one buffer, or pieces sealed as their concatenation) and
 * `associatedData`; returns ciphertext ‖ 16-byte tag, in a buffer from `buffers` when given.
 * AES-256-GCM and ChaCha20-Poly1305 run in OpenSSL (`node:crypto`); XChaCha20-Poly1305 derives
 * its subkey with HChaCha20 from `@noble/ciphers` and then runs ChaCha20-Poly1305 in OpenSSL, the
 * construction of draft-irtf-cfrg-xchacha §2.3 (byte-identical to `@noble/ciphers`'
 * `xchacha20poly1305`).
 *
 * @param algorithm a canonical name or alias, see {@link aeadAlgorithms}.
 * @throws {RangeError} when the algorithm is unknown, the key is not 32 bytes or the nonce is not
 * the algorithm's nonce length.
 * @example
 * ```ts
 * const sealed = seal('aes-256-gcm', key, chunkNonce(12, 0, true), data, chunkAssociatedData(0, true));
 * ```
 */
export function seal(
  algorithm: AeadAlgorithm | string,
  key: Uint8Array,
  nonce: Uint8Array,
  plaintext: Uint8Array | readonly Uint8Array[],
  associatedData: Uint8Array,
  buffers?: KernelBuffers,
): Uint8Array {
  const input = cipherInput(algorithm, key, nonce);
  try {
    // Both AEADs take the same calls; the GCM overload gives them their types.
    const cipher = createCipheriv(input.cipher as 'aes-256-gcm', input.key, input.nonce, { authTagLength: AEAD_TAG_LENGTH });
    cipher.setAAD(associatedData);
    const pieces = (plaintext instanceof Uint8Array ? [plaintext] : plaintext).map((piece) => cipher.update(piece));
    pieces.push(cipher.final(), cipher.getAuthTag());
    const length = pieces.reduce((sum, piece) => sum + piece.length, 0);
    const sealed = buffers?.take(length) ?? Buffer.allocUnsafe(length);
    let offset = 0;
    for (const piece of pieces) {
      sealed.set(piece, offset);
      offset += piece.length;
    }
    return sealed;
  } finally {
    if (input.wipeKey) input.key.fill(0);
  }
}

/**
 * Checks the tag of `sealed` (ciphertext ‖ 16-byte tag) against `associatedData` and returns the
 * plaintext. Nothing is released unless the tag is valid: the plaintext OpenSSL produces is held
 * back, and wiped, until `final()` has verified the tag.
 *
 * @param algorithm a canonical name or alias, see {@link aeadAlgorithms}.
 * @throws {PipelineError} `EncryptionFailed` when `sealed` is shorter than a tag or authentication
 * fails (wrong key, or corrupted, truncated, reordered or foreign data).
 * @throws {RangeError} when the algorithm is unknown, the key is not 32 bytes or the nonce is not
 * the algorithm's nonce length.
 */
export function open(
  algorithm: AeadAlgorithm | string,
  key: Uint8Array,
  nonce: Uint8Array,
  sealed: Uint8Array,
  associatedData: Uint8Array,
): Uint8Array {
  const canonical = aeadAlgorithmInfo(algorithm).algorithm;
  if (!(sealed instanceof Uint8Array)) throw new TypeError('sealed must be a Uint8Array');
  if (sealed.length < AEAD_TAG_LENGTH) {
    throw new PipelineError(
      'EncryptionFailed',
      `${canonical}: input of ${sealed.length} bytes is shorter than the ${AEAD_TAG_LENGTH}-byte authentication tag: truncated or corrupted data`,
    );
  }
  const input = cipherInput(canonical, key, nonce);
  const split = sealed.length - AEAD_TAG_LENGTH;
  let plaintext: Buffer | undefined;
  try {
    const decipher = createDecipheriv(input.cipher as 'aes-256-gcm', input.key, input.nonce, { authTagLength: AEAD_TAG_LENGTH });
    decipher.setAAD(associatedData);
    decipher.setAuthTag(sealed.subarray(split));
    plaintext = decipher.update(sealed.subarray(0, split));
    const tail = decipher.final();
    return tail.length === 0 ? plaintext : Buffer.concat([plaintext, tail]);
  } catch (error) {
    plaintext?.fill(0);
    throw new PipelineError('EncryptionFailed', `${canonical}: authentication failed: wrong key or corrupted data`, {
      cause: error,
    });
  } finally {
    if (input.wipeKey) input.key.fill(0);
  }
}

function cipherInput(algorithm: string, key: Uint8Array, nonce: Uint8Array): CipherInput {
  const info = aeadAlgorithmInfo(algorithm);
  if (!(key instanceof Uint8Array) || key.length !== AEAD_KEY_LENGTH) {
    throw new RangeError(`key must be ${AEAD_KEY_LENGTH} bytes, found ${key instanceof Uint8Array ? key.length : typeof key}`);
  }
  if (!(nonce instanceof Uint8Array) || nonce.length !== info.nonceLength) {
    throw new RangeError(
      `nonce for ${info.algorithm} must be ${info.nonceLength} bytes, found ${nonce instanceof Uint8Array ? nonce.length : typeof nonce}`,
    );
  }
  if (info.algorithm !== 'xchacha20-poly1305') {
    return { cipher: info.algorithm, key, nonce, wipeKey: false };
  }
  const innerNonce = new Uint8Array(12);
  innerNonce.set(nonce.subarray(16, 24), 4);
  return { cipher: 'chacha20-poly1305', key: hchachaSubkey(key, nonce.subarray(0, 16)), nonce: innerNonce, wipeKey: true };
}

const sigma = words(new TextEncoder().encode('expand 32-byte k'));

/** HChaCha20(key, nonce[0..16]): the XChaCha20 subkey, through `@noble/ciphers`' core. */
function hchachaSubkey(key: Uint8Array, noncePrefix: Uint8Array): Uint8Array {
  const keyWords = words(key);
  const nonceWords = words(noncePrefix);
  const out = new Uint32Array(8);
  hchacha(sigma, keyWords, nonceWords, out);
  keyWords.fill(0);
  return new Uint8Array(out.buffer);
}

/** The bytes as native 32-bit words (an aligned copy), the layout `hchacha` expects. */
function words(bytes: Uint8Array): Uint32Array {
  const copy = new Uint32Array(bytes.length / 4);
  new Uint8Array(copy.buffer).set(bytes);
  return copy;
}
