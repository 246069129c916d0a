import {
  coreContainerModule,
  DispatchingStageExecutor,
  FileChunk,
  ProcessingContext,
  StageExecutorRegistry,
  StageType,
} from '@adapipe/core';
import { stageExecutorConformanceChecks, testStage } from '@adapipe/core/testing';
import { readFileSync } from 'node:fs';
import { Container } from 'inversify';
import { describe, expect, it } from 'vitest';
import pluginDefault, { deltaContainerModule } from './index.js';
import { DeltaStageExecutor } from './delta-stage-executor.js';

function load(...modules: ReturnType<typeof deltaContainerModule>[]): Container {
  const container = new Container();
  container.load(coreContainerModule(), ...modules);
  return container;
}

const deltaStage = (stride: string | undefined) =>
  testStage(`delta-${stride ?? 'default'}`, StageType.Transform, 'delta', stride === undefined ? {} : { stride });

describe('deltaContainerModule through core DI', () => {
  const executor = load(deltaContainerModule()).get(DispatchingStageExecutor);
  const stages = [deltaStage('1'), deltaStage('2'), deltaStage('16'), deltaStage(undefined)];
  for (const check of stageExecutorConformanceChecks({ executor, stages, chunkSize: 16 * 1024, detects: [] })) {
    it(check.name, check.run);
  }

  it('registers transform:delta from this package', () => {
    const registry = load(deltaContainerModule()).get(StageExecutorRegistry);
    expect(registry.resolve(StageType.Transform, 'DELTA')).toBeInstanceOf(DeltaStageExecutor);
    expect(registry.capabilities.find((c) => c.algorithm === 'delta')?.packageName).toBe('adapipe-plugin-example-delta');
  });

  it('uses the module default stride when a stage sets none', async () => {
    const dispatcher = load(deltaContainerModule({ defaultStride: 2 })).get(DispatchingStageExecutor);
    const context = new ProcessingContext('int');
    const stage = deltaStage(undefined);
    await dispatcher.startRun(stage, context, 'forward');
    const out = await dispatcher.execute(stage, new FileChunk(0, Uint8Array.of(1, 2, 4, 6)), context);
    expect([...out.data]).toEqual([1, 2, 3, 4]);
    expect(context.runParameters(stage.name)).toEqual({ stride: '2' });
  });

  it('default export is the factory the CLI calls with no options', () => {
    expect(pluginDefault).toBe(deltaContainerModule);
  });

  it('checks its options before building the module', () => {
    expect(() => deltaContainerModule({ defaultStride: 0 })).toThrow(
      new RangeError("deltaContainerModule: option 'defaultStride' must be a whole number from 1 to 16, found 0"),
    );
    expect(() => deltaContainerModule({ defaultStride: 1.5 })).toThrow(
      new RangeError("deltaContainerModule: option 'defaultStride' must be a whole number from 1 to 16, found 1.5"),
    );
    expect(() => deltaContainerModule({ stride: 2 } as never)).toThrow(
      new TypeError("deltaContainerModule: option 'stride' is unknown; known options: defaultStride"),
    );
  });

  it('is shown in full, as it is, in the README walkthrough', () => {
    const source = readFileSync(new URL('./delta-container-module.ts', import.meta.url), 'utf8');
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(`\`\`\`ts\n${source}\`\`\``);
  });
});
