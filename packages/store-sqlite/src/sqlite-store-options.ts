import { defineModuleOptions, describeFound, filePath, integer } from '@adapipe/core';
import { defaultDatabasePath } from './default-database-path.js';

/** How long a statement waits for another process's lock before failing, unless told otherwise. */
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/** Options of {@link SqlitePipelineRepository}'s constructor. */
export interface SqlitePipelineRepositoryOptions {
  /** How long, in ms, a statement waits for another process's lock before failing. Default: 5000. */
  readonly busyTimeoutMs?: number;
}

/** Options of {@link sqliteStoreContainerModule}. */
export interface SqliteStoreOptions extends SqlitePipelineRepositoryOptions {
  /** The database file, or `':memory:'`. Default: {@link defaultDatabasePath}`()`. */
  readonly path?: string;
}

/** {@link SqliteStoreOptions} after validation, defaults filled in. */
export interface ResolvedSqliteStoreOptions {
  readonly path: string;
  readonly busyTimeoutMs: number;
}

const databasePath = filePath({ expected: "a file path or ':memory:' (not empty, no NUL character)" });
/** The largest busy timeout SQLite accepts is a signed 32-bit count of milliseconds. */
const busyTimeoutMs = integer({ min: 0, max: 2 ** 31 - 1, default: DEFAULT_BUSY_TIMEOUT_MS, unit: 'milliseconds' });
const storeOptions = defineModuleOptions('sqliteStoreContainerModule', { path: databasePath, busyTimeoutMs });
const repositoryOptions = defineModuleOptions('SqlitePipelineRepository', { busyTimeoutMs });

/**
 * Validates the module options and fills in defaults.
 *
 * @throws {TypeError | RangeError} naming the option, as `defineModuleOptions` words it.
 * @example
 * ```ts
 * resolveSqliteStoreOptions({ path: ':memory:' }); // { path: ':memory:', busyTimeoutMs: 5000 }
 * ```
 */
export function resolveSqliteStoreOptions(options: SqliteStoreOptions = {}): ResolvedSqliteStoreOptions {
  const resolved = storeOptions.resolve(options);
  return Object.freeze({ path: resolved.path ?? defaultDatabasePath(), busyTimeoutMs: resolved.busyTimeoutMs });
}

/**
 * Checks the arguments of {@link SqlitePipelineRepository}'s constructor, in the same words.
 *
 * @throws {TypeError} when `path` is not a string or `options` is not an options object.
 * @throws {RangeError} when `path` is empty or holds a NUL character, or the timeout is out of range.
 */
export function resolveRepositoryArguments(path: unknown, options: SqlitePipelineRepositoryOptions): ResolvedSqliteStoreOptions {
  const check = databasePath.fromValue(path);
  if (!('value' in check)) {
    const message = `SqlitePipelineRepository: path must be ${databasePath.expected}, found ${describeFound(path)}`;
    throw check.problem === 'type' ? new TypeError(message) : new RangeError(message);
  }
  return { path: check.value, busyTimeoutMs: repositoryOptions.resolve(options).busyTimeoutMs };
}
