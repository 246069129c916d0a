import {
  BaseStageExecutor,
  MAX_CHUNK_SIZE,
  PipelineError,
  RestoreChunkLimitKey,
  StageType,
  FileChunk,
  type PipelineStage,
  type ProcessingContext,
  type StageCapability,
  type StageConfiguration,
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

const parameterNames = ['level'] as const;

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

  /**
   * @throws {RangeError} when `options.defaultLevel` is outside the algorithm's range, or set for an
   * algorithm without levels.
   */
  protected constructor(identity: CompressionExecutorIdentity, options: CompressionStageExecutorOptions = {}) {
    super();
    this.algorithm = identity.algorithm;
    this.levelRange = compressionLevelRanges[identity.algorithm];
    this.capabilities = Object.freeze([
      Object.freeze({
        stageType: StageType.Compression,
        algorithm: identity.algorithm,
        aliases: identity.aliases,
        description: identity.description,
      }),
    ]);
    this.defaultLevel = resolveDefaultLevel(identity.algorithm, this.levelRange, options.defaultLevel);
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
   * The level a stage asks for, or the default.
   *
   * @throws {PipelineError} `InvalidConfiguration` as {@link CompressionStageExecutor.validateParameters}.
   */
  protected levelFor(stage: PipelineStage): number | undefined {
    this.validateParameters(stage.configuration, stage);
    const text = stage.configuration.parameters.level;
    return text === undefined ? this.defaultLevel : Number(text);
  }

  /**
   * Accepts only `level`, a whole number in the algorithm's range; lz4 accepts no parameters.
   *
   * @throws {PipelineError} `InvalidConfiguration` naming the stage, the parameter, the range and the value.
   */
  protected override validateParameters(configuration: StageConfiguration, stage: PipelineStage): void {
    const label = `Stage '${stage.name}' (compression:${this.algorithm})`;
    const accepted = this.levelRange === undefined ? 'no parameters' : `only ${parameterNames.map((n) => `'${n}'`).join(', ')}`;
    for (const name of Object.keys(configuration.parameters)) {
      if (name === 'level' && this.levelRange === undefined) {
        throw new PipelineError(
          'InvalidConfiguration',
          `${label}: parameter 'level' is not supported: lz4-napi implements only LZ4's fast mode, which has no levels; remove 'level'`,
        );
      }
      if (!(parameterNames as readonly string[]).includes(name)) {
        throw new PipelineError('InvalidConfiguration', `${label}: unknown parameter '${name}'; ${this.algorithm} accepts ${accepted}`);
      }
    }
    const text = configuration.parameters.level;
    if (text === undefined || this.levelRange === undefined) return;
    const { min, max } = this.levelRange;
    const level = /^-?\d{1,3}$/.test(text) ? Number(text) : Number.NaN;
    if (!Number.isInteger(level) || level < min || level > max) {
      throw new PipelineError(
        'InvalidConfiguration',
        `${label}: parameter 'level' must be a whole number from ${min} to ${max} (default ${this.defaultLevel}), found '${text}'`,
      );
    }
  }

  #codec(level: number | undefined): ChunkCodec {
    return { compress: (data) => this.compress(data, level), decompress: (data, length) => this.decompress(data, length) };
  }
}

function resolveDefaultLevel(
  algorithm: CompressionAlgorithm,
  range: CompressionLevelRange | undefined,
  level: number | undefined,
): number | undefined {
  if (level === undefined) return range?.default;
  if (range === undefined) {
    throw new RangeError(`defaultLevel cannot be set for ${algorithm}: it has no compression levels`);
  }
  if (!Number.isInteger(level) || level < range.min || level > range.max) {
    throw new RangeError(`defaultLevel for ${algorithm} must be a whole number from ${range.min} to ${range.max}, found ${String(level)}`);
  }
  return level;
}

