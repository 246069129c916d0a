import { readFileSync } from 'node:fs';
import { type ParameterDescription, PipelineStage, type StageCapability, StageConfiguration } from '@adapipe/core';
import { Ajv } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCliServices } from '../cli-services.js';
import { parsePipelineDefinition } from '../pipeline-definition.js';
import { pipelineFileSchema } from './pipeline-file-schema.js';
import { stageProblems } from './stage-problems.js';

type Registry = Awaited<ReturnType<typeof createCliServices>>['registry'];

const committed = JSON.parse(readFileSync(new URL('../../schema/pipeline.schema.json', import.meta.url), 'utf8')) as object;
const regenerate =
  'regenerate it: pnpm build && node packages/cli/bin/adapipe.js pipeline schema > packages/cli/schema/pipeline.schema.json';

/** The keywords of JSON Schema draft 4 (which Taplo implements), plus annotations every draft ignores. */
const draft4Keywords = new Set(
  [
    '$schema $id title description default type enum properties additionalProperties required items minItems maxItems',
    'minimum maximum minLength maxLength pattern anyOf allOf oneOf not',
  ]
    .join(' ')
    .split(' '),
);

let registry: Registry;
let schema: ReturnType<typeof pipelineFileSchema>;

beforeAll(async () => {
  registry = (await createCliServices()).registry;
  schema = pipelineFileSchema(registry.capabilities);
});

/** A one-stage pipeline file, as JSON text. */
function fileWith(stage: Record<string, unknown>, top: Record<string, unknown> = {}): string {
  return JSON.stringify({ name: 'p', ...top, stages: [stage] });
}

/** What adapipe says of a file: accepted only when it parses and every stage validates. */
function adapipeAccepts(text: string): boolean {
  try {
    return stageProblems(parsePipelineDefinition(text, 'json', 'p.json'), registry).length === 0;
  } catch {
    return false;
  }
}

/** Valid and invalid values of one declared parameter, written as pipeline files write them. */
function valuesOf(parameter: ParameterDescription): { valid: unknown[]; invalid: unknown[] } {
  switch (parameter.kind) {
    case 'integer':
      return {
        valid: [parameter.minimum, parameter.maximum, String(parameter.maximum ?? 1)].filter((value) => value !== undefined),
        invalid: [
          ...(parameter.maximum === undefined ? [] : [parameter.maximum + 1]),
          ...(parameter.minimum === undefined ? [] : [parameter.minimum - 1]),
          'many',
          1.5,
        ],
      };
    case 'choice':
      return { valid: [...(parameter.values ?? []), ...(parameter.aliases ?? [])], invalid: ['not-a-choice', 3] };
    case 'boolean':
      return { valid: [true, false, 'true'], invalid: ['maybe', 2] };
    default:
      return {
        valid: ['out/copy.bin'],
        invalid: ['  ', ...(parameter.maxLength === undefined ? [] : ['x'.repeat(parameter.maxLength + 1)])],
      };
  }
}

/** A file of the corpus; `crossField` when its stage passes its own parameter schema, so only a rule across parameters can refuse it. */
interface CorpusFile {
  readonly what: string;
  readonly text: string;
  readonly crossField?: boolean;
}

/** Whether the capability's parameter schema alone accepts these parameters (as text, as a stage holds them). */
function schemaAloneAccepts(capability: StageCapability, parameters: Record<string, unknown>): boolean {
  const text = Object.fromEntries(Object.entries(parameters).map(([name, value]) => [name, String(value)]));
  const stage = new PipelineStage('s', capability.stageType, new StageConfiguration(capability.algorithm, text), 0);
  try {
    capability.parameters?.parse(stage);
    return true;
  } catch {
    return false;
  }
}

/** Files for one capability: its bare stage, then each parameter at valid and invalid values. */
function corpusOf(capability: StageCapability): CorpusFile[] {
  const base = { type: capability.stageType, algorithm: capability.algorithm };
  const declared = capability.parameters?.describe() ?? [];
  const required = Object.fromEntries(declared.filter((p) => p.required).map((p) => [p.name, valuesOf(p).valid[0]]));
  const files = [
    { what: 'bare', stage: { ...base, parameters: required } },
    { what: 'unknown parameter', stage: { ...base, parameters: { ...required, zzz: '1' } } },
    { what: 'parallel as text', stage: { ...base, parameters: required, parallel: 'yes' } },
    ...declared.flatMap((parameter) => {
      const { valid, invalid } = valuesOf(parameter);
      return [...valid, ...invalid].map((value) => ({
        what: `${parameter.name}=${JSON.stringify(value)}`,
        stage: { ...base, parameters: { ...required, [parameter.name]: value } },
      }));
    }),
  ];
  return files.map(({ what, stage }) => ({
    what: `${capability.stageType}:${capability.algorithm} ${what}`,
    text: fileWith(stage),
    crossField: !('parallel' in stage) && schemaAloneAccepts(capability, stage.parameters),
  }));
}

describe('the pipeline-file JSON Schema', () => {
  it('is the committed packages/cli/schema/pipeline.schema.json, so the published file cannot drift', () => {
    expect(schema, regenerate).toEqual(committed);
  });

  it('uses only draft-4 keywords, so Taplo reads it as VS Code does', () => {
    const used = new Set<string>();
    const walk = (node: unknown, inProperties: boolean): void => {
      if (Array.isArray(node)) for (const item of node) walk(item, false);
      else if (typeof node === 'object' && node !== null) {
        for (const [key, value] of Object.entries(node)) {
          if (!inProperties) used.add(key);
          walk(value, key === 'properties' && !inProperties);
        }
      }
    };
    walk(schema, false);
    expect([...used].filter((keyword) => !draft4Keywords.has(keyword))).toEqual([]);
  });

  it('lists every installed stage and its parameters', () => {
    const items = (schema as { properties: { stages: { items: { anyOf: { title: string }[] } } } }).properties.stages.items.anyOf;
    expect(items.map((item) => item.title)).toEqual(registry.capabilities.map((c) => `${c.stageType}:${c.algorithm}`));
    expect(items.length).toBeGreaterThan(10);
  });

  it('agrees with adapipe validate on a corpus built from the declared parameters, but for rules across parameters', () => {
    const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
    const corpus: CorpusFile[] = [
      ...registry.capabilities.flatMap(corpusOf),
      { what: 'no name', text: JSON.stringify({ stages: [{ type: 'checksum', algorithm: 'sha256' }] }) },
      { what: 'an unknown field', text: fileWith({ type: 'checksum', algorithm: 'sha256' }, { colour: 'red' }) },
      { what: '$schema', text: fileWith({ type: 'checksum', algorithm: 'sha256' }, { $schema: './pipeline.schema.json' }) },
      { what: 'no stages', text: JSON.stringify({ name: 'p', stages: [] }) },
      { what: 'an unknown algorithm', text: fileWith({ type: 'compression', algorithm: 'lzma' }) },
      { what: 'a stage type that is not one', text: fileWith({ type: 'compress', algorithm: 'zstd' }) },
      ...[65536, '4M', '1.5MiB', 512, '4X', 2 ** 30, true].map((chunkSize) => ({
        what: `chunkSize ${JSON.stringify(chunkSize)}`,
        text: fileWith({ type: 'checksum', algorithm: 'sha256' }, { chunkSize }),
      })),
      ...[['my-plugin'], [''], 'my-plugin'].map((plugins) => ({
        what: `plugins ${JSON.stringify(plugins)}`,
        text: fileWith({ type: 'checksum', algorithm: 'sha256' }, { plugins }),
      })),
    ];
    const verdicts = corpus.map(({ what, text, crossField }) => ({
      what,
      crossField,
      adapipe: adapipeAccepts(text),
      schema: validate(JSON.parse(text)),
    }));
    // An editor must never flag a file adapipe accepts.
    expect(verdicts.filter((verdict) => verdict.adapipe && !verdict.schema)).toEqual([]);
    // The schema refuses what adapipe refuses, except what only a rule across parameters refuses
    // (scrypt_n needs kdf scrypt; argon2 memory of at least 8 x parallelism), which draft 4 cannot say.
    const missed = verdicts.filter((verdict) => !verdict.adapipe && verdict.schema);
    expect(missed.filter((verdict) => !verdict.crossField)).toEqual([]);
    expect(missed.length).toBeLessThan(verdicts.length / 4);
    expect(corpus.filter(({ text }) => adapipeAccepts(text)).length).toBeGreaterThan(20);
    expect(corpus.filter(({ text }) => !adapipeAccepts(text)).length).toBeGreaterThan(20);
  });
});
