import { describe, expect, it } from 'vitest';
import { KiB, MiB } from './byte-size.js';
import { StageConfiguration } from './stage-configuration.js';

describe('StageConfiguration', () => {
  it('accepts parameters as a plain object or a Map, and freezes them', () => {
    const fromObject = new StageConfiguration('zstd', { level: '3' });
    const fromMap = new StageConfiguration('zstd', new Map([['level', '3']]));
    expect(fromMap.parameters).toEqual(fromObject.parameters);
    expect(Object.isFrozen(fromObject.parameters)).toBe(true);
    expect(fromObject.parameterMap().get('level')).toBe('3');
  });

  it('accepts chunk sizes from 1 KiB to 100 MiB inclusive', () => {
    expect(new StageConfiguration('a', {}, true, KiB).chunkSize).toBe(KiB);
    expect(new StageConfiguration('a', {}, true, 100 * MiB).chunkSize).toBe(100 * MiB);
    for (const bad of [KiB - 1, 100 * MiB + 1, KiB + 0.5, Number.NaN]) {
      expect(() => new StageConfiguration('a', {}, true, bad)).toThrow(expect.objectContaining({ kind: 'InvalidConfiguration' }));
    }
  });

  it('rejects an empty algorithm and non-string parameters', () => {
    expect(() => new StageConfiguration('')).toThrow('Stage algorithm cannot be empty');
    expect(() => new StageConfiguration('zstd', { level: 3 } as never)).toThrow("Stage parameter 'level' must be a string, found number");
  });

  it('round trips through JSON, leaving out an unset chunk size', () => {
    const config = new StageConfiguration('zstd', { level: '3' }, false, 4 * MiB);
    expect(StageConfiguration.fromJSON(JSON.parse(JSON.stringify(config)))).toEqual(config);
    expect(JSON.stringify(StageConfiguration.default())).toBe('{"algorithm":"default","parameters":{},"parallelProcessing":true}');
  });

  it('copies with changes, including clearing the chunk size', () => {
    const config = new StageConfiguration('zstd', { level: '3' }, true, 4 * MiB);
    expect(config.with({ chunkSize: undefined }).chunkSize).toBeUndefined();
    expect(config.with({ algorithm: 'lz4' }).parameters).toEqual({ level: '3' });
  });
});
