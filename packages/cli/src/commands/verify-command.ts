import { inputFileSize } from '@adapipe/core';
import type { Command } from 'commander';
import { displayName, inputSource, replayable } from '../cli-io.js';
import type { CliCommand } from '../program/cli-command.js';
import type { CliSession } from '../session/cli-session.js';
import { runResultJson } from './run-summary.js';

/** `adapipe verify CONTAINER [--full]`. */
export const verifyCommand: CliCommand = (parent, sessionOf) => {
  parent
    .command('verify')
    .description('check a container: the header, or with --full every chunk; writes nothing')
    .argument('<container>', 'container, or - for stdin')
    .option('--full', 'read and authenticate every chunk and the trailer')
    .action((input: string, options: { readonly full?: boolean }, self: Command) => runVerify(sessionOf(self), input, options));
};

/** Checks that the header (and with `--full` every chunk) is authentic; writes nothing. */
async function runVerify(session: CliSession, input: string, options: { readonly full?: boolean }): Promise<void> {
  const where = displayName(input, 'stdin');
  const source = replayable(inputSource(input));
  const { runner, encrypted } = await session.services.forContainer(source.peek, where);
  const secret = await session.secrets.get('decrypt', encrypted && options.full === true);
  const size = input === '-' || options.full !== true ? undefined : await inputFileSize(input);
  const restoreOptions = {
    ...(secret === undefined ? {} : { secret }),
    ...(size === undefined ? {} : { sizeHint: size }),
    signal: session.signals.signal,
  };
  if (options.full) {
    const result = await session.metrics.serveDuring(() => runner.verify(source.replay(), restoreOptions, where));
    session.output.result({ command: 'verify', input, full: true, ok: true, ...runResultJson(result) }, [
      `${where}: OK (${result.chunkCount} chunks, ${result.bytesOut} bytes, ${result.header.digestAlgorithm} ${result.digest})`,
    ]);
    return;
  }
  const checked = await runner.verifyHeader(source.replay(), restoreOptions, where);
  const what = checked.authenticated
    ? 'header authenticated'
    : checked.encrypted
      ? 'header checksum OK (MAC not checked: no password or key given)'
      : 'header checksum OK';
  session.output.result(
    { command: 'verify', input, full: false, ok: true, encrypted: checked.encrypted, authenticated: checked.authenticated },
    [`${where}: ${what}; use --full to check every chunk`],
  );
}
