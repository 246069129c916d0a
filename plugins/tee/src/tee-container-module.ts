import { StageExecutor } from '@adapipe/core';
import { ContainerModule } from 'inversify';
import type { TeeOptions } from './tee-options.js';
import { TeeStageExecutor } from './tee-stage-executor.js';

/**
 * The tee plugin's DI module: binds one {@link TeeStageExecutor} (`transform:tee` and `passthrough:tee`) to core's
 * `StageExecutor` token. Options are checked here, before the module is built.
 *
 * @throws {TypeError} naming the option when `options` is invalid.
 * @example
 * ```ts
 * container.load(coreContainerModule(), teeContainerModule({ baseDirectory: '/var/tmp/adapipe' }));
 * ```
 */
export function teeContainerModule(options: TeeOptions = {}): ContainerModule {
  const executor = new TeeStageExecutor(options);
  return new ContainerModule(({ bind }) => {
    bind(StageExecutor).toConstantValue(executor);
  });
}
