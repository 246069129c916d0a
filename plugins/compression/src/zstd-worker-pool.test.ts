import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { KiB } from '@adapipe/core';
import { compressibleBytes, randomBytes } from '@adapipe/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { ZstdCodec } from './zstd-codec.js';
import { ZstdWorkerPool } from './zstd-worker-pool.js';

const pool = new ZstdWorkerPool(2);
afterAll(() => pool.close());
const codec = new ZstdCodec();
const distEntry = fileURLToPath(new URL('../dist/index.js', import.meta.url));

describe('ZstdWorkerPool', () => {
  it('produces the same frames as the calling thread and restores them', async () => {
    const data = compressibleBytes(300 * KiB);
    const frame = await pool.compress(data, 5);
    expect(Buffer.from(frame).equals(Buffer.from(codec.compress(data, 5)))).toBe(true);
    expect(Buffer.from(await pool.decompress(frame, data.length)).equals(Buffer.from(data))).toBe(true);
  });

  it('spreads concurrent jobs over at most its size in threads, keeping each result with its job', async () => {
    const inputs = Array.from({ length: 8 }, (_, index) => randomBytes(64 * KiB + index, index + 1));
    const frames = await Promise.all(inputs.map((input) => pool.compress(input, 3)));
    expect(pool.running).toBe(2);
    const restored = await Promise.all(frames.map((frame, index) => pool.decompress(frame, inputs[index]!.length)));
    restored.forEach((output, index) => expect(Buffer.from(output).equals(Buffer.from(inputs[index]!))).toBe(true));
  });

  it('leaves its input intact, including a view into a larger buffer', async () => {
    const backing = compressibleBytes(10 * KiB);
    const view = backing.subarray(100, 5000);
    const copy = backing.slice();
    const frame = await pool.compress(view, 3);
    expect(backing).toEqual(copy);
    expect(Buffer.from(await pool.decompress(frame, view.length)).equals(Buffer.from(view))).toBe(true);
  });

  it('fails a job on corrupt input or too small a length, and keeps working', async () => {
    await expect(pool.decompress(randomBytes(100, 5), 50)).rejects.toThrow(/Unknown frame descriptor|Src size is incorrect/);
    const frame = await pool.compress(compressibleBytes(1000), 3);
    await expect(pool.decompress(frame, 999)).rejects.toThrow('Destination buffer is too small');
    expect((await pool.decompress(frame, 1000)).length).toBe(1000);
  });

  it('fails running jobs on close and starts new threads afterwards', async () => {
    const running = pool.compress(randomBytes(4 * 1024 * KiB, 3), 19);
    const failed = expect(running).rejects.toThrow(/zstd worker thread stopped/);
    await pool.close();
    await failed;
    expect(pool.running).toBe(0);
    expect((await pool.compress(compressibleBytes(100), 1)).length).toBeGreaterThan(0);
  });

  it('checks its size', () => {
    for (const size of [0, 1.5, 257]) expect(() => new ZstdWorkerPool(size)).toThrow(RangeError);
  });

  it.skipIf(!existsSync(distEntry))('lets a process exit while its threads are idle (built package)', async () => {
    const script = `
      import { ZstdStageExecutor } from ${JSON.stringify(distEntry)};
      import { FileChunk, PipelineStage, ProcessingContext, StageConfiguration, StageType } from '@adapipe/core';
      const executor = new ZstdStageExecutor({ workers: 2 });
      const stage = new PipelineStage('z', StageType.Compression, new StageConfiguration('zstd'), 0);
      const chunks = await executor.executeParallel(stage, [0, 1, 2].map((i) => new FileChunk(i, new Uint8Array(100000).fill(i))), new ProcessingContext('p'));
      const back = await executor.reverseParallel(stage, chunks, new ProcessingContext('p'));
      console.log(back.map((chunk) => chunk.size).join(','));
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      timeout: 10_000,
    });
    expect(stdout.trim()).toBe('100000,100000,100000');
  });
});
