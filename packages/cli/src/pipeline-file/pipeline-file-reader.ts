import {
  closestName,
  Pipeline,
  PipelineError,
  PipelineStage,
  parseStageType,
  requireChunkSize,
  StageConfiguration,
  type StageType,
} from '@adapipe/core';
import { parseByteSize } from '../byte-size.js';
import { CliError } from '../exit-code.js';
import { defaultStageNames } from '../stage-spec.js';
import { type FieldPath, formatFieldPath, type LocatedText, locate } from './located-text.js';
import { fieldNames, pipelineFileFields, stageFileFields } from './pipeline-file-fields.js';

/** What a pipeline file holds, read and checked; `pipeline` is built only when nothing is wrong. */
export interface FileContent {
  readonly name: string;
  readonly chunkSize?: number;
  readonly plugins: string[];
  readonly pipeline: Pipeline;
}

/** One thing wrong with a pipeline file: where (an offset, or none for the whole file), the field, the problem. */
export interface FileProblem {
  readonly offset: number | undefined;
  readonly path: FieldPath;
  readonly problem: string;
}

interface StageInput {
  readonly type: StageType;
  readonly name: string | undefined;
  readonly algorithm: string;
  readonly parameters: Record<string, string>;
  readonly parallel: boolean;
  readonly enabled: boolean;
}

/** Thrown after a problem is recorded, to leave the field being read and go on with the next one. */
class FieldSkipped {}

const topNames = fieldNames(pipelineFileFields);
const stageNames = fieldNames(stageFileFields);

/**
 * Reads a parsed pipeline file field by field, recording every problem rather than stopping at the
 * first: a field that is wrong is skipped and the next one read. The content is returned only when
 * there is no problem.
 */
export function readPipelineFile(parsed: LocatedText): { readonly content?: FileContent; readonly problems: readonly FileProblem[] } {
  const reader = new PipelineFileReader(parsed);
  const content = reader.read();
  return reader.problems.length === 0 && content !== undefined ? { content, problems: [] } : { problems: reader.problems };
}

class PipelineFileReader {
  readonly problems: FileProblem[] = [];

  constructor(private readonly parsed: LocatedText) {}

  read(): FileContent | undefined {
    const root = this.attempt(() => this.object(this.parsed.value, [], 'a mapping with the fields name and stages'));
    if (root === undefined) return undefined;
    this.attempt(() => this.onlyFields(root, [], topNames));
    const name = this.attempt(() => this.string(root.name, ['name']));
    const chunkSize = root.chunkSize === undefined ? undefined : this.attempt(() => this.chunkSize(root.chunkSize, ['chunkSize']));
    const plugins = root.plugins === undefined ? [] : this.attempt(() => this.plugins(root.plugins, ['plugins']));
    const stages = this.attempt(() => this.stages(root.stages));
    if (this.problems.length > 0 || name === undefined || plugins === undefined || stages === undefined) return undefined;
    const pipeline = this.attempt(() => this.pipeline(name, stages));
    if (pipeline === undefined) return undefined;
    return { name, ...(chunkSize === undefined ? {} : { chunkSize }), plugins, pipeline };
  }

  private stages(value: unknown): StageInput[] | undefined {
    const list = this.list(value, ['stages'], 'a non-empty list of stages');
    if (list.length === 0) this.fail(['stages'], 'expected a non-empty list of stages, found an empty list');
    const inputs = list.map((stage, index) => this.attempt(() => this.stage(stage, ['stages', index])));
    const seen = new Map<string, number>();
    inputs.forEach((input, index) => {
      if (input?.name === undefined) return;
      const first = seen.get(input.name);
      if (first === undefined) seen.set(input.name, index);
      else {
        this.attempt(() =>
          this.fail(
            ['stages', index, 'name'],
            `stage name '${input.name}' is already used by stages[${first}]; stage names must be unique`,
          ),
        );
      }
    });
    return inputs.every((input) => input !== undefined) ? inputs : undefined;
  }

  private pipeline(name: string, inputs: readonly StageInput[]): Pipeline {
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

  private stage(value: unknown, path: FieldPath): StageInput | undefined {
    const stage = this.object(value, path, 'a mapping with the fields type and algorithm');
    const before = this.problems.length;
    this.attempt(() => this.onlyFields(stage, path, stageNames));
    const type = this.attempt(() => {
      const text = this.string(stage.type, [...path, 'type']);
      return this.core([...path, 'type'], () => parseStageType(text));
    });
    const name = stage.name === undefined ? undefined : this.attempt(() => this.string(stage.name, [...path, 'name']));
    const algorithm = this.attempt(() => this.string(stage.algorithm, [...path, 'algorithm']));
    const parameters = stage.parameters === undefined ? {} : this.attempt(() => this.parameters(stage.parameters, [...path, 'parameters']));
    const parallel = stage.parallel === undefined ? true : this.attempt(() => this.boolean(stage.parallel, [...path, 'parallel']));
    const enabled = stage.enabled === undefined ? true : this.attempt(() => this.boolean(stage.enabled, [...path, 'enabled']));
    if (this.problems.length > before || type === undefined || algorithm === undefined || parameters === undefined) return undefined;
    return { type, name, algorithm, parameters, parallel: parallel ?? true, enabled: enabled ?? true };
  }

  private parameters(value: unknown, path: FieldPath): Record<string, string> | undefined {
    const parameters: Record<string, string> = {};
    const before = this.problems.length;
    for (const [key, parameter] of Object.entries(this.object(value, path, 'a mapping of parameter names to values'))) {
      this.attempt(() => {
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
      });
    }
    return this.problems.length > before ? undefined : parameters;
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

  private plugins(value: unknown, path: FieldPath): string[] | undefined {
    const list = this.list(value, path, 'a list of plugin module names');
    const plugins = list.map((plugin, index) => this.attempt(() => this.string(plugin, [...path, index])));
    return plugins.every((plugin) => plugin !== undefined) ? plugins : undefined;
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

  private attempt<T>(read: () => T): T | undefined {
    try {
      return read();
    } catch (error) {
      if (error instanceof FieldSkipped) return undefined;
      throw error;
    }
  }

  private mismatch(path: FieldPath, expected: string, found: unknown): never {
    return this.fail(path, `expected ${expected}, found ${describe(found)}`);
  }

  private fail(path: FieldPath, problem: string, at: 'key' | 'value' = 'value'): never {
    this.problems.push({ offset: locate(this.parsed.offsets, path, at), path, problem });
    throw new FieldSkipped();
  }
}

/** `field: problem`, or the problem alone for the whole document. */
export function describeProblem({ path, problem }: FileProblem): string {
  return path.length === 0 ? problem : `${formatFieldPath(path)}: ${problem}`;
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
