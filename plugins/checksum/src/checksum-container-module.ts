import { StageExecutor } from '@adapipe/core';
import { ContainerModule } from 'inversify';
import { type ChecksumModuleOptions, resolveChecksumModuleOptions } from './checksum-module-options.js';
import { ChecksumStageExecutor } from './checksum-stage-executor.js';

/**
 * The plugin's DI module: binds one {@link ChecksumStageExecutor} serving the chosen algorithms to
 * core's `StageExecutor` token. Options are validated before the module is built.
 *
 * @throws {TypeError|RangeError} naming the option when `options` is invalid.
 * @example
 * ```ts
 * import 'reflect-metadata';
 * const container = new Container();
 * container.load(coreContainerModule(), checksumContainerModule({ algorithms: ['sha256', 'blake3'] }));
 * const executor = container.get(DispatchingStageExecutor);
 * ```
 */
export function checksumContainerModule(options?: ChecksumModuleOptions): ContainerModule {
  const { algorithms } = resolveChecksumModuleOptions(options);
  return new ContainerModule(({ bind }) => {
    bind(StageExecutor).toConstantValue(new ChecksumStageExecutor(algorithms));
  });
}
