/** The canonical names of the AEAD algorithms this plugin serves. */
export type AeadAlgorithm = 'aes-256-gcm' | 'chacha20-poly1305' | 'xchacha20-poly1305';

/** What the plugin knows about one AEAD algorithm. */
export interface AeadAlgorithmInfo {
  /** Canonical lowercase name, recorded in containers. */
  readonly algorithm: AeadAlgorithm;
  /** Other accepted spellings, lowercase. */
  readonly aliases: readonly string[];
  /** Nonce length in bytes. */
  readonly nonceLength: 12 | 24;
  /** Which library does the work. */
  readonly implementation: string;
  /** One line for `adapipe plugins`. */
  readonly description: string;
}

/** Key length of every algorithm here, in bytes. */
export const AEAD_KEY_LENGTH = 32;

/** Authentication tag length of every algorithm here, in bytes; appended to the ciphertext. */
export const AEAD_TAG_LENGTH = 16;

/** The algorithms this plugin serves, in the order `adapipe plugins` lists them. */
export const aeadAlgorithms: readonly AeadAlgorithmInfo[] = Object.freeze([
  Object.freeze({
    algorithm: 'aes-256-gcm',
    aliases: Object.freeze(['aes256gcm', 'aes-gcm']),
    nonceLength: 12,
    implementation: 'node:crypto (OpenSSL)',
    description: 'AES-256-GCM, 96-bit nonce from the chunk counter (OpenSSL)',
  }),
  Object.freeze({
    algorithm: 'chacha20-poly1305',
    aliases: Object.freeze(['chacha20']),
    nonceLength: 12,
    implementation: 'node:crypto (OpenSSL)',
    description: 'ChaCha20-Poly1305 (RFC 8439), 96-bit nonce from the chunk counter (OpenSSL)',
  }),
  Object.freeze({
    algorithm: 'xchacha20-poly1305',
    aliases: Object.freeze(['xchacha20']),
    nonceLength: 24,
    implementation: 'HChaCha20 from @noble/ciphers, then ChaCha20-Poly1305 from node:crypto (OpenSSL)',
    description: 'XChaCha20-Poly1305, 192-bit nonce from the chunk counter (@noble/ciphers HChaCha20 + OpenSSL)',
  }),
] satisfies AeadAlgorithmInfo[]);

/**
 * The algorithm named `name`, canonical or alias, ignoring case.
 *
 * @throws {RangeError} naming the accepted names when `name` is none of them.
 * @example
 * ```ts
 * aeadAlgorithmInfo('AES-GCM').algorithm === 'aes-256-gcm';
 * ```
 */
export function aeadAlgorithmInfo(name: string): AeadAlgorithmInfo {
  const wanted = String(name).trim().toLowerCase();
  const found = aeadAlgorithms.find((info) => info.algorithm === wanted || info.aliases.includes(wanted));
  if (found === undefined) {
    const accepted = aeadAlgorithms.flatMap((info) => [info.algorithm, ...info.aliases]).join(', ');
    throw new RangeError(`algorithm must be one of ${accepted}, found '${name}'`);
  }
  return found;
}
