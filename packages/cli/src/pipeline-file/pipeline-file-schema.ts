import type { ParameterDescription, StageCapability } from '@adapipe/core';
import { type FileField, type JsonSchema, pipelineFileFields, stageFileFields } from './pipeline-file-fields.js';

/** Where the schema of the official stages is published, for `$schema` in pipeline files. */
export const PIPELINE_SCHEMA_URL = 'https://raw.githubusercontent.com/adapipe/adapipe/main/packages/cli/schema/pipeline.schema.json';

/**
 * The JSON Schema of pipeline files for the stages `capabilities` serve (`registry.capabilities`):
 * the fields the reader accepts ({@link pipelineFileFields}, {@link stageFileFields}), and for each
 * stage type and algorithm its canonical names and declared parameters, so editors complete them.
 * It uses draft-4 keywords only, under a draft-07 `$schema`, so VS Code (JSON, and YAML through
 * the YAML extension) and Taplo (TOML) both read it. Names are listed in their canonical lowercase
 * spelling; adapipe also accepts other cases.
 */
export function pipelineFileSchema(capabilities: readonly StageCapability[]): JsonSchema {
  const stage = (capability: StageCapability): JsonSchema => {
    const overrides: Record<string, JsonSchema> = {
      type: { enum: [capability.stageType] },
      algorithm: {
        enum: [capability.algorithm, ...(capability.aliases ?? [])],
        ...(capability.description === undefined ? {} : { description: capability.description }),
      },
      ...(capability.parameters === undefined ? {} : { parameters: parametersSchema(capability.parameters.describe()) }),
    };
    return objectSchema(stageFileFields, overrides, `${capability.stageType}:${capability.algorithm}`);
  };
  const stages = pipelineFileFields.find((field) => field.name === 'stages')!;
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: PIPELINE_SCHEMA_URL,
    title: 'adapipe pipeline file',
    description: 'A pipeline for adapipe process/restore --pipeline-file and adapipe validate (JSON, YAML or TOML).',
    ...objectSchema(pipelineFileFields, {
      stages: { ...stages.schema, description: stages.description, items: { anyOf: capabilities.map(stage) } },
    }),
  };
}

function objectSchema(fields: readonly FileField[], overrides: Readonly<Record<string, JsonSchema>>, title?: string): JsonSchema {
  const required = fields.filter((field) => field.required).map((field) => field.name);
  return {
    ...(title === undefined ? {} : { title }),
    type: 'object',
    ...(required.length === 0 ? {} : { required }),
    additionalProperties: false,
    properties: Object.fromEntries(
      fields.map((field) => [field.name, overrides[field.name] ?? { ...field.schema, description: field.description }]),
    ),
  };
}

function parametersSchema(parameters: readonly ParameterDescription[]): JsonSchema {
  const required = parameters.filter((parameter) => parameter.required).map((parameter) => parameter.name);
  return {
    type: 'object',
    description: parameters.length === 0 ? 'This stage takes no parameters.' : "The stage's parameters.",
    ...(required.length === 0 ? {} : { required }),
    additionalProperties: false,
    properties: Object.fromEntries(parameters.map((parameter) => [parameter.name, parameterSchema(parameter)])),
  };
}

/** One parameter: its accepted values, whether written as text or as a number or boolean. */
function parameterSchema(parameter: ParameterDescription): JsonSchema {
  const about = {
    description: parameter.description ?? `Must be ${parameter.expected}.`,
    ...(parameter.default === undefined ? {} : { default: parameter.default }),
  };
  switch (parameter.kind) {
    case 'integer':
      return {
        ...about,
        anyOf: [
          { type: 'integer', ...bounds(parameter) },
          { type: 'string', pattern: '^\\s*-?\\d{1,16}\\s*$' },
        ],
      };
    case 'choice':
      return { ...about, enum: [...(parameter.values ?? []), ...(parameter.aliases ?? [])] };
    case 'boolean':
      return { ...about, enum: [true, false, 'true', 'false'] };
    case 'text':
      return { ...about, type: 'string', pattern: '\\S', ...(parameter.maxLength === undefined ? {} : { maxLength: parameter.maxLength }) };
    default:
      return { ...about, type: 'string', pattern: '\\S' };
  }
}

function bounds(parameter: ParameterDescription): JsonSchema {
  return {
    ...(parameter.minimum === undefined ? {} : { minimum: parameter.minimum }),
    ...(parameter.maximum === undefined ? {} : { maximum: parameter.maximum }),
  };
}
