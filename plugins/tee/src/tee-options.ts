import { resolve } from 'node:path';

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

const knownOptions: readonly string[] = ['baseDirectory'];

/**
 * Checks tee options and fills in defaults.
 *
 * @throws {TypeError} naming the option when `options` is not an object, has an unknown key, or
 * `baseDirectory` is not a non-empty string without NUL characters.
 */
export function resolveTeeOptions(options: TeeOptions = {}): ResolvedTeeOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`tee options must be an object, found ${options === null ? 'null' : typeof options}`);
  }
  for (const key of Object.keys(options)) {
    if (!knownOptions.includes(key)) {
      throw new TypeError(`tee options: unknown option '${key}'; known options: ${knownOptions.join(', ')}`);
    }
  }
  const { baseDirectory } = options;
  if (baseDirectory === undefined) return { baseDirectory: undefined };
  if (typeof baseDirectory !== 'string' || baseDirectory.trim() === '' || baseDirectory.includes('\0')) {
    throw new TypeError(
      `tee options: baseDirectory must be a non-empty directory path without NUL characters, found ${JSON.stringify(baseDirectory)}`,
    );
  }
  return { baseDirectory: resolve(baseDirectory) };
}
