import { type AtomicTarget, assertDistinctPaths, inputFileSize, sanitizeFileName } from '@adapipe/core';
import type { Command } from 'commander';
import { displayName, inputSource, replayable, writeOutput } from '../cli-io.js';
import { CliError, ExitCode } from '../exit-code.js';
import type { CliCommand } from '../program/cli-command.js';
import { once } from '../program/option-values.js';
import { type FileToFileOptions, fileToFileCommand } from '../program/output-options.js';
import type { CliSession } from '../session/cli-session.js';
import { runResultJson, summaryLine } from './run-summary.js';

/** Options of `adapipe restore`. */
export interface RestoreCommandOptions extends FileToFileOptions {
  readonly outputDir?: string;
}

/** `adapipe restore -i CONTAINER [-o FILE | --output-dir DIR] [-f] [--no-fsync]`. */
export const restoreCommand: CliCommand = (parent, sessionOf) => {
  fileToFileCommand(parent, 'restore', {
    description: 'restore the original from a container',
    input: 'container, or - for stdin',
    output: 'output file, or - for stdout',
  })
    .option('--output-dir <dir>', 'directory for the restored file, named as stored (default: .)', once())
    .action((options: RestoreCommandOptions, self: Command) => runRestore(sessionOf(self), options));
};

/** Restores a container (file or stdin) to the original (file, directory or stdout). */
async function runRestore(session: CliSession, options: RestoreCommandOptions): Promise<void> {
  if (options.output !== undefined && options.outputDir !== undefined) {
    throw new CliError('choose one of -o and --output-dir', ExitCode.Usage);
  }
  if (options.output === '-') session.output.sendDataToStdout();
  const where = displayName(options.input, 'stdin');
  const size = options.input === '-' ? undefined : await inputFileSize(options.input);
  if (options.output !== undefined && options.output !== '-' && options.input !== '-')
    await assertDistinctPaths(options.input, options.output);
  const source = replayable(inputSource(options.input, undefined, (message) => session.output.warn(message)));
  const { runner, encrypted } = await session.services.forContainer(source.peek, where);
  const secret = await session.secrets.get('decrypt', encrypted);
  const progress = session.progress('restore', size);
  const result = await session.metrics.serveDuring(async () => {
    const run = runner.restore(
      source.replay(),
      {
        ...(secret === undefined ? {} : { secret }),
        recycleOutput: options.output !== '-',
        ...(size === undefined ? {} : { sizeHint: size }),
        signal: session.signals.signal,
        onProgress: (bytes) => progress.update(bytes),
      },
      where,
    );
    const target: AtomicTarget = options.output ?? {
      directory: options.outputDir ?? '.',
      name: async () => sanitizeFileName((await run.result).trailer.name),
    };
    try {
      const written = await writeOutput(target, run.output, {
        overwrite: options.force ?? false,
        durable: options.fsync !== false,
        createDirectory: options.outputDir !== undefined,
      });
      return { ...(await run.result), written };
    } finally {
      progress.finish();
    }
  });
  session.output.info(summaryLine('restored', where, displayName(result.written, 'stdout'), result));
  session.output.result(
    { command: 'restore', input: options.input, output: result.written, name: result.trailer.name, ...runResultJson(result) },
    [],
  );
}
