import { describe, expect, it } from 'vitest';
import { CliError, ExitCode } from '../exit-code.js';
import { runPasswordCommand } from './password-command.js';

const label = '--password-command';
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

async function failure(command: string, options: Partial<Parameters<typeof runPasswordCommand>[1]> = {}): Promise<CliError> {
  const error = await runPasswordCommand(command, { label, ...options }).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CliError);
  return error as CliError;
}

describe('runPasswordCommand', () => {
  it.each([
    ['line feed', "printf 'correct horse\\n'", 'correct horse'],
    ['CRLF', "printf 'correct horse\\r\\n'", 'correct horse'],
    ['no newline', "printf 'correct horse'", 'correct horse'],
    ['only one newline stripped', "printf 'pass\\n\\n'", 'pass\n'],
    ['inner and outer spaces kept', "printf ' pass word \\n'", ' pass word '],
    ['a pipeline through the shell', 'echo hunter2 | tr a-z A-Z', 'HUNTER2'],
  ])('returns what the command prints (%s)', async (_, command, password) => {
    expect(text(await runPasswordCommand(command, { label }))).toBe(password);
  });

  it('keeps the raw bytes', async () => {
    expect(await runPasswordCommand("printf '\\351\\n'", { label })).toEqual(Uint8Array.of(0xe9));
  });

  it('names the exit status of a failing command, never its output', async () => {
    const error = await failure('echo hunter2; exit 3');
    expect(error).toMatchObject({
      exitCode: ExitCode.Input,
      message: '--password-command "echo hunter2; exit 3": the command failed with exit status 3',
    });
  });

  it('names the signal that killed the command', async () => {
    expect(await failure('echo hunter2; kill -KILL $$')).toMatchObject({
      exitCode: ExitCode.Input,
      message: '--password-command "echo hunter2; kill -KILL $$": the command was killed by SIGKILL',
    });
    expect(await failure('kill -INT $$')).toMatchObject({ exitCode: ExitCode.Interrupted });
    expect(await failure('kill -TERM $$')).toMatchObject({ exitCode: ExitCode.Terminated });
  });

  it.each(['true', 'echo', "printf '\\r\\n'"])('refuses a command that prints no password (%s)', async (command) => {
    expect(await failure(command)).toMatchObject({
      exitCode: ExitCode.Input,
      message: `--password-command ${JSON.stringify(command)}: the command printed no password (exit status 0)`,
    });
  });

  it('refuses an empty command line as a usage error', async () => {
    expect(await failure('  ', { label: 'ADAPIPE_PASSWORD_COMMAND' })).toMatchObject({
      exitCode: ExitCode.Usage,
      message: 'ADAPIPE_PASSWORD_COMMAND "  ": the command is empty',
    });
  });

  it('refuses more than 1 MiB of output', async () => {
    expect(await failure('head -c 2000000 /dev/zero 2>/dev/null')).toMatchObject({
      exitCode: ExitCode.Input,
      message: '--password-command "head -c 2000000 /dev/zero 2>/dev/null": the command printed more than 1 MiB, which is not a password',
    });
  });

  it('says when the shell cannot start', async () => {
    expect(await failure('echo x', { shell: '/nonexistent/sh' })).toMatchObject({
      exitCode: ExitCode.Input,
      message: '--password-command "echo x": cannot run /nonexistent/sh: ENOENT',
    });
  });

  it('stops waiting for a hanging command when interrupted, even one that ignores SIGTERM', async () => {
    const interrupt = new AbortController();
    const started = Date.now();
    setTimeout(() => interrupt.abort(new CliError('interrupted by SIGINT', ExitCode.Interrupted)), 200);
    const error = await failure("trap '' TERM INT; sleep 5", { signal: interrupt.signal });
    expect(error).toMatchObject({
      exitCode: ExitCode.Interrupted,
      message: `--password-command "trap '' TERM INT; sleep 5": interrupted while waiting for the command`,
    });
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it('does not start when already interrupted', async () => {
    const interrupt = new AbortController();
    interrupt.abort(new CliError('interrupted by SIGTERM', ExitCode.Terminated));
    expect(await failure('echo x', { signal: interrupt.signal })).toMatchObject({ exitCode: ExitCode.Terminated });
  });
});
