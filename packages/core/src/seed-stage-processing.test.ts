/**
 * Every code example of the seed chapter "Stage Processing", translated line by line:
 * accessors are read-only properties, `Result` is a thrown `PipelineError`, `Duration` is milliseconds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAdapipe } from './di/create-adapipe.js';
import { MiB } from './domain/byte-size.js';
import { FileChunk } from './domain/file-chunk.js';
import { PipelineStage } from './domain/pipeline-stage.js';
import { ProcessingContext } from './domain/processing-context.js';
import { ResourceRequirements } from './domain/resource-requirements.js';
import { StageConfiguration } from './domain/stage-configuration.js';
import { parseStageType, StageType } from './domain/stage-type.js';
import { PipelineError } from './errors/pipeline-error.js';
import type { StageExecutor } from './executor/stage-executor.js';

const passthroughStage = () => new PipelineStage('debug-tap', StageType.PassThrough, StageConfiguration.default(), 0);

describe('Stage Types', () => {
  it('parses stage types case-insensitively and displays them lowercase', () => {
    const compression = parseStageType('compression');
    expect(compression).toBe(StageType.Compression);

    const encryption = parseStageType('ENCRYPTION');
    expect(encryption).toBe(StageType.Encryption);

    expect(`${StageType.Checksum}`).toBe('checksum');
  });

  it('supports exhaustive pattern matching', () => {
    function describeStage(stageType: StageType): string {
      switch (stageType) {
        case StageType.Compression:
          return 'Reduces data size';
        case StageType.Encryption:
          return 'Secures data';
        case StageType.Transform:
          return 'Modifies data structure';
        case StageType.Checksum:
          return 'Verifies data integrity';
        case StageType.PassThrough:
          return 'No modification';
      }
    }
    expect(describeStage(StageType.Transform)).toBe('Modifies data structure');
    expect(describeStage(StageType.PassThrough)).toBe('No modification');
  });
});

describe('Stage Entity', () => {
  it('creates a stage', () => {
    const params = new Map<string, string>();
    params.set('level', '6');

    const config = new StageConfiguration('brotli', params, true);
    const stage = new PipelineStage(
      'compression',
      StageType.Compression,
      config,
      0, // Order: execute first
    );

    expect(stage.name).toBe('compression');
    expect(stage.stageType).toBe(StageType.Compression);
    expect(stage.algorithm).toBe('brotli');
    expect(stage.enabled).toBe(true);
  });

  it('modifies stage state', () => {
    const stage = new PipelineStage('checksum', StageType.Checksum, StageConfiguration.default(), 0);

    stage.setEnabled(false);
    expect(stage.enabled).toBe(false);

    const newParams = new Map([['algorithm', 'sha512']]);
    const newConfig = new StageConfiguration('sha512', newParams, true);
    stage.updateConfiguration(newConfig);

    stage.updateOrder(2);
    expect(stage.order).toBe(2);

    stage.setEnabled(true);
    expect(stage.enabled).toBe(true);
    expect(stage.algorithm).toBe('sha512');
  });
});

describe('Stage Configuration', () => {
  it('builds a compression configuration', () => {
    const config = new StageConfiguration('zstd', { level: '9' }, true /* Enable parallel processing */);
    expect(config.algorithm).toBe('zstd');
    expect(config.parameters).toEqual({ level: '9' });
    expect(config.parallelProcessing).toBe(true);
  });

  it('builds an encryption configuration', () => {
    const config = new StageConfiguration('aes256gcm', { key_size: '256' }, false /* Sequential */);
    expect(config.parallelProcessing).toBe(false);
    expect(config.parameters.key_size).toBe('256');
  });

  it('has the seed default', () => {
    const config = StageConfiguration.default();
    expect(config.algorithm).toBe('default');
    expect(config.parameters).toEqual({});
    expect(config.parallelProcessing).toBe(true);
    expect(config.chunkSize).toBeUndefined();
  });
});

describe('Stage Lifecycle', () => {
  it('moves updatedAt on configuration and order changes, keeps createdAt', async () => {
    const stage = new PipelineStage('compression', StageType.Compression, StageConfiguration.default(), 0);
    const created = stage.createdAt;

    const before = stage.updatedAt;
    stage.updateConfiguration(new StageConfiguration('zstd'));
    expect(stage.updatedAt.getTime()).toBeGreaterThan(before.getTime());

    const beforeOrder = stage.updatedAt;
    stage.updateOrder(1);
    expect(stage.updatedAt.getTime()).toBeGreaterThan(beforeOrder.getTime());
    expect(stage.createdAt).toBe(created);
  });

  it('executes through an executor', async () => {
    const { executor } = createAdapipe();
    const chunk = new FileChunk(0, Uint8Array.of(1, 2, 3));
    const context = new ProcessingContext('pipeline-123');
    const result = await executor.execute(passthroughStage(), chunk, context);
    expect([...result.data]).toEqual([1, 2, 3]);
  });
});

describe('Compatibility and Ordering', () => {
  it('compression comes before encryption', () => {
    const compression = new PipelineStage('compression', StageType.Compression, StageConfiguration.default(), 0);
    const encryption = new PipelineStage('encryption', StageType.Encryption, StageConfiguration.default(), 1);
    expect(compression.isCompatibleWith(encryption)).toBe(true);
  });
});

describe('Resource Management', () => {
  it('has the seed default requirements', () => {
    const requirements = ResourceRequirements.default();
    expect(requirements.memoryBytes).toBe(64 * MiB);
    expect(requirements.cpuCores).toBe(1);
    expect(requirements.diskSpaceBytes).toBe(0);
    expect(requirements.networkBandwidthBps).toBeUndefined();
    expect(requirements.gpuMemoryBytes).toBeUndefined();
    expect(requirements.estimatedDurationMs).toBe(1000);
  });

  it('builds custom requirements', () => {
    const requirements = new ResourceRequirements(
      128 * 1024 * 1024, // 128 MB memory
      4, // 4 CPU cores
      1024 * 1024 * 1024, // 1 GB disk space
    )
      .withDuration(30_000)
      .withNetworkBandwidth(100_000_000); // 100 Mbps
    expect(requirements.memoryBytes).toBe(128 * MiB);
    expect(requirements.estimatedDurationMs).toBe(30_000);
    expect(requirements.networkBandwidthBps).toBe(100_000_000);
  });

  it('estimates resources through an executor', async () => {
    const { executor } = createAdapipe();
    const requirements = await executor.getResourceRequirements(passthroughStage(), 10 * 1024 * 1024);
    expect(requirements.memoryBytes).toBeGreaterThan(0);
    expect(requirements.cpuCores).toBeGreaterThanOrEqual(1);
    expect(requirements.estimatedDurationMs).toBeGreaterThan(0);
  });

  it('scales requirements in place', () => {
    const requirements = ResourceRequirements.default();
    expect(requirements.scale(2.0)).toBe(requirements); // Double all requirements
    expect(requirements.memoryBytes).toBe(128 * MiB);
    expect(requirements.cpuCores).toBe(2);
    expect(requirements.estimatedDurationMs).toBe(2000);
  });

  it('merges requirements taking the maximum of each field', () => {
    const req1 = ResourceRequirements.default();
    const req2 = new ResourceRequirements(256_000_000, 2, 0);
    expect(req1.merge(req2)).toBe(req1);
    expect(req1.memoryBytes).toBe(256_000_000);
    expect(req1.cpuCores).toBe(2);
    expect(req1.diskSpaceBytes).toBe(0);
  });
});

describe('Usage Examples', () => {
  it('Example 1: creates a compression stage', () => {
    const config = new StageConfiguration('zstd', { level: '9' }, true);
    const compressionStage = new PipelineStage('fast-compression', StageType.Compression, config, 1);
    expect(compressionStage.name).toBe('fast-compression');
    expect(compressionStage.algorithm).toBe('zstd');
  });

  it('Example 2: creates an encryption stage', () => {
    const config = new StageConfiguration('aes256gcm', { key_size: '256' }, false);
    const encryptionStage = new PipelineStage('secure-encryption', StageType.Encryption, config, 2);
    expect(encryptionStage.order).toBe(2);
    expect(encryptionStage.configuration.parallelProcessing).toBe(false);
  });

  it('Example 3: builds a complete, compatible pipeline', () => {
    const stages: PipelineStage[] = [];
    stages.push(new PipelineStage('input-checksum', StageType.Checksum, new StageConfiguration('sha256', {}, true), 0));
    stages.push(new PipelineStage('compression', StageType.Compression, new StageConfiguration('brotli', { level: '6' }, true), 1));
    stages.push(new PipelineStage('encryption', StageType.Encryption, new StageConfiguration('aes256gcm', { key_size: '256' }, false), 2));
    stages.push(new PipelineStage('output-checksum', StageType.Checksum, new StageConfiguration('sha256', {}, true), 3));
    for (let i = 0; i < stages.length - 1; i++) {
      expect(stages[i]!.isCompatibleWith(stages[i + 1]!)).toBe(true);
    }
  });

  it('Example 4: executes a stage on one chunk', async () => {
    const { executor }: { executor: StageExecutor } = createAdapipe();
    const stage = passthroughStage();
    const chunk = new FileChunk(0, Uint8Array.of(1, 2, 3, 4, 5));
    const context = new ProcessingContext('pipeline-123');
    const result = await executor.execute(stage, chunk, context);
    expect(result.data.length).toBe(5);
  });

  it('Example 5: executes chunks in parallel', async () => {
    const { executor } = createAdapipe();
    const chunks = [
      new FileChunk(0, Uint8Array.of(1, 2, 3)),
      new FileChunk(1, Uint8Array.of(4, 5, 6)),
      new FileChunk(2, Uint8Array.of(7, 8, 9)),
    ];
    const context = new ProcessingContext('pipeline-123');
    const results = await executor.executeParallel(passthroughStage(), chunks, context);
    expect(results.length).toBe(3);
    expect(results.map((chunk) => chunk.sequenceNumber)).toEqual([0, 1, 2]);
  });
});

describe('Performance Considerations', () => {
  it('sets a 4 MB chunk size on a configuration', () => {
    let config = StageConfiguration.default();
    config = config.with({ chunkSize: 4 * 1024 * 1024 }); // 4 MB chunks
    expect(config.chunkSize).toBe(4 * MiB);
  });
});

describe('Best Practices', () => {
  it('validates a stage before execution', () => {
    const stage = new PipelineStage('input-checksum', StageType.Checksum, StageConfiguration.default(), 0);
    expect(() => stage.validate()).not.toThrow();
  });

  it('handles stage-specific errors by kind', async () => {
    const { executor } = createAdapipe();
    const stage = new PipelineStage('compress', StageType.Compression, new StageConfiguration('brotli'), 0);
    let handled = '';
    try {
      await executor.execute(stage, new FileChunk(0, Uint8Array.of(1)), new ProcessingContext('p'));
    } catch (error) {
      if (PipelineError.is(error, 'CompressionFailed')) handled = 'compression';
      else if (PipelineError.is(error, 'EncryptionFailed')) handled = 'encryption';
      else if (PipelineError.is(error)) handled = error.kind;
    }
    expect(handled).toBe('ExecutorNotFound');
  });
});

describe('Troubleshooting', () => {
  it('Issue 1: an empty stage name fails validation', () => {
    expect(() => new PipelineStage('', StageType.Compression, StageConfiguration.default(), 0)).toThrow(
      expect.objectContaining({ kind: 'InvalidConfiguration', message: 'Stage name cannot be empty' }),
    );
  });

  it('Issue 2: incompatible stage order is detected before adding', () => {
    const previous = new PipelineStage('encrypt', StageType.Encryption, StageConfiguration.default(), 0);
    const next = new PipelineStage('compress', StageType.Compression, StageConfiguration.default(), 1);
    expect(previous.isCompatibleWith(next)).toBe(false);
  });

  it('Issue 3: chunk sizes outside 1KB–100MB are rejected', () => {
    const config = StageConfiguration.default();
    expect(config.with({ chunkSize: 4 * 1024 * 1024 }).chunkSize).toBe(4 * MiB);
    for (const bad of [512, 200_000_000]) {
      expect(() => config.with({ chunkSize: bad })).toThrow(
        expect.objectContaining({
          kind: 'InvalidConfiguration',
          message: expect.stringContaining('Chunk size must be between 1KB and 100MB'),
        }),
      );
    }
  });

  it('Issue 4: a smaller chunk size and no parallelism can be configured', () => {
    const stage = new PipelineStage('compress', StageType.Compression, new StageConfiguration('zstd'), 0);
    const config = stage.configuration.with({ chunkSize: 1 * 1024 * 1024, parallelProcessing: false });
    stage.updateConfiguration(config);
    expect(stage.configuration.chunkSize).toBe(MiB);
    expect(stage.configuration.parallelProcessing).toBe(false);
  });

  it('Issue 5: an unsupported stage reports ExecutorNotFound and lists supported types', async () => {
    const { executor } = createAdapipe();
    expect(executor.supportedStageTypes()).toEqual(['passthrough']);
    const stage = new PipelineStage('custom', StageType.Transform, new StageConfiguration('custom-stage'), 0);
    await expect(executor.execute(stage, new FileChunk(0, new Uint8Array()), new ProcessingContext('p'))).rejects.toThrow(
      'No executor for transform:custom-stage',
    );
  });

  it('Issue 6: estimates duration and memory for diagnosis', async () => {
    const { executor } = createAdapipe();
    const stage = passthroughStage();
    const requirements = await executor.getResourceRequirements(stage, 100 * MiB);
    const duration = await executor.estimateProcessingTime(stage, 100 * MiB);
    expect(duration).toBeGreaterThan(0);
    expect(requirements.estimatedDurationMs).toBe(duration);
  });
});

describe('Testing Strategies', () => {
  it('creates a stage', () => {
    expect(() => new PipelineStage('test-stage', StageType.Compression, StageConfiguration.default(), 0)).not.toThrow();
  });

  it('rejects an empty name', () => {
    expect(() => new PipelineStage('', StageType.Compression, StageConfiguration.default(), 0)).toThrow(PipelineError);
  });

  it('preserves any stage order (property)', () => {
    fc.assert(
      fc.property(fc.nat({ max: 2 ** 32 - 1 }), (order) => {
        const stage = new PipelineStage('test', StageType.Checksum, StageConfiguration.default(), order);
        return stage.order === order;
      }),
    );
  });

  it('checks compression → encryption → checksum compatibility', () => {
    const createStage = (type: StageType, order: number) =>
      new PipelineStage(`${type}-${order}`, type, StageConfiguration.default(), order);
    const compression = createStage(StageType.Compression, 0);
    const encryption = createStage(StageType.Encryption, 1);
    expect(compression.isCompatibleWith(encryption)).toBe(true);
    expect(encryption.isCompatibleWith(createStage(StageType.Checksum, 2))).toBe(true);
  });
});
