import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../../packages/cli/dist/bin/adapipe.js', import.meta.url));
const plugin = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const workspace = mkdtempSync(join(tmpdir(), 'adapipe-delta-e2e-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

function run(args: readonly string[]): { status: number | null; out: string; err: string } {
  const result = spawnSync(process.execPath, [bin, '--json', ...args], {
    cwd: workspace,
    env: { PATH: process.env.PATH ?? '', HOME: workspace, ADAPIPE_DB: join(workspace, 'store.db') },
  });
  return { status: result.status, out: result.stdout.toString(), err: result.stderr.toString() };
}

/** Runs `adapipe --json --plugin <this example> ARGS` and returns its stdout; fails on any error. */
function adapipe(...args: string[]): string {
  const result = run(['--plugin', plugin, ...args]);
  expect(result.err, `adapipe ${args.join(' ')}`).toBe('');
  expect(result.status).toBe(0);
  return result.out;
}

/** A slowly varying 16-bit little-endian sine wave: no exact repeats, as in recorded audio. */
function sineWave(samples: number): Buffer {
  const wave = Buffer.alloc(samples * 2);
  for (let index = 0; index < samples; index++) {
    const amplitude = 12_000 + 8_000 * Math.sin(index / 50_000);
    wave.writeInt16LE(Math.round(amplitude * Math.sin(index / 97.31)), index * 2);
  }
  return wave;
}

describe('the delta plugin in the real CLI (adapipe --plugin dist/index.js)', () => {
  it('needs the builds of the CLI and of this example (run `pnpm build` first)', () => {
    expect(existsSync(bin), bin).toBe(true);
    expect(existsSync(plugin), plugin).toBe(true);
  });

  it('processes with transform:delta:stride=2,compression:zstd and restores the same bytes', () => {
    const original = sineWave(300_000);
    writeFileSync(join(workspace, 'wave.pcm'), original);
    const processed = JSON.parse(adapipe('process', '-i', 'wave.pcm', '--stages', 'transform:delta:stride=2,compression:zstd'));
    expect(Object.keys(processed.stages)).toEqual(['transform', 'compression']);
    const restored = JSON.parse(adapipe('restore', '-i', 'wave.pcm.adapipe', '-o', 'wave.restored.pcm'));
    expect(restored.digest).toBe(processed.digest);
    expect(readFileSync(join(workspace, 'wave.restored.pcm')).equals(original)).toBe(true);

    const header = JSON.parse(adapipe('inspect', 'wave.pcm.adapipe'));
    expect(header.stages[0]).toMatchObject({
      algorithm: 'delta',
      parameters: { stride: '2' },
      runParameters: { stride: '2' },
      package: 'adapipe-plugin-example-delta',
    });
  });

  it('without --plugin, restore names the package to install and writes nothing', () => {
    writeFileSync(join(workspace, 'small.bin'), sineWave(1000));
    adapipe('process', '-i', 'small.bin', '--stages', 'transform:delta,compression:zstd');
    const failed = run(['restore', '-i', 'small.bin.adapipe', '-o', 'small.restored.bin']);
    expect(failed.status).not.toBe(0);
    expect(failed.err).toContain(
      "stage 'transform' needs transform:delta from adapipe-plugin-example-delta, which is not installed; install adapipe-plugin-example-delta",
    );
    expect(existsSync(join(workspace, 'small.restored.bin'))).toBe(false);
  });

  it('makes zstd pack smooth 16-bit samples much smaller than zstd alone', () => {
    writeFileSync(join(workspace, 'smooth.pcm'), sineWave(1_000_000));
    adapipe('process', '-i', 'smooth.pcm', '-o', 'zstd.adapipe', '--stages', 'compression:zstd');
    adapipe('process', '-i', 'smooth.pcm', '-o', 'delta.adapipe', '--stages', 'transform:delta:stride=2,compression:zstd');
    const zstdOnly = statSync(join(workspace, 'zstd.adapipe')).size;
    const deltaThenZstd = statSync(join(workspace, 'delta.adapipe')).size;
    console.info(`2 000 000 bytes of 16-bit sine: zstd ${zstdOnly} bytes, delta(stride 2)+zstd ${deltaThenZstd} bytes`);
    expect(deltaThenZstd).toBeLessThan(zstdOnly * 0.8);
  });
});
