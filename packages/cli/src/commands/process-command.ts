import { basename } from 'node:path';
import { assertDistinctPaths, type FileAttributes, fileAttributesOf, inputFileStat, readFileBlocks, type RunResult } from '@adapipe/core';
import type { Command } from 'commander';
import { collectBatchInputs } from '../batch/batch-inputs.js';
import { inputIdentity, removeInput } from '../batch/remove-input.js';
import { type FileTask, runFileBatch } from '../batch/run-file-batch.js';
import { displayName, inputSource, writeOutput } from '../cli-io.js';
import { CliError, ExitCode } from '../exit-code.js';
import type { CliCommand } from '../program/cli-command.js';
import { byteSize, once, wholeNumber } from '../program/option-values.js';
import {
  type FileToFileOptions,
  fileToFileCommand,
  type OutputChoice,
  planFileToFile,
  underOutputDirectory,
} from '../program/output-options.js';
import type { CliSession } from '../session/cli-session.js';
import { loadTuning, tunedChunkSize, tuningPath } from '../tuning.js';
import { type PipelineChoice, resolvePipeline, validateStages, withPipelineChoice } from './resolve-pipeline.js';
import { runResultJson, summaryLine } from './run-summary.js';

/** Options of `adapipe process`, parsed. */
export interface ProcessCommandOptions extends PipelineChoice, FileToFileOptions {
  readonly chunkSize?: number;
  readonly workers?: number;
}

/** `adapipe process [options] FILE…` (or `-i FILE`, or `-` for stdin). */
export const processCommand: CliCommand = (parent, sessionOf) => {
  const command = fileToFileCommand(parent, 'process', {
    description: 'process files into containers (default pipeline: blake3 → zstd 3 → aes-256-gcm → blake3)',
    inputs: 'files (directories with -r), or - for stdin',
    output: 'FILE.adapipe beside each FILE; stdout for stdin',
    outputDir: 'write the containers under DIR (each FILE.adapipe; with -r the tree under each directory is mirrored)',
    recursive: 'every regular file',
    rm: 'remove each input once its container is written, flushed and verified',
  });
  withPipelineChoice(command)
    .option('--chunk-size <size>', 'chunk size, e.g. 4M (default: adaptive)', once(byteSize('--chunk-size')))
    .option('--workers <n>', 'worker threads / concurrent chunks', once(wholeNumber('--workers', 1, 64)))
    .action((inputs: string[], options: ProcessCommandOptions, self: Command) => runProcess(sessionOf(self), inputs, options));
};

/** Processes files (or stdin) into containers (or stdout): one pipeline, one secret, one batch. */
async function runProcess(session: CliSession, positional: readonly string[], options: ProcessCommandOptions): Promise<void> {
  const { output: print } = session;
  const plan = planFileToFile(positional, options, false);
  const output: OutputChoice = plan.stdin && plan.output.kind === 'beside' ? { kind: 'stdout' } : plan.output;
  if (output.kind === 'stdout') {
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
  const { inputs, refused } = await collectBatchInputs(
    plan.named,
    options,
    (name) => (name.endsWith('.adapipe') ? 'already a container (.adapipe)' : true),
    (line) => print.warn(line),
  );
  const written = new Map<string, string>();
  const task: FileTask = async (input, onProgress) => {
    const target =
      output.kind === 'stdout'
        ? '-'
        : output.kind === 'file'
          ? output.path
          : output.kind === 'directory'
            ? underOutputDirectory(output.directory, `${input.relative}.adapipe`)
            : `${input.path}.adapipe`;
    const earlier = written.get(target);
    if (earlier !== undefined) throw new CliError(`${input.path}: its output ${target} is also the output of ${earlier}`, ExitCode.Output);
    written.set(target, input.path);
    let size: number | undefined;
    let attributes: FileAttributes | undefined;
    if (input.path !== '-') {
      const stats = await inputFileStat(input.path);
      size = stats.size;
      attributes = fileAttributesOf(stats);
      if (target !== '-') await assertDistinctPaths(input.path, target);
    }
    const before = options.rm === true ? await inputIdentity(input.path) : undefined;
    const runChunkSize = chunkSize ?? tunedChunkSize(tuning, size, runner.chunkSizeFor(chosen.pipeline, size));
    const run = runner.process((buffers) => inputSource(input.path, runChunkSize, (message) => print.warn(message), buffers), {
      pipeline: chosen.pipeline,
      chunkSize: runChunkSize,
      ...(size === undefined ? {} : { sizeHint: size }),
      ...(secret === undefined ? {} : { secret }),
      ...(workers === undefined ? {} : { workers, window: 2 * workers }),
      recycleOutput: target !== '-',
      name: input.path === '-' ? null : basename(input.path),
      ...(attributes === undefined ? {} : { attributes }),
      ...session.runOptions,
      onProgress,
    });
    await writeOutput(target, run.output, {
      overwrite: options.force ?? false,
      durable: options.fsync !== false,
      createDirectory: output.kind === 'directory',
    });
    const result: RunResult = await run.result;
    if (before !== undefined) {
      const verified = await runner.verify(
        readFileBlocks(target, 1 << 20),
        { ...(secret === undefined ? {} : { secret }), ...session.runOptions },
        target,
      );
      if (verified.digest !== result.digest) {
        throw new CliError(`${target}: verifies to another digest than ${input.path} had; --rm kept the input`, ExitCode.Corrupt);
      }
      await removeInput(input.path, before);
    }
    return {
      json: { command: 'process', input: input.path, output: target, ...runResultJson(result) },
      lines: [summaryLine('processed', displayName(input.path, 'stdin'), displayName(target, 'stdout'), result)],
      bytesIn: result.bytesIn,
      bytesOut: result.bytesOut,
    };
  };
  await session.metrics.serveDuring(() =>
    runFileBatch(session, { command: 'process', done: 'processed', inputs, refused, single: !plan.batch, lines: 'summary', task }),
  );
}
