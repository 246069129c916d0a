import { spawn, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PipelineError } from '../errors/pipeline-error.js';
import { checkOutputTarget, writeFileAtomically } from './atomic-file-writer.js';

const root = mkdtempSync(join(tmpdir(), 'adapipe-atomic-writer-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let count = 0;
const freshDir = () => {
  const dir = join(root, `case-${count++}`);
  mkdirSync(dir);
  return dir;
};

const content = Buffer.from(Array.from({ length: 300_000 }, (_, index) => index % 253));
async function* pieces(): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < content.length; offset += 65_536) yield content.subarray(offset, offset + 65_536);
}
async function* failing(): AsyncGenerator<Uint8Array> {
  yield content.subarray(0, 10);
  throw new PipelineError('CorruptContainer', 'broken on purpose');
}

async function expectOutputError(promise: Promise<unknown>, message: RegExp): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(PipelineError.is(error, 'OutputError'), String(error)).toBe(true);
  expect((error as Error).message).toMatch(message);
}

/** Makes a FIFO at `path` and reads it with `cat` (killed by `stop`). */
function readFifo(path: string): { bytes: Promise<Buffer>; stop: () => void } {
  expect(spawnSync('mkfifo', [path]).status).toBe(0);
  const reader = spawn('cat', [path], { stdio: ['ignore', 'pipe', 'inherit'] });
  const parts: Buffer[] = [];
  reader.stdout.on('data', (part: Buffer) => parts.push(part));
  return { bytes: new Promise((resolve) => reader.once('close', () => resolve(Buffer.concat(parts)))), stop: () => reader.kill('SIGKILL') };
}

describe('writeFileAtomically onto a character device, FIFO or socket', () => {
  for (const overwrite of [false, true]) {
    it(`writes through a FIFO (overwrite ${overwrite}): no temporary file, no rename, the reader gets every byte`, async () => {
      const dir = freshDir();
      const fifo = join(dir, 'out.fifo');
      const reader = readFifo(fifo);
      try {
        expect(await writeFileAtomically(fifo, pieces(), { overwrite })).toBe(fifo);
        expect((await reader.bytes).equals(content)).toBe(true);
        expect(lstatSync(fifo).isFIFO()).toBe(true);
        expect(readdirSync(dir)).toEqual(['out.fifo']);
      } finally {
        reader.stop();
      }
    });
  }

  it('writes through a character device of its own (mknod c 1 3, like /dev/null) and leaves it a device', async (context) => {
    const dir = freshDir();
    const device = join(dir, 'null');
    if (spawnSync('mknod', [device, 'c', '1', '3']).status !== 0) return context.skip('mknod needs root');
    await writeFileAtomically(device, pieces(), { overwrite: true });
    await writeFileAtomically(device, pieces());
    expect(lstatSync(device).isCharacterDevice()).toBe(true);
    expect(readdirSync(dir)).toEqual(['null']);
    expect(await checkOutputTarget(device)).toBe('character device');
  });

  it('refuses a block device, even with overwrite', async (context) => {
    const dir = freshDir();
    const device = join(dir, 'disk');
    if (spawnSync('mknod', [device, 'b', '7', '200']).status !== 0) return context.skip('mknod needs root');
    await expectOutputError(
      writeFileAtomically(device, pieces(), { overwrite: true }),
      /disk: the output path is a block device; refusing to write to it$/,
    );
    expect(lstatSync(device).isBlockDevice()).toBe(true);
    expect(readdirSync(dir)).toEqual(['disk']);
  });

  it('refuses a device or FIFO that carries the name known only at the end (a directory target)', async () => {
    const dir = freshDir();
    expect(spawnSync('mkfifo', [join(dir, 'restored.bin')]).status).toBe(0);
    await expectOutputError(
      writeFileAtomically({ directory: dir, name: () => 'restored.bin' }, pieces(), { overwrite: true }),
      /restored\.bin: the output path is a FIFO, not a file; give it as the output path \(-o\) to write through it$/,
    );
    expect(lstatSync(join(dir, 'restored.bin')).isFIFO()).toBe(true);
    expect(readdirSync(dir)).toEqual(['restored.bin']);
  });
});

describe('writeFileAtomically and missing directories', () => {
  it('names the missing directory', async () => {
    const dir = freshDir();
    const target = join(dir, 'missing', 'deeper', 'x.adapipe');
    await expectOutputError(
      writeFileAtomically(target, pieces()),
      new RegExp(`^${target}: the directory ${join(dir, 'missing', 'deeper')} does not exist; create it first$`),
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it('with createDirectory, makes the directory and its parents (mkdir -p)', async () => {
    const dir = freshDir();
    const written = await writeFileAtomically({ directory: join(dir, 'a', 'b'), name: () => 'x.bin' }, pieces(), { createDirectory: true });
    expect(written).toBe(join(dir, 'a', 'b', 'x.bin'));
    expect(readFileSync(written).equals(content)).toBe(true);
    expect(readdirSync(join(dir, 'a', 'b'))).toEqual(['x.bin']);
  });

  it('with createDirectory, removes the directories it made when the write fails, and only those', async () => {
    const dir = freshDir();
    mkdirSync(join(dir, 'kept'));
    const error = await writeFileAtomically(join(dir, 'kept', 'new', 'newer', 'x.bin'), failing(), { createDirectory: true }).catch(
      (failure: unknown) => failure,
    );
    expect(PipelineError.is(error, 'CorruptContainer')).toBe(true);
    expect(existsSync(join(dir, 'kept', 'new'))).toBe(false);
    expect(readdirSync(dir)).toEqual(['kept']);
  });

  it('with createDirectory, a path below a file → OutputError', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'file'), 'x');
    await expectOutputError(
      writeFileAtomically({ directory: join(dir, 'file', 'sub'), name: () => 'x' }, pieces(), { createDirectory: true }),
      /file\/sub: cannot create the output directory \(ENOTDIR\)$/,
    );
  });
});

describe('writeFileAtomically with attributes', () => {
  /** 2001-02-03T04:05:06.789Z and a fraction of a millisecond. */
  const past = 981173106789.25;
  const modeOf = (path: string) => statSync(path).mode & 0o7777;
  /** Runs `body` with the process umask set to `mask` (vitest runs each file in a forked process). */
  async function underUmask<T>(mask: number, body: () => Promise<T>): Promise<T> {
    const previous = process.umask(mask);
    try {
      return await body();
    } finally {
      process.umask(previous);
    }
  }

  for (const [mode, overwrite] of [
    [0o640, false],
    [0o755, true],
    [0o400, false],
  ] as const) {
    it(`gives the file mode ${mode.toString(8)} and the mtime under umask 077 (overwrite ${overwrite})`, async () => {
      const dir = freshDir();
      const target = join(dir, 'out.bin');
      if (overwrite) writeFileSync(target, 'old');
      const before = Date.now();
      await underUmask(0o077, () => writeFileAtomically(target, pieces(), { overwrite, attributes: () => ({ mode, mtimeMs: past }) }));
      const stats = statSync(target);
      expect(modeOf(target)).toBe(mode);
      expect(Math.abs(stats.mtimeMs - past)).toBeLessThan(1);
      expect(stats.atimeMs).toBeGreaterThanOrEqual(before - 1000);
      expect(readFileSync(target).equals(content)).toBe(true);
      expect(readdirSync(dir)).toEqual(['out.bin']);
    });
  }

  it('sets them on the temporary file before it gets its name, asking once after the last byte', async () => {
    const dir = freshDir();
    let complete = false;
    const asked: boolean[] = [];
    async function* tracked(): AsyncGenerator<Uint8Array> {
      yield* pieces();
      complete = true;
    }
    let temporary: { name: string; mode: number; mtimeMs: number } | undefined;
    const written = await writeFileAtomically(
      {
        directory: dir,
        name: () => {
          const [name] = readdirSync(dir);
          const stats = statSync(join(dir, name!));
          temporary = { name: name!, mode: stats.mode & 0o7777, mtimeMs: stats.mtimeMs };
          return 'named.bin';
        },
      },
      tracked(),
      {
        attributes: async () => {
          asked.push(complete);
          return { mode: 0o751, mtimeMs: past };
        },
      },
    );
    expect(asked).toEqual([true]);
    expect(temporary?.name).toMatch(/^\.adapipe-restore\.[0-9a-f]{12}\.tmp$/);
    expect(temporary?.mode).toBe(0o751);
    expect(Math.abs((temporary?.mtimeMs ?? 0) - past)).toBeLessThan(1);
    expect(written).toBe(join(dir, 'named.bin'));
    expect(modeOf(written)).toBe(0o751);
    expect(readdirSync(dir)).toEqual(['named.bin']);
  });

  it('leaves the defaults when the callback gives undefined: mode 0600, mtime now', async () => {
    const dir = freshDir();
    const target = join(dir, 'plain.bin');
    const before = Date.now();
    await writeFileAtomically(target, pieces(), { attributes: () => undefined });
    expect(modeOf(target)).toBe(0o600);
    expect(statSync(target).mtimeMs).toBeGreaterThanOrEqual(before - 1000);
  });

  it('refuses a setuid or out-of-range mode and a negative time, leaving no file', async () => {
    for (const attributes of [
      { mode: 0o4755, mtimeMs: past },
      { mode: 0o1000, mtimeMs: past },
      { mode: 0o644, mtimeMs: -1 },
      { mode: 0o644, mtimeMs: Number.NaN },
    ]) {
      const dir = freshDir();
      const error = await writeFileAtomically(join(dir, 'x.bin'), pieces(), { attributes: () => attributes }).catch(
        (failure: unknown) => failure,
      );
      expect(PipelineError.is(error, 'InvalidConfiguration'), String(error)).toBe(true);
      expect((error as Error).message).toMatch(/x\.bin: attributes field '(mode|mtimeMs)'/);
      expect(readdirSync(dir)).toEqual([]);
    }
  });

  it('leaves no file when the content or the callback fails, and never asks after a failed content', async () => {
    const dir = freshDir();
    let asked = 0;
    const attributes = () => {
      asked++;
      return { mode: 0o644, mtimeMs: past };
    };
    const failed = await writeFileAtomically(join(dir, 'x.bin'), failing(), { attributes }).catch((failure: unknown) => failure);
    expect(PipelineError.is(failed, 'CorruptContainer')).toBe(true);
    expect(asked).toBe(0);
    const thrown = await writeFileAtomically(join(dir, 'y.bin'), pieces(), {
      attributes: async () => {
        throw new PipelineError('IntegrityFailed', 'the trailer did not match');
      },
    }).catch((failure: unknown) => failure);
    expect(PipelineError.is(thrown, 'IntegrityFailed')).toBe(true);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('never asks for attributes when writing through a FIFO, and leaves its mode', async () => {
    const dir = freshDir();
    const fifo = join(dir, 'out.fifo');
    const reader = readFifo(fifo);
    try {
      const fifoMode = modeOf(fifo);
      let asked = 0;
      await writeFileAtomically(fifo, pieces(), {
        attributes: () => {
          asked++;
          return { mode: 0o777, mtimeMs: past };
        },
      });
      expect((await reader.bytes).equals(content)).toBe(true);
      expect(asked).toBe(0);
      expect(modeOf(fifo)).toBe(fifoMode);
      expect(Math.abs(statSync(fifo).mtimeMs - past)).toBeGreaterThan(1000);
    } finally {
      reader.stop();
    }
  });
});
