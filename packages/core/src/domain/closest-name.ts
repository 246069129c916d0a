/**
 * The candidate closest to `input` by edit distance (case-insensitive), for "did you mean …?" hints:
 * `undefined` when none is within `maxDistance` edits, or when `input` is itself a candidate (a
 * candidate that differs only in case is suggested).
 *
 * @example
 * ```ts
 * closestName('compression:zstdd', ['compression:zstd', 'compression:gzip']); // 'compression:zstd'
 * ```
 */
export function closestName(input: string, candidates: Iterable<string>, maxDistance = 2): string | undefined {
  const wanted = input.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const candidate of candidates) {
    if (candidate === input) return undefined;
    const distance = editDistance(wanted, candidate.toLowerCase());
    if (distance <= maxDistance && (best === undefined || distance < best.distance)) best = { name: candidate, distance };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
