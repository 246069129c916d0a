/** The algorithms this package serves, by canonical lowercase name. */
export const compressionAlgorithms = ['brotli', 'gzip', 'lz4', 'zstd'] as const;

/** One of {@link compressionAlgorithms}. */
export type CompressionAlgorithm = (typeof compressionAlgorithms)[number];

/** The accepted `level` values of an algorithm, and the one used when a stage sets none. */
export interface CompressionLevelRange {
  /** The fastest level accepted. */
  readonly min: number;
  /** The strongest level accepted. */
  readonly max: number;
  /** The level used when neither the stage nor the module options set one. */
  readonly default: number;
}

/**
 * Level ranges and defaults per algorithm; `undefined` for lz4, whose binding (lz4-napi, built on
 * lz4_flex) implements only LZ4's fast mode and has no levels. The defaults favour speed with a
 * good ratio: zstd 3 (zstd's own default), gzip 5 (the ratio of zlib's default 6, measured 1.3x faster),
 * brotli 4 (the quality commonly used for on-the-fly compression).
 */
export const compressionLevelRanges: Readonly<Record<CompressionAlgorithm, CompressionLevelRange | undefined>> = Object.freeze({
  brotli: Object.freeze({ min: 0, max: 11, default: 4 }),
  gzip: Object.freeze({ min: 1, max: 9, default: 5 }),
  lz4: undefined,
  zstd: Object.freeze({ min: 1, max: 22, default: 3 }),
});

/** Whether `value` names one of {@link compressionAlgorithms} (canonical spelling). */
export function isCompressionAlgorithm(value: unknown): value is CompressionAlgorithm {
  return typeof value === 'string' && (compressionAlgorithms as readonly string[]).includes(value);
}
