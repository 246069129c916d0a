import { FileChunk, PipelineError, PipelineStage, ProcessingContext, StageConfiguration, StageType } from '@adapipe/core';
import { randomBytes, thrownBy } from '@adapipe/core/testing';
import { describe, expect, it } from 'vitest';
import type { ChecksumAlgorithm } from './checksum-algorithm.js';
import { ChecksumStageExecutor } from './checksum-stage-executor.js';
import { blake3Vectors } from './test-support/blake3-vectors.js';
import { patternBytes, split, toHex } from './test-support/pattern-bytes.js';
import { systemDigest, systemTool } from './test-support/system-digest.js';

const executor = new ChecksumStageExecutor();
const chunkSize = 64 * 1024;

function checksumStage(algorithm: string, name = 'input-checksum', parameters: Record<string, string> = {}): PipelineStage {
  return new PipelineStage(name, StageType.Checksum, new StageConfiguration(algorithm, parameters), 0);
}

function chunksOf(data: Uint8Array, size = chunkSize): FileChunk[] {
  const pieces = split(data, size);
  if (pieces.length === 0) pieces.push(data);
  return pieces.map((piece, index) => new FileChunk(index, piece, { offset: index * size, isFinal: index === pieces.length - 1 }));
}

/** Runs one direction with the chunks handed over in `arrival` order, all at once; results by sequence. */
async function run(
  stage: PipelineStage,
  direction: 'forward' | 'reverse',
  chunks: readonly FileChunk[],
  arrival: readonly number[] = [...chunks.keys()],
): Promise<{ chunks: FileChunk[]; whole: string }> {
  const context = new ProcessingContext('checksum-test');
  await executor.startRun(stage, context, direction);
  const step = direction === 'forward' ? executor.execute.bind(executor) : executor.reverse.bind(executor);
  const results = await Promise.all(arrival.map((index) => step(stage, chunks[index]!, context)));
  await executor.finishRun(stage, context, direction);
  const bySequence = results.sort((a, b) => a.sequenceNumber - b.sequenceNumber);
  return { chunks: bySequence, whole: toHex(context.checksums.get(stage.name)!) };
}

const outOfOrder = (count: number): number[] => [...Array(count).keys()].sort((a, b) => ((a * 7919) % 13) - ((b * 7919) % 13) || b - a);

describe.each(['sha256', 'sha512'] as const)('%s stage', (algorithm: 'sha256' | 'sha512') => {
  const tool = systemTool(algorithm);

  it.each([0, 1, chunkSize - 1, 3 * chunkSize, 5 * chunkSize + 17])(
    'on %i bytes: per-chunk and whole-stream digests equal the system tool, out of order and in order, both directions',
    async (size) => {
      const data = randomBytes(size, size + 1);
      const stage = checksumStage(algorithm);
      const chunks = chunksOf(data);
      const arrival = outOfOrder(chunks.length);
      const forward = await run(stage, 'forward', chunks, arrival);
      const sequential = await run(stage, 'forward', chunks);
      expect(forward.whole).toBe(systemDigest(tool, data));
      expect(sequential.whole).toBe(forward.whole);
      forward.chunks.forEach((chunk, index) => {
        expect(chunk.data).toBe(chunks[index]!.data);
        expect(toHex(chunk.metadata.get(stage.name)!)).toBe(systemDigest(tool, chunks[index]!.data));
      });
      const reverse = await run(stage, 'reverse', forward.chunks, [...arrival].reverse());
      expect(reverse.whole).toBe(forward.whole);
      for (const [index, chunk] of reverse.chunks.entries()) expect(chunk.data).toBe(chunks[index]!.data);
    },
  );
});

describe('blake3 stage', () => {
  it.each(blake3Vectors.map((vector) => [vector.name, vector] as const))(
    '%s: the whole-stream digest equals b3sum, out of order and in order, both directions',
    async (_name, vector) => {
      const data = patternBytes(vector.length);
      const stage = checksumStage('b3');
      const chunks = chunksOf(data, vector.chunkSize ?? chunkSize);
      const arrival = [...chunks.keys()].reverse();
      const forward = await run(stage, 'forward', chunks, arrival);
      expect(forward.whole).toBe(vector.digest);
      expect((await run(stage, 'forward', chunks)).whole).toBe(vector.digest);
      expect((await run(stage, 'reverse', forward.chunks, arrival)).whole).toBe(vector.digest);
    },
  );

  it('records a 32-byte digest per chunk that equals the b3sum vector for a one-chunk input', async () => {
    const vector = blake3Vectors.find((candidate) => candidate.length === 1025)!;
    const stage = checksumStage('blake3');
    const out = await executor.execute(stage, new FileChunk(0, patternBytes(1025)), new ProcessingContext('p'));
    expect(toHex(out.metadata.get(stage.name)!)).toBe(vector.digest);
  });
});

describe('whole-stream digest under parallel execution', () => {
  it.each(['sha256', 'sha512', 'blake3'] as const)(
    '%s: executeParallel over shuffled chunks equals the sequential digest',
    async (algorithm: ChecksumAlgorithm) => {
      const data = randomBytes(20 * 4096 + 5, 99);
      const stage = checksumStage(algorithm);
      const chunks = chunksOf(data, 4096);
      const shuffled = outOfOrder(chunks.length).map((index) => chunks[index]!);
      const context = new ProcessingContext('parallel');
      const out = await executor.executeParallel(stage, shuffled, context);
      await executor.finishRun(stage, context, 'forward');
      expect(out.map((chunk) => chunk.sequenceNumber)).toEqual(shuffled.map((chunk) => chunk.sequenceNumber));
      expect(toHex(context.checksums.get(stage.name)!)).toBe((await run(stage, 'forward', chunks)).whole);
    },
  );
});

describe('errors', () => {
  const data = randomBytes(4 * 1024, 5);

  it.each(['forward', 'reverse'] as const)('%s: a gap fails finishRun with IntegrityFailed naming the missing chunk', async (direction) => {
    const stage = checksumStage('sha256');
    const chunks = (await run(stage, 'forward', chunksOf(data, 1024))).chunks;
    const context = new ProcessingContext('gap');
    const step = direction === 'forward' ? executor.execute.bind(executor) : executor.reverse.bind(executor);
    for (const index of [0, 2, 3]) await step(stage, chunks[index]!, context);
    const failure = executor.finishRun(stage, context, direction);
    await expect(failure).rejects.toSatisfy((error) => PipelineError.is(error, 'IntegrityFailed'));
    await expect(failure).rejects.toThrow(
      "Stage 'input-checksum' (checksum:sha256): cannot finish its whole-stream digest: chunk 1 never arrived, and 2 later chunk(s) wait for it (2, 3); the stream is incomplete",
    );
    expect(context.checksums.has(stage.name)).toBe(false);
  });

  it.each(['sha256', 'sha512', 'blake3'])(
    '%s: a mismatch names the stage, the algorithm, the chunk and both digests in hex',
    async (algorithm) => {
      const stage = checksumStage(algorithm, 'output-checksum');
      const [, second] = (await run(stage, 'forward', chunksOf(data, 2048))).chunks;
      const damaged = second!.data.slice();
      damaged[10]! ^= 1;
      const recorded = toHex(second!.metadata.get(stage.name)!);
      const computed = toHex(
        (await executor.execute(stage, second!.withData(damaged), new ProcessingContext('x'))).metadata.get(stage.name)!,
      );
      expect(computed).not.toBe(recorded);
      const failure = executor.reverse(stage, second!.withData(damaged), new ProcessingContext('restore'));
      await expect(failure).rejects.toSatisfy((error) => PipelineError.is(error, 'IntegrityFailed'));
      await expect(failure).rejects.toThrow(
        `Stage 'output-checksum' (checksum:${algorithm}) rejected chunk 1: recorded digest ${recorded}, computed ${computed}; the chunk was corrupted after it was written`,
      );
    },
  );

  it('a chunk without a recorded digest fails with IntegrityFailed saying none was recorded', async () => {
    const stage = checksumStage('sha512', 'input-checksum');
    const chunk = new FileChunk(4, data).withMetadata('other-stage', new Uint8Array(64));
    const failure = executor.reverse(stage, chunk, new ProcessingContext('restore'));
    await expect(failure).rejects.toSatisfy((error) => PipelineError.is(error, 'IntegrityFailed'));
    await expect(failure).rejects.toThrow(
      "Stage 'input-checksum' (checksum:sha512) cannot verify chunk 4: no digest was recorded for it under 'input-checksum'",
    );
  });

  it('a digest of the wrong length is a mismatch, not a crash', async () => {
    const stage = checksumStage('sha256');
    const chunk = new FileChunk(0, data).withMetadata(stage.name, Uint8Array.of(1, 2, 3));
    await expect(executor.reverse(stage, chunk, new ProcessingContext('r'))).rejects.toThrow('recorded digest 010203, computed ');
  });

  it('a chunk seen twice in one run fails with IntegrityFailed', async () => {
    const stage = checksumStage('sha256');
    const context = new ProcessingContext('dup');
    await executor.execute(stage, new FileChunk(0, data), context);
    await expect(executor.execute(stage, new FileChunk(0, data), context)).rejects.toSatisfy((error) =>
      PipelineError.is(error, 'IntegrityFailed'),
    );
  });

  it('rejects any parameter with InvalidConfiguration naming the stage and the parameter', () => {
    const stage = checksumStage('blake3', 'input-checksum', { length: '64' });
    expect(thrownBy(() => executor.validate(stage), 'InvalidConfiguration').message).toBe(
      "Stage 'input-checksum' (checksum:blake3): parameter 'length' is unknown; checksum:blake3 takes no parameters",
    );
  });

  it('an executor restricted to some algorithms refuses the others with ExecutorNotFound', async () => {
    const restricted = new ChecksumStageExecutor(['blake3']);
    expect(await restricted.canExecute(checksumStage('b3'))).toBe(true);
    expect(await restricted.canExecute(checksumStage('default'))).toBe(false);
    await expect(restricted.execute(checksumStage('sha256'), new FileChunk(0, data), new ProcessingContext('p'))).rejects.toSatisfy(
      (error) => PipelineError.is(error, 'ExecutorNotFound'),
    );
  });
});

describe('run state', () => {
  it("serves the seed's default configuration as sha256", async () => {
    const stage = new PipelineStage('checksum', StageType.Checksum, StageConfiguration.default(), 0);
    const data = randomBytes(1000, 1);
    const { whole } = await run(stage, 'forward', chunksOf(data));
    expect(whole).toBe(systemDigest('sha256sum', data));
  });

  it('keeps two checksum stages of one run apart', async () => {
    const input = checksumStage('sha256', 'input-checksum');
    const output = checksumStage('sha256', 'output-checksum');
    const first = randomBytes(3000, 1);
    const second = randomBytes(3000, 2);
    const context = new ProcessingContext('two-stages');
    await executor.execute(input, new FileChunk(0, first), context);
    await executor.execute(output, new FileChunk(0, second), context);
    await executor.finishRun(input, context, 'forward');
    await executor.finishRun(output, context, 'forward');
    expect(toHex(context.checksums.get('input-checksum')!)).toBe(systemDigest('sha256sum', first));
    expect(toHex(context.checksums.get('output-checksum')!)).toBe(systemDigest('sha256sum', second));
  });

  it('keeps concurrent runs through one executor apart', async () => {
    const stage = checksumStage('blake3');
    const a = patternBytes(132072);
    const b = randomBytes(132072, 3);
    const [runA, runB] = await Promise.all([run(stage, 'forward', chunksOf(a), [2, 1, 0]), run(stage, 'forward', chunksOf(b), [1, 2, 0])]);
    expect(runA.whole).toBe(blake3Vectors.find((vector) => vector.length === 132072)!.digest);
    expect(runB.whole).toBe((await run(stage, 'forward', chunksOf(b))).whole);
    expect(runB.whole).not.toBe(runA.whole);
  });

  it('estimates time from the algorithm and reports the checksum stage type', async () => {
    expect(executor.supportedStageTypes()).toEqual(['checksum']);
    expect(await executor.estimateProcessingTime(checksumStage('sha512'), 1_000_000)).toBeGreaterThan(0);
    expect(executor.capabilities.map((capability) => capability.algorithm)).toEqual(['sha256', 'sha512', 'blake3']);
  });
});
