import { randomBytes } from 'node:crypto';
import { type FileHandle, link, lstat, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
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
}

/**
 * Checks that `target` may be written: not a symbolic link, not a directory, and absent unless
 * `overwrite` is set.
 *
 * @throws {PipelineError} `OutputError` naming the path and the reason.
 */
export async function checkOutputTarget(target: string, options: AtomicWriteOptions = {}): Promise<void> {
  const existing = await lstat(target).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw new PipelineError('OutputError', `${target}: cannot inspect the output path (${error.code ?? error.message})`, { cause: error });
  });
  if (existing === undefined) return;
  if (existing.isSymbolicLink()) {
    throw new PipelineError('OutputError', `${target}: the output path is a symbolic link; refusing to write through it`);
  }
  if (existing.isDirectory()) {
    throw new PipelineError('OutputError', `${target}: the output path is a directory`);
  }
  if (!options.overwrite) {
    throw new PipelineError('OutputError', `${target}: the output file exists; pass --force (overwrite) to replace it`);
  }
}

/**
 * Writes `content` to `target` so that the target is either untouched or complete: the bytes go to
 * a temporary file in the target's directory, which is flushed to disk and then renamed (without
 * `overwrite`, linked, so an existing file is never replaced). On any error the temporary file is
 * removed and the error rethrown. Returns the path written.
 *
 * @throws {PipelineError} `OutputError` for an unusable target or a failed write; whatever
 * `content` throws.
 */
export async function writeFileAtomically(
  destination: AtomicTarget,
  content: AsyncIterable<Uint8Array>,
  options: AtomicWriteOptions = {},
): Promise<string> {
  const directory = typeof destination === 'string' ? dirname(destination) : destination.directory;
  let target = typeof destination === 'string' ? destination : directory;
  if (typeof destination === 'string') await checkOutputTarget(target, options);
  const temporary = join(directory, `.${typeof destination === 'string' ? basename(target) : 'adapipe-restore'}.${randomBytes(6).toString('hex')}.tmp`);
  let handle: FileHandle | undefined;
  try {
    handle = await open(temporary, 'wx', 0o600).catch((error: NodeJS.ErrnoException) => {
      throw new PipelineError('OutputError', `${target}: cannot create ${target === directory ? 'a file there' : `a file in ${directory}`} (${error.code ?? error.message})`, { cause: error });
    });
    for await (const part of content) {
      await writeAll(handle, part, target);
    }
    if (options.durable !== false) await handle.sync();
    await handle.close();
    handle = undefined;
    if (typeof destination !== 'string') {
      target = join(directory, await destination.name());
      await checkOutputTarget(target, options);
    }
    if (options.overwrite) {
      await rename(temporary, target);
    } else {
      await link(temporary, target).catch((error: NodeJS.ErrnoException) => {
        throw new PipelineError(
          'OutputError',
          error.code === 'EEXIST' ? `${target}: the output file appeared while writing; not replaced` : `${target}: cannot create the output (${error.code ?? error.message})`,
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
    throw error;
  }
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
