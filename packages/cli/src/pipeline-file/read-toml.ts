import { type AST, ParseError, parseTOML } from 'toml-eslint-parser';
import { type FieldPath, type Located, type LocatedText, pathKey } from './located-text.js';

type Container = Record<string, unknown> | unknown[];

/**
 * Parses TOML with toml-eslint-parser, keeping the offset of every key, table and array item.
 * TOML stops at its first syntax error, so at most one is reported. The value is built here, with
 * fields defined rather than assigned, so a key named `__proto__` stays a key.
 */
export function readToml(text: string): LocatedText {
  let program: AST.TOMLProgram;
  try {
    program = parseTOML(text);
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    return { value: undefined, offsets: new Map(), problems: [{ offset: error.index, message: error.message }] };
  }
  const root: Record<string, unknown> = {};
  const offsets = new Map<string, Located>([[pathKey([]), { value: 0 }]]);
  const note = (path: FieldPath, located: Located): void => {
    if (!offsets.has(pathKey(path))) offsets.set(pathKey(path), located);
  };
  /** Places `entry` into `into`, the container at `table`, noting the offsets of its key and of dotted-key prefixes. */
  const keyValue = (entry: AST.TOMLKeyValue, table: FieldPath, into: Container = root): void => {
    const names = entry.key.keys.map((part) => (part.type === 'TOMLBare' ? part.name : part.value));
    const keyOffset = entry.key.range[0];
    names.slice(0, -1).forEach((_, index) => {
      note([...table, ...names.slice(0, index + 1)], { key: keyOffset, value: keyOffset });
    });
    const path = [...table, ...names];
    offsets.set(pathKey(path), { key: keyOffset, value: entry.value.range[0] });
    place(into, names, content(entry.value, path));
  };
  const content = (node: AST.TOMLContentNode, path: FieldPath): unknown => {
    if (node.type === 'TOMLInlineTable') {
      const table: Record<string, unknown> = {};
      for (const entry of node.body) keyValue(entry, path, table);
      return table;
    }
    if (node.type === 'TOMLArray') {
      return node.elements.map((element, index) => {
        offsets.set(pathKey([...path, index]), { value: element.range[0] });
        return content(element, [...path, index]);
      });
    }
    return node.value;
  };
  for (const node of program.body[0].body) {
    if (node.type === 'TOMLKeyValue') {
      keyValue(node, []);
      continue;
    }
    const path = node.resolvedKey;
    const header = node.range[0];
    path.forEach((_, index) => {
      note(path.slice(0, index + 1), { key: header, value: header });
    });
    offsets.set(pathKey(path), { key: header, value: header });
    const table = containerAt(root, path);
    for (const entry of node.body) keyValue(entry, path, table);
  }
  return { value: root, offsets, problems: [] };
}

/** Puts `value` at `path` under `root`, creating the tables and arrays on the way. */
function place(root: Container, path: FieldPath, value: unknown): void {
  const parent = containerAt(root, path.slice(0, -1), typeof path[path.length - 1] === 'number');
  define(parent, path[path.length - 1]!, value);
}

/** The table (or array, when the next step is an index) at `path`, created when missing. */
function containerAt(root: Container, path: FieldPath, arrayAtEnd = false): Container {
  let container = root;
  path.forEach((part, index) => {
    const existing = (container as Record<string | number, unknown>)[part];
    if (typeof existing === 'object' && existing !== null && Object.hasOwn(container, part)) {
      container = existing as Container;
      return;
    }
    const wantsArray = index + 1 < path.length ? typeof path[index + 1] === 'number' : arrayAtEnd;
    const created: Container = wantsArray ? [] : {};
    define(container, part, created);
    container = created;
  });
  return container;
}

function define(container: Container, key: string | number, value: unknown): void {
  Object.defineProperty(container, key, { value, enumerable: true, writable: true, configurable: true });
}
