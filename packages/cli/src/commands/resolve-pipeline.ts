import { type Pipeline, PipelineError, type PipelineRepository, type StageExecutorRegistry } from '@adapipe/core';
import type { Command } from 'commander';
import { DEFAULT_STAGES } from '../default-pipelines.js';
import { CliError, ExitCode } from '../exit-code.js';
import type { PipelineDefinition } from '../pipeline-definition.js';
import { stageProblems } from '../pipeline-file/stage-problems.js';
import { once } from '../program/option-values.js';
import { parseStageSpec } from '../stage-spec.js';

/** How a command names its pipeline: at most one of these. */
export interface PipelineChoice {
  readonly pipeline?: string;
  readonly stages?: string;
  readonly pipelineFile?: string;
}

/** Declares `-p`, `--stages` and `--pipeline-file`, each at most once, on a command that runs a pipeline. */
export function withPipelineChoice(command: Command): Command {
  return command
    .option('-p, --pipeline <name>', 'a stored pipeline', once())
    .option('--stages <spec>', 'stages as type:algorithm[:key=value;…], comma-separated', once())
    .option('--pipeline-file <file>', 'a pipeline definition (JSON, YAML or TOML)', once());
}

/** A chosen pipeline and the plugins its definition asks for. */
export interface ResolvedPipeline {
  readonly pipeline: Pipeline;
  readonly plugins: readonly string[];
  readonly chunkSize?: number;
  /** The pipeline file it was read from, so problems can be placed in it. */
  readonly definition?: PipelineDefinition;
}

/**
 * The pipeline from `--stages`, `--pipeline-file` or `-p NAME` (looked up in the store), or the
 * default pipeline.
 *
 * @throws {CliError} usage error when more than one is given or the name is unknown.
 */
export async function resolvePipeline(choice: PipelineChoice, openStore: () => Promise<PipelineRepository>): Promise<ResolvedPipeline> {
  const given = [choice.pipeline && '-p', choice.stages && '--stages', choice.pipelineFile && '--pipeline-file'].filter(Boolean);
  if (given.length > 1) throw new CliError(`choose one of ${given.join(', ')}`, ExitCode.Usage);
  if (choice.stages !== undefined) return { pipeline: parseStageSpec(choice.stages), plugins: [] };
  if (choice.pipelineFile !== undefined) {
    const definition = await (await import('../pipeline-definition.js')).loadPipelineDefinition(choice.pipelineFile);
    return {
      pipeline: definition.pipeline,
      plugins: definition.plugins,
      definition,
      ...(definition.chunkSize === undefined ? {} : { chunkSize: definition.chunkSize }),
    };
  }
  if (choice.pipeline !== undefined) {
    const store = await openStore();
    const pipeline = await store.findByName(choice.pipeline);
    if (pipeline === undefined) {
      const names = (await store.list()).map((summary) => summary.name);
      throw new CliError(`-p ${choice.pipeline}: no such pipeline; stored pipelines: ${names.join(', ') || '(none)'}`, ExitCode.Usage);
    }
    return { pipeline, plugins: [] };
  }
  return { pipeline: parseStageSpec(DEFAULT_STAGES, 'default'), plugins: [] };
}

/** Rethrows a missing executor while processing as a usage error: the user named the stage. */
export function asUsageError(error: unknown): never {
  if (PipelineError.is(error, 'ExecutorNotFound') || PipelineError.is(error, 'InvalidConfiguration')) {
    throw new CliError(error.message, ExitCode.Usage, { cause: error });
  }
  throw error;
}

/**
 * Checks every enabled stage with the executor that serves it, before anything is read or written.
 *
 * @throws {CliError} usage error naming the stage when no executor serves it or a parameter is bad;
 * for a pipeline read from a file, an input error listing every such problem with its place in it.
 */
export function validateStages(
  registry: StageExecutorRegistry,
  { pipeline, definition }: Pick<ResolvedPipeline, 'pipeline' | 'definition'>,
): void {
  if (definition !== undefined) {
    const problems = stageProblems(definition, registry, { enabledOnly: true });
    if (problems.length > 0) throw new CliError(problems.join('\n'), ExitCode.Input);
    return;
  }
  for (const stage of pipeline.enabledStages) {
    try {
      registry.resolve(stage.stageType, stage.algorithm).validate(stage);
    } catch (error) {
      asUsageError(error);
    }
  }
}
