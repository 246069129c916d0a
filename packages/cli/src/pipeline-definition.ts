import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Pipeline } from '@adapipe/core';
import { CliError, ExitCode } from './exit-code.js';
import { type FieldPath, LineIndex, type LocatedText, locate } from './pipeline-file/located-text.js';
import { describeProblem, readPipelineFile } from './pipeline-file/pipeline-file-reader.js';
import { readJson } from './pipeline-file/read-json.js';
import { readToml } from './pipeline-file/read-toml.js';
import { readYaml } from './pipeline-file/read-yaml.js';

export { type FieldPath, formatFieldPath } from './pipeline-file/located-text.js';

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
  /**
   * Where a field is in the file, as `file:line:column` (its nearest located parent when the field
   * itself is absent), for messages about it: `stages[1].parameters.level`; at its value, or at its
   * name with `at: 'key'`.
   */
  locate(path: FieldPath, at?: 'key' | 'value'): string;
}

const readers: Readonly<Record<PipelineFileFormat, (text: string) => LocatedText>> = {
  json: readJson,
  yaml: readYaml,
  toml: readToml,
};
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
 * `{ $schema?, name, chunkSize?, plugins?, stages: [{ name?, type, algorithm, parameters?, parallel?, enabled? }] }`.
 * `chunkSize` is a number of bytes or a size such as `"4M"`; parameter values may be strings,
 * numbers or booleans and become strings. Unknown fields are rejected, to catch typos. JSON may
 * carry comments; `$schema` names the JSON Schema for editors and is otherwise ignored.
 *
 * Every problem is reported, one line each, in file order: `<source>:<line>:<column>: <field path>:
 * <problem>`, for example `pipeline.yaml:7:16: stages[1].algorithm: expected a non-empty string,
 * found 42` (stage indexes count from 0). A syntax error stops the reading, and only the first is
 * reported (later ones often follow from it): `<source>:<line>:<column>: invalid YAML: <problem>`.
 *
 * @param source the file name shown in messages.
 * @throws {CliError} input error for a syntax error, or listing every missing, unknown or mistyped field,
 * and core's errors (unknown stage type, chunk size out of range, incompatible stages), whose
 * message is kept after the field path.
 */
export function parsePipelineDefinition(text: string, format: PipelineFileFormat, source: string): PipelineDefinition {
  const lines = new LineIndex(text);
  const place = (offset: number | undefined): string => (offset === undefined ? source : `${source}:${lines.position(offset)}`);
  const parsed = readers[format](text);
  const syntaxError = parsed.problems[0];
  if (syntaxError !== undefined) {
    throw new CliError(`${place(syntaxError.offset)}: invalid ${format.toUpperCase()}: ${syntaxError.message}`, ExitCode.Input);
  }
  const { content, problems } = readPipelineFile(parsed);
  if (content === undefined) {
    const ordered = [...problems].sort((a, b) => (a.offset ?? 0) - (b.offset ?? 0));
    throw new CliError(ordered.map((problem) => `${place(problem.offset)}: ${describeProblem(problem)}`).join('\n'), ExitCode.Input);
  }
  return { ...content, locate: (path, at) => place(locate(parsed.offsets, path, at)) };
}

function readFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}
