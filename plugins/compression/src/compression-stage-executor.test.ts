import { rejectionOf, thrownBy } from '@adapipe/core/testing';
import {
  FileChunk,
  KiB,
  MAX_CHUNK_SIZE,
  MiB,
  PipelineStage,
  ProcessingContext,
  RestoreChunkLimitKey,
  StageConfiguration,
  StageType,
} from '@adapipe/core';
import { compressibleBytes, randomBytes } from '@adapipe/core/testing';
import { describe, expect, it } from 'vitest';
import { BrotliStageExecutor } from './brotli-stage-executor.js';
import type { CompressionAlgorithm } from './compression-algorithm.js';
import type { CompressionStageExecutor } from './compression-stage-executor.js';
import { GzipStageExecutor } from './gzip-stage-executor.js';
import { Lz4StageExecutor } from './lz4-stage-executor.js';
import { encodeUncompressedLength } from './uncompressed-length.js';
import { ZstdStageExecutor } from './zstd-stage-executor.js';

const zstd = new ZstdStageExecutor();

const executors: Record<CompressionAlgorithm, CompressionStageExecutor> = {
  brotli: new BrotliStageExecutor(),
  gzip: new GzipStageExecutor(),
  lz4: new Lz4StageExecutor(),
  zstd,
};
const leveled = [
  ['brotli', 0, 11, 4],
  ['gzip', 1, 9, 5],
  ['zstd', 1, 22, 3],
] as const;
const all = Object.entries(executors) as [CompressionAlgorithm, CompressionStageExecutor][];

function stageOf(algorithm: string, parameters: Record<string, string> = {}, name = 'pack'): PipelineStage {
  return new PipelineStage(name, StageType.Compression, new StageConfiguration(algorithm, parameters), 0);
}

async function compressed(algorithm: CompressionAlgorithm, data: Uint8Array, sequence = 0): Promise<FileChunk> {
  return executors[algorithm].execute(stageOf(algorithm), new FileChunk(sequence, data), new ProcessingContext('p'));
}

describe('level parameter', () => {
  it.each(leveled)('%s accepts levels %i to %i and defaults to %i', async (algorithm, min, max, defaultLevel) => {
    const executor = executors[algorithm];
    expect(executor.defaultLevel).toBe(defaultLevel);
    for (const level of [min, defaultLevel, max]) {
      expect(() => executor.validate(stageOf(algorithm, { level: String(level) }))).not.toThrow();
    }
  });

  it.each(
    leveled.flatMap(([algorithm, min, max]) =>
      [String(min - 1), String(max + 1), 'fast', '3.5', '', '1e1', '0x3', '+3'].map((value) => [algorithm, value, min, max] as const),
    ),
  )('%s rejects level %j', async (algorithm, value, min, max) => {
    const stage = stageOf(algorithm, { level: value }, 'squeeze');
    const error = thrownBy(() => executors[algorithm].validate(stage));
    expect(error.kind).toBe('InvalidConfiguration');
    expect(error.message).toBe(
      `Stage 'squeeze' (compression:${algorithm}): parameter 'level' must be a whole number from ${min} to ${max} (default ${executors[algorithm].defaultLevel}), found ${JSON.stringify(value)}`,
    );
    expect(await executors[algorithm].canExecute(stage)).toBe(false);
    const failure = await rejectionOf(executors[algorithm].execute(stage, new FileChunk(0, Uint8Array.of(1)), new ProcessingContext('p')));
    expect(failure.kind).toBe('InvalidConfiguration');
  });

  it('lz4 refuses a level, saying it has none', async () => {
    const stage = stageOf('lz4', { level: '9' }, 'fast');
    const error = thrownBy(() => executors.lz4.validate(stage));
    expect(error.kind).toBe('InvalidConfiguration');
    expect(error.message).toBe("Stage 'fast' (compression:lz4): parameter 'level' is unknown; compression:lz4 takes no parameters");
    expect((await rejectionOf(executors.lz4.execute(stage, new FileChunk(0, Uint8Array.of(1)), new ProcessingContext('p')))).kind).toBe(
      'InvalidConfiguration',
    );
  });

  it.each(all)('%s refuses unknown parameters, listing what it accepts', (algorithm, executor) => {
    const error = thrownBy(() => executor.validate(stageOf(algorithm, { levle: '3' })));
    expect(error.kind).toBe('InvalidConfiguration');
    const hint = algorithm === 'lz4' ? 'compression:lz4 takes no parameters' : "did you mean 'level'? known parameters: level";
    expect(error.message).toBe(`Stage 'pack' (compression:${algorithm}): parameter 'levle' is unknown; ${hint}`);
  });

  it.each(leveled)('%s uses the level asked for', async (algorithm, min, max) => {
    const data = compressibleBytes(64 * KiB).map((byte, index) => (index % 5 === 0 ? (byte * index) & 0xff : byte));
    const run = async (level: number) =>
      (await executors[algorithm].execute(stageOf(algorithm, { level: String(level) }), new FileChunk(0, data), new ProcessingContext('p')))
        .size;
    expect(await run(max)).toBeLessThan(await run(min));
  });

  it.each([
    [
      'brotli',
      () => new BrotliStageExecutor({ defaultLevel: 12 }),
      "BrotliStageExecutor: option 'defaultLevel' must be a whole number from 0 to 11, found 12",
    ],
    [
      'gzip',
      () => new GzipStageExecutor({ defaultLevel: 0 }),
      "GzipStageExecutor: option 'defaultLevel' must be a whole number from 1 to 9, found 0",
    ],
    [
      'zstd',
      () => new ZstdStageExecutor({ defaultLevel: 2.5 }),
      "ZstdStageExecutor: option 'defaultLevel' must be a whole number from 1 to 22, found 2.5",
    ],
  ])('%s constructor checks its options', (_name, build, message) => {
    expect(build).toThrow(new RangeError(message));
  });
});

describe.each(all)('%s', (algorithm, executor) => {
  it('compresses compressible data to a small fraction of its size', async () => {
    const data = compressibleBytes(MiB);
    const out = await compressed(algorithm, data);
    expect(out.size).toBeLessThan(data.length / 20);
  });

  it('records the uncompressed length as 4 big-endian bytes under the stage name', async () => {
    const out = await compressed(algorithm, randomBytes(70_000, 3));
    expect([...out.metadata.keys()]).toEqual(['pack']);
    expect([...out.metadata.get('pack')!]).toEqual([0, 1, 0x11, 0x70]);
  });

  it('refuses a chunk without its length, naming the algorithm, stage and chunk', async () => {
    const out = await compressed(algorithm, compressibleBytes(1000), 4);
    const bare = new FileChunk(4, out.data);
    const error = await rejectionOf(executor.reverse(stageOf(algorithm), bare, new ProcessingContext('p')));
    expect(error.kind).toBe('CompressionFailed');
    expect(error.message).toBe(
      `Stage 'pack' (compression:${algorithm}) chunk 4: decompression failed: missing or malformed uncompressed length (expected a 4-byte metadata entry 'pack', found none)`,
    );
    const malformed = out.withMetadata('pack', Uint8Array.of(0, 0, 3));
    const second = await rejectionOf(executor.reverse(stageOf(algorithm), malformed, new ProcessingContext('p')));
    expect(second.kind).toBe('CompressionFailed');
    expect(second.message).toMatch(/found 3 bytes\)$/);
  });

  it('refuses a declared length above the restore limit before decompressing', async () => {
    const out = await compressed(algorithm, compressibleBytes(2 * KiB));
    const context = new ProcessingContext('p');
    context.set(RestoreChunkLimitKey, KiB);
    const error = await rejectionOf(executor.reverse(stageOf(algorithm), out, context));
    expect(error.kind).toBe('LimitExceeded');
    expect(error.message).toBe(
      `Stage 'pack' (compression:${algorithm}) chunk 0: declares 2048 uncompressed bytes, above the restore limit of 1024; raise the limit only for trusted input`,
    );
    const garbage = new FileChunk(9, randomBytes(64, 9)).withMetadata('pack', encodeUncompressedLength(MAX_CHUNK_SIZE + 1));
    const unset = await rejectionOf(executor.reverse(stageOf(algorithm), garbage, new ProcessingContext('p')));
    expect(unset.kind).toBe('LimitExceeded');
    expect(unset.message).toContain(`above the restore limit of ${MAX_CHUNK_SIZE}`);
  });

  it.each([
    ['smaller', -1],
    ['larger', 1],
  ])('refuses a declared length %s than the data', async (_name, delta) => {
    const out = await compressed(algorithm, compressibleBytes(10_000), 2);
    const lying = out.withMetadata('pack', encodeUncompressedLength(10_000 + delta));
    const error = await rejectionOf(executor.reverse(stageOf(algorithm), lying, new ProcessingContext('p')));
    expect(error.kind).toBe('CompressionFailed');
    expect(error.message).toMatch(new RegExp(`^Stage 'pack' \\(compression:${algorithm}\\) chunk 2: decompression failed: .+`));
  });

  it('reports corrupt data as CompressionFailed naming the algorithm, stage and chunk, with the cause', async () => {
    const garbage = new FileChunk(7, randomBytes(5000, 7)).withMetadata('pack', encodeUncompressedLength(4000));
    const error = await rejectionOf(executor.reverse(stageOf(algorithm), garbage, new ProcessingContext('p')));
    expect(error.kind).toBe('CompressionFailed');
    expect(error.message).toMatch(new RegExp(`^Stage 'pack' \\(compression:${algorithm}\\) chunk 7: decompression failed: \\S.+`));
    expect(error.message).not.toContain('\n');
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('does not change the input buffer and keeps the chunk position', async () => {
    const data = compressibleBytes(5000);
    const copy = data.slice();
    const input = new FileChunk(3, data, { offset: 15_000, isFinal: true });
    const out = await executor.execute(stageOf(algorithm), input, new ProcessingContext('p'));
    expect(data).toEqual(copy);
    const back = await executor.reverse(stageOf(algorithm), out, new ProcessingContext('p'));
    expect(back).toMatchObject({ sequenceNumber: 3, offset: 15_000, isFinal: true });
    expect(new Uint8Array(back.data)).toEqual(copy);
  });
});
