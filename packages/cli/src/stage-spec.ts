import { Pipeline, PipelineError, PipelineStage, StageConfiguration, StageType, parseStageType } from '@adapipe/core';
import { CliError, ExitCode } from './exit-code.js';

const itemShape = 'expected type:algorithm[:key=value;…]';

/** A stage about to be named: its type, and the name its definition gives it, if any. */
export interface NamedStageInput {
  readonly type: StageType;
  readonly name?: string | undefined;
}

/**
 * Parses a `--stages` SPEC into a pipeline. SPEC is a comma-separated list of
 * `type:algorithm[:key=value;key=value…]`; the type is parsed case-insensitively, parameters are
 * strings. Stages are named by {@link defaultStageNames}. Values cannot contain `,` or `;`.
 *
 * @param pipelineName the name of the pipeline built.
 * @throws {CliError} usage error pointing at the item (1-based) for an empty spec or item, a
 * missing algorithm, an empty key, a parameter without `=`, a duplicate key or an unknown type.
 * @throws {PipelineError} `IncompatibleStages` from core, unchanged, when the stages cannot follow
 * each other (e.g. compression after encryption).
 * @example
 * ```ts
 * const pipeline = parseStageSpec('checksum:sha256,compression:zstd:level=3,encryption:aes-256-gcm,checksum:sha256');
 * pipeline.stages.map((stage) => stage.name); // input-checksum, compression, encryption, output-checksum
 * ```
 */
export function parseStageSpec(spec: string, pipelineName = 'custom'): Pipeline {
  if (String(spec).trim() === '') {
    throw new CliError(`--stages: empty; ${itemShape}, separated by commas (e.g. checksum:sha256,compression:zstd)`, ExitCode.Usage);
  }
  const items = spec.split(',').map((item, index) => parseItem(item.trim(), index + 1));
  const names = defaultStageNames(items);
  const stages = items.map(
    (item, index) => new PipelineStage(names[index]!, item.type, new StageConfiguration(item.algorithm, item.parameters), index),
  );
  return new Pipeline(pipelineName, stages);
}

/**
 * The SPEC of a pipeline's enabled stages, as {@link parseStageSpec} reads it. Stage names,
 * disabled stages, parallelism and chunk sizes are not part of a SPEC; parameter values that
 * contain `,` or `;` do not survive the round trip.
 *
 * @example
 * ```ts
 * formatStageSpec(parseStageSpec('compression:zstd:level=3')) === 'compression:zstd:level=3';
 * ```
 */
export function formatStageSpec(pipeline: Pipeline): string {
  return pipeline.enabledStages
    .map((stage) => {
      const parameters = Object.entries(stage.configuration.parameters).map(([key, value]) => `${key}=${value}`);
      return [stage.stageType, stage.algorithm, ...(parameters.length > 0 ? [parameters.join(';')] : [])].join(':');
    })
    .join(',');
}

/**
 * Names for a list of stages: a given name is kept; otherwise a checksum before the first stage
 * that changes the data (anything but checksum and pass-through) is `input-checksum`, a checksum
 * after one is `output-checksum`, and any other stage is named by its type (`compression`,
 * `encryption`, `transform`, `passthrough`). A name already taken gets `-2`, `-3`, … appended.
 * Given names are returned as they are, duplicates included; the caller rejects those.
 *
 * @example
 * ```ts
 * defaultStageNames([{ type: 'checksum' }, { type: 'compression' }, { type: 'compression' }, { type: 'checksum' }]);
 * // ['input-checksum', 'compression', 'compression-2', 'output-checksum']
 * ```
 */
export function defaultStageNames(stages: readonly NamedStageInput[]): string[] {
  const taken = new Set(stages.flatMap((stage) => (stage.name === undefined ? [] : [stage.name])));
  let dataChanged = false;
  return stages.map((stage) => {
    if (stage.type !== StageType.Checksum && stage.type !== StageType.PassThrough) dataChanged = true;
    if (stage.name !== undefined) return stage.name;
    const base = stage.type === StageType.Checksum ? (dataChanged ? 'output-checksum' : 'input-checksum') : stage.type;
    let name = base;
    for (let suffix = 2; taken.has(name); suffix += 1) name = `${base}-${suffix}`;
    taken.add(name);
    return name;
  });
}

interface SpecItem {
  readonly type: StageType;
  readonly algorithm: string;
  readonly parameters: Record<string, string>;
}

function parseItem(item: string, position: number): SpecItem {
  const fail = (problem: string): never => {
    throw new CliError(`--stages item ${position} ('${item}'): ${problem}`, ExitCode.Usage);
  };
  const first = item.indexOf(':');
  const second = first < 0 ? -1 : item.indexOf(':', first + 1);
  const typeText = first < 0 ? item : item.slice(0, first);
  const algorithm = (first < 0 ? '' : item.slice(first + 1, second < 0 ? undefined : second)).trim();
  if (item === '' || typeText.trim() === '' || algorithm === '') fail(itemShape);
  let type: StageType;
  try {
    type = parseStageType(typeText);
  } catch (error) {
    if (!PipelineError.is(error)) throw error;
    return fail(error.message);
  }
  const parameters: Record<string, string> = {};
  if (second >= 0) {
    const entries = item
      .slice(second + 1)
      .split(';')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '');
    if (entries.length === 0) fail(`no parameters after the second ':'; ${itemShape}`);
    for (const entry of entries) {
      const equals = entry.indexOf('=');
      if (equals < 0) fail(`parameter '${entry}' has no value; write ${entry}=VALUE`);
      const key = entry.slice(0, equals).trim();
      if (key === '') fail(`parameter '${entry}' has an empty key; write key=value`);
      if (Object.hasOwn(parameters, key)) fail(`parameter '${key}' is given twice`);
      parameters[key] = entry.slice(equals + 1).trim();
    }
  }
  return { type, algorithm, parameters };
}
