import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline as streamPipeline } from 'node:stream/promises';
import { ContainerModule } from 'inversify';
import { rejectionOf } from '../testing/pipeline-error-of.js';
import { describe, expect, it } from 'vitest';
import { createAdapipe } from '../di/create-adapipe.js';
import { Pipeline } from '../domain/pipeline.js';
import { PipelineStage } from '../domain/pipeline-stage.js';
import type { RunSecret } from '../domain/run-context-keys.js';
import { StageConfiguration } from '../domain/stage-configuration.js';
import { StageType } from '../domain/stage-type.js';
import { loadBlake3 } from '../digest/blake3-backend.js';
import { PipelineError } from '../errors/pipeline-error.js';
import { StageExecutor, type StageDirection } from '../executor/stage-executor.js';
import { compressibleBytes, randomBytes } from '../testing/test-data.js';
import { FakeAeadExecutor, FakeChecksumExecutor, FakeCompressionExecutor } from '../test-support/fake-executors.js';
import { createProcessStream, createProcessWebStream, createRestoreStream, createRestoreWebStream } from './stream-adapters.js';

const fakePlugins = new ContainerModule(({ bind }) => {
  bind(StageExecutor).toConstantValue(new FakeChecksumExecutor());
  bind(StageExecutor).toConstantValue(new FakeCompressionExecutor());
  bind(StageExecutor).toConstantValue(new FakeAeadExecutor());
});
const { runner } = createAdapipe(fakePlugins);
const key: RunSecret = { kind: 'key', key: new Uint8Array(32).fill(7) };
const KiB = 1024;

const stage = (name: string, type: StageType, algorithm: string, order: number) =>
  new PipelineStage(name, type, new StageConfiguration(algorithm), order);
/** A checksum stage that asks to get its chunks one at a time, in sequence order. */
const sequentialStage = (name: string, algorithm: string, order: number) =>
  new PipelineStage(name, StageType.Checksum, new StageConfiguration(algorithm, {}, false), order);
/** Services whose only stage executors are `executors`. */
const servicesOf = (...executors: StageExecutor[]) =>
  createAdapipe(
    new ContainerModule(({ bind }) => {
      for (const executor of executors) bind(StageExecutor).toConstantValue(executor);
    }),
  );
const pipelines = {
  empty: () => new Pipeline('empty'),
  checksum: () => new Pipeline('integrity', [stage('sum', StageType.Checksum, 'crc', 0)]),
  secure: () =>
    new Pipeline('secure', [
      stage('in-sum', StageType.Checksum, 'crc', 0),
      stage('zip', StageType.Compression, 'deflate', 1),
      stage('seal', StageType.Encryption, 'fake-aead', 2),
      stage('out-sum', StageType.Checksum, 'crc', 3),
    ]),
};

async function collect(iterable: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const part of iterable) parts.push(part);
  return Buffer.concat(parts);
}

async function* pieces(bytes: Uint8Array, size = 777): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

async function processBytes(input: Uint8Array, pipeline: Pipeline, chunkSize = KiB) {
  const run = runner.process(pieces(input), { pipeline, chunkSize, secret: key });
  const container = await collect(run.output);
  return { container, result: await run.result };
}

/** BLAKE3 of `bytes`, hex: the whole-file digest core computes when no first stage records one. */
async function blake3Hex(bytes: Uint8Array): Promise<string> {
  return Buffer.from((await loadBlake3()).digest(bytes)).toString('hex');
}

async function restoreBytes(container: Uint8Array, secret: RunSecret | null = key) {
  const run = runner.restore(pieces(container, 1000), secret ? { secret } : {});
  const output = await collect(run.output);
  return { output, result: await run.result };
}

describe('PipelineRunner round trips', () => {
  for (const [name, make] of Object.entries(pipelines)) {
    for (const size of [0, 1, KiB - 1, KiB, KiB + 1, 5 * KiB + 3]) {
      it(`${name} pipeline, ${size} bytes`, async () => {
        const input = size % 2 === 0 ? compressibleBytes(size) : randomBytes(size, size);
        const { container, result } = await processBytes(input, make());
        const { output, result: restored } = await restoreBytes(container);
        expect(Buffer.compare(output, input)).toBe(0);
        const blake3 = await blake3Hex(input);
        expect([result.header.digestAlgorithm, result.digest, restored.digest]).toEqual(['blake3', blake3, blake3]);
        expect(result.chunkCount).toBe(Math.max(1, Math.ceil(size / KiB)));
        expect(result.bytesIn).toBe(size);
        expect(result.bytesOut).toBe(container.length);
      });
    }
  }

  it('reports per-stage metrics and whole-stream checksums', async () => {
    const input = compressibleBytes(10 * KiB);
    const { result } = await processBytes(input, pipelines.secure());
    expect(result.stageMetrics.get('in-sum')).toMatchObject({ chunks: 10, bytesIn: 10 * KiB });
    expect(result.stageMetrics.get('zip')!.bytesOut).toBeLessThan(10 * KiB);
    expect([...result.checksums.keys()].sort()).toEqual(['in-sum', 'out-sum']);
  });

  it('keeps no plaintext digest of the original in an encrypted container', async () => {
    const input = compressibleBytes(3 * KiB);
    const { container } = await processBytes(input, pipelines.secure());
    for (const digest of [createHash('sha256').update(input).digest(), Buffer.from(await blake3Hex(input), 'hex')]) {
      expect(container.includes(digest)).toBe(false);
      expect(container.includes(Buffer.from(digest.toString('hex')))).toBe(false);
    }
  });
});

describe('PipelineRunner refuses damaged containers', () => {
  it('tells a wrong key apart from corruption, before reading any chunk', async () => {
    const { container } = await processBytes(compressibleBytes(8 * KiB), pipelines.secure());
    let consumed = 0;
    const counting = async function* () {
      for await (const piece of pieces(container, 64)) {
        consumed += piece.length;
        yield piece;
      }
    };
    const run = runner.restore(counting(), { secret: { kind: 'key', key: new Uint8Array(32).fill(8) } });
    const error = await rejectionOf(collect(run.output), 'WrongKey');
    expect(error.message).toContain('wrong password or key');
    const headerEnd = 16 + container.readUInt32BE(12) + 64;
    expect(consumed).toBeLessThanOrEqual(headerEnd + 64);
  });

  it('checks the header alone: its MAC with a secret, its checksum without', async () => {
    const { container } = await processBytes(compressibleBytes(8 * KiB), pipelines.secure());
    expect(await runner.verifyHeader(pieces(container), { secret: key })).toMatchObject({ encrypted: true, authenticated: true });
    expect(await runner.verifyHeader(pieces(container))).toMatchObject({ encrypted: true, authenticated: false });
    await rejectionOf(runner.verifyHeader(pieces(container), { secret: { kind: 'key', key: new Uint8Array(32) } }), 'WrongKey');
    const plain = (await processBytes(compressibleBytes(KiB), pipelines.checksum())).container;
    expect((await runner.verifyHeader(pieces(plain))).header.stages.map((s) => s.name)).toEqual(['sum']);
  });

  it('asks for a secret when the container is encrypted', async () => {
    const { container } = await processBytes(compressibleBytes(KiB), pipelines.secure());
    await rejectionOf(restoreBytes(container, null), 'InvalidConfiguration');
  });

  it('refuses what is not a container', async () => {
    for (const bytes of [Buffer.alloc(0), Buffer.from('hello world, this is text'), Buffer.from(randomBytes(100))]) {
      await rejectionOf(restoreBytes(bytes), 'NotAContainer');
    }
  });

  for (const name of ['checksum', 'secure'] as const) {
    it(`${name}: every single-bit flip of a 3-chunk container fails with a typed error`, async () => {
      const { container } = await processBytes(randomBytes(3 * KiB - 100, 3), pipelines[name]());
      const kinds = new Set<string>();
      for (let bit = 0; bit < container.length * 8; bit++) {
        const damaged = Buffer.from(container);
        damaged[bit >> 3]! ^= 1 << (bit & 7);
        kinds.add((await rejectionOf(restoreBytes(damaged))).kind);
      }
      expect([...kinds].every((kind) => kind !== 'Internal' && kind !== 'ProcessingFailed')).toBe(true);
    }, 120_000);

    it(`${name}: every truncation point and appended bytes fail`, async () => {
      const { container } = await processBytes(randomBytes(3 * KiB - 100, 4), pipelines[name]());
      for (let length = 0; length < container.length; length++) {
        await rejectionOf(restoreBytes(container.subarray(0, length)));
      }
      await rejectionOf(restoreBytes(Buffer.concat([container, Buffer.from([0])])), 'CorruptContainer');
    }, 120_000);
  }

  it('detects swapped, duplicated and dropped chunks, and a removed trailer', async () => {
    for (const name of ['checksum', 'secure'] as const) {
      const { container } = await processBytes(randomBytes(3 * KiB, 9), pipelines[name]());
      const records = splitRecords(container);
      const rebuild = (order: number[]) => Buffer.concat([records.header, ...order.map((index) => records.records[index]!)]);
      await rejectionOf(restoreBytes(rebuild([1, 0, 2, 3])), 'CorruptContainer');
      await rejectionOf(restoreBytes(rebuild([0, 0, 1, 2, 3])), 'CorruptContainer');
      await rejectionOf(restoreBytes(rebuild([0, 2, 3])), 'CorruptContainer');
      await rejectionOf(restoreBytes(rebuild([0, 1, 2])), 'CorruptContainer');
      expect(Buffer.compare(rebuild([0, 1, 2, 3]), container)).toBe(0);
    }
  });

  it('detects a chunk spliced from another container made with the same key', async () => {
    const input = randomBytes(3 * KiB, 11);
    const first = splitRecords((await processBytes(input, pipelines.secure())).container);
    const second = splitRecords((await processBytes(input, pipelines.secure())).container);
    const spliced = Buffer.concat([first.header, first.records[0]!, second.records[1]!, first.records[2]!, first.records[3]!]);
    await rejectionOf(restoreBytes(spliced));
  });

  it('names the package to install when a plugin is missing', async () => {
    const { container } = await processBytes(compressibleBytes(KiB), pipelines.secure());
    const bare = createAdapipe();
    const error = await rejectionOf(collect(bare.runner.restore(pieces(container), { secret: key }).output), 'ExecutorNotFound');
    expect(error.message).toContain("stage 'in-sum' needs checksum:crc from fake-checksum, which is not installed; install fake-checksum");
  });
});

describe('PipelineRunner concurrency', () => {
  it('keeps at most `window` chunks in flight and writes them in order', async () => {
    let inFlight = 0;
    let peak = 0;
    const slow = new (class extends FakeChecksumExecutor {
      override readonly capabilities = [{ stageType: StageType.Checksum, algorithm: 'slow' }];
      override async execute(...args: Parameters<FakeChecksumExecutor['execute']>) {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setTimeout(resolve, (args[1].sequenceNumber * 7) % 5));
        inFlight--;
        return super.execute(...args);
      }
    })();
    const services = servicesOf(slow);
    const pipeline = new Pipeline('slow', [stage('s', StageType.Checksum, 'slow', 0)]);
    const input = randomBytes(40 * KiB, 5);
    const run = services.runner.process(pieces(input), { pipeline, chunkSize: KiB, window: 3 });
    const container = await collect(run.output);
    expect(peak).toBe(3);
    const restored = await collect(services.runner.restore(pieces(container)).output);
    expect(Buffer.compare(restored, input)).toBe(0);
  });

  it('runs a stage that asks for sequential processing one chunk at a time, in order', async () => {
    const order: number[] = [];
    let inFlight = 0;
    let peak = 0;
    const sequential = new (class extends FakeChecksumExecutor {
      override async execute(...args: Parameters<FakeChecksumExecutor['execute']>) {
        inFlight++;
        peak = Math.max(peak, inFlight);
        order.push(args[1].sequenceNumber);
        await new Promise((resolve) => setTimeout(resolve, 1));
        inFlight--;
        return super.execute(...args);
      }
    })();
    const services = servicesOf(sequential);
    const pipeline = new Pipeline('seq', [sequentialStage('s', 'crc', 0)]);
    await collect(services.runner.process(pieces(randomBytes(10 * KiB, 1)), { pipeline, chunkSize: KiB, window: 4 }).output);
    expect(peak).toBe(1);
    expect(order).toEqual([...Array(10).keys()]);
  });

  it('gives a sequential stage its chunks in sequence order after a parallel stage that finishes them out of order', async () => {
    const chunkCount = 8;
    const received = { forward: [] as number[], reverse: [] as number[] };
    let inFlight = 0;
    let peak = 0;
    const laterFirst = (sequenceNumber: number) => new Promise((resolve) => setTimeout(resolve, (chunkCount - sequenceNumber) * 4));
    const delaying = new (class extends FakeChecksumExecutor {
      override readonly capabilities = [{ stageType: StageType.Checksum, algorithm: 'later-first' }];
      override async execute(...args: Parameters<FakeChecksumExecutor['execute']>) {
        await laterFirst(args[1].sequenceNumber);
        return super.execute(...args);
      }
      override async reverse(...args: Parameters<FakeChecksumExecutor['reverse']>) {
        await laterFirst(args[1].sequenceNumber);
        return super.reverse(...args);
      }
    })();
    const recording = new (class extends FakeChecksumExecutor {
      override readonly capabilities = [{ stageType: StageType.Checksum, algorithm: 'recording' }];
      override async execute(...args: Parameters<FakeChecksumExecutor['execute']>) {
        return this.#record('forward', args[1].sequenceNumber, () => super.execute(...args));
      }
      override async reverse(...args: Parameters<FakeChecksumExecutor['reverse']>) {
        return this.#record('reverse', args[1].sequenceNumber, () => super.reverse(...args));
      }
      async #record<T>(direction: keyof typeof received, sequenceNumber: number, step: () => Promise<T>): Promise<T> {
        inFlight++;
        peak = Math.max(peak, inFlight);
        received[direction].push(sequenceNumber);
        await new Promise((resolve) => setTimeout(resolve, 1));
        inFlight--;
        return step();
      }
    })();
    const services = servicesOf(delaying, recording);
    const pipeline = new Pipeline('reordering', [
      stage('before', StageType.Checksum, 'later-first', 0),
      sequentialStage('in-order', 'recording', 1),
      stage('after', StageType.Checksum, 'later-first', 2),
    ]);
    const input = randomBytes(chunkCount * KiB - 100, 21);
    const container = await collect(services.runner.process(pieces(input), { pipeline, chunkSize: KiB, window: chunkCount }).output);
    const restored = await collect(services.runner.restore(pieces(container), { window: chunkCount }).output);
    expect(received.forward).toEqual([...Array(chunkCount).keys()]);
    expect(received.reverse).toEqual([...Array(chunkCount).keys()]);
    expect(peak).toBe(1);
    expect(Buffer.compare(restored, input)).toBe(0);
  });

  it('fails with the error of a chunk that never reaches a sequential stage, rejecting the chunks waiting behind it', async () => {
    const received: number[] = [];
    const failing = new (class extends FakeChecksumExecutor {
      override readonly capabilities = [{ stageType: StageType.Checksum, algorithm: 'fails-at-2' }];
      override async execute(...args: Parameters<FakeChecksumExecutor['execute']>) {
        const { sequenceNumber } = args[1];
        await new Promise((resolve) => setTimeout(resolve, sequenceNumber < 2 ? 10 : 1));
        if (sequenceNumber === 2) throw new PipelineError('ProcessingFailed', 'chunk 2 cannot be processed');
        return super.execute(...args);
      }
    })();
    const recording = new (class extends FakeChecksumExecutor {
      override readonly capabilities = [{ stageType: StageType.Checksum, algorithm: 'recording' }];
      override async execute(...args: Parameters<FakeChecksumExecutor['execute']>) {
        received.push(args[1].sequenceNumber);
        return super.execute(...args);
      }
    })();
    const services = servicesOf(failing, recording);
    const pipeline = new Pipeline('failing', [
      stage('before', StageType.Checksum, 'fails-at-2', 0),
      sequentialStage('in-order', 'recording', 1),
    ]);
    const run = services.runner.process(pieces(randomBytes(6 * KiB, 22)), { pipeline, chunkSize: KiB, window: 6 });
    const error = await rejectionOf(collect(run.output), 'ProcessingFailed');
    expect(error.message).toBe('chunk 2 cannot be processed');
    await rejectionOf(run.result, 'ProcessingFailed');
    expect(received).toEqual([0, 1]);
  });

  it('stops with Cancelled when aborted', async () => {
    const controller = new AbortController();
    const run = runner.process(pieces(randomBytes(64 * KiB, 2)), {
      pipeline: pipelines.checksum(),
      chunkSize: KiB,
      signal: controller.signal,
    });
    const consume = (async () => {
      let count = 0;
      for await (const _ of run.output) if (++count === 5) controller.abort();
    })();
    await rejectionOf(consume, 'Cancelled');
    await rejectionOf(run.result, 'Cancelled');
  });
});

describe('PipelineRunner buffers', () => {
  it.each([0, 1, 100 * KiB + 3])('processBuffer then restoreBuffer gives back %i bytes, bit for bit', async (size) => {
    const original = compressibleBytes(size);
    const container = await runner.processBuffer(original, { pipeline: pipelines.secure(), secret: key, chunkSize: 16 * KiB });
    expect(Buffer.from(container.subarray(1, 8)).toString()).toBe('ADAPIPE');
    expect(Buffer.from(await runner.restoreBuffer(container, { secret: key })).equals(Buffer.from(original))).toBe(true);
  });

  it('restoreBuffer refuses a damaged container with a typed error, and a wrong key', async () => {
    const container = await runner.processBuffer(randomBytes(40 * KiB), { pipeline: pipelines.secure(), secret: key });
    const damaged = Uint8Array.from(container);
    damaged[damaged.length - 40]! ^= 1;
    expect((await rejectionOf(runner.restoreBuffer(damaged, { secret: key }))).kind).toMatch(
      /CorruptContainer|IntegrityFailed|EncryptionFailed/,
    );
    const otherKey: RunSecret = { kind: 'key', key: new Uint8Array(32).fill(8) };
    await rejectionOf(runner.restoreBuffer(container, { secret: otherKey }));
  });

  it('names the library option, not a CLI flag, when the output exists', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'adapipe-runner-'));
    writeFileSync(join(dir, 'in.txt'), 'abc');
    writeFileSync(join(dir, 'out.adapipe'), 'keep me');
    const error = await rejectionOf(
      runner.processFile(join(dir, 'in.txt'), join(dir, 'out.adapipe'), { pipeline: pipelines.checksum() }),
      'OutputError',
    );
    expect(error.message).toMatch(/the output file exists; set overwrite: true to replace it$/);
    expect(error.message).not.toContain('--force');
  });
});

describe('PipelineRunner streams', () => {
  it('works with stream.pipeline', async () => {
    const input = compressibleBytes(20 * KiB + 5);
    const processing = createProcessStream(runner, { pipeline: pipelines.secure(), chunkSize: KiB, secret: key });
    const container: Buffer[] = [];
    await streamPipeline(
      Readable.from(pieces(input)),
      processing.stream,
      new Writable({
        write: (chunk, _e, done) => {
          container.push(chunk);
          done();
        },
      }),
    );
    expect((await processing.result).bytesIn).toBe(input.length);
    const restoring = createRestoreStream(runner, { secret: key });
    const output: Buffer[] = [];
    await streamPipeline(
      Readable.from(container),
      restoring.stream,
      new Writable({
        write: (chunk, _e, done) => {
          output.push(chunk);
          done();
        },
      }),
    );
    expect(Buffer.compare(Buffer.concat(output), input)).toBe(0);
  });

  it('works with Web streams', async () => {
    const input = randomBytes(9 * KiB, 8);
    const processing = createProcessWebStream(runner, { pipeline: pipelines.secure(), chunkSize: KiB, secret: key });
    const containerStream = new Blob([input]).stream().pipeThrough(processing);
    const restoring = createRestoreWebStream(runner, { secret: key });
    const output = Buffer.from(await new Response(containerStream.pipeThrough(restoring)).arrayBuffer());
    expect(Buffer.compare(output, input)).toBe(0);
    expect((await restoring.result).chunkCount).toBe(9);
  });
});

describe('PipelineRunner files', () => {
  const directory = () => mkdtempSync(join(tmpdir(), 'adapipe-runner-'));

  it('processes and restores files atomically, naming the output from the trailer', async () => {
    const dir = directory();
    const input = join(dir, 'report.txt');
    writeFileSync(input, compressibleBytes(50 * KiB));
    const processed = await runner.processFile(input, join(dir, 'report.adapipe'), {
      pipeline: pipelines.secure(),
      chunkSize: 4 * KiB,
      secret: key,
    });
    expect(processed.trailer.name).toBe('report.txt');
    const restoreDir = mkdtempSync(join(tmpdir(), 'adapipe-restore-'));
    const restored = await runner.restoreFile(join(dir, 'report.adapipe'), { directory: restoreDir }, { secret: key });
    expect(restored.outputPath).toBe(join(restoreDir, 'report.txt'));
    expect(Buffer.compare(readFileSync(restored.outputPath), readFileSync(input))).toBe(0);
    expect(readdirSync(restoreDir)).toEqual(['report.txt']);
    await rejectionOf(
      runner.verifyFile(join(dir, 'report.adapipe'), { secret: key }).then(() => {
        throw new PipelineError('Internal', 'verified');
      }),
      'Internal',
    );
  });

  it('refuses an existing target, a symlink target and input == output, leaving files untouched', async () => {
    const dir = directory();
    const input = join(dir, 'a.txt');
    writeFileSync(input, 'abc');
    writeFileSync(join(dir, 'exists.adapipe'), 'keep me');
    symlinkSync(join(dir, 'elsewhere'), join(dir, 'link.adapipe'));
    const options = { pipeline: pipelines.checksum() };
    await rejectionOf(runner.processFile(input, join(dir, 'exists.adapipe'), options), 'OutputError');
    await rejectionOf(runner.processFile(input, join(dir, 'link.adapipe'), { ...options, overwrite: true }), 'OutputError');
    await rejectionOf(runner.processFile(input, input, { ...options, overwrite: true }), 'InputError');
    await rejectionOf(runner.processFile(join(dir, 'missing.txt'), join(dir, 'x.adapipe'), options), 'InputError');
    expect(readFileSync(join(dir, 'exists.adapipe'), 'utf8')).toBe('keep me');
    expect(readFileSync(input, 'utf8')).toBe('abc');
    await runner.processFile(input, join(dir, 'exists.adapipe'), { ...options, overwrite: true });
    expect(readFileSync(join(dir, 'exists.adapipe')).subarray(1, 8).toString()).toBe('ADAPIPE');
    expect(readdirSync(dir).sort()).toEqual(['a.txt', 'exists.adapipe', 'link.adapipe']);
  });

  it('leaves no output and no temporary file when a restore fails', async () => {
    const dir = directory();
    const { container } = await processBytes(randomBytes(5 * KiB, 6), pipelines.secure());
    container[container.length - 30]! ^= 0xff;
    writeFileSync(join(dir, 'bad.adapipe'), container);
    await rejectionOf(runner.restoreFile(join(dir, 'bad.adapipe'), join(dir, 'out.bin'), { secret: key }));
    expect(existsSync(join(dir, 'out.bin'))).toBe(false);
    expect(readdirSync(dir)).toEqual(['bad.adapipe']);
  });
});

/** Splits a container into its header part and its records, using the record length fields. */
function splitRecords(container: Buffer): { header: Buffer; records: Buffer[] } {
  const encrypted = (container.readUInt16BE(10) & 1) === 1;
  let offset = 16 + container.readUInt32BE(12) + 32 + (encrypted ? 32 : 0);
  const header = container.subarray(0, offset);
  const records: Buffer[] = [];
  while (offset < container.length) {
    const length = 14 + container.readUInt32BE(offset + 6) + container.readUInt32BE(offset + 10) + 4;
    records.push(container.subarray(offset, offset + length));
    offset += length;
  }
  return { header, records };
}

describe('PipelineRunner cancellation while waiting for input', () => {
  it('stops a run whose source delivers nothing', async () => {
    const controller = new AbortController();
    let closed = false;
    const stalled = {
      [Symbol.asyncIterator]: () => ({
        next: () => new Promise<IteratorResult<Uint8Array>>(() => {}),
        return: async () => {
          closed = true;
          return { done: true as const, value: undefined };
        },
      }),
    };
    const run = runner.process(stalled, { pipeline: pipelines.checksum(), signal: controller.signal });
    const consumed = collect(run.output);
    setTimeout(() => controller.abort(), 20);
    await rejectionOf(consumed, 'Cancelled');
    expect(closed).toBe(true);
  });
});

describe('PipelineRunner reuses a leading whole-stream sha256', () => {
  class Sha256Stage extends FakeChecksumExecutor {
    override readonly capabilities = [{ stageType: StageType.Checksum, algorithm: 'sha256', wholeStreamDigest: 'sha256' as const }];
    constructor(private readonly lie: boolean) {
      super();
    }
    override async finishRun(
      stage: PipelineStage,
      context: import('../domain/processing-context.js').ProcessingContext,
      direction: StageDirection,
    ) {
      const hash = createHash('sha256');
      const lying = this.lie && direction === 'reverse';
      context.setChecksum(
        stage.name,
        lying ? new Uint8Array(32) : new Uint8Array(hash.update(seen.get(context.runId) ?? Buffer.alloc(0)).digest()),
      );
    }
    override async execute(...args: Parameters<FakeChecksumExecutor['execute']>) {
      const [, chunk, context] = args;
      seen.set(context.runId, Buffer.concat([seen.get(context.runId) ?? Buffer.alloc(0), chunk.data]));
      return super.execute(...args);
    }
    override async reverse(...args: Parameters<FakeChecksumExecutor['reverse']>) {
      const [, chunk, context] = args;
      seen.set(context.runId, Buffer.concat([seen.get(context.runId) ?? Buffer.alloc(0), chunk.data]));
      return super.reverse(...args);
    }
  }
  const seen = new Map<string, Buffer>();
  const servicesWith = (lie: boolean) => servicesOf(new Sha256Stage(lie));
  const pipeline = () => new Pipeline('reuse', [stage('input-checksum', StageType.Checksum, 'sha256', 0)]);

  it('puts the stage digest in the trailer, equal to the sha256 of the input', async () => {
    const input = randomBytes(5 * KiB + 7, 12);
    const { runner: reusing } = servicesWith(false);
    const run = reusing.process(pieces(input), { pipeline: pipeline(), chunkSize: KiB });
    const container = await collect(run.output);
    expect((await run.result).digest).toBe(createHash('sha256').update(input).digest('hex'));
    expect(Buffer.compare(await collect(reusing.restore(pieces(container)).output), input)).toBe(0);
  });

  it('is compared with the trailer on restore: a stage that computes another digest there fails', async () => {
    const { runner: lying } = servicesWith(true);
    const container = await collect(lying.process(pieces(randomBytes(3 * KiB, 13)), { pipeline: pipeline(), chunkSize: KiB }).output);
    await rejectionOf(collect(lying.restore(pieces(container)).output), 'IntegrityFailed');
  });
});
