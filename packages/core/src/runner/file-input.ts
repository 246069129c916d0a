import type { BigIntStats, Stats } from 'node:fs';
import { type FileHandle, open, realpath, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PipelineError } from '../errors/pipeline-error.js';
import type { BlockRequest } from '../format/byte-reader.js';
import type { KernelBuffers } from '../kernel/chunk-kernel.js';

/**
 * The size of a readable regular file.
 *
 * @throws {PipelineError} `InputError` naming the path when it is missing, unreadable or not a file.
 */
export async function inputFileSize(path: string): Promise<number> {
  return (await inputFileStat(path)).size;
}

/**
 * The status (`fs.stat`) of an input path, for its size and, through `fileAttributesOf`, its
 * mode and modification time.
 *
 * @throws {PipelineError} `InputError` naming the path when it is missing, unreadable or a directory.
 */
export async function inputFileStat(path: string): Promise<Stats> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new PipelineError('InputError', `${path}: cannot read the input (${error.code ?? error.message})`, { cause: error });
  });
  if (info.isDirectory()) throw new PipelineError('InputError', `${path}: the input is a directory`);
  return info;
}

/** Options for {@link readFileBlocks}. */
export interface ReadFileOptions {
  /**
   * Receives a one-line message naming the file when a regular file grew while it was read (only
   * the bytes it had when opened are read). Default: the growth is ignored.
   */
  readonly onWarning?: (message: string) => void;
}

/**
 * Reads a file front to back in buffers of `blockSize` bytes (the last may be shorter), fresh
 * ones or, given `buffers`, ones taken from it (the chunk engine's, so they are recycled). A
 * {@link BlockRequest} passed to `next()` (as `ByteReader` does) asks for a smaller block, or for
 * the next bytes to be read into a given buffer.
 * A regular file is read up to the size it had when opened and must not change meanwhile: its
 * status at open is compared with its status at the end, before the last block is handed on.
 * A file that grew is read up to its size at open, with a warning through `options.onWarning`.
 * Anything else (a FIFO, a device, a file of size 0 at open such as those in `/proc`) is read to
 * its end, unchecked.
 *
 * @throws {PipelineError} `InputError` naming the path when opening or reading fails;
 * `InputChanged` naming the path and what changed when the file shrank, or its modification or
 * status-change time moved while its size stayed, during the read.
 */
export async function* readFileBlocks(
  path: string,
  blockSize: number,
  options: ReadFileOptions = {},
  buffers?: KernelBuffers,
): AsyncGenerator<Uint8Array, void, BlockRequest | undefined> {
  const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
    throw new PipelineError('InputError', `${path}: cannot open the input (${error.code ?? error.message})`, { cause: error });
  });
  try {
    const opened = await fileStatus(handle, path);
    const checked = opened.isFile() && opened.size > 0n;
    const limit = checked ? Number(opened.size) : Number.POSITIVE_INFINITY;
    let position = 0;
    let request: BlockRequest | undefined;
    for (;;) {
      const target = request instanceof Uint8Array ? request : undefined;
      const length = Math.min(target?.length ?? (typeof request === 'number' ? Math.min(request, blockSize) : blockSize), limit - position);
      const buffer = target ?? buffers?.take(length) ?? Buffer.allocUnsafe(length);
      let filled = 0;
      while (filled < length) {
        const { bytesRead } = await handle.read(buffer, filled, length - filled, null).catch((error: NodeJS.ErrnoException) => {
          throw new PipelineError('InputError', `${path}: read failed at byte ${position + filled} (${error.code ?? error.message})`, {
            cause: error,
          });
        });
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      position += filled;
      if (filled > 0) request = yield buffer.subarray(0, filled);
      if (filled < length || position === limit) break;
    }
    if (checked) checkUnchanged(path, opened, await fileStatus(handle, path), position, options);
  } finally {
    await handle.close();
  }
}

async function fileStatus(handle: FileHandle, path: string): Promise<BigIntStats> {
  return handle.stat({ bigint: true }).catch((error: NodeJS.ErrnoException) => {
    throw new PipelineError('InputError', `${path}: cannot inspect the input (${error.code ?? error.message})`, { cause: error });
  });
}

/** Compares a regular file's status at open and at the end of a read that got `bytesRead` bytes. */
function checkUnchanged(path: string, opened: BigIntStats, now: BigIntStats, bytesRead: number, options: ReadFileOptions): void {
  const changed = (what: string) =>
    new PipelineError('InputChanged', `${path}: the input changed while it was read (${what}); run again once nothing writes to it`);
  if (now.size < opened.size) throw changed(`size ${opened.size} at open, ${now.size} now`);
  if (bytesRead < opened.size) throw changed(`size ${opened.size} at open, but only ${bytesRead} bytes could be read`);
  if (now.size > opened.size) {
    options.onWarning?.(
      `${path}: the input grew while it was read (size ${opened.size} at open, ${now.size} now); only its first ${opened.size} bytes were read`,
    );
    return;
  }
  for (const [time, at, current] of [
    ['mtime', opened.mtimeNs, now.mtimeNs],
    ['ctime', opened.ctimeNs, now.ctimeNs],
  ] as const) {
    if (at !== current)
      throw changed(`size ${opened.size} unchanged, but modified: ${time} ${isoTime(at)} at open, ${isoTime(current)} now`);
  }
}

/** A time in nanoseconds since the epoch as ISO 8601 with nine fractional digits. */
function isoTime(nanoseconds: bigint): string {
  const seconds = new Date(Number(nanoseconds / 1_000_000_000n) * 1000).toISOString().slice(0, 19);
  return `${seconds}.${(nanoseconds % 1_000_000_000n).toString().padStart(9, '0')}Z`;
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

/** The longest file name most file systems accept, in bytes of UTF-8. */
const maxNameBytes = 255;

/**
 * A safe file name from a name stored in a container: the last path segment, without control
 * characters, never empty, `.` or `..`, and at most 255 bytes of UTF-8. A longer name is cut at a
 * grapheme boundary (never inside a character), keeping a short extension such as `.gz` or
 * `.tar.gz`.
 */
export function sanitizeFileName(name: string | null | undefined, fallback = 'restored'): string {
  const lastSegment = (name ?? '').split(/[\\/]/).pop() ?? '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what a stored name must not keep
  const cleaned = lastSegment.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  if (cleaned === '' || cleaned === '.' || cleaned === '..') return fallback;
  if (Buffer.byteLength(cleaned) <= maxNameBytes) return cleaned;
  const extension = /(?:\.[A-Za-z0-9]{1,8}){1,2}$/.exec(cleaned)?.[0] ?? '';
  return fitBytes(cleaned.slice(0, cleaned.length - extension.length), maxNameBytes - extension.length) + extension;
}

/**
 * The longest start of `text` within `maxBytes` bytes of UTF-8, cut between graphemes (between
 * code points when the first grapheme alone is longer).
 */
function fitBytes(text: string, maxBytes: number): string {
  let kept = '';
  let used = 0;
  for (const { segment } of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)) {
    const pieces = Buffer.byteLength(segment) <= maxBytes - used || kept !== '' ? [segment] : Array.from(segment);
    for (const piece of pieces) {
      const bytes = Buffer.byteLength(piece);
      if (used + bytes > maxBytes) return kept;
      kept += piece;
      used += bytes;
    }
  }
  return kept;
}
