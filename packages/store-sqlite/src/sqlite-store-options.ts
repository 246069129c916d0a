import { defaultDatabasePath } from './default-database-path.js';

/** How long a statement waits for another process's lock before failing, unless told otherwise. */
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/** The largest busy timeout SQLite accepts (a signed 32-bit count of milliseconds). */
const MAX_BUSY_TIMEOUT_MS = 2 ** 31 - 1;

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

const knownOptions: readonly string[] = ['path', 'busyTimeoutMs'];

/**
 * Validates the module options and fills in defaults.
 *
 * @throws {TypeError} when `options` is not an object, has an unknown key, `path` is not a string
 * or `busyTimeoutMs` is not a number.
 * @throws {RangeError} when `path` is empty or holds a NUL character, or `busyTimeoutMs` is not a
 * whole number of milliseconds between 0 and 2³¹ − 1.
 * @example
 * ```ts
 * resolveSqliteStoreOptions({ path: ':memory:' }); // { path: ':memory:', busyTimeoutMs: 5000 }
 * ```
 */
export function resolveSqliteStoreOptions(options: SqliteStoreOptions = {}): ResolvedSqliteStoreOptions {
  requireOptionsObject(options, "{ path: '/var/lib/adapipe/pipelines.db' }");
  for (const key of Object.keys(options)) {
    if (!knownOptions.includes(key)) {
      throw new TypeError(`options.${key} is not an option of sqliteStoreContainerModule; expected only ${knownOptions.join(', ')}`);
    }
  }
  return Object.freeze({
    path: options.path === undefined ? defaultDatabasePath() : requireDatabasePath(options.path, 'options.path'),
    busyTimeoutMs: requireBusyTimeout(options.busyTimeoutMs, 'options.busyTimeoutMs'),
  });
}

/**
 * Checks a database path argument.
 *
 * @throws {TypeError} when `value` is not a string.
 * @throws {RangeError} when it is empty or holds a NUL character.
 */
export function requireDatabasePath(value: unknown, label: string): string {
  if (typeof value !== 'string') {
    throw new TypeError(`${label} must be a file path or ':memory:', found ${describe(value)}`);
  }
  if (value.trim() === '') {
    throw new RangeError(`${label} must be a file path or ':memory:', found an empty string`);
  }
  if (value.includes('\0')) {
    throw new RangeError(`${label} must not contain a NUL character, found ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * Checks a busy timeout argument; `undefined` gives {@link DEFAULT_BUSY_TIMEOUT_MS}.
 *
 * @throws {TypeError} when `value` is neither `undefined` nor a number.
 * @throws {RangeError} when it is not a whole number between 0 and 2³¹ − 1.
 */
export function requireBusyTimeout(value: unknown, label: string): number {
  if (value === undefined) return DEFAULT_BUSY_TIMEOUT_MS;
  if (typeof value !== 'number') {
    throw new TypeError(`${label} must be a number of milliseconds, found ${describe(value)}`);
  }
  if (!Number.isInteger(value) || value < 0 || value > MAX_BUSY_TIMEOUT_MS) {
    throw new RangeError(`${label} must be a whole number of milliseconds from 0 to ${MAX_BUSY_TIMEOUT_MS}, found ${value}`);
  }
  return value;
}

/**
 * Checks that an options argument is a plain object.
 *
 * @throws {TypeError} naming an example of what is expected.
 */
export function requireOptionsObject(value: unknown, example: string): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`options must be an object such as ${example}, found ${describe(value)}`);
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? `'${value}'` : typeof value;
}
