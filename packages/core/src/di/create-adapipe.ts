import { Container, type ContainerModule } from 'inversify';
import { DispatchingStageExecutor } from '../executor/dispatching-stage-executor.js';
import { StageExecutorRegistry } from '../executor/stage-executor-registry.js';
import { PipelineRunner } from '../runner/pipeline-runner.js';
import { coreContainerModule } from './core-container-module.js';

/** What {@link createAdapipe} returns: the container it built and the services resolved from it. */
export interface AdapipeServices {
  /** The inversify container, for apps that want to resolve more. */
  readonly container: Container;
  /** Every installed executor, by (stage type, algorithm). */
  readonly registry: StageExecutorRegistry;
  /** The executor that routes each stage to its plugin. */
  readonly executor: DispatchingStageExecutor;
  /** Processes and restores files and streams. */
  readonly runner: PipelineRunner;
}

/**
 * Builds the same container a DI app would, for users who do not use DI: core plus the given
 * plugin modules. Import `reflect-metadata` once before calling it.
 *
 * @throws {PipelineError} `DuplicateExecutor` when two modules serve the same (type, algorithm).
 * @example
 * ```ts
 * import 'reflect-metadata';
 * const { registry, executor } = createAdapipe(compressionContainerModule());
 * ```
 */
export function createAdapipe(...pluginModules: ContainerModule[]): AdapipeServices {
  const container = new Container();
  container.load(coreContainerModule(), ...pluginModules);
  return {
    container,
    registry: container.get(StageExecutorRegistry),
    executor: container.get(DispatchingStageExecutor),
    runner: container.get(PipelineRunner),
  };
}
