import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PipelineError } from '@adapipe/core';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { CliContext, type GlobalOptions } from './cli-context.js';
import { benchmarkCommand } from './commands/benchmark-command.js';
import { compareCommand } from './commands/compare-command.js';
import { inspectCommand } from './commands/inspect-command.js';
import { closeStore } from './commands/open-store.js';
import { pipelineCreateCommand, pipelineDeleteCommand, pipelineListCommand, pipelineShowCommand } from './commands/pipeline-command.js';
import { pluginsCommand } from './commands/plugins-command.js';
import { processCommand } from './commands/process-command.js';
import { restoreCommand } from './commands/restore-command.js';
import { validateCommand } from './commands/validate-command.js';
import { verifyCommand } from './commands/verify-command.js';
import { CliError, ExitCode, exitCodeOf } from './exit-code.js';

const version = ownVersion();

/** The version in this package's package.json, found by walking up from this file (src or dist). */
function ownVersion(): string {
  for (let directory = dirname(fileURLToPath(import.meta.url)); ; directory = dirname(directory)) {
    const candidate = join(directory, 'package.json');
    if (existsSync(candidate)) return (JSON.parse(readFileSync(candidate, 'utf8')) as { version: string }).version;
    if (dirname(directory) === directory) return '0.0.0';
  }
}

/**
 * Runs the `adapipe` command line and resolves with its exit code; never throws. Errors are one
 * line on stderr, a JSON object under `--json` (with the stack under `--verbose`); a closed stdout
 * ends quietly with 141.
 */
export async function runCli(argv: readonly string[]): Promise<number> {
  let context: CliContext | undefined;
  const contextOf = (command: Command) => (context ??= new CliContext(command.optsWithGlobals() as GlobalOptions));
  const usageText: string[] = [];
  const program = buildProgram(contextOf, (text) => usageText.push(text));
  const json = () => (program.opts() as GlobalOptions).json === true;
  try {
    await program.parseAsync(argv, { from: 'user' });
    return ExitCode.Ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return ExitCode.Ok;
      const shownHelp = error.code === 'commander.help' ? usageText : [];
      reportFailure(json(), `${error.message.replace(/^error: /, '')}; see --help`, ExitCode.Usage, 'Usage', shownHelp);
      return ExitCode.Usage;
    }
    const interrupted = context?.interruptedBy;
    const code =
      interrupted !== undefined && (PipelineError.is(error, 'Cancelled') || context?.controller.signal.aborted)
        ? interrupted === 'SIGINT'
          ? ExitCode.Interrupted
          : ExitCode.Terminated
        : exitCodeOf(error);
    if (code === ExitCode.BrokenPipe) return code;
    const detail = error instanceof Error ? error.message : String(error);
    const typed = error instanceof CliError && PipelineError.is(error.cause) ? error.cause : error;
    const hint = PipelineError.is(typed, 'ExecutorNotFound') ? '; a third-party stage loads with --plugin MODULE' : '';
    const message = interrupted === undefined ? `${detail}${hint}` : `interrupted by ${interrupted} (${detail})`;
    const kind = PipelineError.is(typed) ? typed.kind : typed instanceof CliError ? undefined : 'Internal';
    reportFailure(json(), message, code, kind, []);
    if (context?.options.verbose && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    return code;
  } finally {
    closeStore();
  }
}

/**
 * Reports a failed command on stderr: one line `adapipe: MESSAGE`, or with `--json` one JSON object
 * `{"error":{"message","exitCode","kind"?}}`. `usageText`, when given, is the help shown instead of
 * the line (for `adapipe` without a command).
 */
function reportFailure(json: boolean, message: string, exitCode: ExitCode, kind: string | undefined, usageText: readonly string[]): void {
  if (json) {
    process.stderr.write(`${JSON.stringify({ error: { message, exitCode, ...(kind === undefined ? {} : { kind }) } })}\n`);
  } else if (usageText.length > 0) {
    process.stderr.write(usageText.join(''));
  } else {
    process.stderr.write(`adapipe: ${message}\n`);
  }
}

/** An option that may be given once: a second value is a usage error instead of silently replacing the first. */
function once(value: string, previous: string | undefined): string {
  if (previous !== undefined) throw new InvalidArgumentError(`it was already given as '${previous}'; give it once per call`);
  return value;
}

function buildProgram(contextOf: (command: Command) => CliContext, writeUsage: (text: string) => void): Command {
  const program = new Command('adapipe')
    .description('Process files through ordered stages into authenticated .adapipe containers, and restore them bit for bit.')
    .version(version, '-V, --version')
    .option('--json', 'print one JSON result object on stdout (on stderr when stdout carries the data), errors as JSON on stderr')
    .option('-q, --quiet', 'print nothing but errors')
    .option('-v, --verbose', 'print more, and stack traces on errors')
    .option('--metrics-port <port>', 'serve Prometheus metrics on 127.0.0.1:<port>/metrics during the run')
    .option('--db <path>', 'pipeline store (default: $ADAPIPE_DB or the user data directory)')
    .option('--plugin <module>', 'load a third-party stage plugin (repeatable)', (value: string, previous: string[] = []) => [
      ...previous,
      value,
    ])
    .option('--password-file <file>', 'read the password from a file')
    .option('--key-file <file>', 'read a raw 32-byte key (or 64 hex digits) from a file')
    .addOption(new Option('--password [value]').hideHelp())
    .addOption(new Option('--key [value]').hideHelp())
    .exitOverride()
    .configureOutput({ writeErr: writeUsage });

  const pipelineOptions = (command: Command) =>
    command
      .option('-p, --pipeline <name>', 'a stored pipeline', once)
      .option('--stages <spec>', 'stages as type:algorithm[:key=value;…], comma-separated', once)
      .option('--pipeline-file <file>', 'a pipeline definition (JSON, YAML or TOML)', once);

  pipelineOptions(
    program
      .command('process')
      .description('process a file into a container (default pipeline: blake3 → zstd 3 → aes-256-gcm → blake3)')
      .requiredOption('-i, --input <file>', 'input file, or - for stdin', once)
      .option('-o, --output <file>', 'output container, or - for stdout (default: INPUT.adapipe)', once),
  )
    .option('--chunk-size <size>', 'chunk size, e.g. 4M (default: adaptive)', once)
    .option('--workers <n>', 'worker threads / concurrent chunks', once)
    .option('-f, --force', 'overwrite an existing output')
    .option('--no-fsync', 'skip flushing the output to disk (still atomic; a power loss may lose it)')
    .action(async (options, command: Command) => processCommand(contextOf(command), options));

  program
    .command('restore')
    .description('restore the original from a container')
    .requiredOption('-i, --input <file>', 'container, or - for stdin', once)
    .option('-o, --output <file>', 'output file, or - for stdout', once)
    .option('--output-dir <dir>', 'directory for the restored file, named as stored (default: .)', once)
    .option('-f, --force', 'overwrite an existing output')
    .option('--no-fsync', 'skip flushing the output to disk (still atomic; a power loss may lose it)')
    .action(async (options, command: Command) => restoreCommand(contextOf(command), options));

  program
    .command('verify')
    .description('check a container: the header, or with --full every chunk; writes nothing')
    .argument('<container>', 'container, or - for stdin')
    .option('--full', 'read and authenticate every chunk and the trailer')
    .action(async (input: string, options, command: Command) => verifyCommand(contextOf(command), input, options));

  program
    .command('inspect')
    .description(
      'show what a container holds without its secret: format, stages, parameters, sizes, chunks; the original name, size and digest unless encrypted',
    )
    .argument('<container>', 'container, or - for stdin')
    .action(async (input: string, _options, command: Command) => inspectCommand(contextOf(command), input));

  program
    .command('compare')
    .description('check that a container restores to exactly a file (exit 5 when they differ)')
    .requiredOption('--original <file>', 'the original file')
    .requiredOption('--adapipe <container>', 'the container')
    .action(async (options, command: Command) => compareCommand(contextOf(command), options));

  const pipeline = program.command('pipeline').description('manage named pipelines in the SQLite store');
  pipeline
    .command('create')
    .description('store a pipeline')
    .argument('<name>')
    .requiredOption('--stages <spec>', 'stages as type:algorithm[:key=value;…], comma-separated')
    .action(async (name: string, options, command: Command) => pipelineCreateCommand(contextOf(command), name, options));
  pipeline
    .command('list')
    .description('list stored pipelines')
    .action(async (_options, command: Command) => pipelineListCommand(contextOf(command)));
  pipeline
    .command('show')
    .description('show a stored pipeline')
    .argument('<name>')
    .action(async (name: string, _options, command: Command) => pipelineShowCommand(contextOf(command), name));
  pipeline
    .command('delete')
    .description('delete a stored pipeline')
    .argument('<name>')
    .option('-f, --force', 'delete without asking')
    .action(async (name: string, options, command: Command) => pipelineDeleteCommand(contextOf(command), name, options));

  program
    .command('validate')
    .description('check a pipeline definition file (JSON, YAML or TOML)')
    .argument('<file>')
    .action(async (file: string, _options, command: Command) => validateCommand(contextOf(command), file));

  program
    .command('plugins')
    .description('list installed stage executors')
    .action(async (_options, command: Command) => pluginsCommand(contextOf(command)));

  pipelineOptions(
    program
      .command('benchmark')
      .description('sweep chunk sizes and worker counts over the real pipeline and recommend settings')
      .option('--size <MB>', 'megabytes of generated text-like data (default 64)')
      .option('--file <file>', 'benchmark on this file instead')
      .option('--iterations <n>', 'runs per setting; the median counts (default 3)')
      .option('--chunk-sizes <list>', 'chunk sizes to try (default 1M,4M,16M)')
      .option('--workers <list>', 'worker counts to try (default 1 and the core count)')
      .option('--report <file>', 'also write a Markdown report to this file')
      .option('--no-save', 'do not save the recommended settings as defaults for process'),
  ).action(async (options, command: Command) => benchmarkCommand(contextOf(command), options));

  for (const command of [...program.commands, ...pipeline.commands]) command.exitOverride();
  return program;
}
