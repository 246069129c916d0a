import { spawn, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { createAdapipe, Pipeline, PipelineStage, StageConfiguration, StageType } from '@adapipe/core';
import { compressibleBytes, randomBytes } from '@adapipe/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type CliWorkspace,
  createWorkspace,
  disposeWorkspaces,
  expectOneErrorLine,
  expectRefused,
  finished,
  temporaryFiles,
} from './test-support/cli-harness.js';

// Issue 12: device, FIFO and socket targets are written through (items 4), long non-ASCII stored
// names are cut to 255 bytes (item 6), and missing output directories (item 10).

const plainStages = 'checksum:sha256,compression:zstd,checksum:sha256';
const original = Buffer.concat([compressibleBytes(150_000), randomBytes(100_000, 12)]);

afterAll(() => disposeWorkspaces());

/** A workspace holding `in.bin` and its container `in.bin.adapipe`. */
async function withContainer(): Promise<CliWorkspace> {
  const workspace = createWorkspace('adapipe-cli-targets-');
  workspace.write('in.bin', original);
  const made = await workspace.run(['process', '-i', 'in.bin', '--stages', plainStages, '--chunk-size', '64K']);
  expect(made.code, made.stderr).toBe(0);
  return workspace;
}

/** Makes a FIFO at `path` and starts `cat` reading it; `bytes` resolves with all it read. */
function readFifo(path: string): { bytes: Promise<Buffer>; stop: () => void } {
  expect(spawnSync('mkfifo', [path]).status).toBe(0);
  const reader = spawn('cat', [path], { stdio: ['ignore', 'pipe', 'inherit'] });
  return { bytes: finished(reader).then((result) => result.stdout), stop: () => reader.kill('SIGKILL') };
}

/** Runs `adapipe ARGS` writing to the FIFO `name` and returns what the FIFO received. */
async function throughFifo(workspace: CliWorkspace, name: string, args: readonly string[]): Promise<Buffer> {
  const fifo = readFifo(workspace.path(name));
  try {
    const run = await workspace.run(args);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    expect(lstatSync(workspace.path(name)).isFIFO(), `${name} was replaced`).toBe(true);
    expect(temporaryFiles(workspace.dir)).toEqual([]);
    return await fifo.bytes;
  } finally {
    fifo.stop();
  }
}

/** Temporary files the atomic writer would leave beside /dev/null. */
const devTemporaries = () => readdirSync('/dev').filter((name) => name.startsWith('.null.'));

describe.concurrent('issue 12.4: -o onto a character device, FIFO or socket writes through it', () => {
  for (const force of [[], ['--force']]) {
    it(`process and restore -o FIFO ${force.join(' ')}: the FIFO receives the whole container, then the whole original`, async () => {
      const workspace = await withContainer();
      const container = await throughFifo(workspace, 'container.fifo', [
        'process',
        '-i',
        'in.bin',
        '-o',
        'container.fifo',
        '--stages',
        plainStages,
        '--chunk-size',
        '64K',
        ...force,
      ]);
      workspace.write('from-fifo.adapipe', container);
      const check = await workspace.run(['restore', '-i', 'from-fifo.adapipe', '-o', 'check.bin']);
      expect(check.code, check.stderr).toBe(0);
      expect(workspace.read('check.bin').equals(original)).toBe(true);
      const restored = await throughFifo(workspace, 'restored.fifo', ['restore', '-i', 'in.bin.adapipe', '-o', 'restored.fifo', ...force]);
      expect(restored.equals(original)).toBe(true);
    });
  }

  it('process and restore -o /dev/null, with and without --force: /dev/null stays a character device', async () => {
    const workspace = await withContainer();
    // Written through only once a device node of our own (or, without mknod, a FIFO) survives
    // `--force`: a writer that still renamed over its target must never reach /dev/null.
    const ownNull = spawnSync('mknod', [workspace.path('null'), 'c', '1', '3']).status === 0;
    if (ownNull) {
      const run = await workspace.run(['process', '-i', 'in.bin', '-o', 'null', '--stages', plainStages, '--force']);
      expect(run.code, run.stderr).toBe(0);
      expect(lstatSync(workspace.path('null')).isCharacterDevice(), 'a character device target was replaced').toBe(true);
    } else {
      await throughFifo(workspace, 'guard.fifo', ['process', '-i', 'in.bin', '-o', 'guard.fifo', '--stages', plainStages, '--force']);
    }
    expect(temporaryFiles(workspace.dir)).toEqual([]);
    for (const args of [
      ['process', '-i', 'in.bin', '-o', '/dev/null', '--stages', plainStages],
      ['restore', '-i', 'in.bin.adapipe', '-o', '/dev/null'],
    ]) {
      for (const force of [[], ['--force']]) {
        expect(statSync('/dev/null').isCharacterDevice(), '/dev/null is not a character device before the run').toBe(true);
        const run = await workspace.run([...args, ...force]);
        expect(lstatSync('/dev/null').isCharacterDevice(), `adapipe ${args.join(' ')} ${force.join(' ')} replaced /dev/null`).toBe(true);
        expect(run.code, run.stderr).toBe(0);
        expect(run.stderr).toBe('');
        expect(devTemporaries()).toEqual([]);
      }
    }
  });

  it('restore --output-dir where a device has the stored name → 4, the device untouched', async () => {
    const workspace = await withContainer();
    workspace.write('out/keep', '');
    expect(spawnSync('mkfifo', [workspace.path('out/in.bin')]).status).toBe(0);
    const run = await workspace.run(['restore', '-i', 'in.bin.adapipe', '--output-dir', 'out', '--force']);
    expect(run.code).toBe(4);
    expectOneErrorLine(run.stderr, 'out/in.bin', /the output path is a FIFO, not a file/);
    expect(lstatSync(workspace.path('out/in.bin')).isFIFO()).toBe(true);
    expect(temporaryFiles(workspace.path('out'))).toEqual([]);
  });
});

describe.concurrent('issue 12.6: a long non-ASCII stored name restores under a name cut to 255 bytes', () => {
  const passthrough = new Pipeline('plain', [new PipelineStage('pass', StageType.PassThrough, new StageConfiguration('passthrough'), 0)]);

  it.each([
    ['200 × é (400 bytes)', 'é'.repeat(200), 'é'.repeat(127)],
    ['200 × é + .tar.gz', `${'é'.repeat(200)}.tar.gz`, `${'é'.repeat(124)}.tar.gz`],
  ])('%s: restore --output-dir writes the cut name with the right bytes', async (_name, stored, expected) => {
    const workspace = createWorkspace('adapipe-cli-targets-');
    const run = createAdapipe().runner.process(Readable.from([original]), { pipeline: passthrough, chunkSize: 65_536, name: stored });
    const parts: Uint8Array[] = [];
    for await (const part of run.output) parts.push(part);
    workspace.write('long.adapipe', Buffer.concat(parts));
    mkdirSync(workspace.path('out'));
    const restored = await workspace.run(['--json', 'restore', '-i', 'long.adapipe', '--output-dir', 'out']);
    expect(restored.code, restored.stderr).toBe(0);
    expect(Buffer.byteLength(expected)).toBeLessThanOrEqual(255);
    expect(readdirSync(workspace.path('out'))).toEqual([expected]);
    expect(workspace.read(`out/${expected}`).equals(original)).toBe(true);
    expect(JSON.parse(restored.stdout.toString())).toMatchObject({ name: stored, output: `out/${expected}` });
  });
});

describe.concurrent('issue 12.10: output directories that do not exist', () => {
  it('restore --output-dir out/deeper/ creates the directories (mkdir -p) and restores into them', async () => {
    const workspace = await withContainer();
    const run = await workspace.run(['restore', '-i', 'in.bin.adapipe', '--output-dir', 'out/deeper/']);
    expect(run.code, run.stderr).toBe(0);
    expect(workspace.read('out/deeper/in.bin').equals(original)).toBe(true);
    expect(temporaryFiles(workspace.path('out/deeper'))).toEqual([]);
  });

  it('restore --output-dir new/dir of a truncated container → 11, and the directories are not left behind', async () => {
    const workspace = await withContainer();
    workspace.write('cut.adapipe', workspace.read('in.bin.adapipe').subarray(0, 5_000));
    await expectRefused({
      workspace,
      args: ['restore', '-i', 'cut.adapipe', '--output-dir', 'new/dir'],
      exitCode: 11,
      file: 'cut.adapipe',
      cause: /truncated/,
      input: 'cut.adapipe',
    });
    expect(existsSync(workspace.path('new'))).toBe(false);
  });

  it.each([
    [
      'process -i in.bin -o missing/x.adapipe',
      ['process', '-i', 'in.bin', '-o', 'missing/x.adapipe', '--stages', plainStages],
      'missing/x.adapipe',
      'missing',
      'in.bin',
    ],
    [
      'restore -o missing/deeper/x',
      ['restore', '-i', 'in.bin.adapipe', '-o', 'missing/deeper/x'],
      'missing/deeper/x',
      'missing/deeper',
      'in.bin.adapipe',
    ],
  ])('%s → 4 naming the missing directory', async (_name, args, target, directory, input) => {
    const workspace = await withContainer();
    const escaped = `${target}: the directory ${directory} does not exist`.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    await expectRefused({ workspace, args, exitCode: 4, file: target, cause: new RegExp(`^adapipe: ${escaped}; `), target, input });
  });
});
