import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { CliError, ExitCode } from '../exit-code.js';
import { promptHidden } from './prompt-hidden.js';

function fakeTerminal() {
  const input = Object.assign(new PassThrough(), {
    isRaw: false,
    setRawMode: vi.fn(function (this: { isRaw: boolean }, mode: boolean) {
      this.isRaw = mode;
    }),
  });
  const written: string[] = [];
  const output = { write: (text: string) => written.push(text) };
  return { input, output, written };
}

describe('promptHidden', () => {
  it('reads a line in raw mode without echo and restores the mode', async () => {
    const { input, output, written } = fakeTerminal();
    const answer = promptHidden('Password: ', { input, output });
    expect(input.setRawMode).toHaveBeenLastCalledWith(true);
    input.write('hunt');
    input.write(Buffer.from('er2\r'));
    await expect(answer).resolves.toBe('hunter2');
    expect(written.join('')).toBe('Password: \n');
    expect(input.setRawMode).toHaveBeenLastCalledWith(false);
    expect(input.isRaw).toBe(false);
    expect(input.listenerCount('data')).toBe(0);
  });

  it('ends on a line feed too and keeps multi-byte characters split across chunks', async () => {
    const { input, output } = fakeTerminal();
    const answer = promptHidden('? ', { input, output });
    const bytes = Buffer.from('pé😀\n');
    input.write(bytes.subarray(0, 2));
    input.write(bytes.subarray(2, 5));
    input.write(bytes.subarray(5));
    await expect(answer).resolves.toBe('pé😀');
  });

  it('handles backspace, Ctrl-U and ignores escape sequences and control keys', async () => {
    const { input, output } = fakeTerminal();
    const answer = promptHidden('? ', { input, output });
    input.write('abx\x7f\x7fc\bd\x15ef\x1b[A\x1b[1;5C\x1bOPg\x01\th\r');
    await expect(answer).resolves.toBe('efgh');
  });

  it('keeps a terminal that was already raw in raw mode', async () => {
    const { input, output } = fakeTerminal();
    input.isRaw = true;
    const answer = promptHidden('? ', { input, output });
    input.write('x\r');
    await answer;
    expect(input.setRawMode).toHaveBeenLastCalledWith(true);
  });

  it('rejects Ctrl-C as interrupted and restores the mode', async () => {
    const { input, output, written } = fakeTerminal();
    const answer = promptHidden('? ', { input, output });
    input.write('secret\x03');
    await expect(answer).rejects.toEqual(new CliError('interrupted', ExitCode.Interrupted));
    await answer.catch((error: CliError) => expect(error.exitCode).toBe(ExitCode.Interrupted));
    expect(input.isRaw).toBe(false);
    expect(written.join('')).not.toContain('secret');
  });

  it('rejects Ctrl-D on an empty line as a usage error, and ignores it after input', async () => {
    const first = fakeTerminal();
    const empty = promptHidden('? ', first);
    first.input.write('\x04');
    await expect(empty).rejects.toMatchObject({ exitCode: ExitCode.Usage, message: 'no password given: input ended (Ctrl-D)' });

    const second = fakeTerminal();
    const typed = promptHidden('? ', second);
    second.input.write('ab\x04c\r');
    await expect(typed).resolves.toBe('abc');
  });

  it('takes what was typed when the input ends, and rejects an empty one', async () => {
    const first = fakeTerminal();
    const typed = promptHidden('? ', first);
    first.input.end('abc');
    await expect(typed).resolves.toBe('abc');

    const second = fakeTerminal();
    const empty = promptHidden('? ', second);
    second.input.end();
    await expect(empty).rejects.toMatchObject({ exitCode: ExitCode.Usage });
  });

  it('works with a stream that has no raw mode', async () => {
    const input = new PassThrough();
    const answer = promptHidden('? ', { input, output: { write: () => true } });
    input.write('plain\n');
    await expect(answer).resolves.toBe('plain');
  });

  it('reports a missing terminal as a usage error that lists the other sources', async () => {
    vi.resetModules();
    vi.doMock('node:fs', async (importOriginal) => ({
      ...(await importOriginal<typeof import('node:fs')>()),
      openSync: () => {
        throw Object.assign(new Error('ENXIO: no such device or address'), { code: 'ENXIO' });
      },
    }));
    try {
      const { promptHidden: withoutTerminal } = await import('./prompt-hidden.js');
      await expect(withoutTerminal('? ')).rejects.toMatchObject({
        exitCode: ExitCode.Usage,
        message: 'no terminal to ask for a password; use --password-file, --password-command, --key-file, ADAPIPE_PASSWORD or ADAPIPE_KEY',
      });
    } finally {
      vi.doUnmock('node:fs');
      vi.resetModules();
    }
  });
});
