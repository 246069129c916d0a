import { basename } from 'node:path';
import { type AtomicTarget, assertDistinctPaths, inputFileSize, sanitizeFileName, trailerAttributes } from '@adapipe/core';
import type { Command } from 'commander';
import { collectBatchInputs, takeContainers } from '../batch/batch-inputs.js';
import { inputIdentity, removeInput } from '../batch/remove-input.js';
import { type FileTask, runFileBatch } from '../batch/run-file-batch.js';
import { displayName, inputSource, replayable, writeOutput } from '../cli-io.js';
import type { CliCommand } from '../program/cli-command.js';
import { type FileToFileOptions, fileToFileCommand, outputDirectoryFor, planFileToFile } from '../program/output-options.js';
import type { CliSession } from '../session/cli-session.js';
import { runResultJson, summaryLine } from './run-summary.js';

/** Options of `adapipe restore`. */
export type RestoreCommandOptions = FileToFileOptions;

/** `adapipe restore [options] CONTAINER…` (or `-i CONTAINER`, or `-` for stdin). */
export const restoreCommand: CliCommand = (parent, sessionOf) => {
  fileToFileCommand(parent, 'restore', {
    description: 'restore the originals from containers',
    inputs: 'containers (directories with -r: every *.adapipe under them), or - for stdin',
    output: 'the stored name, beside each container (in . for stdin)',
    outputDir: 'write the restored files under DIR, by their stored names (with -r the tree under each directory is mirrored)',
    recursive: 'every *.adapipe',
    rm: 'remove each container once its original is restored (every chunk authenticated) and flushed',
  }).action((inputs: string[], options: RestoreCommandOptions, self: Command) => runRestore(sessionOf(self), inputs, options));
};

/** Restores containers (files or stdin) to their originals (files, directories or stdout, one after another). */
async function runRestore(session: CliSession, positional: readonly string[], options: RestoreCommandOptions): Promise<void> {
  const plan = planFileToFile(positional, options, true);
  const { output } = plan;
  if (output.kind === 'stdout') session.output.sendDataToStdout();
  const { inputs, refused } = await collectBatchInputs(plan.named, options, takeContainers, (line) => session.output.warn(line));
  const task: FileTask = async (input, onProgress) => {
    const where = displayName(input.path, 'stdin');
    const size = input.path === '-' ? undefined : await inputFileSize(input.path);
    if (output.kind === 'file' && input.path !== '-') await assertDistinctPaths(input.path, output.path);
    const before = options.rm === true ? await inputIdentity(input.path) : undefined;
    const source = replayable(inputSource(input.path, undefined, (message) => session.output.warn(message)));
    const { runner, encrypted } = await session.services.forContainer(source.peek, where);
    const runSecret = encrypted ? await session.secrets.get('decrypt', true) : undefined;
    const run = runner.restore(
      source.replay(),
      {
        ...(runSecret === undefined ? {} : { secret: runSecret }),
        recycleOutput: output.kind !== 'stdout',
        ...(size === undefined ? {} : { sizeHint: size }),
        ...session.runOptions,
        onProgress,
      },
      where,
    );
    const unnamed = input.path === '-' ? 'restored' : basename(input.path).replace(/\.adapipe$/, '') || 'restored';
    const target: AtomicTarget =
      output.kind === 'stdout'
        ? '-'
        : output.kind === 'file'
          ? output.path
          : { directory: outputDirectoryFor(output, input), name: async () => sanitizeFileName((await run.result).trailer.name, unnamed) };
    const written = await writeOutput(target, run.output, {
      overwrite: options.force ?? false,
      durable: options.fsync !== false,
      createDirectory: output.kind === 'directory',
      attributes: async () => trailerAttributes((await run.result).trailer),
    });
    const result = await run.result;
    if (before !== undefined) await removeInput(input.path, before);
    return {
      json: { command: 'restore', input: input.path, output: written, name: result.trailer.name, ...runResultJson(result) },
      lines: [summaryLine('restored', where, displayName(written, 'stdout'), result)],
      bytesIn: result.bytesIn,
      bytesOut: result.bytesOut,
    };
  };
  await session.metrics.serveDuring(() =>
    runFileBatch(session, {
      command: 'restore',
      done: 'restored',
      inputs,
      refused,
      single: !plan.batch,
      lines: 'summary',
      sequential: output.kind === 'stdout',
      task,
    }),
  );
}
