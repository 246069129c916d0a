import { thrownBy } from '../testing/pipeline-error-of.js';
import { Container, ContainerModule, injectable } from 'inversify';
import { describe, expect, it } from 'vitest';
import { FileChunk } from '../domain/file-chunk.js';
import { PipelineStage } from '../domain/pipeline-stage.js';
import { ProcessingContext } from '../domain/processing-context.js';
import { StageConfiguration } from '../domain/stage-configuration.js';
import { StageType } from '../domain/stage-type.js';
import { PipelineError } from '../errors/pipeline-error.js';
import { BaseStageExecutor } from '../executor/base-stage-executor.js';
import { DispatchingStageExecutor } from '../executor/dispatching-stage-executor.js';
import { StageExecutor } from '../executor/stage-executor.js';
import { StageExecutorRegistry } from '../executor/stage-executor-registry.js';
import { coreContainerModule } from './core-container-module.js';
import { createAdapipe } from './create-adapipe.js';

@injectable()
class XorExecutor extends BaseStageExecutor {
  readonly packageName = 'fake-xor-plugin';
  readonly capabilities = [{ stageType: StageType.Transform, algorithm: 'xor', aliases: ['xor-ff'] }];

  async execute(_stage: PipelineStage, chunk: FileChunk): Promise<FileChunk> {
    return chunk.withData(chunk.data.map((byte) => byte ^ 0xff));
  }

  async reverse(stage: PipelineStage, chunk: FileChunk): Promise<FileChunk> {
    return this.execute(stage, chunk);
  }
}

function fakePluginModule(packageName = 'fake-xor-plugin'): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(StageExecutor).toConstantValue(Object.assign(new XorExecutor(), { packageName }));
  });
}

const xorStage = () => new PipelineStage('invert', StageType.Transform, new StageConfiguration('xor'), 0);

describe('coreContainerModule', () => {
  it('resolves a fake plugin executor through the registry', async () => {
    const container = new Container();
    container.load(coreContainerModule(), fakePluginModule());
    const registry = container.get(StageExecutorRegistry);
    expect(registry.resolve(StageType.Transform, 'XOR')).toBeInstanceOf(XorExecutor);
    expect(registry.canonicalAlgorithm(StageType.Transform, 'xor-ff')).toBe('xor');

    const executor = container.get(DispatchingStageExecutor);
    const context = new ProcessingContext('p1');
    const out = await executor.execute(xorStage(), new FileChunk(0, Uint8Array.of(0, 1, 2)), context);
    expect([...out.data]).toEqual([0xff, 0xfe, 0xfd]);
    expect(context.stageMetrics.get('invert')).toMatchObject({ chunks: 1, bytesIn: 3, bytesOut: 3 });
  });

  it('gives the registry and dispatcher as singletons', () => {
    const container = new Container();
    container.load(coreContainerModule());
    expect(container.get(StageExecutorRegistry)).toBe(container.get(StageExecutorRegistry));
    expect(container.get(DispatchingStageExecutor)).toBe(container.get(DispatchingStageExecutor));
  });

  it('with zero plugins, fails on an algorithm with a message listing what is installed', async () => {
    const { executor } = createAdapipe();
    const stage = new PipelineStage('compress', StageType.Compression, new StageConfiguration('zstd'), 0);
    const failure = executor.execute(stage, new FileChunk(0, Uint8Array.of(1)), new ProcessingContext('p'));
    await expect(failure).rejects.toSatisfy((error) => PipelineError.is(error, 'ExecutorNotFound'));
    await expect(failure).rejects.toThrow(
      'No executor for compression:zstd; installed: passthrough:passthrough. Install and load the plugin that provides it',
    );
  });

  it('rejects a duplicate plugin naming both packages', () => {
    const container = new Container();
    container.load(coreContainerModule(), fakePluginModule('first-plugin'), fakePluginModule('second-plugin'));
    expect(thrownBy(() => container.get(StageExecutorRegistry), 'DuplicateExecutor').message).toBe(
      'Two executors claim transform:xor: first-plugin and second-plugin; load only one of them',
    );
  });
});
