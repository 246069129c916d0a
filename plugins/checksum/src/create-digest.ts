import { createRunningHash, type RunningHash } from '@adapipe/core/kernel';
import { type ChecksumAlgorithm, checksumAlgorithmSpecs, parseChecksumAlgorithm } from './checksum-algorithm.js';

/** A running digest over data fed in order: `update` any number of times, then `digest` once. */
export interface StreamDigest {
  /** The canonical algorithm. */
  readonly algorithm: ChecksumAlgorithm;
  /** The digest length in bytes. */
  readonly digestSize: number;
  /**
   * Feeds the next bytes.
   *
   * @throws {Error} after {@link StreamDigest.digest} was called.
   */
  update(data: Uint8Array): StreamDigest;
  /**
   * Finishes and returns the digest of everything fed.
   *
   * @throws {Error} when called a second time.
   */
  digest(): Uint8Array;
}

/**
 * A running digest for an algorithm or alias (`sha256`, `sha-256`, `default`, `sha512`, `sha-512`,
 * `blake3`, `b3`): SHA-2 from `node:crypto`, BLAKE3 native (hash-wasm where the platform has no
 * native binary). The container and the CLI use
 * it for whole-input digests.
 *
 * @throws {TypeError|RangeError} when `algorithm` names no supported algorithm.
 * @example
 * ```ts
 * const running = await createDigest('blake3');
 * running.update(new TextEncoder().encode('hello'));
 * const digest = running.digest(); // 32 bytes
 * ```
 */
export async function createDigest(algorithm: string): Promise<StreamDigest> {
  const canonical = parseChecksumAlgorithm(algorithm);
  return new FinishOnceDigest(canonical, await createRunningHash(canonical));
}

class FinishOnceDigest implements StreamDigest {
  readonly digestSize: number;
  #hasher: RunningHash | undefined;

  constructor(
    readonly algorithm: ChecksumAlgorithm,
    hasher: RunningHash,
  ) {
    this.digestSize = checksumAlgorithmSpecs[algorithm].digestSize;
    this.#hasher = hasher;
  }

  update(data: Uint8Array): StreamDigest {
    this.#open().update(data);
    return this;
  }

  digest(): Uint8Array {
    const digest = this.#open().digest();
    this.#hasher = undefined;
    return digest;
  }

  #open(): RunningHash {
    if (this.#hasher === undefined) {
      throw new Error(`The ${this.algorithm} digest was already finished; create a new one with createDigest()`);
    }
    return this.#hasher;
  }
}
