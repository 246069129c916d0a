import { basename } from 'node:path';
import { assertDistinctPaths, inputFileSize, type RunResult } from '@adapipe/core';
import { parseByteSize } from '../byte-size.js';
import type { CliContext } from '../cli-context.js';
import { displayName, inputSource, writeOutput } from '../cli-io.js';
import { CliError, ExitCode } from '../exit-code.js';
import { loadTuning, tunedChunkSize, tuningPath } from '../tuning.js';
import { runResultJson, summaryLine } from './run-summary.js';
import { asUsageError, type PipelineChoice, resolvePipeline } from './resolve-pipeline.js';
import { openStore } from './open-store.js';

/** Options of `adapipe process`. */
export interface ProcessCommandOptions extends PipelineChoice {
  readonly input: string;
  readonly output?: string;
  readonly chunkSize?: string;
  readonly workers?: string;
  readonly force?: boolean;
  readonly fsync?: boolean;
}

/** `adapipe process`: a file or stdin into a container file or stdout. */
export async function processCommand(context: CliContext, options: ProcessCommandOptions): Promise<void> {
  const output = options.output ?? (options.input === '-' ? '-' : `${options.input}.adapipe`);
  if (output === '-') {
    if (process.stdout.isTTY === true && options.force !== true) {
      throw new CliError(
        'refusing to write a binary container to the terminal; redirect stdout (> FILE.adapipe), give -o FILE, or pass --force',
        ExitCode.Usage,
      );
    }
    context.sendDataToStdout();
  }
  const chosen = await resolvePipeline(options, () => openStore(context.options.db));
  const chunkSize = options.chunkSize === undefined ? chosen.chunkSize : parseByteSize(options.chunkSize, '--chunk-size');
  const tuning =
    chunkSize === undefined || options.workers === undefined ? await loadTuning(await tuningPath(context.options.db)) : undefined;
  const workers = parseWorkers(options.workers) ?? tuning?.workers;
  const { runner, registry } = await context.services(
    chosen.plugins,
    chosen.pipeline.enabledStages.map((stage) => ({ type: stage.stageType, algorithm: stage.algorithm })),
  );
  for (const stage of chosen.pipeline.enabledStages) {
    try {
      registry.resolve(stage.stageType, stage.algorithm).validate(stage);
    } catch (error) {
      asUsageError(error);
    }
  }
  const encrypts = chosen.pipeline.enabledStages.some((stage) => stage.stageType === 'encryption');
  const secret = await context.secret('encrypt', encrypts);
  let size: number | undefined;
  if (options.input !== '-') {
    size = await inputFileSize(options.input);
    if (output !== '-') await assertDistinctPaths(options.input, output);
  }
  const runChunkSize = chunkSize ?? tunedChunkSize(tuning, size, runner.chunkSizeFor(chosen.pipeline, size));
  const progress = context.progress('process', size);
  const result: RunResult = await context.withMetrics(async () => {
    const run = runner.process((buffers) => inputSource(options.input, runChunkSize, (message) => context.warn(message), buffers), {
      pipeline: chosen.pipeline,
      chunkSize: runChunkSize,
      ...(size === undefined ? {} : { sizeHint: size }),
      ...(secret === undefined ? {} : { secret }),
      ...(workers === undefined ? {} : { workers, window: 2 * workers }),
      recycleOutput: output !== '-',
      name: options.input === '-' ? null : basename(options.input),
      signal: context.controller.signal,
      onProgress: (bytes) => progress.update(bytes),
    });
    try {
      await writeOutput(output, run.output, { overwrite: options.force ?? false, durable: options.fsync !== false });
    } finally {
      progress.finish();
    }
    return run.result;
  });
  context.info(summaryLine('processed', displayName(options.input, 'stdin'), displayName(output, 'stdout'), result));
  context.result({ command: 'process', input: options.input, output, ...runResultJson(result) }, []);
}

/** `--workers N` as a whole number from 1 to 64. */
export function parseWorkers(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const workers = Number(text);
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) {
    throw new CliError(`--workers ${text}: expected a whole number from 1 to 64`, ExitCode.Usage);
  }
  return workers;
}
