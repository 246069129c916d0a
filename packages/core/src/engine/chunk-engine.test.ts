import { availableParallelism } from 'node:os';
import { ContainerModule } from 'inversify';
import { describe, expect, it } from 'vitest';
import { createAdapipe } from '../di/create-adapipe.js';
import type { FileChunk } from '../domain/file-chunk.js';
import { Pipeline } from '../domain/pipeline.js';
import { PipelineStage } from '../domain/pipeline-stage.js';
import type { ProcessingContext } from '../domain/processing-context.js';
import { StageConfiguration } from '../domain/stage-configuration.js';
import { StageType } from '../domain/stage-type.js';
import { PipelineError } from '../errors/pipeline-error.js';
import { BaseStageExecutor } from '../executor/base-stage-executor.js';
import { StageExecutor, type StageDirection } from '../executor/stage-executor.js';
import type { StageKernel } from '../kernel/chunk-kernel.js';
import { randomBytes } from '../testing/test-data.js';
import { ChunkEngine } from './chunk-engine.js';
import { FakeChecksumExecutor } from '../test-support/fake-executors.js';

const kernels = new URL('../test-support/fake-kernels.mjs', import.meta.url).href;
const KiB = 1024;

/** A transform stage `xor:<key>` offering a kernel; records, in order, what its `observe` saw. */
class XorExecutor extends BaseStageExecutor {
  readonly packageName = 'fake-xor';
  readonly capabilities = [
    { stageType: StageType.Transform, algorithm: 'xor' },
    { stageType: StageType.Transform, algorithm: 'fail' },
    { stageType: StageType.Transform, algorithm: 'slow' },
  ];
  readonly observed: number[] = [];

  kernel(stage: PipelineStage, _context: ProcessingContext, _direction: StageDirection): StageKernel {
    const parameters = stage.configuration.parameters;
    if (stage.algorithm === 'fail')
      return { module: kernels, factory: 'failingKernel', config: { failAt: Number(parameters.at), typed: parameters.typed === 'yes' } };
    if (stage.algorithm === 'slow') return { module: kernels, factory: 'slowKernel', config: { milliseconds: 400 }, preservesData: true };
    return {
      module: kernels,
      factory: 'xorKernel',
      config: { key: Number(parameters.key ?? 90), stageName: stage.name },
      ...(parameters.observe === 'yes' ? { observe: (sequenceNumber: number) => void this.observed.push(sequenceNumber) } : {}),
    };
  }

  async execute(stage: PipelineStage, chunk: FileChunk): Promise<FileChunk> {
    return chunk
      .withData(chunk.data.map((byte) => byte ^ Number(stage.configuration.parameters.key ?? 90)))
      .withMetadata(stage.name, new Uint8Array(4));
  }

  async reverse(stage: PipelineStage, chunk: FileChunk): Promise<FileChunk> {
    return this.execute(stage, chunk);
  }

  protected override validateParameters(): void {}
}

function servicesWith(xor = new XorExecutor()) {
  const services = createAdapipe(
    new ContainerModule(({ bind }) => {
      bind(StageExecutor).toConstantValue(xor);
      bind(StageExecutor).toConstantValue(new FakeChecksumExecutor());
    }),
  );
  return { ...services, xor, engine: services.container.get(ChunkEngine) };
}

const transform = (name: string, algorithm: string, order: number, parameters: Record<string, string> = {}) =>
  new PipelineStage(name, StageType.Transform, new StageConfiguration(algorithm, parameters), order);

async function collect(iterable: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const part of iterable) parts.push(part);
  return Buffer.concat(parts);
}

async function* pieces(bytes: Uint8Array, size = 100 * KiB): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

describe('ChunkEngine', () => {
  it('runs kernels on worker threads, fused per chunk, and round-trips with more workers than cores', async () => {
    const { runner, xor } = servicesWith();
    const input = randomBytes(40 * 64 * KiB + 123, 21);
    const pipeline = new Pipeline('xor', [
      transform('a', 'xor', 0, { key: '17' }),
      transform('b', 'xor', 1, { key: '99', observe: 'yes' }),
    ]);
    const workers = availableParallelism() * 4;
    const run = runner.process(pieces(input), { pipeline, chunkSize: 64 * KiB, workers, window: workers * 2 });
    const container = await collect(run.output);
    const result = await run.result;
    expect(result.chunkCount).toBe(41);
    expect(result.stageMetrics.get('a')).toMatchObject({ chunks: 41, bytesIn: input.length, bytesOut: input.length });
    expect(xor.observed).toEqual(Array.from({ length: 41 }, (_, index) => index));
    const [a, b] = [threadsOf(container, 'a'), threadsOf(container, 'b')];
    expect(a.slice(0, 40).every((id) => id !== 0)).toBe(true);
    expect(b).toEqual(a);
    expect(Buffer.compare(await collect(runner.restore(pieces(container), { workers }).output), input)).toBe(0);
  });

  it('gives the same container with any number of workers, and runs small chunks on the calling thread', async () => {
    const input = randomBytes(5 * 64 * KiB + 1000, 22);
    const pipeline = new Pipeline('xor', [
      transform('a', 'xor', 0),
      new PipelineStage('sum', StageType.Checksum, new StageConfiguration('crc'), 1),
    ]);
    const random = (length: number) => new Uint8Array(length).fill(3);
    const containers = [];
    for (const workers of [0, 1, 3]) {
      const { runner } = servicesWith();
      const run = runner.process(pieces(input), { pipeline, chunkSize: 64 * KiB, workers, random });
      containers.push(await collect(run.output));
      const threads = threadsOf(containers.at(-1)!);
      if (workers === 0) expect(new Set(threads)).toEqual(new Set([0]));
      else expect(threads.slice(0, 5).every((id) => id !== 0)).toBe(true);
      expect(threads.at(-1)).toBe(0);
    }
    expect(containers[1]!.equals(containers[0]!)).toBe(false);
    expect(stripThreads(containers[1]!)).toEqual(stripThreads(containers[0]!));
    expect(stripThreads(containers[2]!)).toEqual(stripThreads(containers[0]!));
  });

  it('keeps a typed kernel error and names the stage and chunk for any other', async () => {
    const { runner } = servicesWith();
    const input = randomBytes(6 * 64 * KiB, 23);
    for (const [typed, kind, message] of [
      ['yes', 'IntegrityFailed', 'fake kernel rejected chunk 3'],
      ['no', 'ProcessingFailed', "Stage 'f' (transform:fail) failed on chunk 3 (forward): the fake kernel broke"],
    ] as const) {
      const pipeline = new Pipeline('fail', [transform('x', 'xor', 0), transform('f', 'fail', 1, { at: '3', typed })]);
      const error = await collect(runner.process(pieces(input), { pipeline, chunkSize: 64 * KiB, workers: 2 }).output).catch(
        (caught: unknown) => caught,
      );
      expect(PipelineError.is(error, kind)).toBe(true);
      expect((error as Error).message).toBe(message);
    }
  });

  it.each([
    [4 * 64 * KiB, 2],
    [3 * 64 * KiB, 0],
  ])(
    'with a size hint of %i bytes (64 KiB chunks, 2 workers), boots %i workers before the first chunk is read',
    async (sizeHint, booted) => {
      const { runner, engine } = servicesWith();
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const data = randomBytes(sizeHint, 31);
      async function* late(): AsyncGenerator<Uint8Array> {
        await held;
        yield* pieces(data);
      }
      const pipeline = new Pipeline('x', [transform('a', 'xor', 0)]);
      const run = runner.process(late(), { pipeline, chunkSize: 64 * KiB, workers: 2, sizeHint });
      const consumed = collect(run.output);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(engine.runningWorkers).toBe(booted);
      release();
      await consumed;
      await engine.close();
    },
  );

  it('stops in-flight kernels at once on abort and leaves no worker running', async () => {
    const { runner, engine } = servicesWith();
    const controller = new AbortController();
    const pipeline = new Pipeline('slow', [transform('s', 'slow', 0)]);
    const run = runner.process(pieces(randomBytes(8 * 64 * KiB, 24)), {
      pipeline,
      chunkSize: 64 * KiB,
      workers: 2,
      signal: controller.signal,
    });
    const consumed = collect(run.output).catch((caught: unknown) => caught);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(engine.runningWorkers).toBe(2);
    const aborted = performance.now();
    controller.abort();
    const error = await consumed;
    expect(PipelineError.is(error, 'Cancelled')).toBe(true);
    expect(performance.now() - aborted).toBeLessThan(300);
    expect(engine.runningWorkers).toBe(0);
  });
});

/** The thread each chunk's stage 'a' ran on, read back from the container (0 for the main thread). */
function threadsOf(container: Buffer, stageName = 'a'): number[] {
  return recordMetadataOffsets(container, stageName).map((offset) => container.readUInt32BE(offset));
}

/** Offsets of the 4-byte value of metadata entry `name` in every chunk record of an unencrypted container. */
function recordMetadataOffsets(container: Buffer, name: string): number[] {
  const offsets: number[] = [];
  let position = 16 + container.readUInt32BE(12) + 32;
  while (position < container.length && container[position] === 0x43) {
    const metadataLength = container.readUInt32BE(position + 6);
    const payloadLength = container.readUInt32BE(position + 10);
    const metadata = position + 14;
    const count = container.readUInt16BE(metadata);
    let entry = metadata + 2;
    for (let index = 0; index < count; index++) {
      const nameLength = container.readUInt16BE(entry);
      const entryName = container.subarray(entry + 2, entry + 2 + nameLength).toString();
      const valueLength = container.readUInt32BE(entry + 2 + nameLength);
      if (entryName === name) offsets.push(entry + 2 + nameLength + 4);
      entry += 2 + nameLength + 4 + valueLength;
    }
    position = metadata + metadataLength + payloadLength + 4;
  }
  return offsets;
}

/** The container without its thread ids and record CRCs (which cover them). */
function stripThreads(container: Buffer): Buffer {
  const copy = Buffer.from(container);
  for (const offset of recordMetadataOffsets(copy, 'a')) copy.fill(0, offset, offset + 4);
  let position = 16 + copy.readUInt32BE(12) + 32;
  while (position < copy.length) {
    const end = position + 14 + copy.readUInt32BE(position + 6) + copy.readUInt32BE(position + 10);
    copy.fill(0, end, end + 4);
    position = end + 4;
  }
  return copy;
}
