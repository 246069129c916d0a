import { StageExecutor } from '@adapipe/core';
import { ContainerModule } from 'inversify';
import { DeltaStageExecutor } from './delta-stage-executor.js';
import { resolveDeltaModuleOptions, type DeltaModuleOptions } from './delta-module-options.js';

/**
 * The delta plugin's DI module: binds one {@link DeltaStageExecutor} (`transform:delta`) to core's
 * `StageExecutor` token. Options are checked before the module is built.
 *
 * @throws {TypeError | RangeError} naming the option when `options` is invalid.
 * @example
 * ```ts
 * container.load(coreContainerModule(), deltaContainerModule({ defaultStride: 2 }));
 * ```
 */
export function deltaContainerModule(options: DeltaModuleOptions = {}): ContainerModule {
  const executor = new DeltaStageExecutor(resolveDeltaModuleOptions(options));
  return new ContainerModule(({ bind }) => {
    bind(StageExecutor).toConstantValue(executor);
  });
}

/** The module factory, as `adapipe --plugin <this package>` loads it (called with no options). */
export default deltaContainerModule;
