import {
  createAdapipe,
  DispatchingStageExecutor,
  FileChunk,
  KiB,
  PipelineError,
  type PipelineStage,
  ProcessingContext,
  StageExecutorRegistry,
  StageType,
} from '@adapipe/core';
import { compressibleBytes, stageExecutorConformanceChecks, type Corruption, testStage } from '@adapipe/core/testing';
import type { Container } from 'inversify';
import { describe, expect, it } from 'vitest';
import { compressionAlgorithms, compressionLevelRanges, type CompressionAlgorithm } from './compression-algorithm.js';
import { compressionContainerModule } from './compression-container-module.js';
import type { CompressionModuleOptions } from './compression-module-options.js';
import type { CompressionStageExecutor } from './compression-stage-executor.js';

const chunkSize = 64 * KiB;

/** What each algorithm's format truly detects: brotli has no checksum, so a bit flip may pass. */
const detects: Record<CompressionAlgorithm, readonly Corruption[]> = {
  brotli: ['truncation', 'garbage'],
  gzip: ['bit-flip', 'truncation', 'garbage'],
  lz4: ['bit-flip', 'truncation', 'garbage'],
  zstd: ['bit-flip', 'truncation', 'garbage'],
};

function load(options?: CompressionModuleOptions): Container {
  return createAdapipe(compressionContainerModule(options)).container;
}

function compressionStage(name: string, algorithm: string, level?: number): PipelineStage {
  const parameters: Record<string, string> = level === undefined ? {} : { level: String(level) };
  return testStage(name, StageType.Compression, algorithm, parameters);
}

/** The default level, and for algorithms with levels the lowest and highest too. */
function stagesFor(algorithm: CompressionAlgorithm): PipelineStage[] {
  const range = compressionLevelRanges[algorithm];
  const stages = [compressionStage(`${algorithm}-default`, algorithm)];
  if (range !== undefined) {
    stages.push(compressionStage(`${algorithm}-min`, algorithm, range.min), compressionStage(`${algorithm}-max`, algorithm, range.max));
  }
  return stages;
}

describe('compressionContainerModule through core DI', () => {
  const executor = load().get(DispatchingStageExecutor);

  for (const algorithm of compressionAlgorithms) {
    describe(algorithm, () => {
      for (const check of stageExecutorConformanceChecks({
        executor,
        stages: stagesFor(algorithm),
        chunkSize,
        detects: detects[algorithm],
      })) {
        it(check.name, check.run);
      }
    });
  }

  it('registers every algorithm with its aliases', () => {
    const registry = load().get(StageExecutorRegistry);
    for (const [alias, canonical] of [
      ['zstandard', 'zstd'],
      ['ZST', 'zstd'],
      ['gz', 'gzip'],
      ['br', 'brotli'],
      ['lz4-frame', 'lz4'],
    ] as const) {
      expect(registry.canonicalAlgorithm(StageType.Compression, alias)).toBe(canonical);
    }
    const served = registry.capabilities.filter((c) => c.stageType === StageType.Compression).map((c) => c.algorithm);
    expect(served.sort()).toEqual([...compressionAlgorithms]);
  });

  it('offers only the algorithms asked for', async () => {
    const limited = load({ algorithms: ['zstd', 'lz4'] }).get(DispatchingStageExecutor);
    const failure = limited.execute(compressionStage('pack', 'gzip'), new FileChunk(0, Uint8Array.of(1)), new ProcessingContext('p'));
    await expect(failure).rejects.toSatisfy((error) => PipelineError.is(error, 'ExecutorNotFound'));
    await expect(failure).rejects.toThrow(/installed: .*compression:lz4.*compression:zstd/);
  });

  it('applies default levels from the module options', async () => {
    const data = compressibleBytes(256 * KiB).map((byte, index) => (index % 7 === 0 ? (byte * index) & 0xff : byte));
    const run = async (container: Container, stage: PipelineStage) =>
      (await container.get(DispatchingStageExecutor).execute(stage, new FileChunk(0, data), new ProcessingContext('p'))).data;
    const tuned = load({ defaultLevels: { zstd: 19, gzip: 9 } });
    const registry = tuned.get(StageExecutorRegistry);
    expect((registry.resolve(StageType.Compression, 'zstd') as CompressionStageExecutor).defaultLevel).toBe(19);
    expect((registry.resolve(StageType.Compression, 'brotli') as CompressionStageExecutor).defaultLevel).toBe(4);
    for (const [algorithm, level] of [
      ['zstd', 19],
      ['gzip', 9],
    ] as const) {
      const byDefault = await run(tuned, compressionStage('pack', algorithm));
      expect(byDefault).toEqual(await run(load(), compressionStage('pack', algorithm, level)));
      expect(byDefault).not.toEqual(await run(load(), compressionStage('pack', algorithm, 1)));
    }
  });
});
