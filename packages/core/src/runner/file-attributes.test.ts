import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContainerModule } from 'inversify';
import { afterAll, describe, expect, it } from 'vitest';
import { createAdapipe } from '../di/create-adapipe.js';
import { Pipeline } from '../domain/pipeline.js';
import { PipelineStage } from '../domain/pipeline-stage.js';
import type { RunSecret } from '../domain/run-context-keys.js';
import { StageConfiguration } from '../domain/stage-configuration.js';
import { StageType } from '../domain/stage-type.js';
import { StageExecutor } from '../executor/stage-executor.js';
import { surveyContainer } from '../format/container-survey.js';
import { FakeAeadExecutor, FakeChecksumExecutor, FakeCompressionExecutor } from '../test-support/fake-executors.js';
import { rejectionOf } from '../testing/pipeline-error-of.js';
import { compressibleBytes } from '../testing/test-data.js';

const { runner } = createAdapipe(
  new ContainerModule(({ bind }) => {
    bind(StageExecutor).toConstantValue(new FakeChecksumExecutor());
    bind(StageExecutor).toConstantValue(new FakeCompressionExecutor());
    bind(StageExecutor).toConstantValue(new FakeAeadExecutor());
  }),
);
const key: RunSecret = { kind: 'key', key: new Uint8Array(32).fill(7) };
const KiB = 1024;
const stage = (name: string, type: StageType, algorithm: string, order: number) =>
  new PipelineStage(name, type, new StageConfiguration(algorithm), order);
const pipelines = {
  plain: () => new Pipeline('integrity', [stage('sum', StageType.Checksum, 'crc', 0)]),
  secure: () =>
    new Pipeline('secure', [
      stage('in-sum', StageType.Checksum, 'crc', 0),
      stage('zip', StageType.Compression, 'deflate', 1),
      stage('seal', StageType.Encryption, 'fake-aead', 2),
      stage('out-sum', StageType.Checksum, 'crc', 3),
    ]),
};

const root = mkdtempSync(join(tmpdir(), 'adapipe-attributes-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let cases = 0;
const freshDir = () => mkdtempSync(join(root, `case-${cases++}-`));
const modeOf = (path: string) => statSync(path).mode & 0o7777;
/** 2001-02-03T04:05:06 and a fraction of a second, in seconds (as utimes takes it). */
const pastSeconds = 981173106.789123;

/** Runs `body` with the process umask set to `mask` (vitest runs each file in a forked process). */
async function underUmask<T>(mask: number, body: () => Promise<T>): Promise<T> {
  const previous = process.umask(mask);
  try {
    return await body();
  } finally {
    process.umask(previous);
  }
}

/** A file of `size` bytes with `mode` and an mtime in 2001. */
function original(dir: string, name: string, mode: number, size = 20 * KiB): string {
  const path = join(dir, name);
  writeFileSync(path, compressibleBytes(size));
  chmodSync(path, mode);
  utimesSync(path, pastSeconds, pastSeconds);
  return path;
}

async function* pieces(data: Uint8Array): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < data.length; offset += 3000) yield data.subarray(offset, offset + 3000);
}

async function collect(iterable: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const part of iterable) parts.push(part);
  return Buffer.concat(parts);
}

describe('processFile and restoreFile keep the mode and the modification time', () => {
  for (const [mode, kind] of [
    [0o640, 'secure'],
    [0o755, 'plain'],
    [0o444, 'secure'],
  ] as const) {
    it(`a ${kind} round trip gives back mode ${mode.toString(8)} and the mtime within 1 ms, under umask 077`, async () => {
      const dir = freshDir();
      const input = original(dir, 'data.bin', mode);
      const inputStats = statSync(input);
      const secret = kind === 'secure' ? { secret: key } : {};
      const processed = await runner.processFile(input, join(dir, 'data.adapipe'), {
        pipeline: pipelines[kind](),
        chunkSize: 4 * KiB,
        ...secret,
      });
      expect(processed.trailer).toMatchObject({ mode, mtimeMs: inputStats.mtimeMs });
      const out = freshDir();
      const restored = await underUmask(0o077, () => runner.restoreFile(join(dir, 'data.adapipe'), { directory: out }, secret));
      expect(restored.outputPath).toBe(join(out, 'data.bin'));
      expect(restored.trailer).toMatchObject({ mode, mtimeMs: inputStats.mtimeMs });
      expect(modeOf(restored.outputPath)).toBe(mode);
      expect(Math.abs(statSync(restored.outputPath).mtimeMs - inputStats.mtimeMs)).toBeLessThan(1);
      expect(readFileSync(restored.outputPath).equals(readFileSync(input))).toBe(true);
      expect(readdirSync(out)).toEqual(['data.bin']);
    });
  }

  it('never records setuid, setgid or sticky bits', async () => {
    const dir = freshDir();
    const input = original(dir, 'tool', 0o6755);
    const processed = await runner.processFile(input, join(dir, 'tool.adapipe'), { pipeline: pipelines.plain() });
    expect(processed.trailer.mode).toBe(0o755);
    const restored = await runner.restoreFile(join(dir, 'tool.adapipe'), join(dir, 'tool.restored'));
    expect(modeOf(restored.outputPath)).toBe(0o755);
  });

  it('shows them to a survey of an unencrypted container and hides them in an encrypted one', async () => {
    const dir = freshDir();
    const input = original(dir, 'data.bin', 0o640);
    await runner.processFile(input, join(dir, 'plain.adapipe'), { pipeline: pipelines.plain() });
    await runner.processFile(input, join(dir, 'secure.adapipe'), { pipeline: pipelines.secure(), secret: key });
    const plain = await surveyContainer(pieces(readFileSync(join(dir, 'plain.adapipe'))));
    expect(plain.trailer).toMatchObject({ mode: 0o640, mtimeMs: statSync(input).mtimeMs });
    const sealed = readFileSync(join(dir, 'secure.adapipe'));
    expect((await surveyContainer(pieces(sealed))).trailer).toBeUndefined();
    expect(sealed.includes('mtimeMs')).toBe(false);
    expect(readFileSync(join(dir, 'plain.adapipe')).includes('"mode":416,"mtimeMs":')).toBe(true);
  });

  it('attributes: null records none; explicit attributes are recorded instead of the input’s', async () => {
    const dir = freshDir();
    const input = original(dir, 'data.bin', 0o640);
    const none = await runner.processFile(input, join(dir, 'none.adapipe'), { pipeline: pipelines.plain(), attributes: null });
    expect('mode' in none.trailer || 'mtimeMs' in none.trailer).toBe(false);
    const restoredNone = await underUmask(0o022, () => runner.restoreFile(join(dir, 'none.adapipe'), join(dir, 'none.out')));
    expect(modeOf(restoredNone.outputPath)).toBe(0o600);
    expect(statSync(restoredNone.outputPath).mtimeMs).toBeGreaterThan(Date.now() - 60_000);

    const given = { mode: 0o700, mtimeMs: 1_234_567_890_123.5 };
    const explicit = await runner.processFile(input, join(dir, 'given.adapipe'), { pipeline: pipelines.plain(), attributes: given });
    expect(explicit.trailer).toMatchObject(given);
    const restored = await runner.restoreFile(join(dir, 'given.adapipe'), join(dir, 'given.out'));
    expect(modeOf(restored.outputPath)).toBe(0o700);
    expect(Math.abs(statSync(restored.outputPath).mtimeMs - given.mtimeMs)).toBeLessThan(1);
  });

  it('restoreAttributes: false leaves the defaults, though the trailer has them', async () => {
    const dir = freshDir();
    const input = original(dir, 'data.bin', 0o755);
    await runner.processFile(input, join(dir, 'data.adapipe'), { pipeline: pipelines.secure(), secret: key });
    const restored = await runner.restoreFile(join(dir, 'data.adapipe'), join(dir, 'out.bin'), { secret: key, restoreAttributes: false });
    expect(restored.trailer.mode).toBe(0o755);
    expect(modeOf(restored.outputPath)).toBe(0o600);
    expect(statSync(restored.outputPath).mtimeMs).toBeGreaterThan(Date.now() - 60_000);
  });

  it('a restore that fails leaves no file, even with attributes in the trailer', async () => {
    const dir = freshDir();
    const input = original(dir, 'data.bin', 0o644);
    await runner.processFile(input, join(dir, 'data.adapipe'), { pipeline: pipelines.secure(), secret: key });
    const out = freshDir();
    await rejectionOf(
      runner.restoreFile(join(dir, 'data.adapipe'), { directory: out }, { secret: { kind: 'key', key: new Uint8Array(32).fill(8) } }),
    );
    expect(readdirSync(out)).toEqual([]);
  });
});

describe('process of a stream and explicit attributes', () => {
  it('records none for a stream; the restored file keeps the default mode and a fresh mtime', async () => {
    const data = compressibleBytes(9 * KiB);
    const run = runner.process(pieces(data), { pipeline: pipelines.plain(), chunkSize: KiB, name: 'stream.bin' });
    const container = await collect(run.output);
    const { trailer } = await run.result;
    expect('mode' in trailer || 'mtimeMs' in trailer).toBe(false);
    expect(container.includes('mtimeMs')).toBe(false);
    const dir = freshDir();
    writeFileSync(join(dir, 'stream.adapipe'), container);
    const restored = await underUmask(0o022, () => runner.restoreFile(join(dir, 'stream.adapipe'), join(dir, 'stream.out')));
    expect(modeOf(restored.outputPath)).toBe(0o600);
    expect(statSync(restored.outputPath).mtimeMs).toBeGreaterThan(Date.now() - 60_000);
    expect(readFileSync(restored.outputPath).equals(data)).toBe(true);
  });

  it('process records what it is given, and the trailer of restore carries it', async () => {
    const data = compressibleBytes(3 * KiB);
    const attributes = { mode: 0o604, mtimeMs: 86_400_000.125 };
    const run = runner.process(pieces(data), { pipeline: pipelines.secure(), secret: key, attributes });
    const container = await collect(run.output);
    expect((await run.result).trailer).toMatchObject(attributes);
    const restoring = runner.restore(pieces(container), { secret: key });
    await collect(restoring.output);
    expect((await restoring.result).trailer).toMatchObject(attributes);
  });

  it.each([
    [{ mode: 0o4755, mtimeMs: 0 }, /process: attributes field 'mode'/],
    [{ mode: 420.5, mtimeMs: 0 }, /process: attributes field 'mode'/],
    [{ mode: 0o644, mtimeMs: -5 }, /process: attributes field 'mtimeMs'/],
    [{ mode: 0o644, mtimeMs: Number.POSITIVE_INFINITY }, /process: attributes field 'mtimeMs'/],
  ])('refuses %o with InvalidConfiguration before writing anything', async (attributes, message) => {
    const run = runner.process(pieces(compressibleBytes(KiB)), { pipeline: pipelines.plain(), attributes });
    const output = collect(run.output).catch(() => undefined);
    expect((await rejectionOf(run.result, 'InvalidConfiguration')).message).toMatch(message);
    expect(await output).toBeUndefined();
  });
});
