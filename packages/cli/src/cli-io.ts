import { once } from 'node:events';
import { type AtomicTarget, type KernelBuffers, readFileBlocks, type WriteFileAtomicallyOptions, writeFileAtomically } from '@adapipe/core';
import { CliError, ExitCode } from './exit-code.js';

/**
 * Bytes from a file, or from standard input for `-`. A file that grows while it is read is read up
 * to its size at open and reported to `onWarning`; one that shrinks or is modified fails the read
 * (`InputChanged`). A file is read into `buffers` when given (a run's, so they are recycled).
 */
export function inputSource(
  path: string,
  blockSize = 1 << 20,
  onWarning?: (message: string) => void,
  buffers?: KernelBuffers,
): AsyncIterable<Uint8Array> {
  return path === '-' ? (process.stdin as AsyncIterable<Uint8Array>) : readFileBlocks(path, blockSize, { onWarning }, buffers);
}

/** A display name for a path, `-` shown as `stdin`/`stdout`. */
export function displayName(path: string, stream: 'stdin' | 'stdout'): string {
  return path === '-' ? stream : path;
}

/**
 * Writes `content` to standard output (for `-`, with back-pressure) or atomically to a file
 * (with the `attributes` it is given, such as a restored original's mode and mtime).
 * Returns the path written, or `-`.
 *
 * @throws {CliError} `BrokenPipe` (141) when the reader of standard output went away (`| head`),
 * `Output` when writing to it fails otherwise.
 */
export async function writeOutput(
  target: AtomicTarget,
  content: AsyncIterable<Uint8Array>,
  options: WriteFileAtomicallyOptions,
): Promise<string> {
  if (target === '-') {
    await writeToStdout(content);
    return '-';
  }
  return writeFileAtomically(target, content, options);
}

async function writeToStdout(content: AsyncIterable<Uint8Array>): Promise<void> {
  const stdout = process.stdout;
  let failure: NodeJS.ErrnoException | undefined;
  const failed = new Promise<void>((resolve) =>
    stdout.on('error', (error: NodeJS.ErrnoException) => {
      failure ??= error;
      resolve();
    }),
  );
  for await (const part of content) {
    if (!stdout.write(part)) await Promise.race([once(stdout, 'drain'), failed]);
    if (failure !== undefined) break;
  }
  if (failure === undefined) await Promise.race([new Promise<void>((resolve) => stdout.write('', () => resolve())), failed]);
  if (failure?.code === 'EPIPE') throw new CliError('stdout: the reader closed the pipe', ExitCode.BrokenPipe);
  if (failure !== undefined) throw new CliError(`stdout: write failed (${failure.code ?? failure.message})`, ExitCode.Output);
}

/**
 * Lets a caller read the start of a stream and then read it all again from the beginning: what is
 * read through `peek` is kept and replayed by `replay`, then the rest follows.
 */
export function replayable(source: AsyncIterable<Uint8Array>): {
  peek: AsyncIterable<Uint8Array>;
  replay: () => AsyncIterable<Uint8Array>;
} {
  const iterator = source[Symbol.asyncIterator]();
  const seen: Uint8Array[] = [];
  const peek: AsyncIterable<Uint8Array> = {
    [Symbol.asyncIterator]: () => ({
      next: async () => {
        const next = await iterator.next();
        if (!next.done) seen.push(next.value);
        return next;
      },
      return: async () => ({ done: true, value: undefined }),
    }),
  };
  // What the consumer passes to `next` (a BlockRequest) reaches the source once the replayed part is through.
  const replay = async function* (): AsyncGenerator<Uint8Array, void, unknown> {
    yield* seen;
    const source = iterator as AsyncIterator<Uint8Array, unknown, unknown>;
    let request: unknown;
    for (let next = await source.next(); !next.done; next = await source.next(request)) request = yield next.value;
  };
  return { peek, replay };
}
