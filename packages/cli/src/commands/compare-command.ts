import { inputFileSize } from '@adapipe/core';
import type { Command } from 'commander';
import { inputSource, replayable } from '../cli-io.js';
import { CliError, ExitCode } from '../exit-code.js';
import type { CliCommand } from '../program/cli-command.js';
import type { CliSession } from '../session/cli-session.js';

/** Options of `adapipe compare`. */
interface CompareCommandOptions {
  readonly original: string;
  readonly adapipe: string;
}

/** `adapipe compare --original FILE --adapipe CONTAINER`. */
export const compareCommand: CliCommand = (parent, sessionOf) => {
  parent
    .command('compare')
    .description('check that a container restores to exactly a file (exit 5 when they differ)')
    .requiredOption('--original <file>', 'the original file')
    .requiredOption('--adapipe <container>', 'the container')
    .action((options: CompareCommandOptions, self: Command) => runCompare(sessionOf(self), options));
};

/** Whether the container restores to exactly the original; exit 5 when not. */
async function runCompare(session: CliSession, options: CompareCommandOptions): Promise<void> {
  await inputFileSize(options.original);
  const source = replayable(inputSource(options.adapipe));
  const { runner, encrypted } = await session.services.forContainer(source.peek, options.adapipe);
  const secret = await session.secrets.get('decrypt', encrypted);
  const restored = runner.restore(
    source.replay(),
    { ...(secret === undefined ? {} : { secret }), signal: session.signals.signal },
    options.adapipe,
  );
  const original = inputSource(options.original)[Symbol.asyncIterator]();
  let pending: Uint8Array = new Uint8Array(0);
  let offset = 0;
  let difference: number | undefined;
  for await (const part of restored.output) {
    let position = 0;
    while (position < part.length && difference === undefined) {
      if (pending.length === 0) {
        const next = await original.next();
        if (next.done) {
          difference = offset;
          break;
        }
        pending = next.value;
      }
      const length = Math.min(pending.length, part.length - position);
      for (let index = 0; index < length; index++) {
        if (pending[index] !== part[position + index]) {
          difference = offset + index;
          break;
        }
      }
      if (difference !== undefined) break;
      pending = pending.subarray(length);
      position += length;
      offset += length;
    }
    if (difference !== undefined) break;
  }
  if (difference === undefined && (pending.length > 0 || !(await original.next()).done)) difference = offset;
  await original.return?.();
  if (difference !== undefined) {
    session.output.result(
      { command: 'compare', original: options.original, adapipe: options.adapipe, identical: false, firstDifference: difference },
      [],
    );
    throw new CliError(`${options.adapipe}: differs from ${options.original} at byte ${difference}`, ExitCode.Differ);
  }
  const result = await restored.result;
  session.output.result(
    {
      command: 'compare',
      original: options.original,
      adapipe: options.adapipe,
      identical: true,
      bytes: result.bytesOut,
      digestAlgorithm: result.header.digestAlgorithm,
      digest: result.digest,
    },
    [
      `${options.adapipe}: restores to exactly ${options.original} (${result.bytesOut} bytes, ${result.header.digestAlgorithm} ${result.digest})`,
    ],
  );
}
