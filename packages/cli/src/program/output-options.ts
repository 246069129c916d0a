import { dirname, join, resolve, sep } from 'node:path';
import type { Command } from 'commander';
import { CliError, ExitCode } from '../exit-code.js';
import { checkNamedInputs, type DirectoryOptions, withDirectoryOptions } from './directory-options.js';
import { once } from './option-values.js';

/** What the options of a {@link fileToFileCommand} give its action. */
export interface FileToFileOptions extends DirectoryOptions {
  /** `-i FILE`: one more input, before the positional ones (kept from the single-file command line). */
  readonly input?: string;
  readonly output?: string;
  /** `-c/--stdout`. */
  readonly stdout?: boolean;
  readonly outputDir?: string;
  /** `-k/--keep`: the default, accepted for zstd and gzip users. */
  readonly keep?: boolean;
  /** `--rm`: remove each input once its output is complete and checked. */
  readonly rm?: boolean;
  readonly force?: boolean;
  /** False with `--no-fsync`. */
  readonly fsync?: boolean;
}

/** What the help says of a {@link fileToFileCommand}. */
export interface FileToFileHelp {
  readonly description: string;
  /** The positional inputs. */
  readonly inputs: string;
  /** What each input becomes without `-o`, `-c` or `--output-dir`. */
  readonly output: string;
  /** What `--output-dir` does. */
  readonly outputDir: string;
  /** What `--rm` removes, and after what. */
  readonly rm: string;
  /** What `-r` reads under a directory. */
  readonly recursive: string;
}

/** Where a file-to-file command writes. */
export type OutputChoice =
  | { readonly kind: 'beside' }
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'stdout' }
  | { readonly kind: 'directory'; readonly directory: string };

/** A file-to-file command line, checked: its inputs, where they go, and whether this is a batch. */
export interface FileToFilePlan {
  /** The inputs as named: files, directories (with `-r`), or `-` alone. */
  readonly named: readonly string[];
  /** Whether the input is standard input. */
  readonly stdin: boolean;
  readonly output: OutputChoice;
  /** Several inputs or `-r`: each file reported on its own, then a summary. */
  readonly batch: boolean;
}

/**
 * Declares a command that turns each input file into an output file: inputs as arguments (or
 * `-i`, at most once), `-o`, `-c/--stdout`, `--output-dir`, `-r/--recursive`, `--follow-symlinks`,
 * `-k/--keep`, `--rm`, `-f/--force` and `--no-fsync`.
 */
export function fileToFileCommand(parent: Command, name: string, help: FileToFileHelp): Command {
  const command = parent
    .command(name)
    .description(help.description)
    .argument('[inputs...]', help.inputs)
    .option('-i, --input <file>', 'one input, as an option (the same as giving it as an argument)', once())
    .option('-o, --output <file>', `the output of a single input, or - for stdout (default: ${help.output})`, once())
    .option('-c, --stdout', 'write to stdout (the same as -o -)')
    .option('--output-dir <dir>', help.outputDir, once());
  return withDirectoryOptions(command, help.recursive)
    .option('-k, --keep', 'keep the inputs (the default)')
    .option('--rm', help.rm)
    .option('-f, --force', 'overwrite existing outputs')
    .option('--no-fsync', 'skip flushing outputs to disk (still atomic; a power loss may lose them)');
}

/**
 * Checks a file-to-file command line: at least one input, `-` alone, one of `-o`, `-c` and
 * `--output-dir`, `-o` only for a single input, `-c` for several only when `stdoutTakesSeveral`
 * (restore concatenates; containers cannot be), `--rm` only for files written to disk.
 *
 * @throws {CliError} usage error saying what to do instead.
 */
export function planFileToFile(positional: readonly string[], options: FileToFileOptions, stdoutTakesSeveral: boolean): FileToFilePlan {
  const named = [...(options.input === undefined ? [] : [options.input]), ...positional];
  const usage = (message: string) => new CliError(message, ExitCode.Usage);
  if (named.length === 0) throw usage('give an input: FILE… (or -i FILE; - reads stdin)');
  const stdin = named.includes('-');
  const { batch } = checkNamedInputs(named, options);
  const chosen = [
    options.output !== undefined && '-o',
    options.stdout === true && '-c',
    options.outputDir !== undefined && '--output-dir',
  ].filter((flag): flag is string => flag !== false);
  if (chosen.length > 1) throw usage(`choose one of -o, -c and --output-dir; found ${chosen.join(', ')}`);
  const output: OutputChoice =
    options.stdout === true || options.output === '-'
      ? { kind: 'stdout' }
      : options.output !== undefined
        ? { kind: 'file', path: options.output }
        : options.outputDir !== undefined
          ? { kind: 'directory', directory: options.outputDir }
          : { kind: 'beside' };
  if (output.kind === 'file' && batch) throw usage('-o names the output of one input; for several use --output-dir DIR (or -c)');
  if (output.kind === 'stdout' && batch && !stdoutTakesSeveral) {
    throw usage('-c writes one container to stdout, and containers cannot be concatenated: give one input, or use --output-dir DIR');
  }
  if (options.rm === true) {
    if (options.keep === true) throw usage('choose one of -k (keep the inputs) and --rm');
    if (stdin || output.kind === 'stdout') throw usage('--rm removes inputs only once their outputs are files: not with stdin or stdout');
    if (options.fsync === false) throw usage('--rm removes inputs only once their outputs are on disk: drop --no-fsync');
  }
  return { named, stdin, output, batch };
}

/**
 * `relative` under `directory`, refused when it would end outside it (a path with `..` or an
 * absolute one).
 *
 * @throws {CliError} output error naming the path.
 */
export function underOutputDirectory(directory: string, relative: string): string {
  const root = resolve(directory);
  const target = resolve(root, relative);
  if (!target.startsWith(root + sep)) {
    throw new CliError(`${relative}: would be written outside --output-dir ${directory}; refused`, ExitCode.Output);
  }
  return join(directory, relative);
}

/** The directory an input's output goes to when it is named by the output itself (restore's stored name). */
export function outputDirectoryFor(output: OutputChoice, input: { readonly path: string; readonly relative: string }): string {
  if (output.kind === 'directory') return dirname(underOutputDirectory(output.directory, input.relative));
  return input.path === '-' ? '.' : dirname(input.path);
}
