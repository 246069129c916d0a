import { describe, expect, it } from 'vitest';
import type { FileChunk } from '../domain/file-chunk.js';
import { StageType } from '../domain/stage-type.js';
import { BaseStageExecutor } from './base-stage-executor.js';
import { PassthroughStageExecutor } from './passthrough-stage-executor.js';
import type { StageCapability } from './stage-capability.js';
import { StageExecutorRegistry } from './stage-executor-registry.js';

class FakeExecutor extends BaseStageExecutor {
  constructor(
    readonly packageName: string,
    readonly capabilities: readonly StageCapability[],
  ) {
    super();
  }
  async execute(_stage: unknown, chunk: FileChunk) {
    return chunk;
  }
  async reverse(_stage: unknown, chunk: FileChunk) {
    return chunk;
  }
}

const aes = new FakeExecutor('@adapipe/plugin-encryption', [
  { stageType: StageType.Encryption, algorithm: 'aes-256-gcm', aliases: ['aes256gcm'] },
  { stageType: StageType.Encryption, algorithm: 'chacha20-poly1305', aliases: ['chacha20'] },
]);

describe('StageExecutorRegistry', () => {
  it('finds executors by type and algorithm or alias, ignoring case', () => {
    const registry = new StageExecutorRegistry([new PassthroughStageExecutor(), aes]);
    expect(registry.resolve(StageType.Encryption, 'AES256GCM')).toBe(aes);
    expect(registry.canonicalAlgorithm(StageType.Encryption, 'chacha20')).toBe('chacha20-poly1305');
    expect(registry.has(StageType.PassThrough, 'default')).toBe(true);
    expect(registry.find(StageType.Compression, 'aes-256-gcm')).toBeUndefined();
  });

  it('lists capabilities sorted, with their package', () => {
    const registry = new StageExecutorRegistry([aes, new PassthroughStageExecutor()]);
    expect(registry.capabilities.map((c) => `${c.stageType}:${c.algorithm} ${c.packageName}`)).toEqual([
      'encryption:aes-256-gcm @adapipe/plugin-encryption',
      'encryption:chacha20-poly1305 @adapipe/plugin-encryption',
      'passthrough:passthrough @adapipe/core',
    ]);
  });

  it('rejects an alias that collides with another package', () => {
    const clash = new FakeExecutor('other-crypto', [{ stageType: StageType.Encryption, algorithm: 'aes256gcm' }]);
    expect(() => new StageExecutorRegistry([aes, clash])).toThrow(
      'Two executors claim encryption:aes256gcm: @adapipe/plugin-encryption and other-crypto; load only one of them',
    );
  });

  it('lists what is installed when nothing matches, and "(none)" when empty', () => {
    expect(() => new StageExecutorRegistry([aes]).resolve(StageType.Compression, 'zstd')).toThrow(
      'No executor for compression:zstd; installed: encryption:aes-256-gcm, encryption:chacha20-poly1305.',
    );
    expect(() => new StageExecutorRegistry([]).resolve(StageType.Checksum, 'sha256')).toThrow('installed: (none).');
  });
});
