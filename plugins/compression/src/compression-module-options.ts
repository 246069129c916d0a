import { defineModuleOptions, group, integer, listOf, oneOf } from '@adapipe/core';
import {
  compressionAlgorithms,
  compressionLevelRanges,
  type CompressionAlgorithm,
  type CompressionLevelRange,
} from './compression-algorithm.js';

/** Options of {@link compressionContainerModule}. */
export interface CompressionModuleOptions {
  /** The algorithms to offer; default all of `brotli`, `gzip`, `lz4`, `zstd`. */
  readonly algorithms?: readonly CompressionAlgorithm[];
  /**
   * Default levels replacing the built-in ones (zstd 3, gzip 5, brotli 4), by algorithm; each must
   * lie in that algorithm's range and the algorithm must be offered. lz4 has no levels.
   */
  readonly defaultLevels?: Readonly<Partial<Record<CompressionAlgorithm, number>>>;
}

/** {@link CompressionModuleOptions} after validation, every field filled in. */
export interface ResolvedCompressionModuleOptions {
  readonly algorithms: readonly CompressionAlgorithm[];
  readonly defaultLevels: Readonly<Partial<Record<CompressionAlgorithm, number>>>;
}

const levelOf = ({ min, max }: CompressionLevelRange) => integer({ min, max });
const { brotli, gzip, zstd } = compressionLevelRanges as Record<'brotli' | 'gzip' | 'zstd', CompressionLevelRange>;

const compressionOptions = defineModuleOptions('compressionContainerModule', {
  algorithms: listOf(oneOf(compressionAlgorithms), { minItems: 1, default: compressionAlgorithms }),
  defaultLevels: group({ brotli: levelOf(brotli), gzip: levelOf(gzip), zstd: levelOf(zstd) }),
});

/**
 * Checks {@link CompressionModuleOptions} and fills in defaults.
 *
 * @throws {TypeError | RangeError} naming the option, as `defineModuleOptions` words it; a
 * `RangeError` also for a level of an algorithm that is not offered.
 */
export function resolveCompressionModuleOptions(options: CompressionModuleOptions = {}): ResolvedCompressionModuleOptions {
  const resolved = compressionOptions.resolve(options);
  const defaultLevels: Partial<Record<CompressionAlgorithm, number>> = {};
  for (const [algorithm, level] of Object.entries(resolved.defaultLevels) as Array<[CompressionAlgorithm, number | undefined]>) {
    if (level === undefined) continue;
    if (!resolved.algorithms.includes(algorithm)) {
      throw compressionOptions.invalid(
        `defaultLevels.${algorithm}`,
        `is set but '${algorithm}' is not in 'algorithms' (${resolved.algorithms.join(', ')})`,
      );
    }
    defaultLevels[algorithm] = level;
  }
  return Object.freeze({ algorithms: resolved.algorithms, defaultLevels: Object.freeze(defaultLevels) });
}
