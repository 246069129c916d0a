import { ContainerModule } from 'inversify';
import { describe, expect, it } from 'vitest';
import { compressionContainerModule } from './compression-container-module.js';
import { resolveCompressionModuleOptions, type CompressionModuleOptions } from './compression-module-options.js';

const bad = (options: unknown) => () => compressionContainerModule(options as CompressionModuleOptions);

const list = 'a list of at least 1 values, each one of brotli, gzip, lz4, zstd';

describe('compressionContainerModule options', () => {
  it('defaults to every algorithm and the built-in levels', () => {
    expect(resolveCompressionModuleOptions()).toEqual({ algorithms: ['brotli', 'gzip', 'lz4', 'zstd'], defaultLevels: {} });
    expect(compressionContainerModule()).toBeInstanceOf(ContainerModule);
  });

  it('accepts a restricted, deduplicated algorithm list with levels, any case', () => {
    const options = { algorithms: ['zstd', 'gzip', 'ZSTD'], defaultLevels: { zstd: 22, gzip: 1 } } as never;
    expect(resolveCompressionModuleOptions(options)).toEqual({ algorithms: ['zstd', 'gzip'], defaultLevels: { zstd: 22, gzip: 1 } });
  });

  /** Expects `options` to be refused with `errorType` and the message `compressionContainerModule: <message>`. */
  function expectRefused(options: unknown, errorType: ErrorConstructor, message: string): void {
    expect(bad(options)).toThrow(errorType);
    expect(bad(options)).toThrow(`compressionContainerModule: ${message}`);
  }

  it.each([
    ['options that are not an object', 'fast', 'options must be an object, found "fast"'],
    ['null options', null, 'options must be an object, found null'],
  ])('refuses %s before building the module', (_name, options, message) => expectRefused(options, TypeError, message));

  it.each<[string, unknown, string]>([
    ['an unknown option', { level: 3 }, "'level' is unknown; known options: algorithms, defaultLevels"],
    ['algorithms that are not an array', { algorithms: 'zstd' }, `'algorithms' must be ${list}, found "zstd"`],
    ['defaultLevels that are not an object', { defaultLevels: [3] }, "'defaultLevels' must be an object, found a list of 1"],
    ['a level for an unknown algorithm', { defaultLevels: { xz: 6 } }, "'defaultLevels.xz' is unknown; known options: brotli, gzip, zstd"],
    ['a level for lz4', { defaultLevels: { lz4: 1 } }, "'defaultLevels.lz4' is unknown; known options: brotli, gzip, zstd"],
    ['a level given as a string', { defaultLevels: { zstd: '3' } }, `'defaultLevels.zstd' must be a whole number from 1 to 22, found "3"`],
  ])('refuses %s before building the module', (_name, options, message) => expectRefused(options, TypeError, `option ${message}`));

  it.each<[string, unknown, string]>([
    ['an empty algorithm list', { algorithms: [] }, `'algorithms' must be ${list}, found an empty list`],
    ['an unknown algorithm', { algorithms: ['zstd', 'lzma'] }, `'algorithms[1]' must be one of brotli, gzip, lz4, zstd, found "lzma"`],
    [
      'a level for an algorithm not offered',
      { algorithms: ['gzip'], defaultLevels: { zstd: 3 } },
      "'defaultLevels.zstd' is set but 'zstd' is not in 'algorithms' (gzip)",
    ],
    ['a zstd level above 22', { defaultLevels: { zstd: 23 } }, "'defaultLevels.zstd' must be a whole number from 1 to 22, found 23"],
    ['a gzip level of 0', { defaultLevels: { gzip: 0 } }, "'defaultLevels.gzip' must be a whole number from 1 to 9, found 0"],
    [
      'a fractional brotli level',
      { defaultLevels: { brotli: 4.5 } },
      "'defaultLevels.brotli' must be a whole number from 0 to 11, found 4.5",
    ],
  ])('refuses %s before building the module', (_name, options, message) => expectRefused(options, RangeError, `option ${message}`));
});
