import type { Command } from 'commander';
import { CliError, ExitCode } from '../exit-code.js';

/** What `-r/--recursive` and `--follow-symlinks` give a command that reads files or directories. */
export interface DirectoryOptions {
  readonly recursive?: boolean;
  readonly followSymlinks?: boolean;
}

/** Declares `-r/--recursive` (reading `what` under each directory) and `--follow-symlinks`. */
export function withDirectoryOptions(command: Command, what: string): Command {
  return command
    .option('-r, --recursive', `read directories: ${what} under them`)
    .option('--follow-symlinks', 'with -r, follow symbolic links found in directories (left out by default)');
}

/**
 * Checks the named inputs of a command: `-` (stdin) only alone and without `-r`. Returns whether
 * they make a batch (several inputs, or `-r`), where each file is reported on its own.
 *
 * @throws {CliError} usage error saying what to do instead.
 */
export function checkNamedInputs(named: readonly string[], options: DirectoryOptions): { readonly batch: boolean } {
  if (named.includes('-')) {
    if (named.length > 1) throw new CliError('- (stdin) stands alone: give it as the only input', ExitCode.Usage);
    if (options.recursive === true) throw new CliError('-r reads directories, not stdin', ExitCode.Usage);
  }
  return { batch: named.length > 1 || options.recursive === true };
}
