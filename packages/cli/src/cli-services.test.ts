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
      [StageType.Transform, 'tee'],
      [StageType.Transform, 'debug'],
      [StageType.PassThrough, 'tee'],
      [StageType.PassThrough, 'debug'],
    ] as const) {
      expect(registry.has(type, algorithm), `${type}:${algorithm}`).toBe(true);
    }
  });

  it('loads only the official plugins serving the stages a run needs', async () => {
    const { registry } = await createCliServices({
      stages: [
        { type: StageType.Checksum, algorithm: 'sha256' },
        { type: StageType.Compression, algorithm: 'zstd' },
      ],
    });
    expect(registry.has(StageType.Checksum, 'sha256')).toBe(true);
    expect(registry.has(StageType.Compression, 'zstd')).toBe(true);
    expect(registry.has(StageType.Encryption, 'aes-256-gcm')).toBe(false);
    expect(registry.has(StageType.Transform, 'debug')).toBe(false);
  });

  it('loads the tee and debug plugins for transform stages', async () => {
    const { registry } = await createCliServices({ stages: [{ type: StageType.Transform, algorithm: 'tee' }] });
    expect(registry.has(StageType.Transform, 'tee')).toBe(true);
    expect(registry.has(StageType.Transform, 'debug')).toBe(true);
    expect(registry.has(StageType.Compression, 'zstd')).toBe(false);
  });

  it('loads every official plugin when a needed stage is missing, so the error lists them all and suggests a name', async () => {
    const { registry } = await createCliServices({ stages: [{ type: StageType.Compression, algorithm: 'zstdd' }] });
    expect(registry.has(StageType.Encryption, 'aes-256-gcm')).toBe(true);
    expect(() => registry.resolve(StageType.Compression, 'zstdd')).toThrow(
      /^No executor for compression:zstdd \(did you mean compression:zstd\?\); installed: checksum:blake3, .*encryption:aes-256-gcm, .*transform:tee\. /,
    );
  });
});
