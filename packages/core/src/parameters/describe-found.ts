/**
 * How a value that was found reads in a message: strings quoted (control characters escaped, long
 * ones shortened), numbers and booleans as they are, objects by their kind.
 */
export function describeFound(value: unknown): string {
  if (value === undefined) return 'none';
  if (value === null) return 'null';
  if (typeof value === 'string') {
    const quoted = JSON.stringify(value);
    return quoted.length > 66 ? `${quoted.slice(0, 64)}…"` : quoted;
  }
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : `a list of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'function') return 'a function';
  return String(value);
}
