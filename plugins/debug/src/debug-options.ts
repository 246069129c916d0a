import { boolean, defineModuleOptions, instance, integer } from '@adapipe/core';
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

const debugOptions = defineModuleOptions('debugContainerModule', {
  registry: instance('a prom-client Registry (with registerMetric, getSingleMetric and metrics)', isRegistry),
  perChunkMetrics: boolean({ default: false }),
  maxChunkSeriesPerLabel: integer({ min: 1, max: 1_000_000, default: defaultMaxChunkSeriesPerLabel }),
});

/**
 * Checks debug options and fills in defaults.
 *
 * @throws {TypeError | RangeError} naming the option, as `defineModuleOptions` words it; a
 * `TypeError` also when per-chunk metrics are asked of an OpenMetrics registry (where the counter
 * `debug_stage_bytes_total` and the gauge `debug_stage_bytes` would share one family name).
 */
export function resolveDebugOptions(options: DebugOptions = {}): ResolvedDebugOptions {
  const resolved = debugOptions.resolve(options);
  const registry = resolved.registry ?? new Registry();
  if (resolved.perChunkMetrics && registry.contentType === Registry.OPENMETRICS_CONTENT_TYPE) {
    throw debugOptions.invalid(
      'perChunkMetrics',
      'needs a Prometheus-format registry; in an OpenMetrics registry the per-chunk gauge debug_stage_bytes would clash with the counter debug_stage_bytes_total',
      'type',
    );
  }
  return { registry, perChunkMetrics: resolved.perChunkMetrics, maxChunkSeriesPerLabel: resolved.maxChunkSeriesPerLabel };
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
