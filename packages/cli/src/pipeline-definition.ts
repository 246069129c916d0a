import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import {
  closestName,
  Pipeline,
  PipelineError,
  PipelineStage,
  StageConfiguration,
  type StageType,
  parseStageType,
  requireChunkSize,
} from '@adapipe/core';
import { TomlError, parse as parseToml } from 'smol-toml';
import { LineCounter, type Node as YamlNode, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { parseByteSize } from './byte-size.js';
import { CliError, ExitCode } from './exit-code.js';
import { defaultStageNames } from './stage-spec.js';

/** The languages a pipeline file may be written in. */
export type PipelineFileFormat = 'json' | 'yaml' | 'toml';

/** A pipeline read from a pipeline file, with the run settings the file carries. */
export interface PipelineDefinition {
  /** The pipeline's name, as `pipeline.name`. */
  readonly name: string;
  /** The chunk size the file asks for, in bytes (1 KiB–100 MiB), or `undefined` for the adaptive default. */
  readonly chunkSize?: number;
  /** Plugin modules to load before running, in file order; empty when the file names none. */
  readonly plugins: string[];
  /** The validated pipeline; stages without a name are named as `--stages` names them. */
  readonly pipeline: Pipeline;
}

type FieldPath = readonly (string | number)[];

interface Located {
  readonly key?: number | undefined;
  readonly value: number;
}

interface ParsedText {
  readonly value: unknown;
  readonly offsets: ReadonlyMap<string, Located>;
  readonly lines: LineCounter;
}

const topFields = ['name', 'chunkSize', 'plugins', 'stages'] as const;
const stageFields = ['name', 'type', 'algorithm', 'parameters', 'parallel', 'enabled'] as const;
const extensions: Readonly<Record<string, PipelineFileFormat>> = {
  '.json': 'json',
  '.yaml': 'yaml',
  '.yml': 'yaml',
  '.toml': 'toml',
};

/**
 * The format of a pipeline file, from its extension: `.json`, `.yaml`/`.yml` or `.toml`.
 *
 * @throws {CliError} usage error naming the file for any other extension.
 */
export function pipelineFileFormat(path: string): PipelineFileFormat {
  const format = extensions[extname(path).toLowerCase()];
  if (format === undefined) {
    throw new CliError(
      `${path}: cannot tell the pipeline file's format from its name; use a .json, .yaml, .yml or .toml file`,
      ExitCode.Usage,
    );
  }
  return format;
}

/**
 * Reads a pipeline file (JSON, YAML or TOML, by extension) and validates it as
 * {@link parsePipelineDefinition} does.
 *
 * @throws {CliError} usage error for an unknown extension; input error naming the file when it
 * cannot be read or is not UTF-8, and for any error in its content.
 */
export async function loadPipelineDefinition(path: string): Promise<PipelineDefinition> {
  const format = pipelineFileFormat(path);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new CliError(`${path}: cannot read the pipeline file: ${readFailure(error)}`, ExitCode.Input);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new CliError(`${path}: the pipeline file is not UTF-8 text`, ExitCode.Input);
  }
  return parsePipelineDefinition(text, format, path);
}

/**
 * Parses and validates a pipeline definition:
 * `{ name, chunkSize?, plugins?, stages: [{ name?, type, algorithm, parameters?, parallel?, enabled? }] }`.
 * `chunkSize` is a number of bytes or a size such as `"4M"`; parameter values may be strings,
 * numbers or booleans and become strings. Unknown fields are rejected, to catch typos.
 *
 * Every error names the place: `<source>:<line>:<column>: <field path>: <problem>`, for example
 * `pipeline.yaml:7:16: stages[1].algorithm: expected a non-empty string, found 42` (stage indexes
 * count from 0). Lines and columns are exact for JSON and YAML and best effort for TOML, where a
 * field inside an inline array falls back to its nearest located parent.
 *
 * @param source the file name shown in messages.
 * @throws {CliError} input error for a syntax error, a missing, unknown or mistyped field, and for
 * core's errors (unknown stage type, chunk size out of range, incompatible stages), whose message
 * is kept after the field path.
 */
export function parsePipelineDefinition(text: string, format: PipelineFileFormat, source: string): PipelineDefinition {
  const parsed = parseText(text, format, source);
  return new DefinitionReader(parsed, source).read();
}

class DefinitionReader {
  constructor(
    private readonly parsed: ParsedText,
    private readonly source: string,
  ) {}

  read(): PipelineDefinition {
    const root = this.object(this.parsed.value, [], 'a mapping with the fields name and stages');
    this.onlyFields(root, [], topFields);
    const name = this.string(root.name, ['name']);
    const chunkSize = root.chunkSize === undefined ? undefined : this.chunkSize(root.chunkSize, ['chunkSize']);
    const plugins = root.plugins === undefined ? [] : this.plugins(root.plugins, ['plugins']);
    const pipeline = this.pipeline(name, root.stages);
    return { name, ...(chunkSize === undefined ? {} : { chunkSize }), plugins, pipeline };
  }

  private pipeline(name: string, value: unknown): Pipeline {
    const list = this.list(value, ['stages'], 'a non-empty list of stages');
    if (list.length === 0) this.fail(['stages'], 'expected a non-empty list of stages, found an empty list');
    const inputs = list.map((stage, index) => this.stage(stage, ['stages', index]));
    const seen = new Map<string, number>();
    inputs.forEach((input, index) => {
      if (input.name === undefined) return;
      const first = seen.get(input.name);
      if (first !== undefined) {
        this.fail(['stages', index, 'name'], `stage name '${input.name}' is already used by stages[${first}]; stage names must be unique`);
      }
      seen.set(input.name, index);
    });
    const names = defaultStageNames(inputs);
    const stages = inputs.map((input, index) =>
      this.core(['stages', index], () => {
        const stage = new PipelineStage(
          names[index]!,
          input.type,
          new StageConfiguration(input.algorithm, input.parameters, input.parallel),
          index,
        );
        if (!input.enabled) stage.setEnabled(false);
        return stage;
      }),
    );
    try {
      return new Pipeline(name, stages);
    } catch (error) {
      if (!PipelineError.is(error)) throw error;
      const culprit = stages.findIndex((_, index) => !buildsPipeline(name, stages.slice(0, index + 1)));
      return this.fail(culprit < 0 ? ['stages'] : ['stages', culprit], error.message);
    }
  }

  private stage(value: unknown, path: FieldPath): StageInput {
    const stage = this.object(value, path, 'a mapping with the fields type and algorithm');
    this.onlyFields(stage, path, stageFields);
    const typeText = this.string(stage.type, [...path, 'type']);
    const type = this.core([...path, 'type'], () => parseStageType(typeText));
    return {
      type,
      name: stage.name === undefined ? undefined : this.string(stage.name, [...path, 'name']),
      algorithm: this.string(stage.algorithm, [...path, 'algorithm']),
      parameters: stage.parameters === undefined ? {} : this.parameters(stage.parameters, [...path, 'parameters']),
      parallel: stage.parallel === undefined ? true : this.boolean(stage.parallel, [...path, 'parallel']),
      enabled: stage.enabled === undefined ? true : this.boolean(stage.enabled, [...path, 'enabled']),
    };
  }

  private parameters(value: unknown, path: FieldPath): Record<string, string> {
    const parameters: Record<string, string> = {};
    for (const [key, parameter] of Object.entries(this.object(value, path, 'a mapping of parameter names to values'))) {
      if (key.trim() === '') this.fail([...path, key], 'parameter names cannot be empty', 'key');
      if (
        typeof parameter === 'string' ||
        typeof parameter === 'boolean' ||
        (typeof parameter === 'number' && Number.isFinite(parameter))
      ) {
        parameters[key] = String(parameter);
      } else {
        this.mismatch([...path, key], 'a string, number or boolean', parameter);
      }
    }
    return parameters;
  }

  private chunkSize(value: unknown, path: FieldPath): number {
    if (typeof value === 'string') {
      let bytes: number;
      try {
        bytes = parseByteSize(value, 'chunkSize');
      } catch (error) {
        if (!(error instanceof CliError)) throw error;
        return this.fail(path, error.message.replace(/^chunkSize: /, ''));
      }
      return this.core(path, () => requireChunkSize(bytes));
    }
    if (typeof value !== 'number') return this.mismatch(path, 'a number of bytes or a size such as "4M"', value);
    return this.core(path, () => requireChunkSize(value));
  }

  private plugins(value: unknown, path: FieldPath): string[] {
    return this.list(value, path, 'a list of plugin module names').map((plugin, index) => this.string(plugin, [...path, index]));
  }

  private onlyFields(value: Record<string, unknown>, path: FieldPath, allowed: readonly string[]): void {
    const unknown = Object.keys(value).filter((key) => !allowed.includes(key));
    if (unknown.length === 0) return;
    const named = unknown.map((key) => `'${key}'${suggestion(key, allowed)}`).join(', ');
    this.fail([...path, unknown[0]!], `unknown field${unknown.length > 1 ? 's' : ''} ${named}; allowed: ${allowed.join(', ')}`, 'key');
  }

  private object(value: unknown, path: FieldPath, expected: string): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Date) {
      return this.mismatch(path, expected, value);
    }
    return value as Record<string, unknown>;
  }

  private list(value: unknown, path: FieldPath, expected: string): unknown[] {
    return Array.isArray(value) ? value : this.mismatch(path, expected, value);
  }

  private string(value: unknown, path: FieldPath): string {
    return typeof value === 'string' && value.trim() !== '' ? value : this.mismatch(path, 'a non-empty string', value);
  }

  private boolean(value: unknown, path: FieldPath): boolean {
    return typeof value === 'boolean' ? value : this.mismatch(path, 'true or false', value);
  }

  private core<T>(path: FieldPath, build: () => T): T {
    try {
      return build();
    } catch (error) {
      if (!PipelineError.is(error)) throw error;
      return this.fail(path, error.message);
    }
  }

  private mismatch(path: FieldPath, expected: string, found: unknown): never {
    return this.fail(path, `expected ${expected}, found ${describe(found)}`);
  }

  private fail(path: FieldPath, problem: string, at: 'key' | 'value' = 'value'): never {
    const offset = locate(this.parsed.offsets, path, at);
    const place = offset === undefined ? this.source : `${this.source}:${position(this.parsed.lines, offset)}`;
    const field = path.length === 0 ? '' : `${formatFieldPath(path)}: `;
    throw new CliError(`${place}: ${field}${problem}`, ExitCode.Input);
  }
}

interface StageInput {
  readonly type: StageType;
  readonly name: string | undefined;
  readonly algorithm: string;
  readonly parameters: Record<string, string>;
  readonly parallel: boolean;
  readonly enabled: boolean;
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

function buildsPipeline(name: string, stages: readonly PipelineStage[]): boolean {
  try {
    new Pipeline(name, stages);
    return true;
  } catch {
    return false;
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (value instanceof Date) return 'a date';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

function suggestion(key: string, allowed: readonly string[]): string {
  const close = closestName(key, allowed);
  return close === undefined ? '' : ` (did you mean '${close}'?)`;
}

function readFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}

function pathKey(path: FieldPath): string {
  return JSON.stringify(path);
}

function locate(offsets: ReadonlyMap<string, Located>, path: FieldPath, at: 'key' | 'value'): number | undefined {
  for (let length = path.length; length >= 0; length -= 1) {
    const found = offsets.get(pathKey(path.slice(0, length)));
    if (found !== undefined) return at === 'key' && length === path.length ? (found.key ?? found.value) : found.value;
  }
  return undefined;
}

function position(lines: LineCounter, offset: number): string {
  const { line, col } = lines.linePos(offset);
  return `${line}:${col}`;
}

function countLines(text: string): LineCounter {
  const lines = new LineCounter();
  lines.addNewLine(0);
  for (let index = text.indexOf('\n'); index >= 0; index = text.indexOf('\n', index + 1)) lines.addNewLine(index + 1);
  return lines;
}

function parseText(text: string, format: PipelineFileFormat, source: string): ParsedText {
  const syntaxError = (lines: LineCounter, offset: number, problem: string): CliError =>
    new CliError(`${source}:${position(lines, offset)}: invalid ${format.toUpperCase()}: ${problem}`, ExitCode.Input);
  if (format === 'yaml') {
    const lines = new LineCounter();
    const document = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    const first = document.errors[0];
    if (first !== undefined) throw syntaxError(lines, first.pos[0], first.message);
    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount: 100 });
    } catch (error) {
      throw syntaxError(lines, 0, error instanceof Error ? error.message : String(error));
    }
    const offsets = new Map<string, Located>();
    yamlOffsets(document.contents, [], undefined, offsets);
    return { value, offsets, lines };
  }
  const lines = countLines(text);
  if (format === 'json') {
    try {
      return { ...parseJson(text), lines };
    } catch (error) {
      if (!(error instanceof JsonSyntaxError)) throw error;
      throw syntaxError(lines, error.offset, error.message);
    }
  }
  let value: unknown;
  try {
    value = parseToml(text);
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    const problem = error.message.split('\n')[0]!.replace(/^Invalid TOML document: /, '');
    throw new CliError(`${source}:${error.line}:${error.column}: invalid TOML: ${problem}`, ExitCode.Input);
  }
  return { value, offsets: tomlOffsets(text), lines };
}

function yamlOffsets(node: unknown, path: FieldPath, key: number | undefined, offsets: Map<string, Located>): void {
  const range = (node as YamlNode | null | undefined)?.range;
  if (range === undefined || range === null) {
    if (key !== undefined) offsets.set(pathKey(path), { key, value: key });
    return;
  }
  offsets.set(pathKey(path), { key, value: range[0] });
  if (isMap(node)) {
    for (const pair of node.items) {
      const name = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      yamlOffsets(pair.value, [...path, name], (pair.key as YamlNode | null)?.range?.[0], offsets);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, index) => {
      yamlOffsets(item, [...path, index], undefined, offsets);
    });
  }
}

class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const jsonNumber = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const maxJsonDepth = 100;

function parseJson(text: string): { value: unknown; offsets: Map<string, Located> } {
  const offsets = new Map<string, Located>();
  let at = 0;
  const fail = (problem: string, offset = at): never => {
    throw new JsonSyntaxError(problem, offset);
  };
  const found = (): string => (at >= text.length ? 'the end of the file' : `'${text[at]}'`);
  const skipSpace = (): void => {
    while (at < text.length && ' \t\n\r'.includes(text[at]!)) at += 1;
  };
  const string = (): string => {
    const start = at;
    at += 1;
    for (;;) {
      if (at >= text.length) fail('unterminated string', start);
      const code = text.charCodeAt(at);
      if (code === 0x22) break;
      if (code < 0x20) fail('control character in a string; write it as an escape such as \\n');
      if (code === 0x5c) {
        const escaped = text[at + 1];
        if (escaped !== undefined && '"\\/bfnrt'.includes(escaped)) at += 2;
        else if (escaped === 'u' && /^[\dA-Fa-f]{4}$/.test(text.slice(at + 2, at + 6))) at += 6;
        else fail(`invalid escape '\\${escaped ?? ''}' in a string`);
      } else {
        at += 1;
      }
    }
    at += 1;
    return JSON.parse(text.slice(start, at)) as string;
  };
  const value = (path: FieldPath, key: number | undefined): unknown => {
    skipSpace();
    if (path.length > maxJsonDepth) fail(`nested deeper than ${maxJsonDepth} levels`);
    offsets.set(pathKey(path), { key, value: at });
    const char = text[at];
    if (char === '{') {
      at += 1;
      const object: Record<string, unknown> = {};
      skipSpace();
      if (text[at] === '}') {
        at += 1;
        return object;
      }
      for (;;) {
        skipSpace();
        if (text[at] !== '"') fail(`expected a field name in double quotes, found ${found()}`);
        const keyOffset = at;
        const name = string();
        if (Object.hasOwn(object, name)) fail(`duplicate field '${name}'`, keyOffset);
        skipSpace();
        if (text[at] !== ':') fail(`expected ':' after "${name}", found ${found()}`);
        at += 1;
        Object.defineProperty(object, name, {
          value: value([...path, name], keyOffset),
          enumerable: true,
          writable: true,
          configurable: true,
        });
        skipSpace();
        if (text[at] === '}') {
          at += 1;
          return object;
        }
        if (text[at] !== ',') fail(`expected ',' or '}' after a field, found ${found()}`);
        at += 1;
      }
    }
    if (char === '[') {
      at += 1;
      const list: unknown[] = [];
      skipSpace();
      if (text[at] === ']') {
        at += 1;
        return list;
      }
      for (;;) {
        list.push(value([...path, list.length], undefined));
        skipSpace();
        if (text[at] === ']') {
          at += 1;
          return list;
        }
        if (text[at] !== ',') fail(`expected ',' or ']' after a list item, found ${found()}`);
        at += 1;
      }
    }
    if (char === '"') return string();
    for (const [word, literal] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (text.startsWith(word, at)) {
        at += word.length;
        return literal;
      }
    }
    jsonNumber.lastIndex = at;
    const number = jsonNumber.exec(text);
    if (number === null) return fail(`expected a value, found ${found()}`);
    at += number[0].length;
    return Number(number[0]);
  };
  const result = value([], undefined);
  skipSpace();
  if (at < text.length) fail(`unexpected ${found()} after the end of the document`);
  return { value: result, offsets };
}

const tomlKeyPart = String.raw`(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')`;
const tomlKey = String.raw`${tomlKeyPart}(?:\s*\.\s*${tomlKeyPart})*`;
const tomlHeader = new RegExp(String.raw`^(\s*)\[(\[?)\s*(${tomlKey})\s*\]`);
const tomlKeyValue = new RegExp(String.raw`^(\s*)(${tomlKey})\s*=\s*`);
const tomlInlineKey = new RegExp(String.raw`(?:\{|,)\s*(${tomlKey})\s*=\s*`, 'g');

/** Best-effort positions of TOML keys and tables, by a line scan; smol-toml keeps none. */
function tomlOffsets(text: string): Map<string, Located> {
  const offsets = new Map<string, Located>([[pathKey([]), { value: 0 }]]);
  const arrayIndexes = new Map<string, number>();
  const resolve = (parts: readonly string[]): (string | number)[] => {
    const path: (string | number)[] = [];
    parts.forEach((part, index) => {
      path.push(part);
      const current = arrayIndexes.get(pathKey(parts.slice(0, index + 1)));
      if (current !== undefined) path.push(current);
    });
    return path;
  };
  const record = (path: FieldPath, located: Located): void => {
    if (!offsets.has(pathKey(path))) offsets.set(pathKey(path), located);
  };
  let table: (string | number)[] = [];
  let multiline: string | undefined;
  let lineStart = 0;
  for (const line of text.split('\n')) {
    const start = lineStart;
    lineStart += line.length + 1;
    if (multiline !== undefined) {
      if (line.includes(multiline)) multiline = undefined;
      continue;
    }
    const header = tomlHeader.exec(line);
    if (header !== null) {
      const parts = splitTomlKey(header[3]!);
      if (header[2] === '[') arrayIndexes.set(pathKey(parts), (arrayIndexes.get(pathKey(parts)) ?? -1) + 1);
      table = resolve(parts);
      const offset = start + header[1]!.length;
      record(table.slice(0, header[2] === '[' ? -1 : undefined), { key: offset, value: offset });
      offsets.set(pathKey(table), { key: offset, value: offset });
      continue;
    }
    const entry = tomlKeyValue.exec(line);
    if (entry === null) continue;
    const path = [...table, ...splitTomlKey(entry[2]!)];
    const rest = line.slice(entry[0].length);
    offsets.set(pathKey(path), { key: start + entry[1]!.length, value: start + entry[0].length });
    const opening = rest.startsWith('"""') ? '"""' : rest.startsWith("'''") ? "'''" : undefined;
    if (opening !== undefined && !rest.slice(3).includes(opening)) multiline = opening;
    if (rest.startsWith('{')) {
      for (const inline of rest.matchAll(tomlInlineKey)) {
        const keyOffset = start + entry[0].length + inline.index! + inline[0].indexOf(inline[1]!);
        offsets.set(pathKey([...path, ...splitTomlKey(inline[1]!)]), {
          key: keyOffset,
          value: start + entry[0].length + inline.index! + inline[0].length,
        });
      }
    }
  }
  return offsets;
}

function splitTomlKey(key: string): string[] {
  return (key.match(new RegExp(tomlKeyPart, 'g')) ?? []).map((part) =>
    part.startsWith('"') ? (JSON.parse(part) as string) : part.startsWith("'") ? part.slice(1, -1) : part,
  );
}
