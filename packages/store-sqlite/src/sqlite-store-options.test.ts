import { describe, expect, it } from 'vitest';
import { defaultDatabasePath } from './default-database-path.js';
import { DEFAULT_BUSY_TIMEOUT_MS, resolveSqliteStoreOptions } from './sqlite-store-options.js';

describe('resolveSqliteStoreOptions', () => {
  it('fills in the default path and busy timeout', () => {
    expect(resolveSqliteStoreOptions()).toEqual({ path: defaultDatabasePath(), busyTimeoutMs: DEFAULT_BUSY_TIMEOUT_MS });
    expect(resolveSqliteStoreOptions({ path: ':memory:', busyTimeoutMs: 0 })).toEqual({ path: ':memory:', busyTimeoutMs: 0 });
    expect(Object.isFrozen(resolveSqliteStoreOptions({ path: '/x.db' }))).toBe(true);
  });

  it.each([
    ['a string', 'x.db', TypeError, 'sqliteStoreContainerModule: options must be an object, found "x.db"'],
    ['null', null, TypeError, /found null/],
    ['an array', [], TypeError, /found an empty list/],
    [
      'an unknown key',
      { path: 'x.db', file: 'y.db' },
      TypeError,
      "sqliteStoreContainerModule: option 'file' is unknown; known options: path, busyTimeoutMs",
    ],
    [
      'a numeric path',
      { path: 42 },
      TypeError,
      "sqliteStoreContainerModule: option 'path' must be a file path or ':memory:' (not empty, no NUL character), found 42",
    ],
    ['an empty path', { path: ' ' }, RangeError, /option 'path' must be .*found " "/],
    ['a path with NUL', { path: 'a\0b' }, RangeError, /option 'path' must be .*no NUL character/],
    [
      'a string timeout',
      { busyTimeoutMs: '5000' },
      TypeError,
      `option 'busyTimeoutMs' must be a whole number of milliseconds from 0 to 2147483647, found "5000"`,
    ],
    ['a negative timeout', { busyTimeoutMs: -1 }, RangeError, /option 'busyTimeoutMs'.*from 0 to 2147483647, found -1/],
    ['a fractional timeout', { busyTimeoutMs: 0.5 }, RangeError, /found 0\.5/],
    ['a timeout too large', { busyTimeoutMs: 2 ** 31 }, RangeError, /found 2147483648/],
    ['NaN', { busyTimeoutMs: Number.NaN }, RangeError, /found NaN/],
  ])('rejects %s', (_label, options, errorClass, message) => {
    expect(() => resolveSqliteStoreOptions(options as never)).toThrow(errorClass);
    expect(() => resolveSqliteStoreOptions(options as never)).toThrow(message);
  });
});
