import { createHash } from 'node:crypto';
import { FileChunk } from '@adapipe/core';
import { Counter, Gauge, type OpenMetricsContentType, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { DebugMetrics, debugMetricNames } from './debug-metrics.js';
import type { DebugOptions } from './debug-options.js';
import { parsePrometheusText, samplesOf, sampleValue } from './test-support/parse-prometheus-text.js';

const chunk = (sequence: number, text: string) => new FileChunk(sequence, new TextEncoder().encode(text));
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const scrape = async (registry: Registry) => parsePrometheusText(await registry.metrics());

/** The samples of a fresh registry after `record` has recorded through a DebugMetrics with `options` on it. */
async function scrapeAfter(options: Omit<DebugOptions, 'registry'>, record: (metrics: DebugMetrics) => void) {
  const registry = new Registry();
  record(new DebugMetrics({ ...options, registry }));
  return scrape(registry);
}

describe('DebugMetrics', () => {
  it('counts bytes and chunks per label and direction', async () => {
    const samples = await scrapeAfter({}, (metrics) => {
      metrics.record('a', 'forward', chunk(0, 'hello'));
      metrics.record('a', 'forward', chunk(1, 'world!'));
      metrics.record('a', 'reverse', chunk(0, 'xyz'));
      metrics.record('b', 'forward', chunk(0, ''));
    });
    expect(sampleValue(samples, 'debug_stage_bytes_total', { label: 'a', direction: 'forward' })).toBe(11);
    expect(sampleValue(samples, 'debug_stage_chunks_total', { label: 'a', direction: 'forward' })).toBe(2);
    expect(sampleValue(samples, 'debug_stage_bytes_total', { label: 'a', direction: 'reverse' })).toBe(3);
    expect(sampleValue(samples, 'debug_stage_chunks_total', { label: 'b', direction: 'forward' })).toBe(1);
    expect(sampleValue(samples, 'debug_stage_bytes_total', { label: 'b', direction: 'forward' })).toBe(0);
  });

  it('records no per-chunk series unless asked', async () => {
    const registry = new Registry();
    new DebugMetrics({ registry }).record('a', 'forward', chunk(0, 'hello'));
    expect(registry.getSingleMetric(debugMetricNames.checksum)).toBeUndefined();
    expect(registry.getSingleMetric(debugMetricNames.chunkBytes)).toBeUndefined();
    expect((await registry.metrics()).includes('chunk=')).toBe(false);
  });

  it('records the SHA-256 and size of each chunk when asked', async () => {
    const samples = await scrapeAfter({ perChunkMetrics: true }, (metrics) => {
      metrics.record('a', 'forward', chunk(0, 'Hello, World!'));
      metrics.record('a', 'forward', chunk(1, 'second'));
      metrics.record('a', 'reverse', chunk(0, 'Hello, World!'));
    });
    expect(sha256('Hello, World!')).toBe('dffd6021bb2bd5b0af676290809ec3a53191dd81c7f70a4b28688a362182986f');
    expect(
      sampleValue(samples, 'debug_stage_checksum', { label: 'a', direction: 'forward', chunk: '0', sha256: sha256('Hello, World!') }),
    ).toBe(1);
    expect(sampleValue(samples, 'debug_stage_checksum', { label: 'a', direction: 'forward', chunk: '1', sha256: sha256('second') })).toBe(
      1,
    );
    expect(
      sampleValue(samples, 'debug_stage_checksum', { label: 'a', direction: 'reverse', chunk: '0', sha256: sha256('Hello, World!') }),
    ).toBe(1);
    expect(sampleValue(samples, 'debug_stage_bytes', { label: 'a', direction: 'forward', chunk: '1' })).toBe(6);
    expect(samplesOf(samples, 'debug_stage_checksum')).toHaveLength(3);
  });

  it('replaces a chunk series when the same chunk is seen again instead of adding one', async () => {
    const samples = await scrapeAfter({ perChunkMetrics: true }, (metrics) => {
      for (const text of ['first run', 'second run', 'second run']) metrics.record('a', 'forward', chunk(0, text));
    });
    expect(samplesOf(samples, 'debug_stage_checksum', { label: 'a' }).map((s) => s.labels.sha256)).toEqual([sha256('second run')]);
    expect(sampleValue(samples, 'debug_stage_bytes', { label: 'a', direction: 'forward', chunk: '0' })).toBe(10);
    expect(sampleValue(samples, 'debug_stage_chunks_total', { label: 'a', direction: 'forward' })).toBe(3);
  });

  it('stops adding per-chunk series at the cap and counts the overflow, per label', async () => {
    const samples = await scrapeAfter({ perChunkMetrics: true, maxChunkSeriesPerLabel: 3 }, (metrics) => {
      for (let sequence = 0; sequence < 10; sequence++) metrics.record('a', 'forward', chunk(sequence, `chunk ${sequence}`));
      metrics.record('a', 'forward', chunk(1, 'an existing series is still updated'));
      metrics.record('b', 'forward', chunk(0, 'another label has its own cap'));
    });
    expect(
      samplesOf(samples, 'debug_stage_checksum', { label: 'a' })
        .map((s) => s.labels.chunk)
        .sort(),
    ).toEqual(['0', '1', '2']);
    expect(samplesOf(samples, 'debug_stage_bytes', { label: 'a' })).toHaveLength(3);
    expect(sampleValue(samples, 'debug_stage_bytes', { label: 'a', direction: 'forward', chunk: '1' })).toBe(35);
    expect(sampleValue(samples, 'debug_stage_chunk_series_overflow_total', { label: 'a' })).toBe(7);
    expect(sampleValue(samples, 'debug_stage_chunks_total', { label: 'a', direction: 'forward' })).toBe(11);
    expect(samplesOf(samples, 'debug_stage_checksum', { label: 'b' })).toHaveLength(1);
    expect(sampleValue(samples, 'debug_stage_chunk_series_overflow_total', { label: 'b' })).toBeUndefined();
  });

  it('shares one registry between two instances without registering a metric twice', async () => {
    const registry = new Registry();
    const first = new DebugMetrics({ registry, perChunkMetrics: true });
    const second = new DebugMetrics({ registry, perChunkMetrics: true });
    const third = new DebugMetrics({ registry });
    first.record('a', 'forward', chunk(0, 'abc'));
    second.record('a', 'forward', chunk(1, 'de'));
    third.record('b', 'reverse', chunk(0, 'f'));
    const samples = await scrape(registry);
    expect(sampleValue(samples, 'debug_stage_bytes_total', { label: 'a', direction: 'forward' })).toBe(5);
    expect(sampleValue(samples, 'debug_stage_bytes_total', { label: 'b', direction: 'reverse' })).toBe(1);
    expect(samplesOf(samples, 'debug_stage_checksum', { label: 'a' })).toHaveLength(2);
    expect((await registry.metrics()).match(/# TYPE debug_stage_bytes_total counter/g)).toHaveLength(1);
  });

  it('refuses a registry holding one of its names with another type or labels', () => {
    const wrongType = new Registry();
    new Gauge({ name: 'debug_stage_chunks_total', help: 'x', labelNames: ['label', 'direction'], registers: [wrongType] });
    expect(() => new DebugMetrics({ registry: wrongType })).toThrow(
      "the registry already holds a metric 'debug_stage_chunks_total' (gauge with labels direction, label); the debug stage needs a counter with labels direction, label",
    );
    const wrongLabels = new Registry();
    new Counter({ name: 'debug_stage_bytes_total', help: 'x', labelNames: ['label'], registers: [wrongLabels] });
    expect(() => new DebugMetrics({ registry: wrongLabels })).toThrow(TypeError);
  });

  describe('options', () => {
    it('defaults to a new registry, no per-chunk series, a cap of 1000', () => {
      const metrics = new DebugMetrics();
      expect(metrics.registry).toBeInstanceOf(Registry);
      expect(metrics.perChunkMetrics).toBe(false);
      expect(metrics.maxChunkSeriesPerLabel).toBe(1000);
      expect(new DebugMetrics().registry).not.toBe(metrics.registry);
    });

    it.each([
      [null, TypeError, 'debugContainerModule: options must be an object, found null'],
      [
        { perChunk: true },
        TypeError,
        "debugContainerModule: option 'perChunk' is unknown; known options: registry, perChunkMetrics, maxChunkSeriesPerLabel",
      ],
      [
        { registry: {} },
        TypeError,
        "debugContainerModule: option 'registry' must be a prom-client Registry (with registerMetric, getSingleMetric and metrics), found an object",
      ],
      [{ perChunkMetrics: 'yes' }, TypeError, 'debugContainerModule: option \'perChunkMetrics\' must be true or false, found "yes"'],
      [
        { maxChunkSeriesPerLabel: '10' },
        TypeError,
        'debugContainerModule: option \'maxChunkSeriesPerLabel\' must be a whole number from 1 to 1000000, found "10"',
      ],
      [{ maxChunkSeriesPerLabel: 0 }, RangeError, "option 'maxChunkSeriesPerLabel' must be a whole number from 1 to 1000000, found 0"],
      [{ maxChunkSeriesPerLabel: 2.5 }, RangeError, 'found 2.5'],
      [{ maxChunkSeriesPerLabel: 1_000_001 }, RangeError, 'found 1000001'],
    ])('rejects %o', (options, kind, message) => {
      expect(() => new DebugMetrics(options as never)).toThrow(kind);
      expect(() => new DebugMetrics(options as never)).toThrow(message);
    });

    it('refuses per-chunk series in an OpenMetrics registry, where debug_stage_bytes would clash', () => {
      const registry = new Registry<OpenMetricsContentType>();
      registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
      expect(() => new DebugMetrics({ registry, perChunkMetrics: true })).toThrow(
        "debugContainerModule: option 'perChunkMetrics' needs a Prometheus-format registry",
      );
      expect(() => new DebugMetrics({ registry })).not.toThrow();
    });
  });
});
