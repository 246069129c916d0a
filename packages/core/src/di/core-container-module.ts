import { ContainerModule, type ContainerModuleLoadOptions } from 'inversify';
import { DispatchingStageExecutor } from '../executor/dispatching-stage-executor.js';
import { PassthroughStageExecutor } from '../executor/passthrough-stage-executor.js';
import { StageExecutor } from '../executor/stage-executor.js';
import { StageExecutorRegistry } from '../executor/stage-executor-registry.js';
import { ChunkEngine } from '../engine/chunk-engine.js';
import { PipelineRunner } from '../runner/pipeline-runner.js';

/**
 * Binds core's services: the {@link StageExecutorRegistry}, the {@link DispatchingStageExecutor},
 * the {@link ChunkEngine}, the {@link PipelineRunner} (all singletons) and the built-in pass-through executor. Load it once, with any plugin modules.
 *
 * @example
 * ```ts
 * import 'reflect-metadata';
 * const container = new Container();
 * container.load(coreContainerModule(), compressionContainerModule());
 * const executor = container.get(DispatchingStageExecutor);
 * ```
 */
export function coreContainerModule(): ContainerModule {
  return new ContainerModule((options) => bindCoreServices(options));
}

/** The bindings of {@link coreContainerModule}, for apps that compose their own module. */
export function bindCoreServices({ bind }: Pick<ContainerModuleLoadOptions, 'bind'>): void {
  bind(StageExecutorRegistry).toSelf().inSingletonScope();
  bind(DispatchingStageExecutor).toSelf().inSingletonScope();
  bind(ChunkEngine).toSelf().inSingletonScope();
  bind(PipelineRunner).toSelf().inSingletonScope();
  bind(StageExecutor).to(PassthroughStageExecutor).inSingletonScope();
}
