import { createScanner, type Node, type ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
import { type FieldPath, type Located, type LocatedText, pathKey, type SyntaxProblem } from './located-text.js';

/** The deepest nesting accepted; deeper input is refused before the (recursive) parser sees it. */
export const MAX_JSON_DEPTH = 100;

/** jsonc-parser's error codes (`printParseErrorCode`) in words; `found` is what stands at the error. */
const problemWords: Readonly<Record<string, (found: string) => string>> = {
  InvalidSymbol: (found) => `unexpected ${found}`,
  InvalidNumberFormat: () => 'malformed number',
  PropertyNameExpected: (found) => `expected a field name in double quotes, found ${found}`,
  ValueExpected: (found) => `expected a value, found ${found}`,
  ColonExpected: (found) => `expected ':' after the field name, found ${found}`,
  CommaExpected: (found) => `expected ',', found ${found}`,
  CloseBraceExpected: (found) => `expected ',' or '}', found ${found}`,
  CloseBracketExpected: (found) => `expected ',' or ']', found ${found}`,
  EndOfFileExpected: (found) => `unexpected ${found} after the end of the document`,
  InvalidCommentToken: () => 'malformed comment',
  UnexpectedEndOfComment: () => 'unterminated comment',
  UnexpectedEndOfString: () => 'unterminated string',
  UnexpectedEndOfNumber: () => 'unterminated number',
  InvalidUnicode: () => 'malformed \\u escape in a string',
  InvalidEscapeCharacter: () => 'invalid escape in a string',
  InvalidCharacter: () => 'control character in a string; write it as an escape such as \\n',
};

/** jsonc-parser's token kinds for brackets and the end (its `SyntaxKind`, a const enum). */
const token = { openBrace: 1, closeBrace: 2, openBracket: 3, closeBracket: 4, end: 17 } as const;

/**
 * Parses JSON (comments allowed, as in VS Code's JSON with Comments) with jsonc-parser, keeping
 * the offset of every field. Duplicate fields are syntax errors.
 */
export function readJson(text: string): LocatedText {
  const tooDeep = depthProblem(text);
  if (tooDeep !== undefined) return { value: undefined, offsets: new Map(), problems: [tooDeep] };
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: false, allowEmptyContent: false });
  const found = (offset: number): string => (offset >= text.length ? 'the end of the file' : `'${text[offset]}'`);
  const problems: SyntaxProblem[] = errors.map(({ error, offset }) => {
    const code = printParseErrorCode(error);
    return { offset, message: problemWords[code]?.(found(offset)) ?? code };
  });
  const offsets = new Map<string, Located>();
  if (root !== undefined) collect(root, [], undefined, offsets, problems);
  problems.sort((a, b) => a.offset - b.offset);
  return { value: root === undefined ? undefined : plainValue(root), offsets, problems };
}

function collect(node: Node, path: FieldPath, key: number | undefined, offsets: Map<string, Located>, problems: SyntaxProblem[]): void {
  offsets.set(pathKey(path), { key, value: node.offset });
  if (node.type === 'object') {
    const seen = new Set<string>();
    for (const property of node.children ?? []) {
      const [name, value] = property.children ?? [];
      if (name === undefined) continue;
      const field = String(name.value);
      if (seen.has(field)) problems.push({ offset: name.offset, message: `duplicate field '${field}'` });
      seen.add(field);
      if (value !== undefined) collect(value, [...path, field], name.offset, offsets, problems);
      else offsets.set(pathKey([...path, field]), { key: name.offset, value: name.offset });
    }
  } else if (node.type === 'array') {
    (node.children ?? []).forEach((item, index) => {
      collect(item, [...path, index], undefined, offsets, problems);
    });
  }
}

/** The node's plain value; fields are defined, not assigned, so a field named `__proto__` stays a field. */
function plainValue(node: Node): unknown {
  if (node.type === 'array') return (node.children ?? []).map(plainValue);
  if (node.type !== 'object') return node.value;
  const object: Record<string, unknown> = {};
  for (const property of node.children ?? []) {
    const [name, value] = property.children ?? [];
    if (name === undefined) continue;
    Object.defineProperty(object, String(name.value), {
      value: value === undefined ? undefined : plainValue(value),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return object;
}

function depthProblem(text: string): SyntaxProblem | undefined {
  const scanner = createScanner(text, true);
  let depth = 0;
  for (let kind = scanner.scan(); kind !== token.end; kind = scanner.scan()) {
    if (kind === token.openBrace || kind === token.openBracket) depth += 1;
    else if (kind === token.closeBrace || kind === token.closeBracket) depth -= 1;
    if (depth > MAX_JSON_DEPTH) return { offset: scanner.getTokenOffset(), message: `nested deeper than ${MAX_JSON_DEPTH} levels` };
  }
  return undefined;
}
