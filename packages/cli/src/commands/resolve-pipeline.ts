import { type Pipeline, type PipelineRepository, PipelineError } from '@adapipe/core';
import { DEFAULT_STAGES } from '../default-pipelines.js';
import { CliError, ExitCode } from '../exit-code.js';
import { parseStageSpec } from '../stage-spec.js';

/** How a command names its pipeline: at most one of these. */
export interface PipelineChoice {
  readonly pipeline?: string;
  readonly stages?: string;
  readonly pipelineFile?: string;
}

/** A chosen pipeline and the plugins its definition asks for. */
export interface ResolvedPipeline {
  readonly pipeline: Pipeline;
  readonly plugins: readonly string[];
  readonly chunkSize?: number;
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
