import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pipeline, PipelineError } from '@adapipe/core';
import { compressibleBytes, randomBytes } from '@adapipe/core/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  collect,
  defaultPipeline,
  officialServices,
  pieces,
  pipelineOf,
  type StageSpec,
  testKey,
} from './test-support/official-services.js';

const { runner } = officialServices();

const checksums = ['sha256', 'sha512', 'blake3'];
const compressors: StageSpec[] = [
  ['compression', 'zstd', { level: '1' }],
  ['compression', 'gzip', { level: '1' }],
  ['compression', 'brotli', { level: '1' }],
  ['compression', 'lz4'],
];
const ciphers = ['aes-256-gcm', 'chacha20-poly1305', 'xchacha20-poly1305'];

/** Pipelines the compatibility matrix allows: [checksum] [pass] [compress] [encrypt] [checksum]. */
const pipelineArbitrary = fc
  .record({
    inputChecksum: fc.option(fc.constantFrom(...checksums), { nil: undefined }),
    passthrough: fc.boolean(),
    compression: fc.option(fc.constantFrom(...compressors), { nil: undefined }),
    encryption: fc.option(fc.constantFrom(...ciphers), { nil: undefined }),
    outputChecksum: fc.option(fc.constantFrom(...checksums), { nil: undefined }),
  })
  .map((choice) => {
    const specs: StageSpec[] = [];
    if (choice.inputChecksum) specs.push(['checksum', choice.inputChecksum]);
    if (choice.passthrough) specs.push(['passthrough', 'passthrough']);
    if (choice.compression) specs.push(choice.compression);
    if (choice.encryption) specs.push(['encryption', choice.encryption]);
    if (choice.outputChecksum) specs.push(['checksum', choice.outputChecksum]);
    return specs;
  });

describe('process → restore gives back the original, bit for bit', () => {
  it('for every stage combination the matrix allows, any size and chunk size (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        pipelineArbitrary,
        fc.integer({ min: 0, max: 200_000 }),
        fc.constantFrom(1024, 1025, 4096, 65_536),
        fc.boolean(),
        fc.integer({ min: 1, max: 8 }),
        async (specs, size, chunkSize, compressible, window) => {
          const pipeline = pipelineOf('property', specs);
          const input = compressible ? compressibleBytes(size) : randomBytes(size, size + chunkSize);
          const processed = runner.process(pieces(input, 7_777), { pipeline, chunkSize, secret: testKey, window });
          const container = await collect(processed.output);
          const restored = runner.restore(pieces(container, 5_000), { secret: testKey, window });
          const output = await collect(restored.output);
          expect(Buffer.compare(output, input)).toBe(0);
          expect((await restored.result).chunkCount).toBe(Math.max(1, Math.ceil(size / chunkSize)));
        },
      ),
      { numRuns: 60 },
    );
  }, 120_000);

  it('for sizes 0, 1, chunk±1, chunk and several chunks through the default pipeline', async () => {
    const chunkSize = 4096;
    for (const size of [0, 1, chunkSize - 1, chunkSize, chunkSize + 1, 7 * chunkSize + 13]) {
      const input = randomBytes(size, size);
      const container = await collect(runner.process(pieces(input), { pipeline: defaultPipeline(), chunkSize, secret: testKey }).output);
      const output = await collect(runner.restore(pieces(container), { secret: testKey }).output);
      expect(Buffer.compare(output, input), `size ${size}`).toBe(0);
    }
  });

  it('rejects the combinations the matrix forbids', () => {
    const forbidden: StageSpec[][] = [
      [
        ['compression', 'zstd'],
        ['compression', 'gzip'],
      ],
      [
        ['encryption', 'aes-256-gcm'],
        ['compression', 'zstd'],
      ],
      [
        ['encryption', 'aes-256-gcm'],
        ['checksum', 'sha256'],
        ['encryption', 'chacha20-poly1305'],
      ],
    ];
    for (const specs of forbidden) {
      expect(() => pipelineOf('bad', specs)).toThrow(expect.objectContaining({ kind: 'IncompatibleStages' }));
    }
    expect(PipelineError.is(new PipelineError('Internal', 'x'))).toBe(true);
    expect(new Pipeline('ok').stages).toHaveLength(0);
  });

  it('records in the trailer the digest `sha256sum` computes for the input', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'adapipe-sha-'));
    const inputPath = join(dir, 'input.bin');
    writeFileSync(inputPath, Buffer.concat([compressibleBytes(300_000), randomBytes(123_457, 3)]));
    const result = await runner.processFile(inputPath, join(dir, 'input.adapipe'), {
      pipeline: defaultPipeline(),
      chunkSize: 65_536,
      secret: testKey,
    });
    const sha256sum = execFileSync('sha256sum', [inputPath], { encoding: 'utf8' }).split(' ')[0];
    expect(result.trailer.digest).toBe(sha256sum);
    const restored = await runner.restoreFile(join(dir, 'input.adapipe'), join(dir, 'restored.bin'), { secret: testKey });
    expect(restored.digest).toBe(sha256sum);
    expect(Buffer.compare(readFileSync(join(dir, 'restored.bin')), readFileSync(inputPath))).toBe(0);
  });
});
