import { open, realpath, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PipelineError } from '../errors/pipeline-error.js';

/**
 * The size of a readable regular file.
 *
 * @throws {PipelineError} `InputError` naming the path when it is missing, unreadable or not a file.
 */
export async function inputFileSize(path: string): Promise<number> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new PipelineError('InputError', `${path}: cannot read the input (${error.code ?? error.message})`, { cause: error });
  });
  if (info.isDirectory()) throw new PipelineError('InputError', `${path}: the input is a directory`);
  return info.size;
}

/**
 * Reads a file front to back in fresh buffers of `blockSize` bytes (the last may be shorter).
 *
 * @throws {PipelineError} `InputError` naming the path when opening or reading fails.
 */
export async function* readFileBlocks(path: string, blockSize: number): AsyncGenerator<Uint8Array> {
  const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
    throw new PipelineError('InputError', `${path}: cannot open the input (${error.code ?? error.message})`, { cause: error });
  });
  try {
    for (;;) {
      const buffer = Buffer.allocUnsafe(blockSize);
      let filled = 0;
      while (filled < blockSize) {
        const { bytesRead } = await handle.read(buffer, filled, blockSize - filled, null).catch((error: NodeJS.ErrnoException) => {
          throw new PipelineError('InputError', `${path}: read failed at byte ${filled} of a block (${error.code ?? error.message})`, { cause: error });
        });
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      if (filled > 0) yield buffer.subarray(0, filled);
      if (filled < blockSize) return;
    }
  } finally {
    await handle.close();
  }
}

/**
 * Refuses to write over the input.
 *
 * @throws {PipelineError} `InputError` when both paths name the same file.
 */
export async function assertDistinctPaths(input: string, output: string): Promise<void> {
  const real = async (path: string) => realpath(path).catch(() => resolve(path));
  if ((await real(input)) === (await real(output))) {
    throw new PipelineError('InputError', `${input}: the input and the output are the same file`);
  }
}

/**
 * A safe file name from a name stored in a container: the last path segment, without control
 * characters, never empty, `.` or `..`.
 */
export function sanitizeFileName(name: string | null | undefined, fallback = 'restored'): string {
  const lastSegment = (name ?? '').split(/[\\/]/).pop() ?? '';
  const cleaned = lastSegment.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  if (cleaned === '' || cleaned === '.' || cleaned === '..') return fallback;
  return cleaned.slice(0, 255);
}
