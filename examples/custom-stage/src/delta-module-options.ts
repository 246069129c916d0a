/** The range of the delta stage's `stride` parameter, in bytes. */
export const DELTA_STRIDE_RANGE = { min: 1, max: 16 } as const;

/** Options of {@link deltaContainerModule}. */
export interface DeltaModuleOptions {
  /** The stride used by stages that set no `stride` parameter, 1..16. Default 1. */
  readonly defaultStride?: number;
}

/** {@link DeltaModuleOptions} with every default applied. */
export interface ResolvedDeltaModuleOptions {
  readonly defaultStride: number;
}

/**
 * Checks the module options and applies defaults.
 *
 * @throws {TypeError} naming the option when it is of the wrong type or unknown.
 * @throws {RangeError} naming the option when `defaultStride` is outside 1..16.
 */
export function resolveDeltaModuleOptions(options: DeltaModuleOptions = {}): ResolvedDeltaModuleOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`deltaContainerModule options must be an object, found ${options === null ? 'null' : typeof options}`);
  }
  for (const name of Object.keys(options)) {
    if (name !== 'defaultStride') {
      throw new TypeError(`deltaContainerModule: unknown option '${name}'; the only option is 'defaultStride'`);
    }
  }
  const { defaultStride = 1 } = options;
  if (typeof defaultStride !== 'number' || !Number.isInteger(defaultStride)) {
    throw new TypeError(`deltaContainerModule option 'defaultStride' must be a whole number, found ${String(defaultStride)}`);
  }
  const { min, max } = DELTA_STRIDE_RANGE;
  if (defaultStride < min || defaultStride > max) {
    throw new RangeError(`deltaContainerModule option 'defaultStride' must be from ${min} to ${max}, found ${defaultStride}`);
  }
  return { defaultStride };
}
