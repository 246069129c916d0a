import { isMap, isScalar, isSeq, parseDocument, type Node as YamlNode } from 'yaml';
import { type FieldPath, type Located, type LocatedText, pathKey } from './located-text.js';

/** The most aliases a document may expand, against "billion laughs" documents. */
const MAX_ALIAS_COUNT = 100;

/** Parses YAML with the yaml package, keeping the offset of every field; duplicate keys are errors. */
export function readYaml(text: string): LocatedText {
  const document = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  const problems = document.errors.map((error) => ({ offset: error.pos[0], message: error.message.split('\n')[0]! }));
  if (problems.length > 0) return { value: undefined, offsets: new Map(), problems };
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    return { value: undefined, offsets: new Map(), problems: [{ offset: 0, message: (error as Error).message }] };
  }
  const offsets = new Map<string, Located>();
  collect(document.contents, [], undefined, offsets);
  return { value, offsets, problems: [] };
}

function collect(node: unknown, path: FieldPath, key: number | undefined, offsets: Map<string, Located>): void {
  const range = (node as YamlNode | null | undefined)?.range;
  if (range === undefined || range === null) {
    if (key !== undefined) offsets.set(pathKey(path), { key, value: key });
    return;
  }
  offsets.set(pathKey(path), { key, value: range[0] });
  if (isMap(node)) {
    for (const pair of node.items) {
      const name = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      collect(pair.value, [...path, name], (pair.key as YamlNode | null)?.range?.[0], offsets);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, index) => {
      collect(item, [...path, index], undefined, offsets);
    });
  }
}
