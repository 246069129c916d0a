import type { PipelineStage } from '../domain/pipeline-stage.js';
import { PipelineError } from '../errors/pipeline-error.js';
import { unknownNameHint } from './option-fields.js';
import { describeFound } from './describe-found.js';
import type { FieldValue, ParameterDescription, ScalarField } from './parameter-field.js';

/** The fields of a stage parameter schema, by parameter name. */
export type StageParameterFields = Readonly<Record<string, ScalarField<unknown>>>;

/** The typed values a {@link StageParameterSchema} parses a stage's parameters into. */
export type StageParameterValues<F extends StageParameterFields> = { readonly [K in keyof F]: FieldValue<F[K]> };

/** A stage's parameters declared once: parsing, messages and description come from it. */
export interface StageParameterSchema<F extends StageParameterFields = StageParameterFields> {
  /** The fields, by parameter name. */
  readonly fields: F;
  /**
   * The stage's parameters as typed values, defaults filled in.
   *
   * @throws {PipelineError} `InvalidConfiguration`, worded
   * "`Stage '<name>' (<type>:<algorithm>): parameter '<p>' must be <expected>[ (default <d>)], found <value>`",
   * or "`… parameter '<p>' is unknown; did you mean '<q>'? known parameters: …`".
   */
  parse(stage: PipelineStage): StageParameterValues<F>;
  /**
   * Run parameters a container recorded for the stage (`context.runParameters(stage.name)`), read
   * with the same fields: what the writer chose, checked before it is used.
   *
   * @throws {PipelineError} `CorruptContainer`, worded as {@link StageParameterSchema.parse} with
   * "run parameter" for "parameter".
   */
  parseRecorded(stage: PipelineStage, recorded: Readonly<Record<string, string>>): StageParameterValues<F>;
  /** Every parameter, for `adapipe plugins --json` and the pipeline-file schema. */
  describe(): readonly ParameterDescription[];
  /**
   * The error for a problem the fields cannot see (parameters that contradict each other), in the
   * same words: "`<stage label>: parameter '<name>' <problem>`".
   */
  invalid(stage: PipelineStage, name: string, problem: string): PipelineError;
}

/**
 * How messages name a stage: "`Stage 'compress' (compression:zstd)`".
 *
 * @example
 * ```ts
 * stageLabel(stage); // "Stage 'compress' (compression:zstd)"
 * ```
 */
export function stageLabel(stage: PipelineStage): string {
  return `Stage '${stage.name}' (${stage.stageType}:${stage.algorithm})`;
}

/**
 * Declares the parameters of a stage: each a field (`integer`, `oneOf`, `boolean`, `text`,
 * `filePath`) parsing the text of `stage.configuration.parameters`. Put the schema on the executor's
 * capability (`parameters`) and `BaseStageExecutor.validate` checks stages against it.
 *
 * @example
 * ```ts
 * const deltaParameters = defineStageParameters({
 *   stride: integer({ min: 1, max: 16, default: 1, description: 'bytes between the samples subtracted' }),
 * });
 * deltaParameters.parse(stage).stride; // 1 when the stage sets none
 * ```
 */
export function defineStageParameters<const F extends StageParameterFields>(fields: F): StageParameterSchema<F> {
  const names = Object.keys(fields);
  const problemOf =
    (kind: 'InvalidConfiguration' | 'CorruptContainer', noun: string) =>
    (stage: PipelineStage, name: string, problem: string): PipelineError =>
      new PipelineError(kind, `${stageLabel(stage)}: ${noun} '${name}' ${problem}`, { parameter: name });
  const invalid = problemOf('InvalidConfiguration', 'parameter');
  const parseMap = (
    stage: PipelineStage,
    given: Readonly<Record<string, string>>,
    failure: (stage: PipelineStage, name: string, problem: string) => PipelineError,
  ): StageParameterValues<F> => {
    const fail = (name: string, problem: string) => failure(stage, name, problem);
    for (const name of Object.keys(given)) {
      if (!Object.hasOwn(fields, name)) {
        const hint =
          names.length === 0 ? `${stage.stageType}:${stage.algorithm} takes no parameters` : unknownNameHint(name, names, 'parameters');
        throw fail(name, `is unknown; ${hint}`);
      }
    }
    const values: Record<string, unknown> = {};
    for (const name of names) {
      const field = fields[name]!;
      const text = given[name];
      const check = text === undefined ? undefined : field.fromText(text);
      if (check !== undefined && 'value' in check) {
        values[name] = check.value;
      } else if (check === undefined && !field.required) {
        values[name] = field.defaultValue;
      } else {
        const fallback =
          field.defaultValue === undefined ? (field.required ? ' (required)' : '') : ` (default ${String(field.defaultValue)})`;
        throw fail(name, `must be ${field.expected}${fallback}, found ${describeFound(text)}`);
      }
    }
    return Object.freeze(values) as StageParameterValues<F>;
  };
  return Object.freeze({
    fields,
    invalid,
    describe: () => Object.freeze(names.map((name) => fields[name]!.describe(name))),
    parse: (stage: PipelineStage) => parseMap(stage, stage.configuration.parameters, invalid),
    parseRecorded: (stage: PipelineStage, recorded: Readonly<Record<string, string>>) =>
      parseMap(stage, recorded, problemOf('CorruptContainer', 'run parameter')),
  });
}
