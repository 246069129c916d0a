import { describe, expect, it } from 'vitest';
import { FileChunk } from '../domain/file-chunk.js';
import { PipelineStage } from '../domain/pipeline-stage.js';
import { ProcessingContext } from '../domain/processing-context.js';
import { StageConfiguration } from '../domain/stage-configuration.js';
import { StageType } from '../domain/stage-type.js';
import { PipelineError } from '../errors/pipeline-error.js';
import { BaseStageExecutor } from './base-stage-executor.js';
import { DispatchingStageExecutor } from './dispatching-stage-executor.js';
import type { StageDirection } from './stage-executor.js';
import { StageExecutorRegistry } from './stage-executor-registry.js';

class RecordingExecutor extends BaseStageExecutor {
  readonly packageName = 'recording-plugin';
  readonly capabilities = [{ stageType: StageType.Transform, algorithm: 'record' }];
  readonly events: string[] = [];

  async startRun(stage: PipelineStage, _context: ProcessingContext, direction: StageDirection) {
    this.events.push(`start ${stage.name} ${direction}`);
  }
  async finishRun(stage: PipelineStage, _context: ProcessingContext, direction: StageDirection) {
    this.events.push(`finish ${stage.name} ${direction}`);
  }
  async execute(_stage: PipelineStage, chunk: FileChunk) {
    if (chunk.data[0] === 0xee) throw new Error('boom');
    return chunk.withData(Uint8Array.of(...chunk.data, 0));
  }
  async reverse(_stage: PipelineStage, chunk: FileChunk) {
    return chunk.withData(chunk.data.subarray(0, chunk.size - 1));
  }
  protected override validateParameters(configuration: StageConfiguration) {
    if (configuration.parameters.mode === 'bad') {
      throw new PipelineError('InvalidConfiguration', "Stage parameter 'mode' must be 'good'");
    }
  }
}

function setup() {
  const recorder = new RecordingExecutor();
  const dispatcher = new DispatchingStageExecutor(new StageExecutorRegistry([recorder]));
  const stage = new PipelineStage('rec', StageType.Transform, new StageConfiguration('record'), 0);
  return { recorder, dispatcher, stage };
}

describe('DispatchingStageExecutor', () => {
  it('routes both directions and both run hooks to the registered executor', async () => {
    const { recorder, dispatcher, stage } = setup();
    const context = new ProcessingContext('p');
    await dispatcher.startRun(stage, context, 'forward');
    const out = await dispatcher.execute(stage, new FileChunk(0, Uint8Array.of(5)), context);
    await dispatcher.finishRun(stage, context, 'forward');
    expect([...out.data]).toEqual([5, 0]);
    expect([...(await dispatcher.reverse(stage, out, context)).data]).toEqual([5]);
    expect(recorder.events).toEqual(['start rec forward', 'finish rec forward']);
    expect(context.stageMetrics.get('rec')).toMatchObject({ chunks: 2, bytesIn: 3, bytesOut: 3 });
  });

  it('skips a disabled stage', async () => {
    const { recorder, dispatcher, stage } = setup();
    stage.setEnabled(false);
    const chunk = new FileChunk(0, Uint8Array.of(5));
    await dispatcher.startRun(stage, new ProcessingContext('p'), 'forward');
    expect(await dispatcher.execute(stage, chunk, new ProcessingContext('p'))).toBe(chunk);
    expect(recorder.events).toEqual([]);
  });

  it('validates parameters before a run starts', async () => {
    const { dispatcher } = setup();
    const stage = new PipelineStage('rec', StageType.Transform, new StageConfiguration('record', { mode: 'bad' }), 0);
    expect(await dispatcher.canExecute(stage)).toBe(false);
    await expect(dispatcher.startRun(stage, new ProcessingContext('p'), 'forward')).rejects.toThrow(
      "Stage parameter 'mode' must be 'good'",
    );
  });

  it('wraps a stray error as ProcessingFailed naming stage, chunk and direction', async () => {
    const { dispatcher, stage } = setup();
    const failure = dispatcher.execute(stage, new FileChunk(3, Uint8Array.of(0xee)), new ProcessingContext('p'));
    await expect(failure).rejects.toSatisfy((error) => PipelineError.is(error, 'ProcessingFailed'));
    await expect(failure).rejects.toThrow("Stage 'rec' (transform:record) failed on chunk 3 (forward): boom");
  });

  it('stops with Cancelled once the run is aborted', async () => {
    const { dispatcher, stage } = setup();
    const controller = new AbortController();
    controller.abort();
    await expect(
      dispatcher.execute(stage, new FileChunk(0, Uint8Array.of(1)), new ProcessingContext('p', { signal: controller.signal })),
    ).rejects.toSatisfy((error) => PipelineError.is(error, 'Cancelled'));
  });

  it('keeps input order in parallel runs', async () => {
    const { dispatcher, stage } = setup();
    const chunks = [3, 1, 2].map((n, i) => new FileChunk(i, new Uint8Array(n)));
    const out = await dispatcher.executeParallel(stage, chunks, new ProcessingContext('p'));
    expect(out.map((c) => [c.sequenceNumber, c.size])).toEqual([
      [0, 4],
      [1, 2],
      [2, 3],
    ]);
  });
});
