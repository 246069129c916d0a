import { defineModuleOptions, integer } from '@adapipe/core';
import { DELTA_STRIDE_RANGE } from './delta-parameters.js';

/** Options of {@link deltaContainerModule}. */
export interface DeltaModuleOptions {
  /** The stride used by stages that set no `stride` parameter, 1..16. Default 1. */
  readonly defaultStride?: number;
}

/** {@link DeltaModuleOptions} with every default applied. */
export interface ResolvedDeltaModuleOptions {
  readonly defaultStride: number;
}

const deltaOptions = defineModuleOptions('deltaContainerModule', {
  defaultStride: integer({ ...DELTA_STRIDE_RANGE, default: 1 }),
});

/**
 * Checks the module options and applies defaults.
 *
 * @throws {TypeError | RangeError} naming the option, as `defineModuleOptions` words it.
 */
export function resolveDeltaModuleOptions(options: DeltaModuleOptions = {}): ResolvedDeltaModuleOptions {
  return deltaOptions.resolve(options);
}
