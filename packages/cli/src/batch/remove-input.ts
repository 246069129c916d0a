import type { Stats } from 'node:fs';
import { lstat, stat, unlink } from 'node:fs/promises';
import { CliError, ExitCode } from '../exit-code.js';

/** What `--rm` checks an input against: the file as it was before its run. */
export type InputIdentity = Pick<Stats, 'dev' | 'ino' | 'size' | 'mtimeMs'>;

/** The input's identity before its run, for {@link removeInput}. */
export async function inputIdentity(path: string): Promise<InputIdentity> {
  const { dev, ino, size, mtimeMs } = await stat(path);
  return { dev, ino, size, mtimeMs };
}

/**
 * `--rm`: removes the input once its output is complete and checked, only when it is still the
 * file that was read (same device, inode, size and modification time).
 *
 * @throws {CliError} `InputChanged` naming the file when it changed since it was read (it is kept),
 * `Output` when it cannot be removed.
 */
export async function removeInput(path: string, before: InputIdentity): Promise<void> {
  const now = await lstat(path).catch(() => undefined);
  if (now === undefined || now.dev !== before.dev || now.ino !== before.ino || now.size !== before.size || now.mtimeMs !== before.mtimeMs) {
    throw new CliError(`${path}: changed since it was read, so --rm kept it (its output is complete)`, ExitCode.InputChanged);
  }
  await unlink(path).catch((error: NodeJS.ErrnoException) => {
    throw new CliError(`${path}: --rm could not remove it (${error.code ?? error.message}); its output is complete`, ExitCode.Output);
  });
}
