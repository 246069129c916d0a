import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import { inject, injectable } from 'inversify';
import { ByteReader } from '../format/byte-reader.js';
import { restoreChunkLimit } from '../format/container-format.js';
import type { ContainerDigestAlgorithm, ContainerHeader, ContainerStageRecord } from '../format/container-header.js';
import { ContainerReader } from '../format/container-reader.js';
import { ContainerSealing, ContainerSealingKey } from '../format/container-sealing.js';
import { type ContainerTrailer, trailerAttributes } from '../format/container-trailer.js';
import { ContainerWriter } from '../format/container-writer.js';
import { createRunningHash } from '../digest/running-hash.js';
import { ChunkSizePolicy } from '../domain/chunk-size-policy.js';
import { checkFileAttributes, fileAttributesOf } from '../domain/file-attributes.js';
import type { Pipeline } from '../domain/pipeline.js';
import { PipelineStage } from '../domain/pipeline-stage.js';
import { KeyDerivationScopeKey } from '../domain/key-derivation-scope.js';
import { ProcessingContext } from '../domain/processing-context.js';
import { RandomSourceKey, RestoreChunkLimitKey, runRandomBytes, RunSecretKey } from '../domain/run-context-keys.js';
import { StageConfiguration } from '../domain/stage-configuration.js';
import { StageType } from '../domain/stage-type.js';
import { PipelineError } from '../errors/pipeline-error.js';
import { DispatchingStageExecutor } from '../executor/dispatching-stage-executor.js';
import type { KernelBuffers } from '../kernel/chunk-kernel.js';
import { StageExecutorRegistry } from '../executor/stage-executor-registry.js';
import { abortableSource } from './abortable-source.js';
import { chunkStream } from './chunk-stream.js';
import { deferredResult } from './deferred-result.js';
import { ChunkEngine, type EngineSession, type EngineSessionOptions } from '../engine/chunk-engine.js';
import { writeFileAtomically } from './atomic-file-writer.js';
import { assertDistinctPaths, inputFileSize, inputFileStat, readFileBlocks, sanitizeFileName } from './file-input.js';
import type {
  ProcessSource,
  ProcessFileOptions,
  ProcessOptions,
  RestoreDestination,
  RestoreFileOptions,
  RestoreOptions,
  RunOptions,
} from './run-options.js';
import type { ContainerRun, RunResult } from './run-result.js';

/** The package that provides each official stage type, named when a container needs it. */
const officialPackages: Readonly<Record<string, string>> = {
  compression: '@adapipe/plugin-compression',
  encryption: '@adapipe/plugin-encryption',
  checksum: '@adapipe/plugin-checksum',
};

/**
 * Runs pipelines over streams: `process` turns input bytes into an `.adapipe` container, `restore`
 * turns a container back into the original bytes, checking everything on the way. Chunks run
 * concurrently (a window of them at a time, so memory stays bounded) and come out in order.
 *
 * @example
 * ```ts
 * const runner = container.get(PipelineRunner);
 * const run = runner.process(createReadStream('in.txt'), { pipeline, secret });
 * await pipeline(Readable.from(run.output), createWriteStream('in.txt.adapipe'));
 * console.log((await run.result).digest);
 * ```
 */
@injectable()
export class PipelineRunner {
  readonly #policy = ChunkSizePolicy.default();

  constructor(
    @inject(DispatchingStageExecutor) private readonly executor: DispatchingStageExecutor,
    @inject(StageExecutorRegistry) private readonly registry: StageExecutorRegistry,
    @inject(ChunkEngine) private readonly engine: ChunkEngine,
  ) {}

  /** Processes `source` into a container. */
  process(source: ProcessSource, options: ProcessOptions): ContainerRun {
    return settle((report) => this.#process(typeof source === 'function' ? source : () => source, options, report));
  }

  /** Restores the original bytes from a container; `where` names it in error messages. */
  restore(source: AsyncIterable<Uint8Array>, options: RestoreOptions = {}, where = 'container'): ContainerRun {
    return settle((report) => this.#restore(source, options, report, where), where);
  }

  /**
   * Processes `data` into a container held in memory: {@link process} in one call, for data that
   * fits in memory (files and streams go through {@link processFile} and {@link process}, whose
   * memory is bounded by the chunk size).
   *
   * @throws {PipelineError} any error of the run.
   * @example
   * ```ts
   * const container = await runner.processBuffer(new TextEncoder().encode('hello'), { pipeline });
   * ```
   */
  async processBuffer(data: Uint8Array, options: Omit<ProcessOptions, 'sizeHint'>): Promise<Uint8Array> {
    const run = this.process(oneBlock(data), { ...options, sizeHint: data.byteLength });
    return collect(run);
  }

  /**
   * Restores the original bytes of a container held in memory: {@link restore} in one call. Every
   * byte is authenticated before the promise resolves; nothing is returned on an error.
   *
   * @throws {PipelineError} any error of a restore (`CorruptContainer`, `IntegrityFailed`, …).
   */
  async restoreBuffer(container: Uint8Array, options: Omit<RestoreOptions, 'sizeHint'> = {}): Promise<Uint8Array> {
    const run = this.restore(oneBlock(container), { ...options, sizeHint: container.byteLength }, 'buffer');
    return collect(run);
  }

  /**
   * Processes a file into a container file, atomically: the output path either keeps its old
   * state or holds the complete container. The trailer records the input's mode and modification
   * time (unless `attributes` says otherwise).
   *
   * @throws {PipelineError} `InputError`, `InputChanged` (the input shrank or was modified while it
   * was read; growth is only reported to `onWarning`), `OutputError`, or any error of the run.
   */
  async processFile(input: string, output: string, options: ProcessFileOptions): Promise<RunResult & { readonly outputPath: string }> {
    await assertDistinctPaths(input, output);
    const status = await inputFileStat(input);
    const size = status.size;
    const chunkSize = this.#chunkSizeFor(options.pipeline.enabledStages, size, options.chunkSize);
    const run = this.process((buffers) => readFileBlocks(input, chunkSize, options, buffers), {
      ...options,
      chunkSize,
      sizeHint: size,
      name: options.name === undefined ? basename(input) : options.name,
      attributes: options.attributes === undefined ? (fileAttributesOf(status) ?? null) : options.attributes,
      recycleOutput: true,
    });
    const outputPath = await writeFileAtomically(output, run.output, {
      overwrite: options.overwrite ?? false,
      durable: options.durable ?? true,
    });
    return { ...(await run.result), outputPath };
  }

  /**
   * Restores a container file, atomically. With `{ directory }` the file gets the original's
   * stored base name, sanitised (never a path from the container). The file gets the mode and
   * modification time the trailer records, if any, before it appears (unless `restoreAttributes`
   * is false); a character device or FIFO written through keeps its own.
   *
   * @throws {PipelineError} `InputError`, `OutputError`, or any error of the run.
   */
  async restoreFile(
    input: string,
    destination: RestoreDestination,
    options: RestoreFileOptions = {},
  ): Promise<RunResult & { readonly outputPath: string }> {
    const size = await inputFileSize(input);
    if (typeof destination === 'string') await assertDistinctPaths(input, destination);
    const run = this.restore(readFileBlocks(input, 1 << 20, options), { ...options, sizeHint: size, recycleOutput: true }, input);
    const target =
      typeof destination === 'string'
        ? destination
        : { directory: destination.directory, name: async () => sanitizeFileName((await run.result).trailer.name) };
    const outputPath = await writeFileAtomically(target, run.output, {
      overwrite: options.overwrite ?? false,
      durable: options.durable ?? true,
      ...(options.restoreAttributes === false ? {} : { attributes: async () => trailerAttributes((await run.result).trailer) }),
    });
    return { ...(await run.result), outputPath };
  }

  /**
   * Reads and authenticates every byte of a container file, writing nothing.
   *
   * @throws {PipelineError} `InputError`, or any error of a restore.
   */
  async verifyFile(input: string, options: RestoreOptions = {}): Promise<RunResult> {
    const size = await inputFileSize(input);
    return this.verify(readFileBlocks(input, 1 << 20), { ...options, sizeHint: size }, input);
  }

  /**
   * Reads and authenticates every byte of a container without writing anything.
   *
   * @throws {PipelineError} as `restore`.
   */
  async verify(source: AsyncIterable<Uint8Array>, options: RestoreOptions = {}, where = 'container'): Promise<RunResult> {
    const run = this.restore(source, { ...options, recycleOutput: true }, where);
    for await (const _ of run.output);
    return run.result;
  }

  /**
   * Checks a container's header without reading any chunk: its checksum, that every stage's plugin
   * is installed, and — when a secret is given — the header MAC (so a wrong password shows here).
   * Returns whether the MAC was checked.
   *
   * @throws {PipelineError} as `restore` does for the header.
   */
  async verifyHeader(
    source: AsyncIterable<Uint8Array>,
    options: RestoreOptions = {},
    where = 'container',
  ): Promise<{ header: ContainerHeader; encrypted: boolean; authenticated: boolean }> {
    const reader = new ByteReader(source, where);
    try {
      const opened = await this.#open(reader, options, where, false);
      await opened.session.abandon();
      const { header, encrypted } = opened.container.encoded;
      return { header, encrypted, authenticated: opened.authenticated };
    } finally {
      await reader.close();
    }
  }

  /**
   * Reads a container's header: stages, algorithms, parameters, chunk size. Needs no secret and
   * authenticates nothing beyond the header checksum.
   *
   * @throws {PipelineError} `NotAContainer`, `UnsupportedFormat`, `CorruptContainer`, `LimitExceeded`.
   */
  async readHeader(source: AsyncIterable<Uint8Array>, where = 'container'): Promise<{ header: ContainerHeader; encrypted: boolean }> {
    const reader = new ByteReader(source, where);
    try {
      const { header, encrypted } = (await ContainerReader.open(reader, where)).encoded;
      return { header, encrypted };
    } finally {
      await reader.close();
    }
  }

  /** The body of a process run; `source` gets the session's buffers to read into. */
  async *#process(
    source: (buffers: KernelBuffers) => AsyncIterable<Uint8Array>,
    options: ProcessOptions,
    report: (result: RunResult) => void,
  ): AsyncGenerator<Uint8Array> {
    const started = performance.now();
    const attributes = options.attributes == null ? undefined : checkFileAttributes(options.attributes, 'process');
    const stages = options.pipeline.enabledStages;
    const chunkSize = this.#chunkSizeFor(stages, options.sizeHint, options.chunkSize);
    const { context, sealing } = this.#createContext(options.pipeline.id, options);
    const encryptionStage = findEncryptionStage(stages);
    const session = this.engine.session(stages, context, 'forward', sessionOptions(options, chunkSize));
    try {
      await session.start();
      if ((encryptionStage !== undefined) !== sealing.sealed) {
        throw new PipelineError('Internal', `Stage '${encryptionStage?.name ?? '?'}' did not provide a header authentication key`);
      }
      const digestStage = this.#inputDigestStage(stages);
      const header: ContainerHeader = {
        fileId: toHex(runRandomBytes(context, 16)),
        pipeline: options.pipeline.name,
        chunkSize,
        digestAlgorithm: digestStage?.algorithm ?? 'blake3',
        stages: stages.map((stage) => this.#stageRecord(stage, context)),
      };
      const writer = new ContainerWriter(header, sealing);
      yield* writer.opening();

      const digest = digestStage === undefined ? await createRunningHash(header.digestAlgorithm) : undefined;
      let bytesIn = 0;
      const originals = async function* () {
        for await (const chunk of chunkStream(abortableSource(source(session.buffers), options.signal), chunkSize)) {
          context.throwIfAborted();
          digest?.update(chunk.data);
          bytesIn += chunk.size;
          options.onProgress?.(bytesIn);
          yield chunk;
        }
      };
      for await (const chunk of session.map(originals(), this.#window(options))) yield* writer.record(chunk);

      await session.finish((stage) => stage !== encryptionStage);
      const trailer: ContainerTrailer = {
        chunkCount: writer.chunkCount,
        originalSize: bytesIn,
        digest: digest === undefined ? recordedDigest(digestStage!.stage, context) : toHex(digest.digest()),
        name: options.name ?? null,
        checksums: Object.fromEntries(hexChecksums(context)),
        ...attributes,
      };
      const trailerChunk = writer.trailerChunk(trailer, bytesIn);
      yield* writer.closing(
        encryptionStage === undefined ? trailerChunk : await this.executor.runUncounted(encryptionStage, trailerChunk, context, 'forward'),
      );
      await session.finish((stage) => stage === encryptionStage);
      report(
        result(context, { bytesIn, bytesOut: writer.bytesWritten, chunkCount: writer.chunkCount, chunkSize, header, trailer, started }),
      );
    } finally {
      await session.abandon();
    }
  }

  async *#restore(
    source: AsyncIterable<Uint8Array>,
    options: RestoreOptions,
    report: (result: RunResult) => void,
    where: string,
  ): AsyncGenerator<Uint8Array> {
    const started = performance.now();
    const reader = new ByteReader(abortableSource(source, options.signal), where);
    let session: EngineSession | undefined;
    try {
      const opened = await this.#open(reader, options, where, true);
      session = opened.session;
      reader.useBuffers(session.buffers);
      const { container, encryptionStage, context } = opened;
      const { header } = container.encoded;

      const digestStage = this.#inputDigestStage(opened.stages, header.digestAlgorithm);
      const digest = digestStage === undefined ? await createRunningHash(header.digestAlgorithm) : undefined;
      let bytesOut = 0;
      let chunkCount = 0;
      const records = container.chunks((bytesRead) => {
        context.throwIfAborted();
        options.onProgress?.(bytesRead);
      });
      for await (const chunk of session.map(records, this.#window(options))) {
        container.checkRestoredChunk(chunk);
        digest?.update(chunk.data);
        bytesOut += chunk.size;
        chunkCount++;
        yield chunk.data;
      }
      const sealed = await container.trailerChunk(bytesOut);
      const trailerBytes =
        encryptionStage === undefined ? sealed.data : (await this.executor.runUncounted(encryptionStage, sealed, context, 'reverse')).data;
      const trailer = container.decodeTrailer(trailerBytes);
      await session.finish((stage) => stage !== encryptionStage);
      container.checkRestored(trailer, {
        chunkCount,
        bytes: bytesOut,
        digest: digest === undefined ? recordedDigest(digestStage!.stage, context) : toHex(digest.digest()),
        checksums: hexChecksums(context),
      });
      await session.finish((stage) => stage === encryptionStage);
      report(result(context, { bytesIn: reader.position, bytesOut, chunkCount, chunkSize: header.chunkSize, header, trailer, started }));
    } finally {
      await session?.abandon();
      await reader.close();
    }
  }

  /**
   * Reads the header, rebuilds and starts the stages in reverse, and checks the header MAC. With
   * `requireSecret` false an encrypted container without a secret is opened unauthenticated.
   */
  async #open(reader: ByteReader, options: RestoreOptions, where: string, requireSecret: boolean) {
    const container = await ContainerReader.open(reader, where);
    const { encoded } = container;
    const { header } = encoded;
    const stages = header.stages.map((record, index) => this.#rebuildStage(record, index, where));
    const encryptionStage = findEncryptionStage(stages);
    if (encoded.encrypted !== (encryptionStage !== undefined)) {
      throw new PipelineError(
        'CorruptContainer',
        `${where}: the encrypted flag is ${encoded.encrypted ? 'set' : 'clear'} but the header lists ${encryptionStage ? 'an' : 'no'} encryption stage`,
      );
    }
    const authenticate = encoded.encrypted && (requireSecret || options.secret !== undefined);
    if (authenticate && options.secret === undefined) {
      throw new PipelineError('InvalidConfiguration', `${where}: the container is encrypted; a password or key is required`);
    }
    const { context, sealing } = this.#createContext(header.pipeline, options);
    context.set(RestoreChunkLimitKey, restoreChunkLimit(header.chunkSize, expandsBeforeCompression(stages)));
    for (const record of header.stages) context.setRunParameters(record.name, record.runParameters);
    const session = this.engine.session([...stages].reverse(), context, 'reverse', sessionOptions(options, header.chunkSize));
    try {
      if (authenticate || !encoded.encrypted) await session.start();
      container.authenticate(sealing, authenticate);
    } catch (error) {
      await session.abandon();
      throw error;
    }
    return { container, stages, encryptionStage, context, session, authenticated: authenticate };
  }

  /**
   * The first stage with the digest algorithm it records of the original, when it is a checksum
   * stage that records one (of `algorithm`, when given: what a container's header names).
   */
  #inputDigestStage(
    stages: readonly PipelineStage[],
    algorithm?: ContainerDigestAlgorithm,
  ): { stage: PipelineStage; algorithm: ContainerDigestAlgorithm } | undefined {
    const first = stages[0];
    if (first === undefined || first.stageType !== StageType.Checksum) return undefined;
    const recorded = this.registry.findCapability(first.stageType, first.algorithm)?.wholeStreamDigest;
    return recorded === undefined || (algorithm !== undefined && recorded !== algorithm)
      ? undefined
      : { stage: first, algorithm: recorded };
  }

  /**
   * The chunk size a run of `pipeline` uses: `explicit`, else a stage's configured size, else the
   * adaptive policy for an input of `size` bytes (unknown for a pipe). Callers that read the input
   * themselves read blocks of this size, so chunks are cut without copying.
   *
   * @throws {PipelineError} `InvalidConfiguration` when the size is outside 1 KiB–100 MiB.
   */
  chunkSizeFor(pipeline: Pipeline, size?: number, explicit?: number): number {
    return this.#chunkSizeFor(pipeline.enabledStages, size, explicit);
  }

  #chunkSizeFor(stages: readonly PipelineStage[], size: number | undefined, explicit: number | undefined): number {
    return this.#policy.chunkSizeFor(
      size,
      explicit ?? stages.find((stage) => stage.configuration.chunkSize !== undefined)?.configuration.chunkSize,
    );
  }

  /** A run's context, with its secret, random source, key scope and the container's sealing set. */
  #createContext(pipelineId: string, options: RunOptions): { context: ProcessingContext; sealing: ContainerSealing } {
    const context = new ProcessingContext(pipelineId, options.signal === undefined ? {} : { signal: options.signal });
    const sealing = new ContainerSealing();
    context.set(ContainerSealingKey, sealing);
    if (options.secret !== undefined) context.set(RunSecretKey, options.secret);
    if (options.random !== undefined) context.set(RandomSourceKey, options.random);
    if (options.keyScope !== undefined) context.set(KeyDerivationScopeKey, options.keyScope);
    return { context, sealing };
  }

  #window(options: RunOptions): number {
    const window = options.window ?? (options.workers ?? availableParallelism()) + 2;
    if (!Number.isInteger(window) || window < 1 || window > 1024) {
      throw new RangeError(`window must be a whole number from 1 to 1024, found ${window}`);
    }
    return window;
  }

  #stageRecord(stage: PipelineStage, context: ProcessingContext): ContainerStageRecord {
    const executor = this.registry.resolve(stage.stageType, stage.algorithm);
    return {
      name: stage.name,
      type: stage.stageType,
      algorithm: this.registry.canonicalAlgorithm(stage.stageType, stage.algorithm),
      parameters: stage.configuration.parameters,
      parallelProcessing: stage.configuration.parallelProcessing,
      runParameters: context.runParameters(stage.name) ?? {},
      package: executor.packageName,
    };
  }

  #rebuildStage(record: ContainerStageRecord, index: number, where: string): PipelineStage {
    if (!this.registry.has(record.type, record.algorithm)) {
      const packageName = record.package || officialPackages[record.type] || 'the plugin that provides it';
      throw new PipelineError(
        'ExecutorNotFound',
        `${where}: stage '${record.name}' needs ${record.type}:${record.algorithm} from ${packageName}, which is not installed; install ${packageName} and load its module (installed: ${this.registry.describeInstalled()})`,
      );
    }
    return new PipelineStage(
      record.name,
      record.type,
      new StageConfiguration(record.algorithm, record.parameters, record.parallelProcessing),
      index,
    );
  }
}

/** The engine options of a run with chunks of `chunkSize`. */
function sessionOptions(options: RunOptions, chunkSize: number): EngineSessionOptions {
  return {
    chunkSize,
    ...(options.workers === undefined ? {} : { workers: options.workers }),
    ...(options.sizeHint === undefined ? {} : { sizeHint: options.sizeHint }),
    recycleOutput: options.recycleOutput ?? false,
  };
}

/** The whole-file digest `stage` recorded, hex. */
function recordedDigest(stage: PipelineStage, context: ProcessingContext): string {
  const recorded = context.checksums.get(stage.name);
  if (recorded === undefined || recorded.length !== 32) {
    throw new PipelineError('Internal', `Stage '${stage.name}' declares a whole-stream digest for the container but recorded none`);
  }
  return toHex(recorded);
}

function findEncryptionStage(stages: readonly PipelineStage[]): PipelineStage | undefined {
  return stages.find((stage) => stage.stageType === StageType.Encryption);
}

/** The whole-stream digests the run's stages recorded, by stage name, hex. */
function hexChecksums(context: ProcessingContext): Map<string, string> {
  return new Map([...context.checksums].map(([name, value]) => [name, toHex(value)]));
}

function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

function result(
  context: ProcessingContext,
  figures: Pick<RunResult, 'bytesIn' | 'bytesOut' | 'chunkCount' | 'chunkSize' | 'header' | 'trailer'> & { started: number },
): RunResult {
  const { started, ...rest } = figures;
  return {
    ...rest,
    digest: rest.trailer.digest,
    durationMs: performance.now() - started,
    stageMetrics: context.stageMetrics,
    checksums: hexChecksums(context),
    context,
  };
}

/** Whether a stage that may change sizes (a transform, a cipher, a compressor) runs before the last compression stage. */
function expandsBeforeCompression(stages: readonly PipelineStage[]): boolean {
  const lastCompression = stages.findLastIndex((stage) => stage.stageType === StageType.Compression);
  return stages
    .slice(0, Math.max(0, lastCompression))
    .some(
      (stage) =>
        stage.stageType === StageType.Transform || stage.stageType === StageType.Encryption || stage.stageType === StageType.Compression,
    );
}

/** `error` with `where: ` in front of its message, unless it already names `where` or is not ours. */
function locate(error: unknown, where: string): unknown {
  if (!PipelineError.is(error) || error.kind === 'Cancelled' || error.message.startsWith(`${where}:`)) return error;
  return new PipelineError(error.kind, `${where}: ${error.message}`, { cause: error });
}

/**
 * Wraps a generator that reports its result into a {@link ContainerRun}. With `where`, a stage's
 * error that does not name the container yet is prefixed with it, so every message says which file.
 */
function settle(body: (report: (result: RunResult) => void) => AsyncGenerator<Uint8Array>, where?: string): ContainerRun {
  const { promise: resultPromise, resolve, reject } = deferredResult();
  async function* output(): AsyncGenerator<Uint8Array> {
    let reported = false;
    try {
      yield* body((value) => {
        reported = true;
        resolve(value);
      });
      if (!reported) reject(new PipelineError('Cancelled', 'The run ended before it finished'));
    } catch (error) {
      const located = where === undefined ? error : locate(error, where);
      reject(located);
      throw located;
    } finally {
      if (!reported) reject(new PipelineError('Cancelled', 'The output was not read to the end'));
    }
  }
  return { output: output(), result: resultPromise };
}

/** `data` as a source of one block. */
async function* oneBlock(data: Uint8Array): AsyncIterable<Uint8Array> {
  yield data;
}

/** A run's whole output as one buffer, once the run has succeeded. */
async function collect(run: ContainerRun): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  const drained = (async () => {
    for await (const part of run.output) parts.push(part);
  })();
  await Promise.all([drained, run.result]);
  return Buffer.concat(parts);
}
