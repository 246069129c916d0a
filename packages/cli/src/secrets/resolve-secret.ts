import { open } from 'node:fs/promises';
import type { RunSecret } from '@adapipe/core';
import { CliError, ExitCode } from '../exit-code.js';
import { runPasswordCommand } from './password-command.js';
import { promptHidden } from './prompt-hidden.js';

/** Where {@link resolveSecret} may find the secret, and what to do when there is none. */
export interface ResolveSecretOptions {
  /** `--password-file FILE`: the password is the file's bytes, one trailing newline removed. */
  readonly passwordFile?: string | undefined;
  /** `--password-command CMD`: the password is what `/bin/sh -c CMD` prints, one trailing newline removed. */
  readonly passwordCommand?: string | undefined;
  /** `--key-file FILE`: exactly 32 raw bytes, or 64 hex digits with an optional trailing newline. */
  readonly keyFile?: string | undefined;
  /**
   * The environment, for `ADAPIPE_PASSWORD` (UTF-8), `ADAPIPE_PASSWORD_FILE`, `ADAPIPE_PASSWORD_COMMAND`
   * and `ADAPIPE_KEY` (64 hex digits); empty values count as unset.
   */
  readonly env: NodeJS.ProcessEnv;
  /** Encrypting asks for the password twice. */
  readonly purpose: 'encrypt' | 'decrypt';
  /** Whether the run cannot do without a secret (the pipeline encrypts, or the container is encrypted). */
  readonly required: boolean;
  /** Whether a person can be asked on the terminal. */
  readonly interactive: boolean;
  /** The prompt; default {@link promptHidden}. */
  readonly prompt?: typeof promptHidden;
  /** Told, as one line, when a secret file is accessible by other users (as ssh warns for keys). */
  readonly warn?: (message: string) => void;
  /** Aborted on Ctrl-C or SIGTERM, to stop waiting for a password command. */
  readonly signal?: AbortSignal | undefined;
}

const keyLength = 32;
const sourcesHint = 'use --password-file, --password-command, --key-file, ADAPIPE_PASSWORD or ADAPIPE_KEY';

/** One place the secret can come from, named as the user gave it. */
interface SecretSource {
  readonly name: string;
  read(): Promise<RunSecret>;
}

/**
 * Finds the run's secret from exactly one source: `--password-file` (else `ADAPIPE_PASSWORD_FILE`),
 * `--password-command` (else `ADAPIPE_PASSWORD_COMMAND`), `--key-file`, `ADAPIPE_PASSWORD` or
 * `ADAPIPE_KEY`; else by asking on the terminal when a secret is required and a person is there
 * (twice when encrypting). A flag wins over its own variable, which is its default (as restic does);
 * any other two sources together are refused. Messages never contain the secret.
 *
 * @returns the secret, or `undefined` when none is given and none is required.
 * @throws {CliError} usage error when more than one source is given, a value is malformed, a
 * required secret cannot be asked for, the password is empty, or the two passwords differ;
 * input error naming the file or command when a secret file cannot be read or holds no valid
 * secret, or the password command fails or prints nothing.
 * @example
 * ```ts
 * const secret = await resolveSecret({ env: process.env, purpose: 'encrypt', required: true, interactive: process.stdin.isTTY });
 * ```
 */
export async function resolveSecret(options: ResolveSecretOptions): Promise<RunSecret | undefined> {
  const given = secretSources(options);
  if (given.length > 1) {
    throw new CliError(`give the secret one way only; found ${given.map((source) => source.name).join(', ')}`, ExitCode.Usage);
  }
  if (given[0] !== undefined) return given[0].read();
  if (!options.required) return undefined;
  if (!options.interactive) throw new CliError(`this needs a password or key: ${sourcesHint}`, ExitCode.Usage);
  return { kind: 'password', password: await askPassword(options.prompt ?? promptHidden, options.purpose) };
}

/** Every source the options and the environment give, flags before variables; a flag hides its own variable. */
function secretSources(options: ResolveSecretOptions): SecretSource[] {
  const { env } = options;
  const warn = options.warn ?? (() => {});
  const fromFlagOrEnv = (flag: string, value: string | undefined, variable: string) =>
    value !== undefined
      ? { name: flag, value }
      : nonEmpty(env[variable]) === undefined
        ? undefined
        : { name: variable, value: env[variable]! };
  const passwordFile = fromFlagOrEnv('--password-file', options.passwordFile, 'ADAPIPE_PASSWORD_FILE');
  const passwordCommand = fromFlagOrEnv('--password-command', options.passwordCommand, 'ADAPIPE_PASSWORD_COMMAND');
  const password = nonEmpty(env.ADAPIPE_PASSWORD);
  const key = nonEmpty(env.ADAPIPE_KEY);
  const sources: (SecretSource | false)[] = [
    passwordFile?.name === '--password-file' && fileSource(passwordFile.name, passwordFile.value, warn),
    passwordCommand?.name === '--password-command' && commandSource(passwordCommand.name, passwordCommand.value, options.signal),
    options.keyFile !== undefined && {
      name: '--key-file',
      read: async () => ({ kind: 'key', key: await readKeyFile(options.keyFile!, warn) }),
    },
    password !== undefined && {
      name: 'ADAPIPE_PASSWORD',
      read: async () => ({ kind: 'password', password: new TextEncoder().encode(password) }),
    },
    passwordFile?.name === 'ADAPIPE_PASSWORD_FILE' && fileSource(passwordFile.name, passwordFile.value, warn),
    passwordCommand?.name === 'ADAPIPE_PASSWORD_COMMAND' && commandSource(passwordCommand.name, passwordCommand.value, options.signal),
    key !== undefined && { name: 'ADAPIPE_KEY', read: async () => ({ kind: 'key', key: parseEnvKey(key) }) },
  ];
  return sources.filter((source): source is SecretSource => source !== false);
}

function fileSource(name: string, path: string, warn: (message: string) => void): SecretSource {
  return { name, read: async () => ({ kind: 'password', password: await readPasswordFile(path, name, warn) }) };
}

function commandSource(name: string, command: string, signal: AbortSignal | undefined): SecretSource {
  return { name, read: async () => ({ kind: 'password', password: await runPasswordCommand(command, { label: name, signal }) }) };
}

function parseEnvKey(key: string): Uint8Array {
  const bytes = parseHexKey(key.trim());
  if (bytes === undefined) {
    throw new CliError(
      `ADAPIPE_KEY: expected ${keyLength * 2} hex digits (a ${keyLength}-byte key), found ${key.trim().length} characters`,
      ExitCode.Usage,
    );
  }
  return bytes;
}

/**
 * Rejects a secret given as a command-line value (`--password VALUE`, `--key VALUE`).
 *
 * @throws {CliError} always, a usage error that says why and what to use instead.
 */
export function refuseSecretOnCommandLine(flag: '--password' | '--key'): never {
  const instead =
    flag === '--password'
      ? '--password-file FILE, --password-command CMD, ADAPIPE_PASSWORD or the prompt'
      : '--key-file FILE or ADAPIPE_KEY';
  throw new CliError(
    `${flag} takes no value on the command line: other users can read it in the process list and it stays in your shell history; use ${instead}`,
    ExitCode.Usage,
  );
}

async function askPassword(prompt: typeof promptHidden, purpose: 'encrypt' | 'decrypt'): Promise<Uint8Array> {
  const password = await prompt('Password: ');
  if (password === '') throw new CliError(`the password cannot be empty; type one, or ${sourcesHint}`, ExitCode.Usage);
  if (purpose === 'encrypt' && (await prompt('Repeat the password: ')) !== password) {
    throw new CliError('passwords do not match', ExitCode.Usage);
  }
  return new TextEncoder().encode(password);
}

async function readPasswordFile(path: string, name: string, warn: (message: string) => void): Promise<Uint8Array> {
  const bytes = await readSecretFile(path, name, warn);
  const end = bytes.at(-1) === 0x0a ? (bytes.at(-2) === 0x0d ? bytes.length - 2 : bytes.length - 1) : bytes.length;
  if (end === 0) throw new CliError(`${name} ${path}: the file holds no password`, ExitCode.Input);
  const password = bytes.slice(0, end);
  bytes.fill(0);
  return password;
}

async function readKeyFile(path: string, warn: (message: string) => void): Promise<Uint8Array> {
  const bytes = await readSecretFile(path, '--key-file', warn);
  try {
    if (bytes.length === keyLength) return bytes.slice();
    const text = new TextDecoder().decode(bytes).replace(/\r?\n$/, '');
    const key = parseHexKey(text);
    if (key === undefined) {
      throw new CliError(
        `--key-file ${path}: expected exactly ${keyLength} raw bytes or ${keyLength * 2} hex digits, found ${bytes.length} bytes`,
        ExitCode.Input,
      );
    }
    return key;
  } finally {
    bytes.fill(0);
  }
}

async function readSecretFile(path: string, flag: string, warn: (message: string) => void): Promise<Uint8Array> {
  try {
    const handle = await open(path, 'r');
    try {
      const info = await handle.stat();
      if (info.isFile() && (info.mode & 0o077) !== 0) {
        warn(
          `${flag} ${path}: other users can access it (mode ${(info.mode & 0o777).toString(8).padStart(4, '0')}); make it private with chmod 600 ${path}`,
        );
      }
      const buffer = await handle.readFile();
      const bytes = new Uint8Array(buffer);
      buffer.fill(0);
      return bytes;
    } finally {
      await handle.close();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES' || code === 'EPERM'
            ? 'permission denied'
            : (error as Error).message;
    throw new CliError(`${flag} ${path}: cannot read the file: ${reason}`, ExitCode.Input);
  }
}

function parseHexKey(text: string): Uint8Array | undefined {
  if (text.length !== keyLength * 2 || !/^[\dA-Fa-f]+$/.test(text)) return undefined;
  const key = new Uint8Array(keyLength);
  for (let index = 0; index < keyLength; index += 1) key[index] = Number.parseInt(text.slice(index * 2, index * 2 + 2), 16);
  return key;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
