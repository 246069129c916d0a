import {
  BaseStageExecutor,
  defineModuleOptions,
  defineStageParameters,
  integer,
  MAX_CHUNK_SIZE,
  RestoreChunkLimitKey,
  StageType,
  FileChunk,
  type PipelineStage,
  type ProcessingContext,
  type StageCapability,
  type FieldMap,
  type StageParameterSchema,
} from '@adapipe/core';
import { compressionLevelRanges, type CompressionAlgorithm, type CompressionLevelRange } from './compression-algorithm.js';
import { type ChunkCodec, compressChunk, decompressChunk } from './compression-chunk.js';

/** Options shared by every compression executor. */
export interface CompressionStageExecutorOptions {
  /** The level used when a stage sets none; must lie in the algorithm's range. Not allowed for lz4. */
  readonly defaultLevel?: number;
}

/** What a concrete executor tells its base: its algorithm, other spellings and a one-line description. */
interface CompressionExecutorIdentity {
  readonly algorithm: CompressionAlgorithm;
  readonly aliases: readonly string[];
  readonly description: string;
}

/**
 * The shared behaviour of this package's executors. Forward, it compresses `chunk.data` and records
 * the uncompressed length as the chunk's metadata entry under `stage.name` (4 bytes, unsigned,
 * big-endian). Reverse, it reads that length, refuses one above the restore limit
 * (`RestoreChunkLimitKey`, default `MAX_CHUNK_SIZE`) before allocating anything, and has the
 * algorithm decompress into at most that many bytes; the result must be exactly that long.
 * Subclasses supply {@link CompressionStageExecutor.compress} and
 * {@link CompressionStageExecutor.decompress}.
 *
 * Failures are `PipelineError`s naming the algorithm, the stage and the chunk: `InvalidConfiguration`
 * for a bad `level`, `LimitExceeded` for a declared length above the limit, `CompressionFailed` for
 * everything else (missing or malformed length, corrupt or truncated data, a size mismatch).
 */
export abstract class CompressionStageExecutor extends BaseStageExecutor {
  readonly packageName = '@adapipe/plugin-compression';
  readonly capabilities: readonly StageCapability[];
  /** The canonical algorithm name. */
  readonly algorithm: CompressionAlgorithm;
  /** The level used when a stage sets none; `undefined` for an algorithm without levels. */
  readonly defaultLevel: number | undefined;
  /** The accepted levels, or `undefined` when the algorithm has none. */
  readonly levelRange: CompressionLevelRange | undefined;
  /** The stage parameters: `level` in the algorithm's range, or none for lz4. */
  readonly parameters: StageParameterSchema;

  /**
   * @throws {RangeError} when `options.defaultLevel` is outside the algorithm's range; a
   * `TypeError` when it is set for an algorithm without levels.
   */
  protected constructor(identity: CompressionExecutorIdentity, options: CompressionStageExecutorOptions = {}) {
    super();
    this.algorithm = identity.algorithm;
    this.levelRange = compressionLevelRanges[identity.algorithm];
    const range = this.levelRange;
    const owner = `${identity.algorithm[0]!.toUpperCase()}${identity.algorithm.slice(1)}StageExecutor`;
    const levelOption: FieldMap =
      range === undefined ? {} : { defaultLevel: integer({ min: range.min, max: range.max, default: range.default }) };
    this.defaultLevel = (defineModuleOptions(owner, levelOption).resolve(options) as { readonly defaultLevel?: number }).defaultLevel;
    this.parameters = defineStageParameters(
      range === undefined
        ? {}
        : { level: integer({ min: range.min, max: range.max, default: this.defaultLevel, description: 'compression level' }) },
    );
    this.capabilities = Object.freeze([
      Object.freeze({
        stageType: StageType.Compression,
        algorithm: identity.algorithm,
        aliases: identity.aliases,
        description: identity.description,
        parameters: this.parameters,
      }),
    ]);
  }

  /** Compresses `data` at `level` (`undefined` when the algorithm has no levels). Must not modify `data`. */
  protected abstract compress(data: Uint8Array, level: number | undefined): Promise<Uint8Array>;

  /**
   * Decompresses `data`, which declares `length` uncompressed bytes (already checked against the
   * restore limit). Must never produce, nor allocate for, much more than `length` bytes: stop with an
   * error instead. May throw any error; the base turns it into `CompressionFailed`.
   */
  protected abstract decompress(data: Uint8Array, length: number): Promise<Uint8Array>;

  async execute(stage: PipelineStage, chunk: FileChunk, _context: ProcessingContext): Promise<FileChunk> {
    const level = this.levelFor(stage);
    const { data, metadata } = await compressChunk(this.algorithm, stage.name, chunk, this.#codec(level));
    return new FileChunk(chunk.sequenceNumber, data, { offset: chunk.offset, isFinal: chunk.isFinal, metadata });
  }

  async reverse(stage: PipelineStage, chunk: FileChunk, context: ProcessingContext): Promise<FileChunk> {
    const limit = context.get(RestoreChunkLimitKey) ?? MAX_CHUNK_SIZE;
    return chunk.withData(await decompressChunk(this.algorithm, stage.name, chunk, limit, this.#codec(undefined)));
  }

  /**
   * The level a stage asks for, or the default; `undefined` for an algorithm without levels.
   *
   * @throws {PipelineError} `InvalidConfiguration` for a parameter {@link CompressionStageExecutor.parameters} refuses.
   */
  protected levelFor(stage: PipelineStage): number | undefined {
    return (this.parameters.parse(stage) as { readonly level?: number }).level;
  }

  #codec(level: number | undefined): ChunkCodec {
    return { compress: (data) => this.compress(data, level), decompress: (data, length) => this.decompress(data, length) };
  }
}
