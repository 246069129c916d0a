import { describe, expect, expectTypeOf, it } from 'vitest';
import { defineModuleOptions } from './module-options.js';
import { group, instance, listOf } from './option-fields.js';
import { boolean, filePath, integer, oneOf } from './scalar-fields.js';

class Registry {}

const options = defineModuleOptions('exampleContainerModule', {
  algorithms: listOf(oneOf(['gzip', 'zstd']), { minItems: 1, default: ['gzip', 'zstd'] }),
  verbose: boolean({ default: false }),
  path: filePath(),
  registry: instance('a Registry', (value): value is Registry => value instanceof Registry),
  caps: group({ memoryKib: integer({ min: 8, default: 1024 }), lanes: integer({ min: 1, max: 16, default: 4 }) }),
});

describe('defineModuleOptions', () => {
  it('fills in defaults, nested groups included', () => {
    const resolved = options.resolve(undefined);
    expect(resolved).toEqual({
      algorithms: ['gzip', 'zstd'],
      verbose: false,
      path: undefined,
      registry: undefined,
      caps: { memoryKib: 1024, lanes: 4 },
    });
    expect(options.resolve({ algorithms: ['zstd', 'ZSTD'], caps: { lanes: 2 } })).toMatchObject({
      algorithms: ['zstd'],
      caps: { memoryKib: 1024, lanes: 2 },
    });
    expectTypeOf(resolved.caps.lanes).toEqualTypeOf<number>();
    expectTypeOf(resolved.algorithms).toEqualTypeOf<readonly ('gzip' | 'zstd')[]>();
    expectTypeOf(resolved.registry).toEqualTypeOf<Registry | undefined>();
  });

  it('throws TypeError for a wrong type and RangeError for a value out of range, in one wording', () => {
    expect(() => options.resolve({ verbose: 'yes' })).toThrow(
      new TypeError('exampleContainerModule: option \'verbose\' must be true or false, found "yes"'),
    );
    expect(() => options.resolve({ caps: { lanes: 17 } })).toThrow(
      new RangeError("exampleContainerModule: option 'caps.lanes' must be a whole number from 1 to 16, found 17"),
    );
    expect(() => options.resolve({ caps: { lanes: '2' } })).toThrow(
      new TypeError('exampleContainerModule: option \'caps.lanes\' must be a whole number from 1 to 16, found "2"'),
    );
    expect(() => options.resolve({ algorithms: ['gzip', 'lz4'] })).toThrow(
      new RangeError('exampleContainerModule: option \'algorithms[1]\' must be one of gzip, zstd, found "lz4"'),
    );
    expect(() => options.resolve({ algorithms: [] })).toThrow(
      new RangeError(
        "exampleContainerModule: option 'algorithms' must be a list of at least 1 values, each one of gzip, zstd, found an empty list",
      ),
    );
    expect(() => options.resolve({ registry: {} })).toThrow(
      new TypeError("exampleContainerModule: option 'registry' must be a Registry, found an object"),
    );
    expect(() => options.resolve({ caps: 3 })).toThrow(new TypeError("exampleContainerModule: option 'caps' must be an object, found 3"));
  });

  it('refuses unknown names with a suggestion, at any depth', () => {
    expect(() => options.resolve({ verbos: true })).toThrow(
      new TypeError(
        "exampleContainerModule: option 'verbos' is unknown; did you mean 'verbose'? known options: algorithms, verbose, path, registry, caps",
      ),
    );
    expect(() => options.resolve({ caps: { memoryKiB: 9 } })).toThrow(
      new TypeError(
        "exampleContainerModule: option 'caps.memoryKiB' is unknown; did you mean 'memoryKib'? known options: memoryKib, lanes",
      ),
    );
  });

  it('refuses options that are not an object', () => {
    for (const value of [null, 3, 'x', []]) expect(() => options.resolve(value)).toThrow(TypeError);
    expect(() => options.resolve([])).toThrow('exampleContainerModule: options must be an object, found an empty list');
  });
});
