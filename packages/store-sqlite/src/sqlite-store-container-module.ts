import { PipelineRepository } from '@adapipe/core';
import { ContainerModule } from 'inversify';
import { SqlitePipelineRepository } from './sqlite-pipeline-repository.js';
import { resolveSqliteStoreOptions, type SqliteStoreOptions } from './sqlite-store-options.js';

/**
 * The store's DI module: binds core's `PipelineRepository` token to one
 * {@link SqlitePipelineRepository} (singleton), and `SqlitePipelineRepository` to the same instance
 * for callers that need {@link SqlitePipelineRepository.seedDefaults}. Unloading the module (or
 * unbinding the token) closes the database. Options are validated before the module is built; the
 * file is opened on first use.
 *
 * @throws {TypeError|RangeError} naming the option when `options` is invalid.
 * @example
 * ```ts
 * import 'reflect-metadata';
 * const container = new Container();
 * container.load(coreContainerModule(), sqliteStoreContainerModule({ path: defaultDatabasePath() }));
 * const repository = container.get<PipelineRepository>(PipelineRepository);
 * ```
 */
export function sqliteStoreContainerModule(options?: SqliteStoreOptions): ContainerModule {
  const { path, busyTimeoutMs } = resolveSqliteStoreOptions(options);
  return new ContainerModule(({ bind }) => {
    bind<SqlitePipelineRepository>(PipelineRepository)
      .toDynamicValue(() => new SqlitePipelineRepository(path, { busyTimeoutMs }))
      .inSingletonScope()
      .onDeactivation((repository) => repository.close());
    bind(SqlitePipelineRepository).toService(PipelineRepository);
  });
}
