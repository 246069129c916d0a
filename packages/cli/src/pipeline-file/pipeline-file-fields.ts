import { MAX_CHUNK_SIZE, MIN_CHUNK_SIZE, stageTypes } from '@adapipe/core';
import { BYTE_SIZE_SYNTAX } from '../byte-size.js';

/** A JSON Schema, as far as the pipeline-file schema uses it (draft 4 keywords, so Taplo reads it too). */
export type JsonSchema = { readonly [keyword: string]: unknown };

/** One field of a pipeline file: its name, whether it must be given, and what it holds. */
export interface FileField {
  readonly name: string;
  readonly required: boolean;
  readonly description: string;
  /** The field's JSON Schema; `stages`, `type`, `algorithm` and `parameters` are completed per stage from the registry. */
  readonly schema: JsonSchema;
}

const nonEmptyText: JsonSchema = { type: 'string', pattern: '\\S' };

/** The fields of a pipeline file, in the order the documentation lists them. */
export const pipelineFileFields: readonly FileField[] = [
  {
    name: '$schema',
    required: false,
    description: 'The JSON Schema this file follows, for editors; adapipe ignores it.',
    schema: { type: 'string' },
  },
  { name: 'name', required: true, description: "The pipeline's name.", schema: nonEmptyText },
  {
    name: 'chunkSize',
    required: false,
    description: `Bytes per chunk, ${MIN_CHUNK_SIZE} to ${MAX_CHUNK_SIZE}, as a number or a size such as "4M"; adaptive when absent.`,
    schema: {
      anyOf: [
        { type: 'integer', minimum: MIN_CHUNK_SIZE, maximum: MAX_CHUNK_SIZE },
        { type: 'string', pattern: `^\\s*${BYTE_SIZE_SYNTAX}\\s*$` },
      ],
    },
  },
  {
    name: 'plugins',
    required: false,
    description: 'Plugin modules (package names or paths) to load before the run, as --plugin loads them.',
    schema: { type: 'array', items: nonEmptyText },
  },
  {
    name: 'stages',
    required: true,
    description: 'The stages, in the order data flows through them.',
    schema: { type: 'array', minItems: 1 },
  },
];

/** The fields of one stage. */
export const stageFileFields: readonly FileField[] = [
  {
    name: 'name',
    required: false,
    description: 'A name unique in the pipeline; by default the one --stages gives (input-checksum, compression, …).',
    schema: nonEmptyText,
  },
  { name: 'type', required: true, description: `The stage type: ${stageTypes.join(', ')}.`, schema: { enum: [...stageTypes] } },
  { name: 'algorithm', required: true, description: 'The algorithm, as `adapipe plugins` lists it.', schema: nonEmptyText },
  {
    name: 'parameters',
    required: false,
    description: "The stage's parameters; values may be strings, numbers or booleans.",
    schema: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } },
  },
  {
    name: 'parallel',
    required: false,
    description: 'Whether chunks of this stage may run in parallel (default true).',
    schema: { type: 'boolean' },
  },
  {
    name: 'enabled',
    required: false,
    description: 'Whether the stage runs (default true); a disabled stage is kept but skipped.',
    schema: { type: 'boolean' },
  },
];

/** The names of `fields`, for unknown-field messages. */
export function fieldNames(fields: readonly FileField[]): string[] {
  return fields.map((field) => field.name);
}
