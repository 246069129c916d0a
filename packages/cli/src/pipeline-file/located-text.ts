/** A place in a pipeline document: field names and list indexes from the root. */
export type FieldPath = readonly (string | number)[];

/** Where a value starts in the text, and where its key starts when it is a field. */
export interface Located {
  readonly key?: number | undefined;
  readonly value: number;
}

/** A syntax error of a pipeline file: where it is, and what is wrong, in the parser's words. */
export interface SyntaxProblem {
  readonly offset: number;
  readonly message: string;
}

/**
 * A parsed pipeline file: its plain value (objects, lists, strings, numbers, booleans, dates) and
 * the offset of every field and list item by path. `problems` lists the syntax errors; when there
 * are any, `value` is what the parser could recover and must not be read.
 */
export interface LocatedText {
  readonly value: unknown;
  readonly offsets: ReadonlyMap<string, Located>;
  readonly problems: readonly SyntaxProblem[];
}

/** The key under which {@link LocatedText.offsets} files a path. */
export function pathKey(path: FieldPath): string {
  return JSON.stringify(path);
}

/**
 * The offset of `path` (its key for `at: 'key'`), or of its nearest located parent when the parser
 * gave none for the path itself.
 */
export function locate(offsets: ReadonlyMap<string, Located>, path: FieldPath, at: 'key' | 'value' = 'value'): number | undefined {
  for (let length = path.length; length >= 0; length -= 1) {
    const found = offsets.get(pathKey(path.slice(0, length)));
    if (found !== undefined) return at === 'key' && length === path.length ? (found.key ?? found.value) : found.value;
  }
  return undefined;
}

/** Line and column (both from 1, columns in UTF-16 code units) of offsets in one text. */
export class LineIndex {
  readonly #starts: number[] = [0];

  constructor(text: string) {
    for (let index = text.indexOf('\n'); index >= 0; index = text.indexOf('\n', index + 1)) this.#starts.push(index + 1);
  }

  /** `line:column` of `offset`. */
  position(offset: number): string {
    let low = 0;
    let high = this.#starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.#starts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return `${low + 1}:${offset - this.#starts[low]! + 1}`;
  }
}

/**
 * A field path as people read it: `stages[1].parameters.level`, with `["…"]` for names that are
 * not plain identifiers.
 */
export function formatFieldPath(path: FieldPath): string {
  return path
    .map((part, index) => {
      if (typeof part === 'number') return `[${part}]`;
      if (/^[A-Za-z_$][\w$-]*$/.test(part)) return index === 0 ? part : `.${part}`;
      return `[${JSON.stringify(part)}]`;
    })
    .join('');
}
