import { KiB, MiB } from '@adapipe/core';

/**
 * The output buffer size (`chunkSize`) for one node:zlib call producing about `expected` bytes:
 * large enough that a chunk needs few hops between the thread pool and the main thread, never
 * more than 1 MiB nor more than needed.
 */
export function zlibBufferSize(expected: number): number {
  return Math.min(MiB, Math.max(16 * KiB, expected));
}

/** Whether `error` is node:zlib's refusal to grow its output past `maxOutputLength`. */
export function isOutputLimitError(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'ERR_BUFFER_TOO_LARGE';
}
