import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AdapipeServices,
  createAdapipe,
  DispatchingStageExecutor,
  FileChunk,
  Pipeline,
  ProcessingContext,
  StageExecutor,
  StageType,
} from '@adapipe/core';
import { randomBytes, stageExecutorConformanceChecks, testStage } from '@adapipe/core/testing';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { debugContainerModule } from './debug-container-module.js';
import { DebugMetrics } from './debug-metrics.js';
import { DebugMetricsRegistry } from './debug-metrics-registry.js';
import type { DebugOptions } from './debug-options.js';
import { DebugStageExecutor } from './debug-stage-executor.js';
import { parsePrometheusText, samplesOf, sampleValue } from './test-support/parse-prometheus-text.js';

function services(options?: DebugOptions): AdapipeServices {
  return createAdapipe(debugContainerModule(options));
}

const debugStage = (name: string, parameters: Record<string, string> = {}) => testStage(name, StageType.PassThrough, 'debug', parameters);

describe('debugContainerModule', () => {
  describe.each([
    ['counters only', {}],
    ['per-chunk series', { perChunkMetrics: true, maxChunkSeriesPerLabel: 4 }],
  ] as const)('conformance through DI, %s', (_name, options) => {
    const registry = new Registry();
    const executor = services({ registry, ...options }).executor;
    const stages = [debugStage('debug-default'), debugStage('debug-labelled', { label: 'after-compress' })];
    for (const check of stageExecutorConformanceChecks({ executor, stages, chunkSize: 16 * 1024, detects: [] })) {
      it(check.name, check.run);
    }
    it('reported every chunk it saw, both ways', async () => {
      const samples = parsePrometheusText(await registry.metrics());
      for (const label of ['debug-default', 'after-compress']) {
        const forward = sampleValue(samples, 'debug_stage_chunks_total', { label, direction: 'forward' });
        expect(forward).toBeGreaterThan(0);
        expect(sampleValue(samples, 'debug_stage_chunks_total', { label, direction: 'reverse' })).toBe(forward);
        const checksums = samplesOf(samples, 'debug_stage_checksum', { label });
        const overflow = sampleValue(samples, 'debug_stage_chunk_series_overflow_total', { label }) ?? 0;
        if ('perChunkMetrics' in options) {
          expect(checksums).toHaveLength(4);
          expect(overflow).toBeGreaterThan(0);
        } else {
          expect(checksums).toHaveLength(0);
        }
      }
    });
  });

  it('registers passthrough:debug from @adapipe/plugin-debug next to core', () => {
    const { registry, container } = services();
    expect(registry.resolve(StageType.PassThrough, 'Debug')).toBeInstanceOf(DebugStageExecutor);
    expect(registry.capabilities.find((c) => c.algorithm === 'debug')?.packageName).toBe('@adapipe/plugin-debug');
    expect(container.getAll(StageExecutor)).toHaveLength(2);
  });

  it('reports to the registry the application passes, bound to DebugMetricsRegistry', async () => {
    const appRegistry = new Registry();
    const app = services({ registry: appRegistry }).container;
    expect(app.get(DebugMetricsRegistry)).toBe(appRegistry);
    expect(app.get(DebugMetrics).registry).toBe(appRegistry);
    const executor = app.get(DispatchingStageExecutor);
    const stage = debugStage('peek');
    const context = new ProcessingContext('app');
    await executor.execute(stage, new FileChunk(0, new Uint8Array(1000)), context);
    await executor.execute(stage, new FileChunk(1, new Uint8Array(24), { offset: 1000, isFinal: true }), context);
    await executor.reverse(stage, new FileChunk(0, new Uint8Array(7)), context);
    expect(await appRegistry.getSingleMetricAsString('debug_stage_bytes_total')).toContain(
      'debug_stage_bytes_total{label="peek",direction="forward"} 1024',
    );
    const samples = parsePrometheusText(await appRegistry.metrics());
    expect(sampleValue(samples, 'debug_stage_chunks_total', { label: 'peek', direction: 'forward' })).toBe(2);
    expect(sampleValue(samples, 'debug_stage_bytes_total', { label: 'peek', direction: 'reverse' })).toBe(7);
  });

  it('counts a real run and its restore, chunk for chunk', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'adapipe-debug-int-'));
    try {
      const registry = new Registry();
      const runner = services({ registry }).runner;
      const input = join(scratch, 'input.bin');
      writeFileSync(input, randomBytes(200_000, 3));
      const pipeline = new Pipeline('debug-run', [debugStage('watch')]);
      const processed = await runner.processFile(input, join(scratch, 'out.adapipe'), { pipeline, chunkSize: 64 * 1024 });
      await runner.restoreFile(join(scratch, 'out.adapipe'), join(scratch, 'restored.bin'));
      const samples = parsePrometheusText(await registry.metrics());
      for (const direction of ['forward', 'reverse']) {
        expect(sampleValue(samples, 'debug_stage_bytes_total', { label: 'watch', direction })).toBe(200_000);
        expect(sampleValue(samples, 'debug_stage_chunks_total', { label: 'watch', direction })).toBe(processed.chunkCount);
      }
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('binds a new registry of its own when none is given', () => {
    const first = services().container.get(DebugMetricsRegistry);
    expect(first).toBeInstanceOf(Registry);
    expect(services().container.get(DebugMetricsRegistry)).not.toBe(first);
  });

  it('lets two debug stages and two containers share one registry', async () => {
    const registry = new Registry();
    const one = services({ registry, perChunkMetrics: true }).executor;
    const two = services({ registry, perChunkMetrics: true }).executor;
    const context = new ProcessingContext('shared');
    await one.execute(debugStage('before'), new FileChunk(0, Uint8Array.of(1, 2)), context);
    await one.execute(debugStage('after'), new FileChunk(0, Uint8Array.of(3)), context);
    await two.execute(debugStage('before'), new FileChunk(1, Uint8Array.of(4, 5, 6)), context);
    const samples = parsePrometheusText(await registry.metrics());
    expect(sampleValue(samples, 'debug_stage_bytes_total', { label: 'before', direction: 'forward' })).toBe(5);
    expect(sampleValue(samples, 'debug_stage_bytes_total', { label: 'after', direction: 'forward' })).toBe(1);
    expect(samplesOf(samples, 'debug_stage_checksum', { label: 'before' })).toHaveLength(2);
  });

  it('validates its options before building the module', () => {
    expect(() => debugContainerModule({ maxChunkSeriesPerLabel: -1 })).toThrow(RangeError);
    expect(() => debugContainerModule({ registry: 'default' as never })).toThrow(TypeError);
  });
});
