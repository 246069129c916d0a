import { inspect } from 'node:util';

const redact = (label: string, length: number) => () => `[${label}: ${length} bytes, redacted]`;

/**
 * Marks a key buffer so that `util.inspect`, `String()` and `JSON.stringify` show a placeholder
 * instead of its bytes. The bytes themselves are untouched and still usable. Internal.
 */
export function markSecret<T extends Uint8Array>(bytes: T, label: string): T {
  const placeholder = redact(label, bytes.length);
  for (const name of [inspect.custom, 'toString', 'toJSON', 'toLocaleString'] as const) {
    Object.defineProperty(bytes, name, { value: placeholder, enumerable: false, configurable: true });
  }
  return bytes;
}
