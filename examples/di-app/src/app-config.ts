import { MAX_CHUNK_SIZE, MiB, MIN_CHUNK_SIZE } from '@adapipe/core';

/** The application's settings, validated: where containers live, the key they are sealed with, how uploads are chunked. */
export interface AppConfig {
  /** The directory holding one `<name>.adapipe` container per stored file. */
  readonly storageDirectory: string;
  /** The raw 32-byte AES-256-GCM master key every container is sealed with. */
  readonly key: Uint8Array;
  /** Chunk size of uploads in bytes; fixed, so a client cannot make the server hold bigger chunks. */
  readonly chunkSize: number;
  /** Chunks in flight per request; `undefined` keeps core's default (twice the cores). */
  readonly window: number | undefined;
}

/** What {@link resolveAppConfig} accepts: the required settings, defaults for the rest. */
export interface AppConfigInput {
  /** An existing directory for the containers. */
  readonly storageDirectory: string;
  /** Exactly 32 bytes; copied. */
  readonly key: Uint8Array;
  /** Default 1 MiB. */
  readonly chunkSize?: number;
  /** Default: core's. */
  readonly window?: number;
}

/** The DI token of the {@link AppConfig}. */
export const AppConfig: unique symbol = Symbol.for('adapipe-example-di-app/AppConfig');

/** The upload chunk size when none is configured. */
export const defaultChunkSize = 1 * MiB;

/**
 * Checks the settings and fills in defaults. The key is copied, so the caller may wipe its own.
 *
 * @throws {TypeError} naming the setting when one has the wrong type.
 * @throws {RangeError} naming the setting when the key is not 32 bytes or a number is out of range.
 */
export function resolveAppConfig(input: AppConfigInput): AppConfig {
  if (typeof input !== 'object' || input === null)
    throw new TypeError(`app config must be an object, found ${input === null ? 'null' : typeof input}`);
  if (typeof input.storageDirectory !== 'string' || input.storageDirectory.length === 0) {
    throw new TypeError('app config: storageDirectory must be a non-empty path');
  }
  if (!(input.key instanceof Uint8Array)) throw new TypeError(`app config: key must be a Uint8Array, found ${typeof input.key}`);
  if (input.key.length !== 32) throw new RangeError(`app config: key must be exactly 32 bytes, found ${input.key.length}`);
  const chunkSize = input.chunkSize ?? defaultChunkSize;
  if (!Number.isSafeInteger(chunkSize) || chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE) {
    throw new RangeError(
      `app config: chunkSize must be a whole number of bytes from ${MIN_CHUNK_SIZE} to ${MAX_CHUNK_SIZE}, found ${chunkSize}`,
    );
  }
  const window = input.window;
  if (window !== undefined && (!Number.isSafeInteger(window) || window < 1 || window > 1024)) {
    throw new RangeError(`app config: window must be a whole number from 1 to 1024, found ${window}`);
  }
  return Object.freeze({ storageDirectory: input.storageDirectory, key: Uint8Array.from(input.key), chunkSize, window });
}
