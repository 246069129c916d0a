import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync } from 'node:fs';
import { compressibleBytes, randomBytes } from '@adapipe/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adapipeBin,
  createKeyedWorkspace,
  type CliWorkspace,
  disposeWorkspaces,
  expectOneErrorLine,
  expectRefused,
} from './test-support/cli-harness.js';

const original = Buffer.concat([compressibleBytes(1_500_000), randomBytes(700_000, 21)]);
const key = Uint8Array.from({ length: 32 }, (_, index) => 0x11 ^ index);
let workspace: CliWorkspace;

beforeAll(() => {
  workspace = createKeyedWorkspace('adapipe-cli-stdout-', original, key);
});
afterAll(() => disposeWorkspaces());

/** Runs a shell command line in the workspace, with `adapipe` on the command line as `$A`. */
function shell(command: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync('/bin/bash', ['-c', command], {
    cwd: workspace.dir,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: workspace.root,
      A: `${process.execPath} ${adapipeBin}`,
      ADAPIPE_DB: workspace.path('store.db'),
    },
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('standard output carries data or the result, never both', () => {
  it('`--json process -o - | restore -o - | cmp` succeeds: the JSON results go to stderr', () => {
    const run = shell(
      '$A --json --key-file key process -i original.bin -o - 2>process.json | $A --json --key-file key restore -i - -o - 2>restore.json | cmp - original.bin',
    );
    expect(run.status, run.stderr + run.stdout).toBe(0);
    expect(JSON.parse(workspace.read('process.json').toString())).toMatchObject({
      command: 'process',
      output: '-',
      bytesIn: original.length,
    });
    expect(JSON.parse(workspace.read('restore.json').toString())).toMatchObject({
      command: 'restore',
      output: '-',
      bytesOut: original.length,
    });
  });

  it('keeps the JSON result on stdout when the data goes to a file', async () => {
    const run = await workspace.run(['--json', '--key-file', 'key', 'process', '-i', 'original.bin', '-o', 'file.adapipe']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout.toString())).toMatchObject({ command: 'process', output: 'file.adapipe' });
  });

  it('reports an error under --json as one JSON object on stderr, and nothing on stdout', async () => {
    const run = await workspace.run(['--json', 'restore', '-i', 'absent.adapipe', '-o', '-']);
    expect(run.code).toBe(3);
    expect(run.stdout.length).toBe(0);
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toEqual({
      error: { message: expect.stringContaining('absent.adapipe'), exitCode: 3, kind: 'InputError' },
    });
    const usage = await workspace.run(['--json', 'process', '-i', 'original.bin', '--bogus']);
    expect(usage.code).toBe(2);
    expect(JSON.parse(usage.stderr)).toMatchObject({ error: { message: expect.stringContaining('--bogus'), exitCode: 2 } });
  });

  it('stops quietly with status 141 when the reader of stdout goes away, as `| head` does', () => {
    const made = shell('$A process -i original.bin -o plain.adapipe --stages compression:lz4');
    expect(made.status, made.stderr).toBe(0);
    for (const command of ['$A restore -i plain.adapipe -o -', '$A process -i original.bin -o - --stages compression:lz4']) {
      const run = shell(`${command} 2>err.txt | head -c 100 >/dev/null; echo "\${PIPESTATUS[0]}"`);
      expect(run.stdout.trim(), command).toBe('141');
      expect(workspace.read('err.txt').toString(), command).toBe('');
    }
    expect(readdirSync(workspace.dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it.skipIf(!existsSync('/usr/bin/script'))('refuses to write a container to a terminal unless --force', () => {
    const onTerminal = (args: string) =>
      spawnSync(
        '/usr/bin/script',
        ['-qec', `${process.execPath} ${adapipeBin} process -i - -o - --stages compression:lz4 ${args} < original.bin`, '/dev/null'],
        {
          cwd: workspace.dir,
          env: { PATH: process.env.PATH ?? '', HOME: workspace.root, TERM: 'dumb' },
          encoding: 'latin1',
          maxBuffer: 64 * 1024 * 1024,
        },
      );
    const refused = onTerminal('');
    expect(refused.status).toBe(2);
    expect(refused.stdout).toMatch(/^adapipe: refusing to write a binary container to the terminal; redirect stdout .*--force\r?\n$/);
    const forced = onTerminal('--force');
    expect(forced.status).toBe(0);
    expect(forced.stdout.startsWith('\x89ADAPIPE')).toBe(true);
  });
});

describe('inspect', () => {
  it('shows the original name, size, digest and chunk count of an unencrypted container, from a file or stdin', async () => {
    const made = await workspace.run([
      '--json',
      'process',
      '-i',
      'original.bin',
      '-o',
      'open.adapipe',
      '--chunk-size',
      '256K',
      '--stages',
      'compression:zstd',
    ]);
    expect(made.code, made.stderr).toBe(0);
    const { digest, digestAlgorithm, chunkCount } = JSON.parse(made.stdout.toString());
    expect(digestAlgorithm).toBe('blake3');
    expect(chunkCount).toBe(Math.ceil(original.length / 262_144));
    const containerSize = workspace.read('open.adapipe').length;
    const expected = {
      encrypted: false,
      containerSize,
      chunkCount,
      original: { name: 'original.bin', size: original.length, digestAlgorithm, digest },
    };
    const fromFile = await workspace.run(['--json', 'inspect', 'open.adapipe']);
    expect(JSON.parse(fromFile.stdout.toString())).toMatchObject(expected);
    const fromStdin = await workspace.run(['--json', 'inspect', '-'], { stdin: workspace.read('open.adapipe') });
    expect(JSON.parse(fromStdin.stdout.toString())).toMatchObject(expected);
    const text = (await workspace.run(['inspect', 'open.adapipe'])).stdout.toString();
    expect(text).toContain(`in ${chunkCount} chunks`);
    expect(text).toContain(`original:   original.bin, 2.10 MiB (${original.length} bytes), blake3 ${digest}`);
  });

  it('shows the chunk count and size of an encrypted container and says the rest is sealed', async () => {
    const made = await workspace.run(['--key-file', 'key', 'process', '-i', 'original.bin', '-o', 'sealed.adapipe', '--chunk-size', '1M']);
    expect(made.code, made.stderr).toBe(0);
    const inspected = await workspace.run(['--json', 'inspect', 'sealed.adapipe']);
    expect(JSON.parse(inspected.stdout.toString())).toMatchObject({
      encrypted: true,
      chunkCount: 3,
      containerSize: workspace.read('sealed.adapipe').length,
      original: null,
    });
    expect((await workspace.run(['inspect', 'sealed.adapipe'])).stdout.toString()).toContain('original:   sealed by encryption');
  });

  it('refuses a truncated container with exit 11', async () => {
    const made = await workspace.run(['--key-file', 'key', 'process', '-i', 'original.bin', '-o', 'whole.adapipe', '--chunk-size', '1M']);
    expect(made.code, made.stderr).toBe(0);
    const whole = workspace.read('whole.adapipe');
    workspace.write('cut.adapipe', whole.subarray(0, whole.length - 100));
    const cut = await workspace.run(['inspect', 'cut.adapipe']);
    expect(cut.code).toBe(11);
    expectOneErrorLine(cut.stderr, 'cut.adapipe', new RegExp(`truncated at byte ${whole.length - 100}`));
  });
});

describe('usage mistakes that used to pass silently', () => {
  it('refuses a repeated -i instead of dropping a file', async () => {
    workspace.write('second.bin', 'second');
    await expectRefused({
      workspace,
      args: ['process', '-i', 'original.bin', '-i', 'second.bin', '--stages', 'compression:lz4'],
      exitCode: 2,
      file: '--input',
      cause: /already given as 'original\.bin'/,
      target: 'second.bin.adapipe',
    });
    const restore = await workspace.run(['restore', '-i', 'a.adapipe', '-i', 'b.adapipe']);
    expect(restore.code).toBe(2);
    const chunkSize = await workspace.run([
      'process',
      '-i',
      'original.bin',
      '--chunk-size',
      '64K',
      '--chunk-size',
      '1M',
      '--stages',
      'compression:lz4',
    ]);
    expect(chunkSize.code).toBe(2);
    expect(existsSync(workspace.path('original.bin.adapipe'))).toBe(false);
  });

  it('warns, without refusing, when a key or password file is readable by others', async () => {
    workspace.write('open-key', key);
    chmodSync(workspace.path('open-key'), 0o644);
    const warned = await workspace.run(['--key-file', 'open-key', 'process', '-i', 'original.bin', '-o', 'warned.adapipe']);
    expect(warned.code, warned.stderr).toBe(0);
    expectOneErrorLine(
      warned.stderr.replace('adapipe: warning: ', 'adapipe: '),
      'open-key',
      /other users can access it \(mode 0644\); make it private with chmod 600/,
    );
    workspace.write('open-password', 'a password\n');
    chmodSync(workspace.path('open-password'), 0o640);
    const password = await workspace.run(['--password-file', 'open-password', 'verify', 'warned.adapipe']);
    expect(password.stderr).toMatch(/^adapipe: warning: --password-file open-password: other users can access it \(mode 0640\)/);
    const quiet = await workspace.run(['--key-file', 'key', 'verify', 'warned.adapipe']);
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stderr).toBe('');
  });

  it('counts only data chunks in the encryption stage metrics (not the sealed trailer)', async () => {
    workspace.write('small.bin', compressibleBytes(10_000));
    const run = await workspace.run(['--json', '--key-file', 'key', 'process', '-i', 'small.bin', '-o', 'small.adapipe']);
    expect(run.code, run.stderr).toBe(0);
    const { stages, chunkCount } = JSON.parse(run.stdout.toString());
    expect(chunkCount).toBe(1);
    expect(stages.encryption.chunks).toBe(1);
    expect(stages.encryption.bytesIn).toBe(stages.compression.bytesOut);
    const restored = await workspace.run(['--json', '--key-file', 'key', 'restore', '-i', 'small.adapipe', '-o', 'small.restored']);
    expect(JSON.parse(restored.stdout.toString()).stages.encryption.chunks).toBe(1);
  });
});
