/** How deep container JSON (header, trailer) may nest; real headers nest 4 levels. */
export const MAX_JSON_NESTING = 16;

/**
 * Whether `text` nests arrays and objects deeper than `limit`, found by one scan that skips string
 * contents, before `JSON.parse` spends memory on a hostile document (a 1 MiB header of `[[[[…`
 * costs about 50 MiB to parse).
 */
export function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === 0x5c) index++;
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) {
      inString = true;
    } else if (code === 0x5b || code === 0x7b) {
      if (++depth > limit) return true;
    } else if (code === 0x5d || code === 0x7d) {
      depth--;
    }
  }
  return false;
}
