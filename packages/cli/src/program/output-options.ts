import type { Command } from 'commander';
import { once } from './option-values.js';

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

/** What `-i` and `-o` give a command that reads one input and writes one output. */
export interface InputOutputOptions {
  readonly input: string;
  readonly output?: string;
}

/** Declares `-i/--input` (required) and `-o/--output`, each at most once, with what they name. */
export function withInputAndOutput(command: Command, input: string, output: string): Command {
  return command.requiredOption('-i, --input <file>', input, once()).option('-o, --output <file>', output, once());
}
