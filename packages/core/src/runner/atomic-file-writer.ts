import { randomBytes } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { type FileHandle, link, lstat, mkdir, open, rename, rmdir, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { checkFileAttributes, type FileAttributes } from '../domain/file-attributes.js';
import { PipelineError } from '../errors/pipeline-error.js';

/** Where {@link writeFileAtomically} writes: a path, or a directory and a name known only at the end. */
export type AtomicTarget = string | { readonly directory: string; readonly name: () => string | Promise<string> };

/** Options for {@link writeFileAtomically}. */
export interface AtomicWriteOptions {
  /** Replace an existing regular file at the target. Default false. */
  readonly overwrite?: boolean;
  /**
   * Flush the file and its directory to disk before returning (`fsync`). Default true. Without it
   * the output is still written atomically, but a power loss soon after may lose it.
   */
  readonly durable?: boolean;
  /**
   * Create the target's directory and its missing parents first (like `mkdir -p`); the ones
   * created are removed again when the write fails. Default false.
   */
  readonly createDirectory?: boolean;
}

/** Options for {@link writeFileAtomically}: {@link AtomicWriteOptions} and the file's attributes. */
export interface WriteFileAtomicallyOptions extends AtomicWriteOptions {
  /**
   * The mode and modification time to give the file, asked once when the content is complete (as
   * the `name` of an {@link AtomicTarget}); `undefined` leaves the defaults (mode 0o600, mtime =
   * now). They are set on the temporary file before it is flushed and renamed, so the file appears
   * at its path with them already: the mode exactly as given (`fchmod`, not reduced by the umask),
   * the modification time to about a microsecond (`futimes` takes seconds as a double) and the
   * access time to the time of the write. Ignored for a character device, FIFO or socket written
   * through (it is never asked).
   *
   * @throws {PipelineError} `InvalidConfiguration` for a mode outside 0–0o777 or a time outside
   * 0–8.64e15 ms; `OutputError` when the file system refuses them (nothing is left behind).
   */
  readonly attributes?: () => FileAttributes | undefined | Promise<FileAttributes | undefined>;
}

/** A target that is written through, never replaced: a character device, a FIFO or a socket. */
export type StreamTargetKind = 'character device' | 'FIFO' | 'socket';

/**
 * Checks that `target` may be written: not a symbolic link, a directory or a block device, and
 * absent unless `overwrite` is set — except a character device, FIFO or socket (`/dev/null`, a
 * named pipe), which is written through and needs no `overwrite`. Returns that kind for such a
 * target, else `undefined`.
 *
 * @throws {PipelineError} `OutputError` naming the path and the reason.
 */
export async function checkOutputTarget(target: string, options: AtomicWriteOptions = {}): Promise<StreamTargetKind | undefined> {
  const existing = await lstat(target).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw new PipelineError('OutputError', `${target}: cannot inspect the output path (${error.code ?? error.message})`, { cause: error });
  });
  if (existing === undefined) return undefined;
  const stream = streamTargetKind(existing);
  if (stream !== undefined) return stream;
  if (existing.isSymbolicLink()) {
    throw new PipelineError('OutputError', `${target}: the output path is a symbolic link; refusing to write through it`);
  }
  if (existing.isDirectory()) {
    throw new PipelineError('OutputError', `${target}: the output path is a directory`);
  }
  if (existing.isBlockDevice()) {
    throw new PipelineError('OutputError', `${target}: the output path is a block device; refusing to write to it`);
  }
  if (!options.overwrite) {
    throw new PipelineError('OutputError', `${target}: the output file exists; set overwrite: true to replace it`);
  }
  return undefined;
}

function streamTargetKind(stats: Stats): StreamTargetKind | undefined {
  if (stats.isCharacterDevice()) return 'character device';
  if (stats.isFIFO()) return 'FIFO';
  if (stats.isSocket()) return 'socket';
  return undefined;
}

/**
 * Writes `content` to `target` so that the target is either untouched or complete: the bytes go to
 * a temporary file in the target's directory, which is flushed to disk and then renamed (without
 * `overwrite`, linked, so an existing file is never replaced). On any error the temporary file is
 * removed and the error rethrown. Returns the path written. A character device, FIFO or socket
 * given as the path is written through directly instead (no temporary file, no rename, no flush),
 * so `/dev/null` and named pipes stay what they are; a name known only at the end must not be one.
 * With `options.attributes` the file gets a mode and modification time before it appears.
 *
 * @throws {PipelineError} `OutputError` for an unusable target or a failed write; whatever
 * `content` throws.
 */
export async function writeFileAtomically(
  destination: AtomicTarget,
  content: AsyncIterable<Uint8Array>,
  options: WriteFileAtomicallyOptions = {},
): Promise<string> {
  const directory = typeof destination === 'string' ? dirname(destination) : destination.directory;
  let target = typeof destination === 'string' ? destination : directory;
  if (typeof destination === 'string' && (await checkOutputTarget(target, options)) !== undefined) {
    return writeThrough(target, content);
  }
  const created = options.createDirectory ? await createDirectory(directory) : undefined;
  const temporary = join(
    directory,
    `.${typeof destination === 'string' ? basename(target) : 'adapipe-restore'}.${randomBytes(6).toString('hex')}.tmp`,
  );
  let handle: FileHandle | undefined;
  try {
    handle = await open(temporary, 'wx', 0o600).catch((error: NodeJS.ErrnoException) => {
      throw new PipelineError(
        'OutputError',
        error.code === 'ENOENT'
          ? `${target}: the directory ${directory} does not exist; create it first`
          : `${target}: cannot create ${target === directory ? 'a file there' : `a file in ${directory}`} (${error.code ?? error.message})`,
        { cause: error },
      );
    });
    for await (const part of content) {
      await writeAll(handle, part, target);
    }
    const attributes = await options.attributes?.();
    if (attributes !== undefined) await applyAttributes(handle, checkFileAttributes(attributes, target), target);
    if (options.durable !== false) await handle.sync();
    await handle.close();
    handle = undefined;
    if (typeof destination !== 'string') {
      target = join(directory, await destination.name());
      const stream = await checkOutputTarget(target, options);
      if (stream !== undefined) {
        throw new PipelineError(
          'OutputError',
          `${target}: the output path is a ${stream}, not a file; give it as the output path (-o) to write through it`,
        );
      }
    }
    if (options.overwrite) {
      await rename(temporary, target);
    } else {
      await link(temporary, target).catch((error: NodeJS.ErrnoException) => {
        throw new PipelineError(
          'OutputError',
          error.code === 'EEXIST'
            ? `${target}: the output file appeared while writing; not replaced`
            : `${target}: cannot create the output (${error.code ?? error.message})`,
          { cause: error },
        );
      });
      await unlink(temporary);
    }
    if (options.durable !== false) await syncDirectory(directory);
    return target;
  } catch (error) {
    await handle?.close().catch(() => {});
    await unlink(temporary).catch(() => {});
    if (created !== undefined) await removeCreatedDirectories(directory, created);
    throw error;
  }
}

/** Writes `content` straight into an existing character device, FIFO or socket. */
async function writeThrough(target: string, content: AsyncIterable<Uint8Array>): Promise<string> {
  const handle = await open(target, constants.O_WRONLY | constants.O_NOFOLLOW).catch((error: NodeJS.ErrnoException) => {
    throw new PipelineError('OutputError', `${target}: cannot open the output (${error.code ?? error.message})`, { cause: error });
  });
  try {
    if (streamTargetKind(await handle.stat()) === undefined) {
      throw new PipelineError('OutputError', `${target}: the output path was replaced while it was opened; not written`);
    }
    for await (const part of content) await writeAll(handle, part, target);
  } finally {
    await handle.close();
  }
  return target;
}

/** `mkdir -p directory`; returns the first directory it created (absolute), if any. */
async function createDirectory(directory: string): Promise<string | undefined> {
  return mkdir(directory, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
    throw new PipelineError('OutputError', `${directory}: cannot create the output directory (${error.code ?? error.message})`, {
      cause: error,
    });
  });
}

/** Removes `directory` and its parents up to `created`, each only if empty. */
async function removeCreatedDirectories(directory: string, created: string): Promise<void> {
  for (let current = resolve(directory); ; current = dirname(current)) {
    await rmdir(current).catch(() => {});
    if (current === created || dirname(current) === current) return;
  }
}

/** Gives the open file `attributes`: its mode, its modification time, and now as its access time. */
async function applyAttributes(handle: FileHandle, attributes: FileAttributes, target: string): Promise<void> {
  const failed = (what: string) => (error: NodeJS.ErrnoException) => {
    throw new PipelineError('OutputError', `${target}: cannot set the ${what} (${error.code ?? error.message})`, { cause: error });
  };
  await handle.chmod(attributes.mode).catch(failed('file mode'));
  await handle.utimes(new Date(), attributes.mtimeMs / 1000).catch(failed('modification time'));
}

async function writeAll(handle: FileHandle, bytes: Uint8Array, target: string): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset).catch((error: NodeJS.ErrnoException) => {
      throw new PipelineError('OutputError', `${target}: write failed (${error.code ?? error.message})`, { cause: error });
    });
    offset += bytesWritten;
  }
}

async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r').catch(() => undefined);
  if (handle === undefined) return;
  await handle.sync().catch(() => {});
  await handle.close();
}
