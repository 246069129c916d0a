import { PipelineError } from '../errors/pipeline-error.js';
import { MiB } from './byte-size.js';
import { requireChunkSize } from './chunk-size-limits.js';

/** One row of a {@link ChunkSizePolicy}: inputs of at most `maxFileSize` bytes use `chunkSize`. */
export interface ChunkSizeBand {
  readonly maxFileSize: number;
  readonly chunkSize: number;
}

/**
 * Picks a chunk size from the input size. It follows the seed's table for small inputs and takes
 * the lower end of its ranges above 100 MiB, where memory, not chunk overhead, is what the size
 * decides: a run holds about (2 × window + workers) chunks, and on the 2-core bench machine 4 MiB
 * chunks ran the default pipeline as fast as 8 MiB ones (`bench/RESULTS.md`) with ~70 MiB less
 * peak RSS, the same from 1 GiB to 4 GiB:
 *
 * | input size      | chunk size | seed's table |
 * |-----------------|------------|--------------|
 * | < 10 MiB        | 1 MiB      | 1 MB         |
 * | 10 – 100 MiB    | 4 MiB      | 2–4 MB       |
 * | 100 MiB – 1 GiB | 4 MiB      | 4–8 MB       |
 * | > 1 GiB         | 4 MiB      | 8–16 MB      |
 *
 * An explicit chunk size always wins. Unknown sizes (a pipe) get the size for large inputs.
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

  /** The table above. */
  static default(): ChunkSizePolicy {
    return new ChunkSizePolicy([{ maxFileSize: 10 * MiB - 1, chunkSize: 1 * MiB }], 4 * MiB);
  }

  /**
   * The chunk size for an input of `fileSize` bytes (`undefined` when unknown), unless `override`
   * is given.
   *
   * @throws {PipelineError} `InvalidConfiguration` when `override` is outside 1 KiB–100 MiB.
   */
  chunkSizeFor(fileSize: number | undefined, override?: number): number {
    if (override !== undefined) return requireChunkSize(override);
    if (fileSize === undefined) return this.#largeChunkSize;
    return this.#bands.find((band) => fileSize <= band.maxFileSize)?.chunkSize ?? this.#largeChunkSize;
  }
}
