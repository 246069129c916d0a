import { PipelineError } from '@adapipe/core';
import type { CliContext } from '../cli-context.js';
import { CliError, ExitCode } from '../exit-code.js';
import { formatStageSpec } from '../stage-spec.js';

/** `adapipe validate FILE`: a pipeline definition (JSON, YAML or TOML) parses, loads its plugins and checks every stage. */
export async function validateCommand(context: CliContext, file: string): Promise<void> {
  const definition = await (await import('../pipeline-definition.js')).loadPipelineDefinition(file);
  const { registry } = await context.services(definition.plugins);
  definition.pipeline.stages.forEach((stage, index) => {
    try {
      registry.resolve(stage.stageType, stage.algorithm).validate(stage);
    } catch (error) {
      if (PipelineError.is(error)) throw new CliError(`${file}: stages[${index}] ('${stage.name}'): ${error.message}`, ExitCode.Input);
      throw error;
    }
  });
  context.result(
    {
      command: 'validate',
      file,
      valid: true,
      name: definition.pipeline.name,
      stages: formatStageSpec(definition.pipeline),
      plugins: definition.plugins,
    },
    [`${file}: valid pipeline '${definition.pipeline.name}': ${formatStageSpec(definition.pipeline)}`],
  );
}
