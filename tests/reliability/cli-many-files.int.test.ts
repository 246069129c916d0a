import { chmodSync, existsSync, lstatSync, readdirSync, statSync, symlinkSync, utimesSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, relative } from 'node:path';
import { compressibleBytes, randomBytes } from '@adapipe/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { officialServices, pipelineOf } from '../test-support/official-services.js';
import {
  type CliWorkspace,
  createWorkspace,
  directorySnapshot,
  disposeWorkspaces,
  expectOneErrorLine,
  runInterrupted,
  sha256File,
} from './test-support/cli-harness.js';

// Issue 16: many files in one call — positional inputs, -r, --output-dir, one key derivation,
// per-file results and failures, -c, --rm, modes and mtimes, SIGINT in the middle of a batch.

const key = randomBytes(32, 16);
const fast = ['--key-file', 'key'];
const stages = ['--stages', 'checksum:blake3,compression:zstd,encryption:aes-256-gcm'];

afterAll(() => disposeWorkspaces());

/** A workspace with the key file and a small tree: `tree/a.txt`, `tree/b.bin`, `tree/sub/c.txt`, `tree/sub/deep/d.bin`. */
function treeWorkspace(): CliWorkspace {
  const workspace = createWorkspace('adapipe-many-files-');
  workspace.write('key', key, 0o600);
  workspace.write('tree/a.txt', compressibleBytes(3_000));
  workspace.write('tree/b.bin', randomBytes(70_000, 2));
  workspace.write('tree/sub/c.txt', 'c\n');
  workspace.write('tree/sub/deep/d.bin', Buffer.concat([compressibleBytes(2_500_000), randomBytes(300_000, 3)]));
  return workspace;
}

/** Every file under `dir`, relative, sorted. */
function filesUnder(dir: string): string[] {
  const found: string[] = [];
  const walk = (folder: string) => {
    for (const name of readdirSync(folder).sort()) {
      const path = join(folder, name);
      if (lstatSync(path).isDirectory()) walk(path);
      else found.push(relative(dir, path));
    }
  };
  walk(dir);
  return found;
}

/** The JSON lines a run printed on stdout. */
function jsonLines(stdout: Buffer): Record<string, unknown>[] {
  return stdout
    .toString()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('positional inputs', () => {
  it('process a b c writes each container beside its input, and restore a.adapipe … gives each back beside it', async () => {
    const workspace = treeWorkspace();
    const names = ['tree/a.txt', 'tree/b.bin', 'tree/sub/c.txt'];
    const originals = names.map((name) => sha256File(workspace.path(name)));
    const made = await workspace.run([...fast, '--json', 'process', ...stages, ...names]);
    expect(made.code, made.stderr).toBe(0);
    const results = jsonLines(made.stdout);
    expect(
      results
        .slice(0, -1)
        .map((result) => [result.input, result.output, result.ok])
        .sort(),
    ).toEqual(names.map((name) => [name, `${name}.adapipe`, true]));
    expect(results.at(-1)).toMatchObject({ command: 'process', summary: { files: 3, succeeded: 3, failed: 0, exitCode: 0 } });
    for (const name of names) spawnSync('mv', [workspace.path(name), workspace.path(`${name}.orig`)]);
    const restored = await workspace.run([...fast, 'restore', ...names.map((name) => `${name}.adapipe`)]);
    expect(restored.code, restored.stderr).toBe(0);
    expect(names.map((name) => sha256File(workspace.path(name)))).toEqual(originals);
  });

  it('keeps -i for one input, and - (stdin) stands alone', async () => {
    const workspace = treeWorkspace();
    const single = await workspace.run([...fast, 'process', ...stages, '-i', 'tree/a.txt']);
    expect(single.code, single.stderr).toBe(0);
    expect(existsSync(workspace.path('tree/a.txt.adapipe'))).toBe(true);
    const mixed = await workspace.run([...fast, 'process', ...stages, '-', 'tree/b.bin']);
    expect(mixed.code).toBe(2);
    expectOneErrorLine(mixed.stderr, undefined, /- \(stdin\) stands alone/);
    const oneOutput = await workspace.run([...fast, 'process', ...stages, '-o', 'x.adapipe', 'tree/a.txt', 'tree/b.bin']);
    expect(oneOutput.code).toBe(2);
    expectOneErrorLine(oneOutput.stderr, undefined, /-o names the output of one input; for several use --output-dir/);
    expect(existsSync(workspace.path('x.adapipe'))).toBe(false);
    const none = await workspace.run(['process', ...stages]);
    expect(none.code).toBe(2);
    expectOneErrorLine(none.stderr, undefined, /give an input/);
  });

  it('refuses a directory without -r, naming it, and still processes the other inputs', async () => {
    const workspace = treeWorkspace();
    const run = await workspace.run([...fast, 'process', ...stages, 'tree/a.txt', 'tree/sub', 'tree/b.bin']);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^adapipe: tree\/sub: is a directory; use -r/m);
    expect(run.stderr).toMatch(/^adapipe: 1 of 3 files failed$/m);
    expect(existsSync(workspace.path('tree/a.txt.adapipe'))).toBe(true);
    expect(existsSync(workspace.path('tree/b.bin.adapipe'))).toBe(true);
  });
});

describe('-r and --output-dir', () => {
  it('mirrors a tree under --output-dir and restores it exactly: contents, modes and mtimes', async () => {
    const workspace = treeWorkspace();
    chmodSync(workspace.path('tree/a.txt'), 0o640);
    chmodSync(workspace.path('tree/sub/deep/d.bin'), 0o755);
    utimesSync(workspace.path('tree/b.bin'), new Date('2001-02-03T04:05:06.789Z'), new Date('2001-02-03T04:05:06.789Z'));
    const made = await workspace.run([...fast, 'process', ...stages, '-r', 'tree', '--output-dir', 'containers']);
    expect(made.code, made.stderr).toBe(0);
    expect(filesUnder(workspace.path('containers'))).toEqual(filesUnder(workspace.path('tree')).map((name) => `${name}.adapipe`));
    const back = await workspace.run([...fast, 'restore', '-r', 'containers', '--output-dir', 'back']);
    expect(back.code, back.stderr).toBe(0);
    expect(directorySnapshot(workspace.path('back'))).toEqual(directorySnapshot(workspace.path('tree')));
    expect(spawnSync('diff', ['-r', 'tree', 'back'], { cwd: workspace.dir }).status).toBe(0);
    for (const name of filesUnder(workspace.path('tree'))) {
      const [original, restored] = [statSync(workspace.path(`tree/${name}`)), statSync(workspace.path(`back/${name}`))];
      expect(restored.mode & 0o777, name).toBe(original.mode & 0o777);
      expect(Math.abs(restored.mtimeMs - original.mtimeMs), name).toBeLessThan(1);
    }
  });

  it('leaves out symbolic links and special files with a note, follows links with --follow-symlinks, and skips containers', async () => {
    const workspace = treeWorkspace();
    symlinkSync('../a.txt', workspace.path('tree/sub/link-to-a'));
    symlinkSync('..', workspace.path('tree/sub/loop'));
    expect(spawnSync('mkfifo', [workspace.path('tree/fifo')]).status).toBe(0);
    workspace.write('tree/old.adapipe', 'not read');
    const plain = await workspace.run([...fast, 'process', ...stages, '-r', 'tree', '--output-dir', 'out']);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stderr).toMatch(/warning: tree\/sub\/link-to-a: a symbolic link, left out/);
    expect(plain.stderr).toMatch(/warning: tree\/fifo: a FIFO, left out/);
    expect(plain.stderr).toMatch(/warning: tree\/old\.adapipe: already a container \(\.adapipe\), left out/);
    expect(filesUnder(workspace.path('out'))).toEqual(['a.txt.adapipe', 'b.bin.adapipe', 'sub/c.txt.adapipe', 'sub/deep/d.bin.adapipe']);
    const followed = await workspace.run([...fast, 'process', ...stages, '-r', '--follow-symlinks', 'tree', '--output-dir', 'followed']);
    expect(followed.code, followed.stderr).toBe(0);
    expect(followed.stderr).toMatch(/warning: tree\/sub\/loop: a directory already read \(a link loop\), left out/);
    expect(filesUnder(workspace.path('followed'))).toContain('sub/link-to-a.adapipe');
  });

  it('never writes outside --output-dir, whatever name a container stores', async () => {
    const workspace = treeWorkspace();
    const { runner } = officialServices();
    const pipeline = pipelineOf('plain', [['compression', 'zstd']]);
    for (const [file, name] of [
      ['escape.adapipe', '../../escaped.txt'],
      ['absolute.adapipe', '/tmp/absolute.txt'],
      ['dots.adapipe', '..'],
    ] as const) {
      workspace.write(file, await runner.processBuffer(new TextEncoder().encode(name), { pipeline, name }));
    }
    const run = await workspace.run([
      '--json',
      'restore',
      'escape.adapipe',
      'absolute.adapipe',
      'dots.adapipe',
      '--output-dir',
      'safe/inner',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(filesUnder(workspace.path('safe'))).toEqual(['inner/absolute.txt', 'inner/dots', 'inner/escaped.txt']);
    expect(existsSync(workspace.path('escaped.txt'))).toBe(false);
    expect(existsSync(join(workspace.root, 'escaped.txt'))).toBe(false);
  });

  it('fails the second of two inputs that would have one output, keeping the first', async () => {
    const workspace = treeWorkspace();
    workspace.write('other/a.txt', 'another a');
    const run = await workspace.run([...fast, 'process', ...stages, 'tree/a.txt', 'other/a.txt', '--output-dir', 'flat']);
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/^adapipe: other\/a\.txt: its output flat\/a\.txt\.adapipe is also the output of tree\/a\.txt$/m);
    expect(filesUnder(workspace.path('flat'))).toEqual(['a.txt.adapipe']);
  });
});

describe('failures in a batch', () => {
  it('a missing file in the middle fails alone: one line naming it, the others written, exit 3, ok:false in --json', async () => {
    const workspace = treeWorkspace();
    const run = await workspace.run([...fast, '--json', 'process', ...stages, 'tree/a.txt', 'tree/missing.txt', 'tree/b.bin']);
    expect(run.code).toBe(3);
    const results = jsonLines(run.stdout);
    const failed = results.find((result) => result.input === 'tree/missing.txt');
    expect(failed).toMatchObject({ ok: false, error: { exitCode: 3, kind: 'InputError' } });
    expect((failed!.error as { message: string }).message).toContain('tree/missing.txt');
    expect(results.filter((result) => result.ok === true).map((result) => result.input)).toEqual(
      expect.arrayContaining(['tree/a.txt', 'tree/b.bin']),
    );
    expect(results.at(-1)).toMatchObject({ summary: { files: 3, succeeded: 2, failed: 1, exitCode: 3 } });
    expect(existsSync(workspace.path('tree/missing.txt.adapipe'))).toBe(false);
  });

  it('the exit code is the most severe: a corrupt container (11) outranks a missing one (3)', async () => {
    const workspace = treeWorkspace();
    const made = await workspace.run([...fast, 'process', ...stages, 'tree/a.txt', 'tree/b.bin']);
    expect(made.code, made.stderr).toBe(0);
    const container = workspace.read('tree/b.bin.adapipe');
    container[container.length - 40] ^= 0x01;
    workspace.write('tree/b.bin.adapipe', container);
    const run = await workspace.run([
      ...fast,
      'restore',
      'gone.adapipe',
      'tree/b.bin.adapipe',
      'tree/a.txt.adapipe',
      '--output-dir',
      'back',
    ]);
    expect(run.code).toBe(11);
    const lines = run.stderr.split('\n').filter((line) => line !== '');
    expect(lines.filter((line) => line.includes('gone.adapipe'))).toHaveLength(1);
    expect(lines.filter((line) => line.includes('tree/b.bin.adapipe'))).toHaveLength(1);
    expect(lines.at(-1)).toBe('adapipe: 2 of 3 files failed');
    expect(filesUnder(workspace.path('back'))).toEqual(['a.txt']);
  });

  it('SIGINT in the middle of a batch: exit 130, no partial output, every finished container intact', async () => {
    const workspace = createWorkspace('adapipe-many-files-sigint-');
    workspace.write('key', key, 0o600);
    for (let index = 0; index < 120; index++) workspace.write(`many/f${String(index).padStart(3, '0')}.bin`, randomBytes(400_000, index));
    const written = () =>
      existsSync(workspace.path('out')) ? readdirSync(workspace.path('out')).filter((name) => name.endsWith('.adapipe')) : [];
    const run = await runInterrupted(
      workspace,
      [
        ...fast,
        'process',
        '--stages',
        'compression:zstd:level=19,encryption:aes-256-gcm',
        '-r',
        'many',
        '--output-dir',
        'out',
        '--workers',
        '1',
      ],
      { signal: 'SIGINT', when: () => written().length >= 3 },
    );
    expect(run.code, run.stderr).toBe(130);
    expect(run.stderr).toMatch(/interrupted by SIGINT/);
    const done = written();
    expect(done.length).toBeGreaterThanOrEqual(3);
    expect(done.length).toBeLessThan(120);
    expect(readdirSync(workspace.path('out')).filter((name) => !name.endsWith('.adapipe'))).toEqual([]);
    const verified = await workspace.run([...fast, 'verify', '--full', ...done.map((name) => `out/${name}`)]);
    expect(verified.code, verified.stderr).toBe(0);
    expect(
      verified.stdout
        .toString()
        .split('\n')
        .filter((line) => line.endsWith(')')).length,
    ).toBe(done.length);
  });
});

describe('zstd and gzip conventions', () => {
  it('-c writes one container to stdout and refuses several; restore -c concatenates the originals in order', async () => {
    const workspace = treeWorkspace();
    const one = await workspace.run([...fast, 'process', ...stages, '-c', 'tree/a.txt']);
    expect(one.code, one.stderr).toBe(0);
    workspace.write('a.from-stdout.adapipe', one.stdout);
    const several = await workspace.run([...fast, 'process', ...stages, '-c', 'tree/a.txt', 'tree/b.bin']);
    expect(several.code).toBe(2);
    expectOneErrorLine(several.stderr, undefined, /containers cannot be concatenated/);
    const made = await workspace.run([...fast, 'process', ...stages, 'tree/b.bin', 'tree/sub/c.txt']);
    expect(made.code, made.stderr).toBe(0);
    const joined = await workspace.run([...fast, 'restore', '-c', 'a.from-stdout.adapipe', 'tree/b.bin.adapipe', 'tree/sub/c.txt.adapipe']);
    expect(joined.code, joined.stderr).toBe(0);
    expect(joined.stdout.equals(Buffer.concat(['tree/a.txt', 'tree/b.bin', 'tree/sub/c.txt'].map((name) => workspace.read(name))))).toBe(
      true,
    );
  });

  it('keeps inputs by default (-k accepted); --rm removes each only once its output is complete', async () => {
    const workspace = treeWorkspace();
    const kept = await workspace.run([...fast, 'process', ...stages, '-k', 'tree/a.txt']);
    expect(kept.code, kept.stderr).toBe(0);
    expect(existsSync(workspace.path('tree/a.txt'))).toBe(true);
    const before = directorySnapshot(workspace.path('tree'));
    const removed = await workspace.run([...fast, 'process', ...stages, '--rm', '-r', 'tree', '--output-dir', 'c']);
    expect(removed.code, removed.stderr).toBe(0);
    expect(filesUnder(workspace.path('tree'))).toEqual(['a.txt.adapipe']);
    const back = await workspace.run([...fast, 'restore', '--rm', '-r', 'c', '--output-dir', 'back']);
    expect(back.code, back.stderr).toBe(0);
    expect(filesUnder(workspace.path('c'))).toEqual([]);
    const restored = directorySnapshot(workspace.path('back'));
    for (const [name, digest] of Object.entries(before)) if (!name.endsWith('.adapipe')) expect(restored[name], name).toBe(digest);
    for (const [flags, cause] of [
      [['--rm', '--no-fsync'], /drop --no-fsync/],
      [['--rm', '-k'], /choose one of -k/],
      [['--rm', '-c'], /not with stdin or stdout/],
    ] as const) {
      const refused = await workspace.run([...fast, 'process', ...stages, ...flags, 'back/a.txt']);
      expect(refused.code, flags.join(' ')).toBe(2);
      expectOneErrorLine(refused.stderr, undefined, cause);
      expect(existsSync(workspace.path('back/a.txt'))).toBe(true);
    }
  });

  it('derives the password key once for the whole batch, and restores with one derivation too', async () => {
    const workspace = treeWorkspace();
    for (let index = 0; index < 12; index++) workspace.write(`small/s${index}.txt`, `file ${index}\n`);
    const env = { ADAPIPE_PASSWORD: 'correct horse battery staple' };
    const made = await workspace.run(['--json', 'process', '-r', 'small', '--output-dir', 'c'], { env });
    expect(made.code, made.stderr).toBe(0);
    const inspected = await workspace.run(['--json', 'inspect', '-r', 'c']);
    expect(inspected.code, inspected.stderr).toBe(0);
    const headers = jsonLines(inspected.stdout).filter((line) => line.command === 'inspect' && line.ok === true);
    expect(headers).toHaveLength(12);
    const runParameters = headers.map(
      (header) =>
        (header.stages as { type: string; runParameters: Record<string, string> }[]).find((stage) => stage.type === 'encryption')!
          .runParameters,
    );
    expect(new Set(runParameters.map((parameters) => parameters.kdf_salt)).size).toBe(1);
    expect(new Set(runParameters.map((parameters) => parameters.salt)).size).toBe(12);
    const back = await workspace.run(['restore', '-r', 'c', '--output-dir', 'back'], { env });
    expect(back.code, back.stderr).toBe(0);
    expect(directorySnapshot(workspace.path('back'))).toEqual(directorySnapshot(workspace.path('small')));
  });
});

describe('verify, inspect and compare take several containers', () => {
  it('verify --full reports each container, fails only the damaged one, and exits 11', async () => {
    const workspace = treeWorkspace();
    const made = await workspace.run([...fast, 'process', ...stages, '-r', 'tree', '--output-dir', 'c']);
    expect(made.code, made.stderr).toBe(0);
    const damaged = workspace.read('c/sub/c.txt.adapipe');
    damaged[damaged.length - 30] ^= 0x80;
    workspace.write('c/sub/c.txt.adapipe', damaged);
    const run = await workspace.run([...fast, '--json', 'verify', '--full', '-r', 'c']);
    expect(run.code).toBe(11);
    const results = jsonLines(run.stdout);
    expect(results.filter((result) => result.ok === true)).toHaveLength(3);
    expect(results.find((result) => result.input === 'c/sub/c.txt.adapipe')).toMatchObject({ ok: false, error: { exitCode: 11 } });
    expect(results.at(-1)).toMatchObject({ summary: { files: 4, succeeded: 3, failed: 1, exitCode: 11 } });
  });

  it('compare checks each original against its container, beside it or under --containers', async () => {
    const workspace = treeWorkspace();
    const made = await workspace.run([...fast, 'process', ...stages, '-r', 'tree', '--output-dir', 'c']);
    expect(made.code, made.stderr).toBe(0);
    const same = await workspace.run([...fast, 'compare', '-r', 'tree', '--containers', 'c']);
    expect(same.code, same.stderr).toBe(0);
    expect(same.stdout.toString().match(/restores to exactly/g)).toHaveLength(4);
    workspace.write('tree/sub/c.txt', 'x\n');
    const differs = await workspace.run([...fast, 'compare', '-r', 'tree', '--containers', 'c']);
    expect(differs.code).toBe(5);
    expect(differs.stderr).toMatch(/^adapipe: c\/sub\/c\.txt\.adapipe: differs from tree\/sub\/c\.txt at byte 0$/m);
  });
});
