import { PipelineError } from '../errors/pipeline-error.js';

/**
 * What a container keeps of the original file besides its bytes and name, as gzip and zstd do:
 * its permission bits and its modification time. Restoring a file gives it these again.
 */
export interface FileAttributes {
  /**
   * The permission bits, a whole number from 0 to 0o777 (`rwxrwxrwx`). The setuid, setgid and
   * sticky bits are never kept: a container must not be able to make a restored file setuid.
   */
  readonly mode: number;
  /**
   * The modification time in milliseconds since the epoch, as Node's `stat` gives it (`mtimeMs`,
   * possibly fractional): finite, from 0 (the epoch) to 8.64e15 (the last time a `Date` holds).
   */
  readonly mtimeMs: number;
}

/** The permission bits a {@link FileAttributes} keeps. */
export const FILE_MODE_BITS = 0o777;

/** The latest modification time a {@link FileAttributes} holds: the end of a `Date`'s range. */
export const MAX_MTIME_MS = 8.64e15;

/**
 * Why `mode` is not a valid {@link FileAttributes.mode}, or `undefined` when it is.
 */
export function fileModeProblem(mode: unknown): string | undefined {
  return typeof mode === 'number' && Number.isInteger(mode) && mode >= 0 && mode <= FILE_MODE_BITS
    ? undefined
    : 'must be a whole number from 0 to 0o777 (511)';
}

/**
 * Why `mtimeMs` is not a valid {@link FileAttributes.mtimeMs}, or `undefined` when it is.
 */
export function fileTimeProblem(mtimeMs: unknown): string | undefined {
  return typeof mtimeMs === 'number' && Number.isFinite(mtimeMs) && mtimeMs >= 0 && mtimeMs <= MAX_MTIME_MS
    ? undefined
    : `must be a finite number of milliseconds from 0 to ${MAX_MTIME_MS}`;
}

/**
 * Checks attributes given to a run or a write.
 *
 * @throws {PipelineError} `InvalidConfiguration` naming `where` and the field.
 */
export function checkFileAttributes(attributes: FileAttributes, where: string): FileAttributes {
  const fail = (message: string): never => {
    throw new PipelineError('InvalidConfiguration', message);
  };
  const modeProblem = fileModeProblem(attributes.mode);
  if (modeProblem !== undefined) fail(`${where}: attributes field 'mode' ${modeProblem}, found ${String(attributes.mode)}`);
  const timeProblem = fileTimeProblem(attributes.mtimeMs);
  if (timeProblem !== undefined) fail(`${where}: attributes field 'mtimeMs' ${timeProblem}, found ${String(attributes.mtimeMs)}`);
  return { mode: attributes.mode, mtimeMs: attributes.mtimeMs };
}

/**
 * The attributes of a file from its status (`fs.stat`): its permission bits (without setuid,
 * setgid and sticky) and its modification time. `undefined` for anything but a regular file (a
 * FIFO's or a device's attributes mean nothing for the file a restore writes) and for a file
 * modified before the epoch.
 */
export function fileAttributesOf(stats: {
  readonly mode: number;
  readonly mtimeMs: number;
  isFile(): boolean;
}): FileAttributes | undefined {
  if (!stats.isFile() || fileTimeProblem(stats.mtimeMs) !== undefined) return undefined;
  return { mode: stats.mode & FILE_MODE_BITS, mtimeMs: stats.mtimeMs };
}
