import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CliError, ExitCode } from '../exit-code.js';
import { refuseSecretOnCommandLine, resolveSecret, type ResolveSecretOptions } from './resolve-secret.js';

const hexKey = '00112233445566778899aabbccddeeff00112233445566778899AABBCCDDEEFF';
const keyBytes = Uint8Array.from(Buffer.from(hexKey, 'hex'));
const base: ResolveSecretOptions = { env: {}, purpose: 'decrypt', required: true, interactive: false };
const noPrompt = () => Promise.reject(new Error('the prompt must not be used'));

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'adapipe-secret-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function file(name: string, content: string | Uint8Array): Promise<string> {
  const path = join(folder, name);
  await writeFile(path, content);
  return path;
}

async function failure(options: ResolveSecretOptions): Promise<CliError> {
  const error = await resolveSecret(options).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CliError);
  return error as CliError;
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('resolveSecret from files', () => {
  it.each([
    ['line feed', 'correct horse\n', 'correct horse'],
    ['CRLF', 'correct horse\r\n', 'correct horse'],
    ['no newline', 'correct horse', 'correct horse'],
    ['only one newline stripped', 'pass\n\n', 'pass\n'],
    ['inner spaces kept', ' pass word \n', ' pass word '],
  ])('reads a password file (%s)', async (_, content, password) => {
    const secret = await resolveSecret({ ...base, passwordFile: await file('password', content), prompt: noPrompt });
    expect(secret?.kind).toBe('password');
    expect(secret?.kind === 'password' && text(secret.password)).toBe(password);
  });

  it('keeps the raw bytes of a password file', async () => {
    const secret = await resolveSecret({ ...base, passwordFile: await file('latin1', Uint8Array.of(0xe9, 0x0a)) });
    expect(secret).toEqual({ kind: 'password', password: Uint8Array.of(0xe9) });
  });

  it('rejects an empty password file as an input error naming the file', async () => {
    const path = await file('empty', '\n');
    const error = await failure({ ...base, passwordFile: path });
    expect(error.exitCode).toBe(ExitCode.Input);
    expect(error.message).toBe(`--password-file ${path}: the file holds no password`);
  });

  it.each([
    ['32 raw bytes', keyBytes],
    ['64 hex digits', hexKey],
    ['64 hex digits and a newline', `${hexKey}\n`],
    ['64 hex digits and CRLF', `${hexKey}\r\n`],
  ])('reads a key file of %s', async (_, content) => {
    expect(await resolveSecret({ ...base, keyFile: await file('key', content) })).toEqual({ kind: 'key', key: keyBytes });
  });

  it.each([
    ['31 bytes', new Uint8Array(31), 31],
    ['33 bytes', new Uint8Array(33), 33],
    ['63 hex digits', hexKey.slice(1), 63],
    ['non-hex text', `${hexKey.slice(2)}zz`, 64],
    ['two newlines', `${hexKey}\n\n`, 66],
  ])('rejects a key file of %s without showing its content', async (_, content, length) => {
    const path = await file('bad-key', content);
    const error = await failure({ ...base, keyFile: path });
    expect(error.exitCode).toBe(ExitCode.Input);
    expect(error.message).toBe(`--key-file ${path}: expected exactly 32 raw bytes or 64 hex digits, found ${length} bytes`);
  });

  it('reports unreadable files as input errors naming them', async () => {
    const missing = join(folder, 'missing');
    expect(await failure({ ...base, passwordFile: missing })).toMatchObject({
      exitCode: ExitCode.Input,
      message: `--password-file ${missing}: cannot read the file: no such file`,
    });
    expect(await failure({ ...base, keyFile: folder })).toMatchObject({
      exitCode: ExitCode.Input,
      message: `--key-file ${folder}: cannot read the file: it is a directory`,
    });
  });
});

describe('resolveSecret from the environment', () => {
  it('encodes ADAPIPE_PASSWORD as UTF-8', async () => {
    expect(await resolveSecret({ ...base, env: { ADAPIPE_PASSWORD: 'pé' } })).toEqual({
      kind: 'password',
      password: Uint8Array.of(0x70, 0xc3, 0xa9),
    });
  });

  it('decodes ADAPIPE_KEY from hex', async () => {
    expect(await resolveSecret({ ...base, env: { ADAPIPE_KEY: ` ${hexKey}\n` } })).toEqual({ kind: 'key', key: keyBytes });
  });

  it('rejects a malformed ADAPIPE_KEY without showing it', async () => {
    const error = await failure({ ...base, env: { ADAPIPE_KEY: 'not-a-key-secret' } });
    expect(error.exitCode).toBe(ExitCode.Usage);
    expect(error.message).toBe('ADAPIPE_KEY: expected 64 hex digits (a 32-byte key), found 16 characters');
    expect(error.message).not.toContain('secret');
  });

  it('treats empty variables as unset', async () => {
    expect(await resolveSecret({ ...base, required: false, env: { ADAPIPE_PASSWORD: '', ADAPIPE_KEY: '' } })).toBeUndefined();
  });
});

describe('resolveSecret source rules', () => {
  it('refuses more than one source and names them all', async () => {
    const error = await failure({
      ...base,
      passwordFile: await file('p', 'x'),
      env: { ADAPIPE_PASSWORD: 'hunter2', ADAPIPE_KEY: hexKey },
    });
    expect(error.exitCode).toBe(ExitCode.Usage);
    expect(error.message).toBe('give the secret one way only; found --password-file, ADAPIPE_PASSWORD, ADAPIPE_KEY');
    expect(error.message).not.toContain('hunter2');
  });

  it('returns nothing when no secret is given and none is required', async () => {
    expect(await resolveSecret({ ...base, required: false, interactive: true, prompt: noPrompt })).toBeUndefined();
  });

  it('still returns a secret that is given but not required', async () => {
    expect(await resolveSecret({ ...base, required: false, env: { ADAPIPE_PASSWORD: 'x' } })).toMatchObject({ kind: 'password' });
  });

  it('fails without a source when nobody can be asked', async () => {
    const error = await failure({ ...base, prompt: noPrompt });
    expect(error.exitCode).toBe(ExitCode.Usage);
    expect(error.message).toBe(
      'this needs a password or key: use --password-file, --password-command, --key-file, ADAPIPE_PASSWORD or ADAPIPE_KEY',
    );
  });
});

describe('resolveSecret from ADAPIPE_PASSWORD_FILE and password commands', () => {
  it('reads ADAPIPE_PASSWORD_FILE as --password-file reads its file, and names the variable in errors', async () => {
    const path = await file('env-password', 'from the variable\n');
    const secret = await resolveSecret({ ...base, env: { ADAPIPE_PASSWORD_FILE: path } });
    expect(secret?.kind === 'password' && text(secret.password)).toBe('from the variable');
    const missing = join(folder, 'missing');
    expect(await failure({ ...base, env: { ADAPIPE_PASSWORD_FILE: missing } })).toMatchObject({
      exitCode: ExitCode.Input,
      message: `ADAPIPE_PASSWORD_FILE ${missing}: cannot read the file: no such file`,
    });
  });

  it('takes the password from --password-command or ADAPIPE_PASSWORD_COMMAND', async () => {
    const fromFlag = await resolveSecret({ ...base, passwordCommand: "printf 'flag pass\\n'" });
    expect(fromFlag?.kind === 'password' && text(fromFlag.password)).toBe('flag pass');
    const fromEnv = await resolveSecret({ ...base, env: { ADAPIPE_PASSWORD_COMMAND: 'echo env pass' } });
    expect(fromEnv?.kind === 'password' && text(fromEnv.password)).toBe('env pass');
  });

  it('names the variable when ADAPIPE_PASSWORD_COMMAND fails, and never shows its output', async () => {
    const error = await failure({ ...base, env: { ADAPIPE_PASSWORD_COMMAND: 'echo hunter2; exit 4' } });
    expect(error).toMatchObject({
      exitCode: ExitCode.Input,
      message: 'ADAPIPE_PASSWORD_COMMAND "echo hunter2; exit 4": the command failed with exit status 4',
    });
  });

  it('lets a flag win over its own variable, which is its default', async () => {
    const flagFile = await file('flag-password', 'flag file');
    const fromFile = await resolveSecret({ ...base, passwordFile: flagFile, env: { ADAPIPE_PASSWORD_FILE: join(folder, 'missing') } });
    expect(fromFile?.kind === 'password' && text(fromFile.password)).toBe('flag file');
    const fromCommand = await resolveSecret({ ...base, passwordCommand: 'echo flag', env: { ADAPIPE_PASSWORD_COMMAND: 'exit 1' } });
    expect(fromCommand?.kind === 'password' && text(fromCommand.password)).toBe('flag');
  });

  it.each([
    [{ passwordFile: 'p' }, { ADAPIPE_PASSWORD_COMMAND: 'echo x' }, '--password-file, ADAPIPE_PASSWORD_COMMAND'],
    [{ passwordCommand: 'echo x' }, { ADAPIPE_PASSWORD_FILE: 'p' }, '--password-command, ADAPIPE_PASSWORD_FILE'],
    [{}, { ADAPIPE_PASSWORD_FILE: 'p', ADAPIPE_PASSWORD: 'hunter2' }, 'ADAPIPE_PASSWORD, ADAPIPE_PASSWORD_FILE'],
    [{ keyFile: 'k' }, { ADAPIPE_PASSWORD_COMMAND: 'echo x' }, '--key-file, ADAPIPE_PASSWORD_COMMAND'],
    [{ passwordFile: 'p', passwordCommand: 'echo x' }, {}, '--password-file, --password-command'],
  ])('refuses any other two sources (%o with %o)', async (flags, env, found) => {
    const error = await failure({ ...base, ...flags, env });
    expect(error).toMatchObject({ exitCode: ExitCode.Usage, message: `give the secret one way only; found ${found}` });
  });

  it('treats empty variables as unset', async () => {
    expect(
      await resolveSecret({ ...base, required: false, env: { ADAPIPE_PASSWORD_FILE: '', ADAPIPE_PASSWORD_COMMAND: '' } }),
    ).toBeUndefined();
  });
});

describe('resolveSecret by prompting', () => {
  it('asks once to decrypt', async () => {
    const prompt = vi.fn(async () => 'hunter2');
    const secret = await resolveSecret({ ...base, interactive: true, prompt });
    expect(secret).toEqual({ kind: 'password', password: new TextEncoder().encode('hunter2') });
    expect(prompt).toHaveBeenCalledTimes(1);
  });

  it('asks twice to encrypt', async () => {
    const prompt = vi.fn(async () => 'hunter2');
    await resolveSecret({ ...base, purpose: 'encrypt', interactive: true, prompt });
    expect(prompt.mock.calls).toEqual([['Password: '], ['Repeat the password: ']]);
  });

  it('rejects two different passwords without showing them', async () => {
    const answers = ['hunter2', 'hunter3'];
    const error = await failure({ ...base, purpose: 'encrypt', interactive: true, prompt: async () => answers.shift()! });
    expect(error).toMatchObject({ exitCode: ExitCode.Usage, message: 'passwords do not match' });
  });

  it('rejects an empty password', async () => {
    const error = await failure({ ...base, purpose: 'encrypt', interactive: true, prompt: async () => '' });
    expect(error.exitCode).toBe(ExitCode.Usage);
    expect(error.message).toMatch(/^the password cannot be empty/);
  });

  it('passes prompt errors such as Ctrl-C through', async () => {
    const interrupted = new CliError('interrupted', ExitCode.Interrupted);
    await expect(resolveSecret({ ...base, interactive: true, prompt: () => Promise.reject(interrupted) })).rejects.toBe(interrupted);
  });
});

describe('refuseSecretOnCommandLine', () => {
  it.each([
    [
      '--password',
      '--password takes no value on the command line: other users can read it in the process list and it stays in your shell history; use --password-file FILE, --password-command CMD, ADAPIPE_PASSWORD or the prompt',
    ],
    [
      '--key',
      '--key takes no value on the command line: other users can read it in the process list and it stays in your shell history; use --key-file FILE or ADAPIPE_KEY',
    ],
  ] as const)('refuses %s as a usage error', (flag, message) => {
    let caught: unknown;
    try {
      refuseSecretOnCommandLine(flag);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CliError);
    expect(caught).toMatchObject({ exitCode: ExitCode.Usage, message });
  });
});
