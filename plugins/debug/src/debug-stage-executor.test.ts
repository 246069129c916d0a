import { FileChunk, PipelineError, PipelineStage, ProcessingContext, StageConfiguration, StageType } from '@adapipe/core';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { DebugMetrics } from './debug-metrics.js';
import { DebugStageExecutor } from './debug-stage-executor.js';
import { parsePrometheusText, sampleValue } from './test-support/parse-prometheus-text.js';

const debugStage = (name: string, parameters: Record<string, string> = {}) =>
  new PipelineStage(name, StageType.PassThrough, new StageConfiguration('debug', parameters), 0);

describe('DebugStageExecutor', () => {
  it('passes chunks on unchanged both ways and counts them under the stage name', async () => {
    const registry = new Registry();
    const executor = new DebugStageExecutor(new DebugMetrics({ registry }));
    const stage = debugStage('after-compress');
    const context = new ProcessingContext('debug');
    const chunks = [new FileChunk(0, Uint8Array.of(1, 2, 3)), new FileChunk(1, Uint8Array.of(4), { offset: 3, isFinal: true })];
    const forward = await executor.executeParallel(stage, chunks, context);
    const back = await executor.reverseParallel(stage, forward, context);
    for (const [index, chunk] of forward.entries()) expect(chunk).toBe(chunks[index]);
    for (const [index, chunk] of back.entries()) expect(chunk).toBe(chunks[index]);
    const samples = parsePrometheusText(await registry.metrics());
    expect(sampleValue(samples, 'debug_stage_bytes_total', { label: 'after-compress', direction: 'forward' })).toBe(4);
    expect(sampleValue(samples, 'debug_stage_chunks_total', { label: 'after-compress', direction: 'reverse' })).toBe(2);
  });

  it('uses the label parameter when given', async () => {
    const registry = new Registry();
    const executor = new DebugStageExecutor(new DebugMetrics({ registry }));
    await executor.execute(debugStage('stage-name', { label: 'custom' }), new FileChunk(0, Uint8Array.of(9)));
    const samples = parsePrometheusText(await registry.metrics());
    expect(sampleValue(samples, 'debug_stage_chunks_total', { label: 'custom', direction: 'forward' })).toBe(1);
    expect(sampleValue(samples, 'debug_stage_chunks_total', { label: 'stage-name', direction: 'forward' })).toBeUndefined();
  });

  it.each([
    [{ label: '   ' }, /parameter 'label' must be 1 to 128 characters, not only spaces, found " {3}"$/],
    [{ label: 'x'.repeat(129) }, /parameter 'label' must be 1 to 128 characters/],
    [{ lable: 'x' }, /parameter 'lable' is unknown; did you mean 'label'\? known parameters: label$/],
  ])('rejects parameters %o with InvalidConfiguration', async (parameters, message) => {
    const executor = new DebugStageExecutor();
    const stage = debugStage('dbg', parameters);
    expect(() => executor.validate(stage)).toThrow(message);
    expect(() => executor.validate(stage)).toThrow(/^Stage 'dbg' \(passthrough:debug\): /);
    expect(await executor.canExecute(stage)).toBe(false);
    await expect(executor.execute(stage, new FileChunk(0, Uint8Array.of(1)))).rejects.toSatisfy((error) =>
      PipelineError.is(error, 'InvalidConfiguration'),
    );
  });

  it('estimates per-chunk digests as slower', async () => {
    const stage = debugStage('dbg');
    const plain = await new DebugStageExecutor().estimateProcessingTime(stage, 1e9);
    const digests = await new DebugStageExecutor(new DebugMetrics({ perChunkMetrics: true })).estimateProcessingTime(stage, 1e9);
    expect(digests).toBeGreaterThan(plain);
  });
});
