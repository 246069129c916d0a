import { resolve } from 'node:path';
import { defineModuleOptions, filePath } from '@adapipe/core';

/** Options of {@link TeeStageExecutor} and `teeContainerModule`. */
export interface TeeOptions {
  /**
   * Restricts every tee output to this directory: relative `output_path`s resolve against it, and a
   * path that leads outside it (by `..`, an absolute path or a symbolic link) is refused. Unset:
   * any writable path, relative paths resolving against the working directory.
   */
  readonly baseDirectory?: string;
}

/** {@link TeeOptions} after validation, with `baseDirectory` made absolute. */
export interface ResolvedTeeOptions {
  /** The absolute base directory, or `undefined` when outputs may go anywhere. */
  readonly baseDirectory: string | undefined;
}

const teeOptions = defineModuleOptions('teeContainerModule', {
  baseDirectory: filePath({ expected: 'a directory path (not empty, no NUL character)' }),
});

/**
 * Checks tee options and fills in defaults.
 *
 * @throws {TypeError | RangeError} naming the option, as `defineModuleOptions` words it.
 */
export function resolveTeeOptions(options: TeeOptions = {}): ResolvedTeeOptions {
  const { baseDirectory } = teeOptions.resolve(options);
  return { baseDirectory: baseDirectory === undefined ? undefined : resolve(baseDirectory) };
}
