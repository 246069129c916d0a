import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PipelineError } from '@adapipe/core';
import { Command, CommanderError, Option } from 'commander';
import { benchmarkCommand } from './commands/benchmark-command.js';
import { compareCommand } from './commands/compare-command.js';
import { completionCommand } from './commands/completion-command.js';
import { inspectCommand } from './commands/inspect-command.js';
import { pipelineCommand } from './commands/pipeline-command.js';
import { pluginsCommand } from './commands/plugins-command.js';
import { processCommand } from './commands/process-command.js';
import { restoreCommand } from './commands/restore-command.js';
import { validateCommand } from './commands/validate-command.js';
import { verifyCommand } from './commands/verify-command.js';
import { CliError, ExitCode, exitCodeOf } from './exit-code.js';
import { inCliTerms } from './library-option-flags.js';
import type { CliCommand, SessionOf } from './program/cli-command.js';
import { wholeNumber } from './program/option-values.js';
import { CliSession, type GlobalOptions } from './session/cli-session.js';

/** Every command, in the order `--help` lists them; each module declares its own options. */
const commands: readonly CliCommand[] = [
  processCommand,
  restoreCommand,
  verifyCommand,
  inspectCommand,
  compareCommand,
  pipelineCommand,
  validateCommand,
  pluginsCommand,
  benchmarkCommand,
  completionCommand,
];

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
  let session: CliSession | undefined;
  const sessionOf: SessionOf = (command) => (session ??= new CliSession(command.optsWithGlobals() as GlobalOptions));
  const usageText: string[] = [];
  const program = buildProgram(sessionOf, (text) => usageText.push(text));
  const json = () => (program.opts() as GlobalOptions).json === true;
  try {
    await program.parseAsync(argv, { from: 'user' });
    return session?.output.resultsClosed === true ? ExitCode.BrokenPipe : ExitCode.Ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return ExitCode.Ok;
      const shownHelp = error.code === 'commander.help' ? usageText : [];
      reportFailure(json(), `${error.message.replace(/^error: /, '')}; see --help`, ExitCode.Usage, 'Usage', shownHelp);
      return ExitCode.Usage;
    }
    const interrupted = session?.signals.interruptedBy;
    const code =
      interrupted !== undefined && (PipelineError.is(error, 'Cancelled') || session?.signals.signal.aborted)
        ? interrupted === 'SIGINT'
          ? ExitCode.Interrupted
          : ExitCode.Terminated
        : exitCodeOf(error);
    if (code === ExitCode.BrokenPipe) return code;
    const detail = inCliTerms(error instanceof Error ? error.message : String(error));
    const typed = error instanceof CliError && PipelineError.is(error.cause) ? error.cause : error;
    const hint = PipelineError.is(typed, 'ExecutorNotFound') ? '; a third-party stage loads with --plugin MODULE' : '';
    const message = interrupted === undefined ? `${detail}${hint}` : `interrupted by ${interrupted} (${detail})`;
    const kind = PipelineError.is(typed) ? typed.kind : typed instanceof CliError ? undefined : 'Internal';
    reportFailure(json(), message, code, kind, []);
    if (session?.options.verbose && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    return code;
  } finally {
    await session?.close();
  }
}

/**
 * Reports a failed command on stderr: `adapipe: MESSAGE`, each line of a message listing several
 * problems prefixed alike, or with `--json` one JSON object
 * `{"error":{"message","exitCode","kind"?}}`. `usageText`, when given, is the help shown instead of
 * the line (for `adapipe` without a command).
 */
function reportFailure(json: boolean, message: string, exitCode: ExitCode, kind: string | undefined, usageText: readonly string[]): void {
  if (json) {
    process.stderr.write(`${JSON.stringify({ error: { message, exitCode, ...(kind === undefined ? {} : { kind }) } })}\n`);
  } else if (usageText.length > 0) {
    process.stderr.write(usageText.join(''));
  } else {
    process.stderr.write(
      message
        .split('\n')
        .map((line) => `adapipe: ${line}\n`)
        .join(''),
    );
  }
}

function buildProgram(sessionOf: SessionOf, writeUsage: (text: string) => void): Command {
  const program = new Command('adapipe')
    .description('Process files through ordered stages into authenticated .adapipe containers, and restore them bit for bit.')
    .version(version, '-V, --version')
    .option('--json', 'print one JSON result object on stdout (on stderr when stdout carries the data), errors as JSON on stderr')
    .option('-q, --quiet', 'print nothing but errors')
    .option('-v, --verbose', 'print more, and stack traces on errors')
    .option(
      '--metrics-port <port>',
      'serve Prometheus metrics on 127.0.0.1:<port>/metrics during the run',
      wholeNumber('--metrics-port', 0, 65_535),
    )
    .option('--db <path>', 'pipeline store (default: $ADAPIPE_DB or the user data directory)')
    .option('--plugin <module>', 'load a third-party stage plugin (repeatable)', (value: string, previous: string[] = []) => [
      ...previous,
      value,
    ])
    .option('--password-file <file>', 'read the password from a file (default: $ADAPIPE_PASSWORD_FILE)')
    .option(
      '--password-command <command>',
      'run a shell command that prints the password, e.g. "pass show adapipe" (default: $ADAPIPE_PASSWORD_COMMAND)',
    )
    .option('--key-file <file>', 'read a raw 32-byte key (or 64 hex digits) from a file')
    .addOption(new Option('--password [value]').hideHelp())
    .addOption(new Option('--key [value]').hideHelp())
    .exitOverride()
    .configureOutput({ writeErr: writeUsage });
  for (const command of commands) command(program, sessionOf);
  const exitOverride = (command: Command): void => {
    command.exitOverride();
    command.commands.forEach(exitOverride);
  };
  program.commands.forEach(exitOverride);
  return program;
}
