import type { RunResult } from './run-result.js';

/** A run result settled from outside; rejections are pre-handled so an unread result never warns. */
export interface DeferredResult {
  readonly promise: Promise<RunResult>;
  readonly resolve: (result: RunResult) => void;
  readonly reject: (error: unknown) => void;
}

/** A {@link DeferredResult}. */
export function deferredResult(): DeferredResult {
  let resolve!: (result: RunResult) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<RunResult>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => {});
  return { promise, resolve, reject };
}
