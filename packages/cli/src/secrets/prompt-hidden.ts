import { closeSync, openSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import tty from 'node:tty';
import { CliError, ExitCode } from '../exit-code.js';

/** Where {@link promptHidden} reads keys: a terminal, or any readable stream (raw mode is used when offered). */
export type PromptInput = NodeJS.ReadableStream & {
  setRawMode?(mode: boolean): unknown;
  readonly isRaw?: boolean;
};

/** Where {@link promptHidden} writes its question. */
export interface PromptOutput {
  write(text: string): unknown;
}

/** Options of {@link promptHidden}; without `input`, the controlling terminal `/dev/tty` is used. */
export interface PromptHiddenOptions {
  readonly input?: PromptInput;
  readonly output?: PromptOutput;
}

const noTerminal =
  'no terminal to ask for a password; use --password-file, --password-command, --key-file, ADAPIPE_PASSWORD or ADAPIPE_KEY';

/**
 * Asks `question` and reads one line without echoing it, for passwords. By default it talks to the
 * controlling terminal (`/dev/tty`), so it works while standard input and output carry data.
 * Raw mode is switched on while reading and always restored; the terminal is closed afterwards.
 * Backspace deletes, Ctrl-U clears, Enter ends; other control keys and escape sequences are ignored.
 *
 * @throws {CliError} interrupted (130) on Ctrl-C; usage error on Ctrl-D or end of input with
 * nothing typed, and when there is no terminal to ask on.
 * @example
 * ```ts
 * const password = await promptHidden('Password: ');
 * ```
 */
export async function promptHidden(question: string, options: PromptHiddenOptions = {}): Promise<string> {
  const terminal = options.input === undefined ? openTerminal() : undefined;
  try {
    const input = options.input ?? terminal!.input;
    const output = options.output ?? terminal?.output ?? process.stderr;
    return await readHidden(question, input, output);
  } finally {
    terminal?.close();
  }
}

function openTerminal(): { input: tty.ReadStream; output: tty.WriteStream; close(): void } {
  let fd: number;
  try {
    fd = openSync('/dev/tty', 'r+');
  } catch {
    throw new CliError(noTerminal, ExitCode.Usage);
  }
  let input: tty.ReadStream | undefined;
  let output: tty.WriteStream | undefined;
  const close = (): void => {
    input?.destroy();
    output?.destroy();
    try {
      closeSync(fd);
    } catch {
      // libuv may have closed the descriptor with its handle already.
    }
  };
  try {
    input = new tty.ReadStream(fd);
    output = new tty.WriteStream(fd);
  } catch {
    close();
    throw new CliError(noTerminal, ExitCode.Usage);
  }
  return { input, output, close };
}

function readHidden(question: string, input: PromptInput, output: PromptOutput): Promise<string> {
  return new Promise((resolve, reject) => {
    const wasRaw = input.isRaw === true;
    const decoder = new StringDecoder('utf8');
    const typed: string[] = [];
    let escapeState: 'none' | 'start' | 'sequence' = 'none';
    let settled = false;

    const settle = (error: Error | undefined): void => {
      if (settled) return;
      settled = true;
      input.removeListener('data', onData);
      input.removeListener('end', onEnd);
      input.removeListener('error', onError);
      input.pause();
      try {
        input.setRawMode?.(wasRaw);
      } finally {
        output.write('\n');
        if (error === undefined) resolve(typed.join(''));
        else reject(error);
      }
    };
    const onKey = (key: string): void => {
      if (escapeState === 'start') {
        escapeState = key === '[' || key === 'O' ? 'sequence' : 'none';
      } else if (escapeState === 'sequence') {
        if (key >= '@' && key <= '~') escapeState = 'none';
      } else if (key === '\r' || key === '\n') {
        settle(undefined);
      } else if (key === '\x03') {
        settle(new CliError('interrupted', ExitCode.Interrupted));
      } else if (key === '\x04') {
        if (typed.length === 0) settle(new CliError('no password given: input ended (Ctrl-D)', ExitCode.Usage));
      } else if (key === '\x7f' || key === '\b') {
        typed.pop();
      } else if (key === '\x15') {
        typed.length = 0;
      } else if (key === '\x1b') {
        escapeState = 'start';
      } else if (key >= ' ') {
        typed.push(key);
      }
    };
    function onData(chunk: Buffer | string): void {
      for (const key of typeof chunk === 'string' ? chunk : decoder.write(chunk)) {
        if (settled) return;
        onKey(key);
      }
    }
    function onEnd(): void {
      if (typed.length === 0) settle(new CliError('no password given: input ended', ExitCode.Usage));
      else settle(undefined);
    }
    function onError(error: Error): void {
      settle(new CliError(`cannot read the password from the terminal: ${error.message}`, ExitCode.Usage));
    }

    try {
      input.setRawMode?.(true);
    } catch (error) {
      reject(new CliError(`cannot switch the terminal to raw mode: ${(error as Error).message}`, ExitCode.Usage));
      return;
    }
    output.write(question);
    input.on('data', onData);
    input.on('end', onEnd);
    input.on('error', onError);
    input.resume();
  });
}
