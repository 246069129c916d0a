/**
 * Applies `map` to up to `window` items at once and yields the results in input order. Items are
 * pulled from `source` only as results are consumed, so at most `window` are in flight: memory is
 * bounded by the window, whatever the length of the source.
 */
export async function* mapOrdered<T, R>(source: AsyncIterable<T>, map: (item: T) => Promise<R>, window: number): AsyncGenerator<R> {
  const inFlight: Promise<R>[] = [];
  for await (const item of source) {
    const result = map(item);
    result.catch(() => {});
    inFlight.push(result);
    if (inFlight.length >= window) yield await inFlight.shift()!;
  }
  while (inFlight.length > 0) yield await inFlight.shift()!;
}
