import { Registry } from 'prom-client';
import type { DebugMetricsRegistry } from './debug-metrics-registry.js';

/** Options of `debugContainerModule` and {@link DebugMetrics}. */
export interface DebugOptions {
  /** The registry to report to, for example the one an application serves on `/metrics`. Default: a new `Registry`. */
  readonly registry?: DebugMetricsRegistry;
  /**
   * Also record, per chunk, its SHA-256 (`debug_stage_checksum`) and size (`debug_stage_bytes`)
   * with a `chunk` label. One series per chunk grows with the file, so this is off by default and
   * capped by {@link DebugOptions.maxChunkSeriesPerLabel}. Default false.
   */
  readonly perChunkMetrics?: boolean;
  /**
   * The most chunks per debug label that get per-chunk series; later chunks are only counted in
   * `debug_stage_chunk_series_overflow_total`. A whole number from 1 to 1,000,000. Default 1000.
   */
  readonly maxChunkSeriesPerLabel?: number;
}

/** {@link DebugOptions} after validation, with defaults filled in. */
export interface ResolvedDebugOptions {
  /** The registry given, or a new one. */
  readonly registry: DebugMetricsRegistry;
  /** Whether per-chunk series are recorded. */
  readonly perChunkMetrics: boolean;
  /** The most chunks per label with per-chunk series. */
  readonly maxChunkSeriesPerLabel: number;
}

/** The default of {@link DebugOptions.maxChunkSeriesPerLabel}. */
export const defaultMaxChunkSeriesPerLabel = 1000;

const knownOptions: readonly string[] = ['registry', 'perChunkMetrics', 'maxChunkSeriesPerLabel'];
const maxSeriesLimit = 1_000_000;

/**
 * Checks debug options and fills in defaults.
 *
 * @throws {TypeError} naming the option when `options` is not an object, has an unknown key,
 * `registry` is not a prom-client registry, `perChunkMetrics` is not a boolean, or per-chunk
 * metrics are asked of an OpenMetrics registry (where the counter `debug_stage_bytes_total` and the
 * gauge `debug_stage_bytes` would share one family name).
 * @throws {RangeError} when `maxChunkSeriesPerLabel` is not a whole number from 1 to 1,000,000.
 */
export function resolveDebugOptions(options: DebugOptions = {}): ResolvedDebugOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`debug options must be an object, found ${options === null ? 'null' : typeof options}`);
  }
  for (const key of Object.keys(options)) {
    if (!knownOptions.includes(key)) {
      throw new TypeError(`debug options: unknown option '${key}'; known options: ${knownOptions.join(', ')}`);
    }
  }
  const registry = options.registry ?? new Registry();
  if (!isRegistry(registry)) {
    throw new TypeError('debug options: registry must be a prom-client Registry (with registerMetric, getSingleMetric and metrics)');
  }
  const perChunkMetrics = options.perChunkMetrics ?? false;
  if (typeof perChunkMetrics !== 'boolean') {
    throw new TypeError(`debug options: perChunkMetrics must be true or false, found ${JSON.stringify(perChunkMetrics)}`);
  }
  const max = options.maxChunkSeriesPerLabel ?? defaultMaxChunkSeriesPerLabel;
  if (typeof max !== 'number') {
    throw new TypeError(`debug options: maxChunkSeriesPerLabel must be a number, found ${typeof max}`);
  }
  if (!Number.isSafeInteger(max) || max < 1 || max > maxSeriesLimit) {
    throw new RangeError(`debug options: maxChunkSeriesPerLabel must be a whole number from 1 to ${maxSeriesLimit}, found ${max}`);
  }
  if (perChunkMetrics && registry.contentType === Registry.OPENMETRICS_CONTENT_TYPE) {
    throw new TypeError(
      'debug options: perChunkMetrics needs a Prometheus-format registry; in an OpenMetrics registry the per-chunk gauge debug_stage_bytes would clash with the counter debug_stage_bytes_total',
    );
  }
  return { registry, perChunkMetrics, maxChunkSeriesPerLabel: max };
}

function isRegistry(value: unknown): value is DebugMetricsRegistry {
  const candidate = value as Partial<Record<'registerMetric' | 'getSingleMetric' | 'metrics', unknown>> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.registerMetric === 'function' &&
    typeof candidate.getSingleMetric === 'function' &&
    typeof candidate.metrics === 'function'
  );
}
