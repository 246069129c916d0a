import { type ChecksumAlgorithm, checksumAlgorithms, parseChecksumAlgorithm } from './checksum-algorithm.js';

/** Options of {@link checksumContainerModule}. */
export interface ChecksumModuleOptions {
  /**
   * The algorithms to install, by name or alias (`sha256`, `sha-512`, `b3`, …). Default: all three.
   * Leaving out `sha256` also leaves out its `default` alias.
   */
  readonly algorithms?: readonly string[];
}

/** {@link ChecksumModuleOptions} after validation: canonical names, no duplicates. */
export interface ResolvedChecksumModuleOptions {
  readonly algorithms: readonly ChecksumAlgorithm[];
}

const knownOptions: readonly string[] = ['algorithms'];

/**
 * Validates the module options and fills in defaults.
 *
 * @throws {TypeError} when `options` is not an object, has an unknown key, or `algorithms` is not
 * an array of strings.
 * @throws {RangeError} when `algorithms` is empty, names an unknown algorithm, or names one twice.
 * @example
 * ```ts
 * resolveChecksumModuleOptions({ algorithms: ['SHA-256', 'b3'] }); // { algorithms: ['sha256', 'blake3'] }
 * ```
 */
export function resolveChecksumModuleOptions(options: ChecksumModuleOptions = {}): ResolvedChecksumModuleOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`options must be an object such as { algorithms: ['sha256'] }, found ${describe(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!knownOptions.includes(key)) {
      throw new TypeError(`options.${key} is not an option of checksumContainerModule; expected only ${knownOptions.join(', ')}`);
    }
  }
  if (options.algorithms === undefined) return Object.freeze({ algorithms: checksumAlgorithms });
  if (!Array.isArray(options.algorithms)) {
    throw new TypeError(`options.algorithms must be an array of algorithm names, found ${describe(options.algorithms)}`);
  }
  if (options.algorithms.length === 0) {
    throw new RangeError(`options.algorithms must name at least one of ${checksumAlgorithms.join(', ')}, found an empty array`);
  }
  const algorithms: ChecksumAlgorithm[] = [];
  options.algorithms.forEach((name: unknown, index) => {
    const algorithm = parseChecksumAlgorithm(name as string, `options.algorithms[${index}]`);
    if (algorithms.includes(algorithm)) {
      throw new RangeError(`options.algorithms names ${algorithm} twice (again as '${String(name)}' at index ${index}); list it once`);
    }
    algorithms.push(algorithm);
  });
  return Object.freeze({ algorithms: Object.freeze(algorithms) });
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? `'${value}'` : typeof value;
}
