import type { Command } from 'commander';

/** What `--force` and `--no-fsync` give a command that writes an output file. */
export interface OutputFileOptions {
  readonly force?: boolean;
  /** False with `--no-fsync`. */
  readonly fsync?: boolean;
}

/** Declares `-f/--force` and `--no-fsync` on a command that writes an output file. */
export function withOutputFileOptions(command: Command): Command {
  return command
    .option('-f, --force', 'overwrite an existing output')
    .option('--no-fsync', 'skip flushing the output to disk (still atomic; a power loss may lose it)');
}
