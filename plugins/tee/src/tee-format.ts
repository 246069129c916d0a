/**
 * How a tee writes its copy: `binary` (the raw bytes), `hex` (exactly the layout of `hexdump -C`)
 * or `text` (the bytes decoded as UTF-8, invalid sequences replaced by U+FFFD).
 */
export type TeeFormat = 'binary' | 'hex' | 'text';

/** Every {@link TeeFormat}, in the order the documentation lists them. */
export const teeFormats: readonly TeeFormat[] = Object.freeze(['binary', 'hex', 'text']);

/** Whether `value` names a {@link TeeFormat} (exact, lowercase). */
export function isTeeFormat(value: string): value is TeeFormat {
  return (teeFormats as readonly string[]).includes(value);
}
