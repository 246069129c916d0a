import { compressionAlgorithms, compressionLevelRanges, isCompressionAlgorithm, type CompressionAlgorithm } from './compression-algorithm.js';

/** Options of {@link compressionContainerModule}. */
export interface CompressionModuleOptions {
  /** The algorithms to offer; default all of `brotli`, `gzip`, `lz4`, `zstd`. Canonical names only. */
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

const optionNames = ['algorithms', 'defaultLevels'];

/**
 * Checks {@link CompressionModuleOptions} and fills in defaults.
 *
 * @throws {TypeError} when `options` or a field has the wrong type or an unknown name.
 * @throws {RangeError} when a value is out of range: an empty algorithm list, a level outside its
 * algorithm's range, a level for lz4 or for an algorithm not offered.
 */
export function resolveCompressionModuleOptions(options: CompressionModuleOptions = {}): ResolvedCompressionModuleOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`compressionContainerModule options must be an object, found ${describeValue(options)}`);
  }
  for (const name of Object.keys(options)) {
    if (!optionNames.includes(name)) {
      throw new TypeError(`compressionContainerModule: unknown option '${name}'; expected one of ${optionNames.join(', ')}`);
    }
  }
  const algorithms = resolveAlgorithms(options.algorithms);
  const defaultLevels = resolveDefaultLevels(options.defaultLevels, algorithms);
  return Object.freeze({ algorithms, defaultLevels });
}

function resolveAlgorithms(value: unknown): readonly CompressionAlgorithm[] {
  if (value === undefined) return compressionAlgorithms;
  if (!Array.isArray(value)) {
    throw new TypeError(`compressionContainerModule: option 'algorithms' must be an array, found ${describeValue(value)}`);
  }
  if (value.length === 0) {
    throw new RangeError(`compressionContainerModule: option 'algorithms' is empty; list at least one of ${compressionAlgorithms.join(', ')}`);
  }
  for (const algorithm of value) {
    if (!isCompressionAlgorithm(algorithm)) {
      throw new RangeError(
        `compressionContainerModule: option 'algorithms' contains ${describeValue(algorithm)}; expected one of ${compressionAlgorithms.join(', ')}`,
      );
    }
  }
  return Object.freeze([...new Set(value as CompressionAlgorithm[])]);
}

function resolveDefaultLevels(
  value: unknown,
  algorithms: readonly CompressionAlgorithm[],
): Readonly<Partial<Record<CompressionAlgorithm, number>>> {
  if (value === undefined) return Object.freeze({});
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`compressionContainerModule: option 'defaultLevels' must be an object, found ${describeValue(value)}`);
  }
  const levels: Partial<Record<CompressionAlgorithm, number>> = {};
  for (const [algorithm, level] of Object.entries(value)) {
    const option = `defaultLevels.${algorithm}`;
    if (!isCompressionAlgorithm(algorithm)) {
      throw new TypeError(`compressionContainerModule: unknown option '${option}'; expected one of ${compressionAlgorithms.join(', ')}`);
    }
    const range = compressionLevelRanges[algorithm];
    if (range === undefined) {
      throw new RangeError(`compressionContainerModule: option '${option}' cannot be set: lz4-napi implements only LZ4's fast mode, which has no levels`);
    }
    if (!algorithms.includes(algorithm)) {
      throw new RangeError(`compressionContainerModule: option '${option}' is set but '${algorithm}' is not in 'algorithms' (${algorithms.join(', ')})`);
    }
    if (typeof level !== 'number' || !Number.isInteger(level) || level < range.min || level > range.max) {
      throw new RangeError(
        `compressionContainerModule: option '${option}' must be a whole number from ${range.min} to ${range.max}, found ${describeValue(level)}`,
      );
    }
    levels[algorithm] = level;
  }
  return Object.freeze(levels);
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}
