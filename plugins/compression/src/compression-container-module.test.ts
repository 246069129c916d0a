import { ContainerModule } from 'inversify';
import { describe, expect, it } from 'vitest';
import { compressionContainerModule } from './compression-container-module.js';
import { resolveCompressionModuleOptions, type CompressionModuleOptions } from './compression-module-options.js';

const bad = (options: unknown) => () => compressionContainerModule(options as CompressionModuleOptions);

describe('compressionContainerModule options', () => {
  it('defaults to every algorithm and the built-in levels', () => {
    expect(resolveCompressionModuleOptions()).toEqual({ algorithms: ['brotli', 'gzip', 'lz4', 'zstd'], defaultLevels: {} });
    expect(compressionContainerModule()).toBeInstanceOf(ContainerModule);
  });

  it('accepts a restricted, deduplicated algorithm list with levels', () => {
    const options = { algorithms: ['zstd', 'gzip', 'zstd'], defaultLevels: { zstd: 22, gzip: 1 } } as const;
    expect(resolveCompressionModuleOptions(options)).toEqual({ algorithms: ['zstd', 'gzip'], defaultLevels: { zstd: 22, gzip: 1 } });
  });

  it.each([
    ['options that are not an object', 'fast', TypeError, "compressionContainerModule options must be an object, found 'fast'"],
    ['null options', null, TypeError, 'compressionContainerModule options must be an object, found null'],
    ['an unknown option', { level: 3 }, TypeError, "compressionContainerModule: unknown option 'level'; expected one of algorithms, defaultLevels"],
    ['algorithms that are not an array', { algorithms: 'zstd' }, TypeError, "compressionContainerModule: option 'algorithms' must be an array, found 'zstd'"],
    ['an empty algorithm list', { algorithms: [] }, RangeError, "compressionContainerModule: option 'algorithms' is empty; list at least one of brotli, gzip, lz4, zstd"],
    ['an unknown algorithm', { algorithms: ['zstd', 'lzma'] }, RangeError, "compressionContainerModule: option 'algorithms' contains 'lzma'; expected one of brotli, gzip, lz4, zstd"],
    ['an alias instead of the canonical name', { algorithms: ['ZSTD'] }, RangeError, "compressionContainerModule: option 'algorithms' contains 'ZSTD'; expected one of brotli, gzip, lz4, zstd"],
    ['defaultLevels that are not an object', { defaultLevels: [3] }, TypeError, "compressionContainerModule: option 'defaultLevels' must be an object, found an array"],
    ['a level for an unknown algorithm', { defaultLevels: { xz: 6 } }, TypeError, "compressionContainerModule: unknown option 'defaultLevels.xz'; expected one of brotli, gzip, lz4, zstd"],
    ['a level for lz4', { defaultLevels: { lz4: 1 } }, RangeError, "compressionContainerModule: option 'defaultLevels.lz4' cannot be set: lz4-napi implements only LZ4's fast mode, which has no levels"],
    ['a level for an algorithm not offered', { algorithms: ['gzip'], defaultLevels: { zstd: 3 } }, RangeError, "compressionContainerModule: option 'defaultLevels.zstd' is set but 'zstd' is not in 'algorithms' (gzip)"],
    ['a zstd level above 22', { defaultLevels: { zstd: 23 } }, RangeError, "compressionContainerModule: option 'defaultLevels.zstd' must be a whole number from 1 to 22, found number 23"],
    ['a gzip level of 0', { defaultLevels: { gzip: 0 } }, RangeError, "compressionContainerModule: option 'defaultLevels.gzip' must be a whole number from 1 to 9, found number 0"],
    ['a fractional brotli level', { defaultLevels: { brotli: 4.5 } }, RangeError, "compressionContainerModule: option 'defaultLevels.brotli' must be a whole number from 0 to 11, found number 4.5"],
    ['a level given as a string', { defaultLevels: { zstd: '3' } }, RangeError, "compressionContainerModule: option 'defaultLevels.zstd' must be a whole number from 1 to 22, found '3'"],
  ])('refuses %s before building the module', (_name, options, errorType, message) => {
    expect(bad(options)).toThrow(errorType);
    expect(bad(options)).toThrow(message);
  });
});
