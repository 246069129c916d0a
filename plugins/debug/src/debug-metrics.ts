import { createHash } from 'node:crypto';
import type { FileChunk, StageDirection } from '@adapipe/core';
import { Counter, Gauge } from 'prom-client';
import type { DebugMetricsRegistry } from './debug-metrics-registry.js';
import { type DebugOptions, resolveDebugOptions } from './debug-options.js';

/** The names of the metrics the debug stage reports. */
export const debugMetricNames = Object.freeze({
  /** Counter `{label, direction}`: bytes seen. */
  bytesTotal: 'debug_stage_bytes_total',
  /** Counter `{label, direction}`: chunks seen. */
  chunksTotal: 'debug_stage_chunks_total',
  /** Gauge `{label, direction, chunk, sha256}` = 1 (opt-in): the SHA-256 of each chunk, as a label. */
  checksum: 'debug_stage_checksum',
  /** Gauge `{label, direction, chunk}` (opt-in): the size of each chunk in bytes. */
  chunkBytes: 'debug_stage_bytes',
  /** Counter `{label}` (opt-in): chunks left without per-chunk series because the cap was reached. */
  chunkSeriesOverflowTotal: 'debug_stage_chunk_series_overflow_total',
});

type StageLabels = 'label' | 'direction';

interface PerChunkMetrics {
  readonly checksum: Gauge<StageLabels | 'chunk' | 'sha256'>;
  readonly bytes: Gauge<StageLabels | 'chunk'>;
  readonly overflow: Counter<'label'>;
}

/**
 * The debug stage's metrics in one prom-client registry: bytes and chunks per label and direction
 * and, when enabled, one SHA-256 and size series per chunk, at most `maxChunkSeriesPerLabel` chunks
 * per label. A metric the registry already holds under the same name, type and labels (from another
 * debug module sharing the registry) is reused rather than registered twice.
 *
 * Per-chunk series are keyed by (label, direction, chunk number): a later run over the same label
 * replaces a chunk's series instead of adding one. The cap is counted per `DebugMetrics` instance.
 *
 * @example
 * ```ts
 * const metrics = new DebugMetrics({ registry, perChunkMetrics: true });
 * metrics.record('after-compress', 'forward', chunk);
 * ```
 */
export class DebugMetrics {
  /** The registry reported to. */
  readonly registry: DebugMetricsRegistry;
  /** Whether per-chunk series are recorded. */
  readonly perChunkMetrics: boolean;
  /** The most chunks per label with per-chunk series. */
  readonly maxChunkSeriesPerLabel: number;
  readonly #bytes: Counter<StageLabels>;
  readonly #chunks: Counter<StageLabels>;
  readonly #perChunk: PerChunkMetrics | undefined;
  readonly #series = new Map<string, Map<string, string>>();

  /**
   * @throws {TypeError} or {RangeError} naming the option when `options` is invalid, or when the
   * registry holds a metric of one of these names with another type or other labels.
   */
  constructor(options: DebugOptions = {}) {
    const resolved = resolveDebugOptions(options);
    this.registry = resolved.registry;
    this.perChunkMetrics = resolved.perChunkMetrics;
    this.maxChunkSeriesPerLabel = resolved.maxChunkSeriesPerLabel;
    const stageLabels = ['label', 'direction'] as const;
    this.#bytes = counter(this.registry, debugMetricNames.bytesTotal, 'Bytes seen by a debug stage', stageLabels);
    this.#chunks = counter(this.registry, debugMetricNames.chunksTotal, 'Chunks seen by a debug stage', stageLabels);
    this.#perChunk = this.perChunkMetrics
      ? {
          checksum: gauge(
            this.registry,
            debugMetricNames.checksum,
            'SHA-256 of one chunk at a debug stage (in the sha256 label; value 1)',
            [...stageLabels, 'chunk', 'sha256'],
          ),
          bytes: gauge(this.registry, debugMetricNames.chunkBytes, 'Size in bytes of one chunk at a debug stage', [
            ...stageLabels,
            'chunk',
          ]),
          overflow: counter(
            this.registry,
            debugMetricNames.chunkSeriesOverflowTotal,
            'Chunks of a debug stage left without per-chunk series because the cap was reached',
            ['label'],
          ),
        }
      : undefined;
  }

  /** Counts `chunk` for the debug stage `label` going `direction`, and its per-chunk series if enabled. */
  record(label: string, direction: StageDirection, chunk: FileChunk): void {
    const size = chunk.data.length;
    this.#bytes.inc({ label, direction }, size);
    this.#chunks.inc({ label, direction });
    if (this.#perChunk !== undefined) this.#recordChunk(this.#perChunk, label, direction, chunk);
  }

  #recordChunk(metrics: PerChunkMetrics, label: string, direction: StageDirection, chunk: FileChunk): void {
    let series = this.#series.get(label);
    if (series === undefined) {
      series = new Map();
      this.#series.set(label, series);
    }
    const key = `${direction}:${chunk.sequenceNumber}`;
    const previous = series.get(key);
    if (previous === undefined && series.size >= this.maxChunkSeriesPerLabel) {
      metrics.overflow.inc({ label });
      return;
    }
    const sha256 = createHash('sha256').update(chunk.data).digest('hex');
    const chunkLabel = String(chunk.sequenceNumber);
    if (previous !== undefined && previous !== sha256) {
      metrics.checksum.remove({ label, direction, chunk: chunkLabel, sha256: previous });
    }
    metrics.checksum.set({ label, direction, chunk: chunkLabel, sha256 }, 1);
    metrics.bytes.set({ label, direction, chunk: chunkLabel }, chunk.data.length);
    series.set(key, sha256);
  }
}

function counter<T extends string>(registry: DebugMetricsRegistry, name: string, help: string, labelNames: readonly T[]): Counter<T> {
  const existing = registry.getSingleMetric(name);
  if (existing !== undefined) return reuse(existing, 'counter', name, labelNames) as Counter<T>;
  return new Counter<T>({ name, help, labelNames, registers: [registry] });
}

function gauge<T extends string>(registry: DebugMetricsRegistry, name: string, help: string, labelNames: readonly T[]): Gauge<T> {
  const existing = registry.getSingleMetric(name);
  if (existing !== undefined) return reuse(existing, 'gauge', name, labelNames) as Gauge<T>;
  return new Gauge<T>({ name, help, labelNames, registers: [registry] });
}

function reuse(metric: unknown, type: string, name: string, labelNames: readonly string[]): unknown {
  const found = metric as { type?: unknown; labelNames?: readonly string[] };
  const foundLabels = [...(found.labelNames ?? [])].sort();
  const wanted = [...labelNames].sort();
  if (found.type !== type || foundLabels.join(',') !== wanted.join(',')) {
    throw new TypeError(
      `debug options: the registry already holds a metric '${name}' (${String(found.type)} with labels ${foundLabels.join(', ') || 'none'}); the debug stage needs a ${type} with labels ${wanted.join(', ')}: pass another registry`,
    );
  }
  return metric;
}
