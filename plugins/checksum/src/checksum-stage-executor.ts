import {
  BaseStageExecutor,
  ContextKey,
  defineStageParameters,
  FileChunk,
  type PipelineStage,
  type ProcessingContext,
  type StageCapability,
  type StageDirection,
  type StageKernel,
  StageType,
} from '@adapipe/core';
import { injectable } from 'inversify';
import { type ChecksumAlgorithm, checksumAlgorithms, checksumAlgorithmSpecs } from './checksum-algorithm.js';
import { checkChunkDigest, withChunkDigest } from './checksum-chunk.js';
import { createDigest } from './create-digest.js';
import type { ChecksumKernelConfig } from './kernels.js';
import { OrderedStreamDigest } from './ordered-stream-digest.js';

const noParameters = defineStageParameters({});

const StreamDigestKey = new ContextKey<OrderedStreamDigest>('@adapipe/plugin-checksum/stream-digest');

/** Throughput of one direction (chunk digest + whole-stream digest), bytes/s, from bench/speed.mjs. */
const throughput: Readonly<Record<ChecksumAlgorithm, number>> = {
  sha256: 850_000_000,
  sha512: 420_000_000,
  blake3: 2_400_000_000,
};

/**
 * Checksum stages (`stageType: 'checksum'`) for SHA-256, SHA-512 and BLAKE3.
 *
 * Forward, each chunk passes through unchanged and gains its digest as metadata under the stage's
 * name; a whole-stream digest is fed in chunk order (chunks that arrive early wait in the run's
 * context) and `finishRun` stores it with `context.setChecksum(stage.name, digest)`. Reverse
 * checks each chunk against its recorded digest, passes it through and recomputes the
 * whole-stream digest the same way, so a caller can compare it with a stored one.
 *
 * Checksum stages take no parameters. All per-file state lives in the {@link ProcessingContext}.
 *
 * @example
 * ```ts
 * const executor = new ChecksumStageExecutor();
 * const stage = new PipelineStage('input-checksum', StageType.Checksum, new StageConfiguration('sha256'), 0);
 * const out = await executor.execute(stage, chunk, context);
 * out.metadata.get('input-checksum'); // 32 bytes
 * ```
 */
@injectable()
export class ChecksumStageExecutor extends BaseStageExecutor {
  readonly packageName = '@adapipe/plugin-checksum';
  readonly capabilities: readonly StageCapability[];

  /**
   * @param algorithms the algorithms to serve (canonical names); default all three.
   * @throws {RangeError} when the list is empty or names an unknown algorithm.
   */
  constructor(algorithms: readonly ChecksumAlgorithm[] = checksumAlgorithms) {
    super();
    if (algorithms.length === 0) throw new RangeError('algorithms must name at least one checksum algorithm');
    this.capabilities = Object.freeze(
      algorithms.map((algorithm) => {
        const spec = checksumAlgorithmSpecs[algorithm];
        if (spec === undefined) {
          throw new RangeError(`algorithms must hold only ${checksumAlgorithms.join(', ')}, found '${String(algorithm)}'`);
        }
        return Object.freeze({
          stageType: StageType.Checksum,
          algorithm: spec.name,
          aliases: spec.aliases,
          description: spec.description,
          parameters: noParameters,
          ...(spec.name === 'sha256' || spec.name === 'blake3' ? { wholeStreamDigest: spec.name } : {}),
        });
      }),
    );
  }

  /**
   * Validates the stage and creates the run's whole-stream digest, so a failure stops the run
   * before its first chunk.
   */
  async startRun(stage: PipelineStage, context: ProcessingContext, _direction: StageDirection): Promise<void> {
    this.validate(stage);
    await this.#streamDigest(stage, this.#algorithmOf(stage), context).ready();
  }

  /**
   * Finishes the whole-stream digest and records it with `context.setChecksum(stage.name, …)`.
   *
   * @throws {PipelineError} `IntegrityFailed` naming the missing chunk when a gap remains.
   */
  async finishRun(stage: PipelineStage, context: ProcessingContext, _direction: StageDirection): Promise<void> {
    context.setChecksum(stage.name, await this.#streamDigest(stage, this.#algorithmOf(stage), context).finish());
  }

  /**
   * The per-chunk digest as a kernel for the chunk engine's worker threads; the whole-stream
   * digest is fed in order on the calling thread through `observe`.
   */
  kernel(stage: PipelineStage, context: ProcessingContext, _direction: StageDirection): StageKernel {
    const algorithm = this.#algorithmOf(stage);
    const config: ChecksumKernelConfig = { stageName: stage.name, algorithm };
    const streamDigest = this.#streamDigest(stage, algorithm, context);
    return {
      module: import.meta.resolve('@adapipe/plugin-checksum/kernels'),
      factory: 'checksumKernel',
      config,
      preservesData: true,
      observe: (sequenceNumber, data) => streamDigest.add(sequenceNumber, data),
    };
  }

  /** Passes the chunk on unchanged, with its digest as metadata under the stage's name. */
  async execute(stage: PipelineStage, chunk: FileChunk, context: ProcessingContext): Promise<FileChunk> {
    const algorithm = this.#algorithmOf(stage);
    const metadata = await withChunkDigest(stage.name, algorithm, chunk);
    await this.#streamDigest(stage, algorithm, context).add(chunk.sequenceNumber, chunk.data);
    return new FileChunk(chunk.sequenceNumber, chunk.data, { offset: chunk.offset, isFinal: chunk.isFinal, metadata });
  }

  /**
   * Checks the chunk against the digest recorded by `execute` and passes it on unchanged.
   *
   * @throws {PipelineError} `IntegrityFailed` when no digest was recorded or the digests differ.
   */
  async reverse(stage: PipelineStage, chunk: FileChunk, context: ProcessingContext): Promise<FileChunk> {
    const algorithm = this.#algorithmOf(stage);
    await checkChunkDigest(stage.name, algorithm, chunk);
    await this.#streamDigest(stage, algorithm, context).add(chunk.sequenceNumber, chunk.data);
    return chunk;
  }

  /** Expected time from the measured throughput of the stage's algorithm (see the README). */
  override async estimateProcessingTime(stage: PipelineStage, dataSize: number): Promise<number> {
    return (dataSize / throughput[this.#algorithmOf(stage)]) * 1000;
  }

  #algorithmOf(stage: PipelineStage): ChecksumAlgorithm {
    const capability = this.capabilityFor(stage);
    if (capability === undefined) this.validate(stage);
    return capability!.algorithm as ChecksumAlgorithm;
  }

  #streamDigest(stage: PipelineStage, algorithm: ChecksumAlgorithm, context: ProcessingContext): OrderedStreamDigest {
    return context.stageState(
      stage.id,
      StreamDigestKey,
      () => new OrderedStreamDigest(`Stage '${stage.name}' (checksum:${algorithm})`, createDigest(algorithm)),
    );
  }
}
