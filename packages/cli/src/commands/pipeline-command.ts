import type { Pipeline } from '@adapipe/core';
import type { CliContext } from '../cli-context.js';
import { CliError, ExitCode } from '../exit-code.js';
import { formatStageSpec, parseStageSpec } from '../stage-spec.js';
import { openStore } from './open-store.js';
import { asUsageError } from './resolve-pipeline.js';

/** `adapipe pipeline create NAME --stages SPEC`. */
export async function pipelineCreateCommand(context: CliContext, name: string, options: { readonly stages: string }): Promise<void> {
  const pipeline = parseStageSpec(options.stages, name);
  const { registry } = await context.services();
  for (const stage of pipeline.enabledStages) {
    try {
      registry.resolve(stage.stageType, stage.algorithm).validate(stage);
    } catch (error) {
      asUsageError(error);
    }
  }
  const store = await openStore(context.options.db);
  try {
    await store.create(pipeline);
  } catch (error) {
    asUsageError(error);
  }
  context.result({ command: 'pipeline create', ...describe(pipeline) }, [`created pipeline '${name}': ${formatStageSpec(pipeline)}`]);
}

/** `adapipe pipeline list`. */
export async function pipelineListCommand(context: CliContext): Promise<void> {
  const store = await openStore(context.options.db);
  const summaries = await store.list();
  const pipelines = await Promise.all(summaries.map(async (summary) => (await store.findByName(summary.name))!));
  context.result(
    { command: 'pipeline list', pipelines: pipelines.map(describe) },
    pipelines.map((pipeline) => `${pipeline.name.padEnd(16)} ${formatStageSpec(pipeline)}`),
  );
}

/** `adapipe pipeline show NAME`. */
export async function pipelineShowCommand(context: CliContext, name: string): Promise<void> {
  const pipeline = await requirePipeline(context, name);
  context.result({ command: 'pipeline show', ...describe(pipeline), definition: pipeline.toJSON() }, [
    `${pipeline.name}: ${formatStageSpec(pipeline)}`,
    ...pipeline.stages.map(
      (stage) =>
        `  ${stage.order}. ${stage.name}: ${stage.stageType}:${stage.algorithm}${Object.keys(stage.configuration.parameters).length ? ` ${JSON.stringify(stage.configuration.parameters)}` : ''}${stage.enabled ? '' : ' (disabled)'}`,
    ),
  ]);
}

/** `adapipe pipeline delete NAME [--force]`: `--force` is required when no terminal can confirm. */
export async function pipelineDeleteCommand(context: CliContext, name: string, options: { readonly force?: boolean }): Promise<void> {
  await requirePipeline(context, name);
  if (!options.force) {
    throw new CliError(`pipeline delete ${name}: add --force to delete it`, ExitCode.Usage);
  }
  await (await openStore(context.options.db)).delete(name);
  context.result({ command: 'pipeline delete', name, deleted: true }, [`deleted pipeline '${name}'`]);
}

async function requirePipeline(context: CliContext, name: string): Promise<Pipeline> {
  const store = await openStore(context.options.db);
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
