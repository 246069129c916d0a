export { DATABASE_PATH_ENV, defaultDatabasePath, type DatabasePathPlatform } from './default-database-path.js';
export { DEFAULTS_SEEDED_KEY, SqlitePipelineRepository } from './sqlite-pipeline-repository.js';
export { SCHEMA_VERSION, schemaMigrations, type SchemaMigration } from './sqlite-schema.js';
export { sqliteStoreContainerModule } from './sqlite-store-container-module.js';
export {
  DEFAULT_BUSY_TIMEOUT_MS,
  resolveSqliteStoreOptions,
  type ResolvedSqliteStoreOptions,
  type SqlitePipelineRepositoryOptions,
  type SqliteStoreOptions,
} from './sqlite-store-options.js';
