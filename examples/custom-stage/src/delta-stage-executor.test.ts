import { FileChunk, PipelineError, PipelineStage, ProcessingContext, StageConfiguration, StageType } from '@adapipe/core';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DeltaStageExecutor } from './delta-stage-executor.js';

const stage = (parameters: Record<string, string> = {}) =>
  new PipelineStage('smooth', StageType.Transform, new StageConfiguration('delta', parameters), 0);
const samples = Uint8Array.of(0x10, 0x01, 0x20, 0x01, 0x30, 0x01, 0x40, 0x01);

function invalidConfiguration(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(PipelineError.is(error, 'InvalidConfiguration')).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected an InvalidConfiguration error');
}

describe('DeltaStageExecutor', () => {
  it('encodes with the configured stride and records it as a run parameter', async () => {
    const executor = new DeltaStageExecutor();
    const context = new ProcessingContext('unit');
    await executor.startRun(stage({ stride: '2' }), context, 'forward');
    expect(context.runParameters('smooth')).toEqual({ stride: '2' });
    const out = await executor.execute(stage({ stride: '2' }), new FileChunk(0, samples), context);
    expect([...out.data]).toEqual([0x10, 0x01, 0x10, 0x00, 0x10, 0x00, 0x10, 0x00]);
  });

  it('restores with the stride recorded in the container, whatever its own default', async () => {
    const writer = new DeltaStageExecutor({ defaultStride: 4 });
    const written = stage();
    const forwardContext = new ProcessingContext('unit');
    await writer.startRun(written, forwardContext, 'forward');
    const encoded = await writer.execute(written, new FileChunk(3, samples, { offset: 24, isFinal: true }), forwardContext);

    const reader = new DeltaStageExecutor();
    const reverseContext = new ProcessingContext('unit');
    reverseContext.setRunParameters('smooth', forwardContext.runParameters('smooth')!);
    const restored = await reader.reverse(written, encoded, reverseContext);
    expect(restored.data).toEqual(samples);
    expect(restored).toMatchObject({ sequenceNumber: 3, offset: 24, isFinal: true });

    const withoutRecord = await reader.reverse(written, encoded, new ProcessingContext('unit'));
    expect(withoutRecord.data).not.toEqual(samples);
  });

  it('rejects a bad stride naming the stage, the parameter, the range and the value', () => {
    const executor = new DeltaStageExecutor();
    for (const value of ['0', '17', '2.5', 'two', '', '-1']) {
      expect(invalidConfiguration(() => executor.validate(stage({ stride: value })))).toBe(
        `Stage 'smooth' (transform:delta): parameter 'stride' must be a whole number from 1 to 16, found ${JSON.stringify(value)}`,
      );
    }
    expect(invalidConfiguration(() => executor.validate(stage({ strides: '2' })))).toBe(
      "Stage 'smooth' (transform:delta): parameter 'strides' is unknown; did you mean 'stride'? known parameters: stride",
    );
  });

  it('rejects a corrupt recorded stride on restore', async () => {
    const context = new ProcessingContext('unit');
    context.setRunParameters('smooth', { stride: '99' });
    await expect(new DeltaStageExecutor().reverse(stage(), new FileChunk(0, samples), context)).rejects.toThrow(
      "Stage 'smooth' (transform:delta): run parameter 'stride' must be a whole number from 1 to 16, found \"99\"",
    );
  });

  it('serves transform:delta only', async () => {
    const executor = new DeltaStageExecutor();
    expect(await executor.canExecute(stage({ stride: '16' }))).toBe(true);
    const other = new PipelineStage('x', StageType.Compression, new StageConfiguration('delta'), 0);
    expect(await executor.canExecute(other)).toBe(false);
    expect(executor.supportedStageTypes()).toEqual(['transform']);
  });

  it.each(['delta-stage-executor.ts', 'delta-parameters.ts'])('shows %s in full, as it is, in the README walkthrough', (file) => {
    const source = readFileSync(new URL(`./${file}`, import.meta.url), 'utf8');
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(`\`\`\`ts\n${source}\`\`\``);
  });
});
