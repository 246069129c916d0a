export { DATABASE_PATH_ENV, defaultDatabasePath } from './default-database-path.js';
export type { DatabasePathPlatform } from './default-database-path.js';
export { DEFAULTS_SEEDED_KEY, SqlitePipelineRepository } from './sqlite-pipeline-repository.js';
export { SCHEMA_VERSION, schemaMigrations } from './sqlite-schema.js';
export type { SchemaMigration } from './sqlite-schema.js';
export { sqliteStoreContainerModule } from './sqlite-store-container-module.js';
export { DEFAULT_BUSY_TIMEOUT_MS, resolveSqliteStoreOptions } from './sqlite-store-options.js';
export type {
  ResolvedSqliteStoreOptions,
  SqlitePipelineRepositoryOptions,
  SqliteStoreOptions,
} from './sqlite-store-options.js';
