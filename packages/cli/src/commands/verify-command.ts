import { inputFileSize } from '@adapipe/core';
import type { Command } from 'commander';
import { collectBatchInputs, takeContainers } from '../batch/batch-inputs.js';
import { type FileTask, runFileBatch } from '../batch/run-file-batch.js';
import { displayName, inputSource, replayable } from '../cli-io.js';
import type { CliCommand } from '../program/cli-command.js';
import { checkNamedInputs, type DirectoryOptions, withDirectoryOptions } from '../program/directory-options.js';
import type { CliSession } from '../session/cli-session.js';
import { runResultJson } from './run-summary.js';

/** Options of `adapipe verify`. */
interface VerifyCommandOptions extends DirectoryOptions {
  readonly full?: boolean;
}

/** `adapipe verify [--full] [-r] CONTAINER…`. */
export const verifyCommand: CliCommand = (parent, sessionOf) => {
  withDirectoryOptions(
    parent
      .command('verify')
      .description('check containers: the header, or with --full every chunk; writes nothing')
      .argument('<containers...>', 'containers (directories with -r: every *.adapipe under them), or - for stdin')
      .option('--full', 'read and authenticate every chunk and the trailer'),
    'every *.adapipe',
  ).action((inputs: string[], options: VerifyCommandOptions, self: Command) => runVerify(sessionOf(self), inputs, options));
};

/** Checks that each header (and with `--full` every chunk) is authentic; writes nothing. */
async function runVerify(session: CliSession, named: readonly string[], options: VerifyCommandOptions): Promise<void> {
  const { batch } = checkNamedInputs(named, options);
  const { inputs, refused } = await collectBatchInputs(named, options, takeContainers, (line) => session.output.warn(line));
  const task: FileTask = async (input, onProgress) => {
    const where = displayName(input.path, 'stdin');
    const source = replayable(inputSource(input.path));
    const { runner, encrypted } = await session.services.forContainer(source.peek, where);
    const runSecret =
      encrypted && options.full === true ? await session.secrets.get('decrypt', true) : await session.secrets.get('decrypt', false);
    const size = input.path === '-' || options.full !== true ? undefined : await inputFileSize(input.path);
    const restoreOptions = {
      ...(runSecret === undefined ? {} : { secret: runSecret }),
      ...(size === undefined ? {} : { sizeHint: size }),
      ...session.runOptions,
      onProgress,
    };
    if (options.full) {
      const result = await runner.verify(source.replay(), restoreOptions, where);
      return {
        json: { command: 'verify', input: input.path, full: true, ...runResultJson(result) },
        lines: [`${where}: OK (${result.chunkCount} chunks, ${result.bytesOut} bytes, ${result.header.digestAlgorithm} ${result.digest})`],
        bytesIn: result.bytesIn,
        bytesOut: result.bytesOut,
      };
    }
    const checked = await runner.verifyHeader(source.replay(), restoreOptions, where);
    const what = checked.authenticated
      ? 'header authenticated'
      : checked.encrypted
        ? 'header checksum OK (MAC not checked: no password or key given)'
        : 'header checksum OK';
    return {
      json: { command: 'verify', input: input.path, full: false, encrypted: checked.encrypted, authenticated: checked.authenticated },
      lines: [`${where}: ${what}; use --full to check every chunk`],
      bytesIn: 0,
      bytesOut: 0,
    };
  };
  await session.metrics.serveDuring(() =>
    runFileBatch(session, {
      command: 'verify',
      done: 'verified',
      inputs,
      refused,
      single: !batch,
      lines: 'result',
      task,
    }),
  );
}
