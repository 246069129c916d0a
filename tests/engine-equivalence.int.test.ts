/**
 * The chunk engine runs the official stages' kernels on worker threads; whatever the worker count
 * (none, one, more than the cores), a container must come out byte for byte the same and restore
 * the same, for every official pipeline kind: checksums, each compressor, each cipher.
 */
import { availableParallelism } from 'node:os';
import { compressibleBytes, randomBytes } from '@adapipe/core/testing';
import { describe, expect, it } from 'vitest';
import {
  collect,
  defaultPipeline,
  officialServices,
  pieces,
  pipelineOf,
  testKey,
  type StageSpec,
} from './test-support/official-services.js';

const chunkSize = 256 * 1024;
const pipelines: Record<string, readonly StageSpec[]> = {
  'sha256 → zstd → aes-256-gcm → sha256': [
    ['checksum', 'sha256'],
    ['compression', 'zstd', { level: '3' }],
    ['encryption', 'aes-256-gcm'],
    ['checksum', 'sha256'],
  ],
  'blake3 → zstd 19 → xchacha20 → sha512': [
    ['checksum', 'blake3'],
    ['compression', 'zstd', { level: '19' }],
    ['encryption', 'xchacha20-poly1305'],
    ['checksum', 'sha512'],
  ],
  'gzip → chacha20 (main-thread compressor between kernels)': [
    ['checksum', 'sha256'],
    ['compression', 'gzip'],
    ['encryption', 'chacha20-poly1305'],
  ],
  'zstd → sha256 (unencrypted)': [
    ['compression', 'zstd'],
    ['checksum', 'sha256'],
  ],
};

/** Random bytes from a fixed seed, so two runs write the same container. */
function fixedRandom(): (length: number) => Uint8Array {
  let seed = 7;
  return (length) => randomBytes(length, seed++);
}

describe('containers do not depend on the number of workers', () => {
  const input = Buffer.concat([compressibleBytes(5 * chunkSize, 31), randomBytes(chunkSize + 4321, 32)]);
  for (const [name, specs] of Object.entries(pipelines)) {
    it(name, async () => {
      const { runner } = officialServices();
      const pipeline = pipelineOf('equivalence', specs);
      const containers: Buffer[] = [];
      for (const workers of [0, 1, availableParallelism() + 3]) {
        const run = runner.process(pieces(input, 100_000), { pipeline, chunkSize, workers, secret: testKey, random: fixedRandom() });
        containers.push(await collect(run.output));
        expect((await run.result).chunkCount).toBe(7);
      }
      expect(containers[1]!.equals(containers[0]!)).toBe(true);
      expect(containers[2]!.equals(containers[0]!)).toBe(true);
      for (const workers of [0, 2, availableParallelism() + 3]) {
        const restored = await collect(runner.restore(pieces(containers[0]!, 100_000), { workers, secret: testKey }).output);
        expect(restored.equals(input)).toBe(true);
      }
    });
  }

  it('the default pipeline through files, with recycled buffers, and back', async () => {
    const { mkdtempSync, readFileSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const directory = mkdtempSync(join(tmpdir(), 'adapipe-engine-'));
    const original = join(directory, 'input.bin');
    writeFileSync(original, input);
    const { runner } = officialServices();
    await runner.processFile(original, join(directory, 'input.adapipe'), {
      pipeline: defaultPipeline(),
      chunkSize,
      secret: testKey,
      durable: false,
    });
    await runner.restoreFile(join(directory, 'input.adapipe'), join(directory, 'restored.bin'), { secret: testKey, durable: false });
    expect(readFileSync(join(directory, 'restored.bin')).equals(input)).toBe(true);
  });
});
