import type { Pipeline, StageExecutorRegistry } from '@adapipe/core';
import type { Command } from 'commander';
import { CliError, ExitCode } from '../exit-code.js';
import type { CliCommand } from '../program/cli-command.js';
import type { CliSession } from '../session/cli-session.js';
import { formatStageSpec, parseStageSpec } from '../stage-spec.js';
import { asUsageError, validateStages } from './resolve-pipeline.js';

/** `adapipe pipeline create|list|show|delete`: named pipelines in the SQLite store; `pipeline schema`: the pipeline-file JSON Schema. */
export const pipelineCommand: CliCommand = (parent, sessionOf) => {
  const pipeline = parent.command('pipeline').description('manage named pipelines in the SQLite store');
  pipeline
    .command('create')
    .description('store a pipeline')
    .argument('<name>')
    .requiredOption('--stages <spec>', 'stages as type:algorithm[:key=value;…], comma-separated')
    .action((name: string, options: { readonly stages: string }, self: Command) => createPipeline(sessionOf(self), name, options));
  pipeline
    .command('list')
    .description('list stored pipelines')
    .action((_options: unknown, self: Command) => listPipelines(sessionOf(self)));
  pipeline
    .command('show')
    .description('show a stored pipeline')
    .argument('<name>')
    .action((name: string, _options: unknown, self: Command) => showPipeline(sessionOf(self), name));
  pipeline
    .command('delete')
    .description('delete a stored pipeline')
    .argument('<name>')
    .option('-f, --force', 'delete without asking')
    .action((name: string, options: { readonly force?: boolean }, self: Command) => deletePipeline(sessionOf(self), name, options));
  pipeline
    .command('schema')
    .description('print the JSON Schema of pipeline files for the installed stages (and those of --plugin)')
    .action(async (_options: unknown, self: Command) => printSchema((await sessionOf(self).services.load()).registry));
};

/** `adapipe pipeline schema`: the schema is the command's data, so it goes to stdout whatever the output options. */
async function printSchema(registry: StageExecutorRegistry): Promise<void> {
  const { pipelineFileSchema } = await import('../pipeline-file/pipeline-file-schema.js');
  process.stdout.write(`${JSON.stringify(pipelineFileSchema(registry.capabilities), null, 2)}\n`);
}

/** `adapipe pipeline create NAME --stages SPEC`. */
async function createPipeline(session: CliSession, name: string, options: { readonly stages: string }): Promise<void> {
  const pipeline = parseStageSpec(options.stages, name);
  validateStages((await session.services.load()).registry, { pipeline });
  const store = await session.store.open();
  try {
    await store.create(pipeline);
  } catch (error) {
    asUsageError(error);
  }
  session.output.result({ command: 'pipeline create', ...describe(pipeline) }, [
    `created pipeline '${name}': ${formatStageSpec(pipeline)}`,
  ]);
}

/** `adapipe pipeline list`. */
async function listPipelines(session: CliSession): Promise<void> {
  const store = await session.store.open();
  const summaries = await store.list();
  const pipelines = await Promise.all(summaries.map(async (summary) => (await store.findByName(summary.name))!));
  session.output.result(
    { command: 'pipeline list', pipelines: pipelines.map(describe) },
    pipelines.map((pipeline) => `${pipeline.name.padEnd(16)} ${formatStageSpec(pipeline)}`),
  );
}

/** `adapipe pipeline show NAME`. */
async function showPipeline(session: CliSession, name: string): Promise<void> {
  const pipeline = await requirePipeline(session, name);
  session.output.result({ command: 'pipeline show', ...describe(pipeline), definition: pipeline.toJSON() }, [
    `${pipeline.name}: ${formatStageSpec(pipeline)}`,
    ...pipeline.stages.map(
      (stage) =>
        `  ${stage.order}. ${stage.name}: ${stage.stageType}:${stage.algorithm}${Object.keys(stage.configuration.parameters).length ? ` ${JSON.stringify(stage.configuration.parameters)}` : ''}${stage.enabled ? '' : ' (disabled)'}`,
    ),
  ]);
}

/** `adapipe pipeline delete NAME [--force]`: `--force` is required when no terminal can confirm. */
async function deletePipeline(session: CliSession, name: string, options: { readonly force?: boolean }): Promise<void> {
  await requirePipeline(session, name);
  if (!options.force) {
    throw new CliError(`pipeline delete ${name}: add --force to delete it`, ExitCode.Usage);
  }
  await (await session.store.open()).delete(name);
  session.output.result({ command: 'pipeline delete', name, deleted: true }, [`deleted pipeline '${name}'`]);
}

async function requirePipeline(session: CliSession, name: string): Promise<Pipeline> {
  const store = await session.store.open();
  const pipeline = await store.findByName(name);
  if (pipeline === undefined) {
    const names = (await store.list()).map((summary) => summary.name);
    throw new CliError(`no pipeline named '${name}'; stored pipelines: ${names.join(', ') || '(none)'}`, ExitCode.Usage);
  }
  return pipeline;
}

function describe(pipeline: Pipeline) {
  return { name: pipeline.name, stages: formatStageSpec(pipeline), stageCount: pipeline.stages.length };
}
