import { type FileHandle, open } from 'node:fs/promises';
import { PipelineError } from '../errors/pipeline-error.js';
import type { SkippableSource } from './byte-reader.js';

/**
 * A file as a {@link SkippableSource}: blocks of `blockSize` bytes read with positioned reads, so
 * skipping a record's payload costs no I/O. The file is opened on the first read and closed at the
 * end of the iteration (or when the iteration is stopped).
 *
 * @throws {PipelineError} `InputError` naming the path when opening or reading fails.
 */
export function skippableFileSource(path: string, blockSize = 64 * 1024): SkippableSource {
  let handle: FileHandle | undefined;
  let size = 0;
  let position = 0;
  const close = async () => {
    await handle?.close();
    handle = undefined;
  };
  return {
    skip(length) {
      const skipped = Math.max(0, Math.min(length, size - position));
      position += skipped;
      return skipped;
    },
    [Symbol.asyncIterator]: () => ({
      async next() {
        if (handle === undefined) {
          handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
            throw new PipelineError('InputError', `${path}: cannot open the input (${error.code ?? error.message})`, { cause: error });
          });
          size = (await handle.stat()).size;
        }
        if (position >= size) {
          await close();
          return { done: true, value: undefined };
        }
        const buffer = Buffer.allocUnsafe(Math.min(blockSize, size - position));
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, position).catch((error: NodeJS.ErrnoException) => {
          throw new PipelineError('InputError', `${path}: read failed at byte ${position} (${error.code ?? error.message})`, {
            cause: error,
          });
        });
        if (bytesRead === 0) {
          await close();
          return { done: true, value: undefined };
        }
        position += bytesRead;
        return { done: false, value: buffer.subarray(0, bytesRead) };
      },
      async return() {
        await close();
        return { done: true, value: undefined };
      },
    }),
  };
}
