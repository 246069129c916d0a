import { capabilityServes, PipelineError, type StageExecutorRegistry } from '@adapipe/core';
import type { PipelineDefinition } from '../pipeline-definition.js';
import { type FieldPath, formatFieldPath } from './located-text.js';

/**
 * Checks every stage of a pipeline file (with `enabledOnly`, those a run executes) with the
 * executor that serves it, as a run would, and
 * returns one line per problem, placed at the field it is about: `file:line:column: field: message`
 * (`stages[0].algorithm` when no executor serves the stage, `stages[0].parameters.level` for a bad
 * parameter, at its name when the stage declares no such parameter, `stages[0]` otherwise). Empty
 * when every stage is valid.
 */
export function stageProblems(
  definition: PipelineDefinition,
  registry: StageExecutorRegistry,
  { enabledOnly = false }: { readonly enabledOnly?: boolean } = {},
): string[] {
  return definition.pipeline.stages.flatMap((stage, index) => {
    if (enabledOnly && !stage.enabled) return [];
    try {
      registry.resolve(stage.stageType, stage.algorithm).validate(stage);
      return [];
    } catch (error) {
      if (!PipelineError.is(error)) throw error;
      const path: FieldPath =
        error.parameter !== undefined
          ? ['stages', index, 'parameters', error.parameter]
          : error.kind === 'ExecutorNotFound'
            ? ['stages', index, 'algorithm']
            : ['stages', index];
      const declared = registry.capabilities.find((capability) => capabilityServes(capability, stage))?.parameters?.fields;
      const unknownName = error.parameter !== undefined && declared !== undefined && !Object.hasOwn(declared, error.parameter);
      return [`${definition.locate(path, unknownName ? 'key' : 'value')}: ${formatFieldPath(path)}: ${error.message}`];
    }
  });
}
