import { PipelineError } from '../errors/pipeline-error.js';
import { GiB, MiB } from './byte-size.js';
import { requireChunkSize } from './chunk-size-limits.js';

/** One row of a {@link ChunkSizePolicy}: inputs of at most `maxFileSize` bytes use `chunkSize`. */
export interface ChunkSizeBand {
  readonly maxFileSize: number;
  readonly chunkSize: number;
}

/**
 * Picks a chunk size from the input size, following the seed's table (the upper end of each range,
 * except above 1 GiB, where the lower end keeps memory the same as for 1 GiB: `adapipe benchmark`
 * measured no gain from 16 MiB chunks over 4–8 MiB, and the window holds twice the bytes):
 *
 * | input size      | chunk size |
 * |-----------------|------------|
 * | < 10 MiB        | 1 MiB      |
 * | 10 – 100 MiB    | 4 MiB      |
 * | 100 MiB – 1 GiB | 8 MiB      |
 * | > 1 GiB         | 8 MiB      |
 *
 * An explicit chunk size always wins. Unknown sizes (a pipe) use the largest band below 1 GiB.
 *
 * @example
 * ```ts
 * ChunkSizePolicy.default().chunkSizeFor(50 * MiB) === 4 * MiB;
 * ```
 */
export class ChunkSizePolicy {
  readonly #bands: readonly ChunkSizeBand[];
  readonly #largeChunkSize: number;

  /**
   * @param bands rows sorted by `maxFileSize`; inputs beyond the last use `largeChunkSize`.
   * @throws {PipelineError} `InvalidConfiguration` when a chunk size is outside 1 KiB–100 MiB or
   * the bands are not sorted.
   */
  constructor(bands: readonly ChunkSizeBand[], largeChunkSize: number) {
    let previous = -1;
    for (const band of bands) {
      requireChunkSize(band.chunkSize);
      if (!(band.maxFileSize > previous)) {
        throw new PipelineError('InvalidConfiguration', 'Chunk size bands must be sorted by increasing maxFileSize');
      }
      previous = band.maxFileSize;
    }
    this.#bands = Object.freeze([...bands]);
    this.#largeChunkSize = requireChunkSize(largeChunkSize);
  }

  /** The seed's table. */
  static default(): ChunkSizePolicy {
    return new ChunkSizePolicy(
      [
        { maxFileSize: 10 * MiB - 1, chunkSize: 1 * MiB },
        { maxFileSize: 100 * MiB, chunkSize: 4 * MiB },
        { maxFileSize: 1 * GiB, chunkSize: 8 * MiB },
      ],
      8 * MiB,
    );
  }

  /**
   * The chunk size for an input of `fileSize` bytes (`undefined` when unknown), unless `override`
   * is given.
   *
   * @throws {PipelineError} `InvalidConfiguration` when `override` is outside 1 KiB–100 MiB.
   */
  chunkSizeFor(fileSize: number | undefined, override?: number): number {
    if (override !== undefined) return requireChunkSize(override);
    if (fileSize === undefined) return this.#bands.at(-1)?.chunkSize ?? this.#largeChunkSize;
    return this.#bands.find((band) => fileSize <= band.maxFileSize)?.chunkSize ?? this.#largeChunkSize;
  }
}
