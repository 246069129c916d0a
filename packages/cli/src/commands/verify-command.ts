import { inputFileSize } from '@adapipe/core';
import type { CliContext } from '../cli-context.js';
import { displayName, inputSource, replayable } from '../cli-io.js';
import { runResultJson } from './run-summary.js';

/** `adapipe verify IN [--full]`: the header (and with `--full` every chunk) is authentic; writes nothing. */
export async function verifyCommand(context: CliContext, input: string, options: { readonly full?: boolean }): Promise<void> {
  const where = displayName(input, 'stdin');
  const source = replayable(inputSource(input));
  const { runner, encrypted } = await context.servicesForContainer(source.peek, where);
  const secret = await context.secret('decrypt', encrypted && options.full === true);
  const size = input === '-' || options.full !== true ? undefined : await inputFileSize(input);
  const restoreOptions = {
    ...(secret === undefined ? {} : { secret }),
    ...(size === undefined ? {} : { sizeHint: size }),
    signal: context.controller.signal,
  };
  if (options.full) {
    const result = await context.withMetrics(() => runner.verify(source.replay(), restoreOptions, where));
    context.result({ command: 'verify', input, full: true, ok: true, ...runResultJson(result) }, [
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
  context.result({ command: 'verify', input, full: false, ok: true, encrypted: checked.encrypted, authenticated: checked.authenticated }, [
    `${where}: ${what}; use --full to check every chunk`,
  ]);
}
