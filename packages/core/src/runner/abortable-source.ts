import { PipelineError } from '../errors/pipeline-error.js';

/**
 * `source`, stopped as soon as `signal` aborts — even while waiting for the next piece (a pipe
 * that delivers nothing). The source is then closed and a `Cancelled` error thrown.
 */
export async function* abortableSource<T>(source: AsyncIterable<T>, signal: AbortSignal | undefined): AsyncGenerator<T> {
  if (signal === undefined) {
    yield* source;
    return;
  }
  const iterator = source[Symbol.asyncIterator]();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new PipelineError('Cancelled', 'The run was cancelled', { cause: signal.reason }));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  aborted.catch(() => {});
  try {
    for (;;) {
      const next = await Promise.race([iterator.next(), aborted]);
      if (next.done) return;
      yield next.value;
    }
  } finally {
    signal.removeEventListener('abort', onAbort!);
    void iterator.return?.()?.catch?.(() => {});
  }
}
