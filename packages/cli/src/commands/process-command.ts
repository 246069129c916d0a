import { basename } from 'node:path';
import { assertDistinctPaths, inputFileSize, type RunResult } from '@adapipe/core';
import type { Command } from 'commander';
import { displayName, inputSource, writeOutput } from '../cli-io.js';
import { CliError, ExitCode } from '../exit-code.js';
import type { CliCommand } from '../program/cli-command.js';
import { byteSize, once, wholeNumber } from '../program/option-values.js';
import { type FileToFileOptions, fileToFileCommand } from '../program/output-options.js';
import type { CliSession } from '../session/cli-session.js';
import { loadTuning, tunedChunkSize, tuningPath } from '../tuning.js';
import { type PipelineChoice, resolvePipeline, validateStages, withPipelineChoice } from './resolve-pipeline.js';
import { runResultJson, summaryLine } from './run-summary.js';

/** Options of `adapipe process`, parsed. */
export interface ProcessCommandOptions extends PipelineChoice, FileToFileOptions {
  readonly chunkSize?: number;
  readonly workers?: number;
}

/** `adapipe process -i FILE [-o OUT] [pipeline] [--chunk-size] [--workers] [-f] [--no-fsync]`. */
export const processCommand: CliCommand = (parent, sessionOf) => {
  const command = fileToFileCommand(parent, 'process', {
    description: 'process a file into a container (default pipeline: blake3 → zstd 3 → aes-256-gcm → blake3)',
    input: 'input file, or - for stdin',
    output: 'output container, or - for stdout (default: INPUT.adapipe)',
  });
  withPipelineChoice(command)
    .option('--chunk-size <size>', 'chunk size, e.g. 4M (default: adaptive)', once(byteSize('--chunk-size')))
    .option('--workers <n>', 'worker threads / concurrent chunks', once(wholeNumber('--workers', 1, 64)))
    .action((options: ProcessCommandOptions, self: Command) => runProcess(sessionOf(self), options));
};

/** Processes a file or stdin into a container file or stdout. */
async function runProcess(session: CliSession, options: ProcessCommandOptions): Promise<void> {
  const { output: print } = session;
  const output = options.output ?? (options.input === '-' ? '-' : `${options.input}.adapipe`);
  if (output === '-') {
    if (process.stdout.isTTY === true && options.force !== true) {
      throw new CliError(
        'refusing to write a binary container to the terminal; redirect stdout (> FILE.adapipe), give -o FILE, or pass --force',
        ExitCode.Usage,
      );
    }
    print.sendDataToStdout();
  }
  const chosen = await resolvePipeline(options, () => session.store.open());
  const chunkSize = options.chunkSize ?? chosen.chunkSize;
  const tuning =
    chunkSize === undefined || options.workers === undefined ? await loadTuning(await tuningPath(session.options.db)) : undefined;
  const workers = options.workers ?? tuning?.workers;
  const { runner, registry } = await session.services.load(
    chosen.plugins,
    chosen.pipeline.enabledStages.map((stage) => ({ type: stage.stageType, algorithm: stage.algorithm })),
  );
  validateStages(registry, chosen);
  const encrypts = chosen.pipeline.enabledStages.some((stage) => stage.stageType === 'encryption');
  const secret = await session.secrets.get('encrypt', encrypts);
  let size: number | undefined;
  if (options.input !== '-') {
    size = await inputFileSize(options.input);
    if (output !== '-') await assertDistinctPaths(options.input, output);
  }
  const runChunkSize = chunkSize ?? tunedChunkSize(tuning, size, runner.chunkSizeFor(chosen.pipeline, size));
  const progress = session.progress('process', size);
  const result: RunResult = await session.metrics.serveDuring(async () => {
    const run = runner.process((buffers) => inputSource(options.input, runChunkSize, (message) => print.warn(message), buffers), {
      pipeline: chosen.pipeline,
      chunkSize: runChunkSize,
      ...(size === undefined ? {} : { sizeHint: size }),
      ...(secret === undefined ? {} : { secret }),
      ...(workers === undefined ? {} : { workers, window: 2 * workers }),
      recycleOutput: output !== '-',
      name: options.input === '-' ? null : basename(options.input),
      signal: session.signals.signal,
      onProgress: (bytes) => progress.update(bytes),
    });
    try {
      await writeOutput(output, run.output, { overwrite: options.force ?? false, durable: options.fsync !== false });
    } finally {
      progress.finish();
    }
    return run.result;
  });
  print.info(summaryLine('processed', displayName(options.input, 'stdin'), displayName(output, 'stdout'), result));
  print.result({ command: 'process', input: options.input, output, ...runResultJson(result) }, []);
}
