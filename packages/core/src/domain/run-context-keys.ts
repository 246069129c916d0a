import { randomBytes } from 'node:crypto';
import { ContextKey } from './context-key.js';
import type { ProcessingContext } from './processing-context.js';

/** The secret a run encrypts or decrypts with: a password, or a raw 32-byte key. */
export type RunSecret = { readonly kind: 'password'; readonly password: Uint8Array } | { readonly kind: 'key'; readonly key: Uint8Array };

/** Where a run's {@link RunSecret} is kept; set by the caller, read by encryption stages. */
export const RunSecretKey = new ContextKey<RunSecret>('@adapipe/core/run-secret');

/**
 * The largest chunk, in bytes, a stage may produce when restoring; decompression stops there
 * instead of allocating. Unset: `MAX_CHUNK_SIZE` (100 MiB).
 */
export const RestoreChunkLimitKey = new ContextKey<number>('@adapipe/core/restore-chunk-limit');

/**
 * Where a run takes its random bytes (file id, salts). Unset: the operating system's CSPRNG. Set it
 * only to re-derive committed test vectors; a fixed source makes every container of a run alike.
 */
export const RandomSourceKey = new ContextKey<(length: number) => Uint8Array>('@adapipe/core/random-source');

/** The run's random bytes: its {@link RandomSourceKey} source if set, else `crypto.randomBytes`. */
export function runRandomBytes(context: ProcessingContext, length: number): Uint8Array {
  const source = context.get(RandomSourceKey);
  return source === undefined ? new Uint8Array(randomBytes(length)) : source(length);
}
