import type { Command } from 'commander';
import { CliError, ExitCode } from '../exit-code.js';
import type { CliCommand } from '../program/cli-command.js';
import type { CliSession } from '../session/cli-session.js';
import { formatStageSpec } from '../stage-spec.js';

/** `adapipe validate FILE`. */
export const validateCommand: CliCommand = (parent, sessionOf) => {
  parent
    .command('validate')
    .description('check a pipeline definition file (JSON, YAML or TOML)')
    .argument('<file>')
    .action((file: string, _options: unknown, self: Command) => runValidate(sessionOf(self), file));
};

/**
 * Checks that a pipeline definition (JSON, YAML or TOML) parses, loads its plugins and that every
 * stage is valid; reports every problem, one line each, as `file:line:column: field: message`.
 */
async function runValidate(session: CliSession, file: string): Promise<void> {
  const definition = await (await import('../pipeline-definition.js')).loadPipelineDefinition(file);
  const { registry } = await session.services.load(definition.plugins);
  const problems = (await import('../pipeline-file/stage-problems.js')).stageProblems(definition, registry);
  if (problems.length > 0) throw new CliError(problems.join('\n'), ExitCode.Input);
  session.output.result(
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
