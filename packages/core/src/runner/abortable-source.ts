import { PipelineError } from '../errors/pipeline-error.js';

/**
 * `source`, stopped as soon as `signal` aborts — even while waiting for the next piece (a pipe
 * that delivers nothing). The source is then closed and a `Cancelled` error thrown. Each wait
 * listens for the abort only while it lasts, so nothing accumulates over a long stream. What the
 * consumer passes to `next` reaches the source's `next` (a `BlockRequest`, see `ByteReader`).
 */
export async function* abortableSource<T>(source: AsyncIterable<T>, signal: AbortSignal | undefined): AsyncGenerator<T> {
  if (signal === undefined) {
    yield* source;
    return;
  }
  const iterator = source[Symbol.asyncIterator]();
  let request: unknown;
  try {
    for (;;) {
      const next = await nextOrAbort(iterator, signal, request);
      if (next.done) return;
      request = yield next.value;
    }
  } finally {
    void iterator.return?.()?.catch?.(() => {});
  }
}

function nextOrAbort<T>(iterator: AsyncIterator<T>, signal: AbortSignal, request: unknown): Promise<IteratorResult<T>> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(new PipelineError('Cancelled', 'The run was cancelled', { cause: signal.reason }));
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    (iterator.next as (request?: unknown) => Promise<IteratorResult<T>>)(request).then(
      (result) => {
        signal.removeEventListener('abort', onAbort);
        resolve(result);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
