import { inputFileSize } from '@adapipe/core';
import type { Command } from 'commander';
import { collectBatchInputs } from '../batch/batch-inputs.js';
import { type FileResult, runFileBatch } from '../batch/run-file-batch.js';
import { inputSource, replayable } from '../cli-io.js';
import { CliError, ExitCode } from '../exit-code.js';
import type { CliCommand } from '../program/cli-command.js';
import { type DirectoryOptions, withDirectoryOptions } from '../program/directory-options.js';
import { underOutputDirectory } from '../program/output-options.js';
import type { CliSession } from '../session/cli-session.js';

/** Options of `adapipe compare`. */
interface CompareCommandOptions extends DirectoryOptions {
  readonly original?: string;
  readonly adapipe?: string;
  readonly containers?: string;
}

/** `adapipe compare FILE… [-r] [--containers DIR]`, or `adapipe compare --original FILE --adapipe CONTAINER`. */
export const compareCommand: CliCommand = (parent, sessionOf) => {
  withDirectoryOptions(
    parent
      .command('compare')
      .description('check that containers restore to exactly their originals (exit 5 when one differs)')
      .argument('[originals...]', 'original files (directories with -r), each compared with FILE.adapipe beside it or under --containers')
      .option('--containers <dir>', 'where the containers are, as process --output-dir DIR wrote them'),
    'every regular file',
  )
    .option('--original <file>', 'one original file (with --adapipe)')
    .option('--adapipe <container>', 'its container (with --original)')
    .action((originals: string[], options: CompareCommandOptions, self: Command) => runCompare(sessionOf(self), originals, options));
};

/** Whether each container restores to exactly its original; exit 5 when one does not. */
async function runCompare(session: CliSession, originals: readonly string[], options: CompareCommandOptions): Promise<void> {
  const pair = options.original !== undefined || options.adapipe !== undefined;
  if (
    pair &&
    (options.original === undefined || options.adapipe === undefined || originals.length > 0 || options.containers !== undefined)
  ) {
    throw new CliError('--original and --adapipe name one pair, together and without other files or --containers', ExitCode.Usage);
  }
  if (!pair && originals.length === 0)
    throw new CliError('give the originals: FILE… (or --original FILE --adapipe CONTAINER)', ExitCode.Usage);
  const { inputs, refused } = pair
    ? { inputs: [{ path: options.original!, relative: options.original! }], refused: [] }
    : await collectBatchInputs(
        originals,
        options,
        (name) => !name.endsWith('.adapipe') || '',
        (line) => session.output.warn(line),
      );
  const containerOf = (input: { readonly path: string; readonly relative: string }): string =>
    pair
      ? options.adapipe!
      : options.containers === undefined
        ? `${input.path}.adapipe`
        : underOutputDirectory(options.containers, `${input.relative}.adapipe`);
  await runFileBatch(session, {
    command: 'compare',
    done: 'compared',
    inputs,
    refused,
    single: pair || (originals.length === 1 && options.recursive !== true),
    lines: 'result',
    task: (input) => compareOne(session, input.path, containerOf(input)),
  });
}

/** Restores `container` alongside reading `original`, stopping at the first byte that differs. */
async function compareOne(session: CliSession, originalPath: string, container: string): Promise<FileResult> {
  await inputFileSize(originalPath);
  const source = replayable(inputSource(container));
  const { runner, encrypted } = await session.services.forContainer(source.peek, container);
  const secret = encrypted ? await session.secrets.get('decrypt', true) : undefined;
  const restored = runner.restore(source.replay(), { ...(secret === undefined ? {} : { secret }), ...session.runOptions }, container);
  const original = inputSource(originalPath)[Symbol.asyncIterator]();
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
    throw new CliError(`${container}: differs from ${originalPath} at byte ${difference}`, ExitCode.Differ);
  }
  const result = await restored.result;
  return {
    json: {
      command: 'compare',
      original: originalPath,
      adapipe: container,
      identical: true,
      bytes: result.bytesOut,
      digestAlgorithm: result.header.digestAlgorithm,
      digest: result.digest,
    },
    lines: [
      `${container}: restores to exactly ${originalPath} (${result.bytesOut} bytes, ${result.header.digestAlgorithm} ${result.digest})`,
    ],
    bytesIn: result.bytesIn,
    bytesOut: result.bytesOut,
  };
}
