import type { Command } from 'commander';
import { once } from './option-values.js';

/** What `-i`, `-o`, `--force` and `--no-fsync` give a command that turns one file into another. */
export interface FileToFileOptions {
  readonly input: string;
  readonly output?: string;
  readonly force?: boolean;
  /** False with `--no-fsync`. */
  readonly fsync?: boolean;
}

/** What the help says of a {@link fileToFileCommand}: the command and its `-i` and `-o`. */
export interface FileToFileHelp {
  readonly description: string;
  readonly input: string;
  readonly output: string;
}

/**
 * Declares a command that reads one input and writes one output file: `-i/--input` (required) and
 * `-o/--output`, each at most once, `-f/--force` and `--no-fsync`.
 */
export function fileToFileCommand(parent: Command, name: string, help: FileToFileHelp): Command {
  return parent
    .command(name)
    .description(help.description)
    .requiredOption('-i, --input <file>', help.input, once())
    .option('-o, --output <file>', help.output, once())
    .option('-f, --force', 'overwrite an existing output')
    .option('--no-fsync', 'skip flushing the output to disk (still atomic; a power loss may lose it)');
}
