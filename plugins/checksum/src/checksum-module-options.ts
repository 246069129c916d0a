import { defineModuleOptions, listOf, oneOf } from '@adapipe/core';
import { type ChecksumAlgorithm, checksumAlgorithms, checksumAlgorithmSpecs } from './checksum-algorithm.js';

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

const aliases = Object.fromEntries(
  checksumAlgorithms.flatMap((algorithm) => checksumAlgorithmSpecs[algorithm].aliases.map((alias) => [alias, algorithm])),
);

const checksumOptions = defineModuleOptions('checksumContainerModule', {
  algorithms: listOf(oneOf(checksumAlgorithms, { aliases }), { minItems: 1, default: checksumAlgorithms }),
});

/**
 * Validates the module options and fills in defaults.
 *
 * @throws {TypeError | RangeError} naming the option, as `defineModuleOptions` words it.
 * @example
 * ```ts
 * resolveChecksumModuleOptions({ algorithms: ['SHA-256', 'b3'] }); // { algorithms: ['sha256', 'blake3'] }
 * ```
 */
export function resolveChecksumModuleOptions(options: ChecksumModuleOptions = {}): ResolvedChecksumModuleOptions {
  return checksumOptions.resolve(options);
}
