import { PipelineError } from '../errors/pipeline-error.js';

/** Options for {@link FileChunk}'s constructor. */
export interface FileChunkOptions {
  /** Byte offset of the chunk's first byte in the original input. Default 0. */
  readonly offset?: number;
  /** Whether this is the last chunk of the input. Default false. */
  readonly isFinal?: boolean;
  /** Small per-chunk values recorded by stages (digests, for example), keyed by stage name. */
  readonly metadata?: ReadonlyMap<string, Uint8Array>;
}

/**
 * One piece of a file on its way through a pipeline: its 0-based sequence number, its offset in the
 * original input, its bytes, whether it is the last, and per-stage metadata. Immutable: stages
 * return a new chunk with {@link FileChunk.withData} or {@link FileChunk.withMetadata}.
 *
 * @example
 * ```ts
 * const chunk = new FileChunk(0, Uint8Array.of(1, 2, 3, 4, 5));
 * chunk.data.length === 5;
 * ```
 */
export class FileChunk {
  /** 0-based position of this chunk in the stream. */
  readonly sequenceNumber: number;
  /** The chunk's bytes as they stand at this point of the pipeline. */
  readonly data: Uint8Array;
  /** Byte offset of the chunk in the original input. */
  readonly offset: number;
  /** Whether this is the last chunk of the input. */
  readonly isFinal: boolean;
  /** Per-stage values recorded for this chunk, stored with it in the container. */
  readonly metadata: ReadonlyMap<string, Uint8Array>;

  /**
   * @throws {PipelineError} `InvalidConfiguration` when the sequence number or offset is not a
   * whole number ≥ 0 or `data` is not a `Uint8Array`.
   */
  constructor(sequenceNumber: number, data: Uint8Array, options: FileChunkOptions = {}) {
    requireCount(sequenceNumber, 'sequence number');
    if (!(data instanceof Uint8Array)) {
      throw new PipelineError('InvalidConfiguration', `Chunk ${sequenceNumber} data must be a Uint8Array`);
    }
    this.sequenceNumber = sequenceNumber;
    this.data = data;
    this.offset = requireCount(options.offset ?? 0, 'offset');
    this.isFinal = options.isFinal ?? false;
    this.metadata = options.metadata ?? new Map();
    Object.freeze(this);
  }

  /** The number of bytes in {@link FileChunk.data}. */
  get size(): number {
    return this.data.length;
  }

  /** The same chunk carrying other bytes. */
  withData(data: Uint8Array): FileChunk {
    return new FileChunk(this.sequenceNumber, data, this.#options());
  }

  /** The same chunk with one more (or a replaced) metadata entry. */
  withMetadata(key: string, value: Uint8Array): FileChunk {
    const metadata = new Map(this.metadata);
    metadata.set(key, value);
    return new FileChunk(this.sequenceNumber, this.data, { ...this.#options(), metadata });
  }

  #options(): FileChunkOptions {
    return { offset: this.offset, isFinal: this.isFinal, metadata: this.metadata };
  }
}

function requireCount(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new PipelineError('InvalidConfiguration', `Chunk ${what} must be a whole number >= 0, found ${value}`);
  }
  return value;
}
