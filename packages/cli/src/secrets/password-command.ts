import { spawn } from 'node:child_process';
import { CliError, ExitCode } from '../exit-code.js';

/** Options of {@link runPasswordCommand}. */
export interface PasswordCommandOptions {
  /** How errors name the source: `--password-command` or `ADAPIPE_PASSWORD_COMMAND`. */
  readonly label: string;
  /** Aborted on Ctrl-C or SIGTERM: the command is sent SIGTERM and the run stops without waiting for it. */
  readonly signal?: AbortSignal | undefined;
  /** The shell; default `/bin/sh`. */
  readonly shell?: string;
}

/** More than this on stdout is not a password. */
const maxOutput = 1024 * 1024;

/**
 * Runs `command` through `/bin/sh -c` and returns its standard output, one trailing newline (LF or
 * CRLF) removed, as the password. Standard input and standard error are the user's, so a command
 * that asks on the terminal (`pass`, `gpg`, a pinentry) works. There is no timeout: a command that
 * hangs is ended with Ctrl-C. Messages name the command line and its exit status, never its output.
 *
 * @throws {CliError} input error when the shell cannot start, the command exits non-zero, is killed
 * by a signal (interrupted or terminated for SIGINT or SIGTERM) or prints nothing or more than 1 MiB;
 * interrupted or terminated when `signal` aborts first.
 * @example
 * ```ts
 * const password = await runPasswordCommand('pass show backup/adapipe', { label: '--password-command' });
 * ```
 */
export function runPasswordCommand(command: string, options: PasswordCommandOptions): Promise<Uint8Array> {
  const named = `${options.label} ${JSON.stringify(command)}`;
  if (command.trim() === '') return Promise.reject(new CliError(`${named}: the command is empty`, ExitCode.Usage));
  const { signal } = options;
  const abortCode = () => (signal?.reason instanceof CliError ? signal.reason.exitCode : ExitCode.Interrupted);
  if (signal?.aborted) return Promise.reject(new CliError(`${named}: interrupted before the command ran`, abortCode()));

  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    let settled = false;
    const wipe = () => {
      for (const chunk of chunks) chunk.fill(0);
      chunks.length = 0;
    };
    const child = spawn(options.shell ?? '/bin/sh', ['-c', command], { stdio: ['inherit', 'pipe', 'inherit'] });
    const finish = (error: CliError | undefined, password?: Uint8Array): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      wipe();
      if (error === undefined) resolve(password!);
      else reject(error);
    };
    const stop = (): void => {
      child.stdout.destroy();
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      child.unref();
    };
    function onAbort(): void {
      stop();
      finish(new CliError(`${named}: interrupted while waiting for the command`, abortCode()));
    }
    signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout.on('data', (chunk: Buffer) => {
      length += chunk.length;
      chunks.push(chunk);
      if (length > maxOutput) {
        stop();
        finish(new CliError(`${named}: the command printed more than 1 MiB, which is not a password`, ExitCode.Input));
      }
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      finish(new CliError(`${named}: cannot run ${options.shell ?? '/bin/sh'}: ${error.code ?? error.message}`, ExitCode.Input));
    });
    child.on('close', (code, killedBy) => {
      if (killedBy !== null) {
        const exitCode = killedBy === 'SIGINT' ? ExitCode.Interrupted : killedBy === 'SIGTERM' ? ExitCode.Terminated : ExitCode.Input;
        finish(new CliError(`${named}: the command was killed by ${killedBy}`, exitCode));
        return;
      }
      if (code !== 0) {
        finish(new CliError(`${named}: the command failed with exit status ${code}`, ExitCode.Input));
        return;
      }
      const bytes = Buffer.concat(chunks);
      const end = bytes.at(-1) === 0x0a ? (bytes.at(-2) === 0x0d ? bytes.length - 2 : bytes.length - 1) : bytes.length;
      const password = new Uint8Array(end);
      password.set(bytes.subarray(0, end));
      bytes.fill(0);
      if (end === 0) finish(new CliError(`${named}: the command printed no password (exit status 0)`, ExitCode.Input));
      else finish(undefined, password);
    });
  });
}
