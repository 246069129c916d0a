import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compressibleBytes } from '@adapipe/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = new URL('../../dist/bin/adapipe.js', import.meta.url).pathname;
const password = 'correct horse battery staple';

let dir: string;
const original = compressibleBytes(300_000);
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'adapipe-secret-e2e-'));
  writeFileSync(join(dir, 'data.bin'), original);
  writeFileSync(join(dir, 'password.txt'), `${password}\n`);
  chmodSync(join(dir, 'password.txt'), 0o600);
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function adapipe(args: string[], env: Record<string, string> = {}, input = '') {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: dir,
    input,
    env: { PATH: process.env.PATH ?? '', HOME: dir, ADAPIPE_DB: join(dir, 'store.db'), ...env },
  });
  return { status: result.status, out: result.stdout.toString(), err: result.stderr.toString() };
}

/** Encrypts data.bin with `encrypt`, then restores it with `decrypt` (each: global options, environment, stdin). */
function roundTrip(
  name: string,
  encrypt: [string[], Record<string, string>, string?],
  decrypt: [string[], Record<string, string>, string?],
) {
  const processed = adapipe([...encrypt[0], 'process', '-i', 'data.bin', '-o', `${name}.adapipe`], encrypt[1], encrypt[2]);
  expect(processed.status, processed.err).toBe(0);
  const restored = adapipe([...decrypt[0], 'restore', '-i', `${name}.adapipe`, '-o', `${name}.out`], decrypt[1], decrypt[2]);
  expect(restored.status, restored.err).toBe(0);
  expect(Buffer.compare(readFileSync(join(dir, `${name}.out`)), original)).toBe(0);
  // The same container refuses another password, so the source was really used.
  const wrong = adapipe(['restore', '-i', `${name}.adapipe`, '-o', `${name}.wrong`], { ADAPIPE_PASSWORD: 'not it' });
  expect(wrong.status).toBe(12);
  return { processed, restored };
}

describe('adapipe secret sources, through the built binary', () => {
  it('ADAPIPE_PASSWORD_FILE encrypts and restores, as --password-file does', () => {
    roundTrip('env-file', [[], { ADAPIPE_PASSWORD_FILE: 'password.txt' }], [['--password-file', 'password.txt'], {}]);
  });

  it('--password-command encrypts and restores; its stderr reaches the user and it reads the inherited stdin', () => {
    const { processed } = roundTrip(
      'flag-command',
      [['--password-command', 'echo "asking for the password" >&2; cat password.txt'], {}],
      [['--password-command', 'read -r line; printf "%s\\n" "$line"'], {}, `${password}\n`],
    );
    expect(processed.err).toBe('asking for the password\n');
  });

  it('ADAPIPE_PASSWORD_COMMAND encrypts and restores', () => {
    roundTrip('env-command', [[], { ADAPIPE_PASSWORD_COMMAND: `printf '%s' '${password}'` }], [[], { ADAPIPE_PASSWORD: password }]);
  });

  it('lets --password-file win over ADAPIPE_PASSWORD_FILE, and refuses two different sources', () => {
    writeFileSync(join(dir, 'other.txt'), 'other password\n', { mode: 0o600 });
    roundTrip(
      'flag-wins',
      [['--password-file', 'password.txt'], { ADAPIPE_PASSWORD_FILE: 'other.txt' }],
      [['--password-command', 'cat password.txt'], { ADAPIPE_PASSWORD_COMMAND: 'cat other.txt' }],
    );
    const both = adapipe(['--password-command', 'cat password.txt', 'process', '-i', 'data.bin', '-o', 'both.adapipe'], {
      ADAPIPE_PASSWORD_FILE: 'password.txt',
    });
    expect(both).toMatchObject({
      status: 2,
      err: 'adapipe: give the secret one way only; found --password-command, ADAPIPE_PASSWORD_FILE\n',
    });
  });

  it('fails with one line naming the exit status of a failing or silent command, never its output', () => {
    const failing = adapipe(['process', '-i', 'data.bin', '-o', 'failing.adapipe'], { ADAPIPE_PASSWORD_COMMAND: 'echo hunter2; exit 7' });
    expect(failing).toMatchObject({
      status: 3,
      err: 'adapipe: ADAPIPE_PASSWORD_COMMAND "echo hunter2; exit 7": the command failed with exit status 7\n',
    });
    const silent = adapipe(['--password-command', 'true', 'process', '-i', 'data.bin', '-o', 'silent.adapipe']);
    expect(silent).toMatchObject({
      status: 3,
      err: 'adapipe: --password-command "true": the command printed no password (exit status 0)\n',
    });
    const listed = spawnSync('ls', [dir]).stdout.toString();
    expect(listed).not.toContain('failing.adapipe');
    expect(listed).not.toContain('silent.adapipe');
  });

  it.each([
    ['adapipe alone', false],
    ['its whole process group, as Ctrl-C on a terminal does', true],
  ])('ends a hanging command on SIGINT to %s, with exit 130 and one line', async (_, group) => {
    const child = spawn(
      process.execPath,
      [bin, '--password-command', 'echo ready >&2; sleep 5', 'process', '-i', 'data.bin', '-o', 'hang.adapipe'],
      {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '', HOME: dir, ADAPIPE_DB: join(dir, 'store.db') },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: group,
      },
    );
    let err = '';
    const ready = new Promise<void>((resolve) => {
      child.stderr.on('data', (chunk: Buffer) => {
        err += chunk.toString();
        if (err.includes('ready\n')) resolve();
      });
    });
    await ready;
    const started = Date.now();
    process.kill(group ? -child.pid! : child.pid!, 'SIGINT');
    // 'exit', not 'close': the orphaned sleep may hold the stderr pipe open after adapipe has gone.
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(Date.now() - started).toBeLessThan(4000);
    expect(code).toBe(130);
    expect(err).toMatch(/^ready\nadapipe: interrupted by SIGINT \(--password-command "echo ready >&2; sleep 5": [^\n]+\)\n$/);
  });
});
