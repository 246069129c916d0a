import { StageType } from '@adapipe/core';
import { describe, expect, it } from 'vitest';
import { createCliServices } from './cli-services.js';

describe('createCliServices', () => {
  it('loads every official plugin by default', async () => {
    const { registry } = await createCliServices();
    for (const [type, algorithm] of [
      [StageType.Compression, 'zstd'],
      [StageType.Encryption, 'aes-256-gcm'],
      [StageType.Checksum, 'blake3'],
      [StageType.PassThrough, 'tee'],
      [StageType.PassThrough, 'debug'],
    ] as const) {
      expect(registry.has(type, algorithm), `${type}:${algorithm}`).toBe(true);
    }
  });

  it('loads only the official plugins serving the stage types a run needs', async () => {
    const { registry } = await createCliServices({ stageTypes: [StageType.Checksum, StageType.Compression] });
    expect(registry.has(StageType.Checksum, 'sha256')).toBe(true);
    expect(registry.has(StageType.Compression, 'zstd')).toBe(true);
    expect(registry.has(StageType.Encryption, 'aes-256-gcm')).toBe(false);
    expect(registry.has(StageType.PassThrough, 'debug')).toBe(false);
  });
});
