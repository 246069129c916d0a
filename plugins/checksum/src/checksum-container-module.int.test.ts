import {
  createAdapipe,
  DispatchingStageExecutor,
  FileChunk,
  PipelineError,
  ProcessingContext,
  StageExecutorRegistry,
  StageType,
} from '@adapipe/core';
import { stageExecutorConformanceChecks, testStage } from '@adapipe/core/testing';
import type { Container } from 'inversify';
import { describe, expect, it } from 'vitest';
import { checksumContainerModule } from './checksum-container-module.js';
import { resolveChecksumModuleOptions, type ChecksumModuleOptions } from './checksum-module-options.js';
import { ChecksumStageExecutor } from './checksum-stage-executor.js';
import { blake3Vectors } from './test-support/blake3-vectors.js';
import { patternBytes, toHex } from './test-support/pattern-bytes.js';

function load(options?: ChecksumModuleOptions): Container {
  return createAdapipe(checksumContainerModule(options)).container;
}

const checksumStage = (algorithm: string, name = `checksum-${algorithm}`) => testStage(name, StageType.Checksum, algorithm);

describe('checksumContainerModule conformance through DI', () => {
  const executor = load().get(DispatchingStageExecutor);
  const stages = ['sha256', 'sha512', 'blake3', 'default', 'sha-256', 'sha-512', 'b3'].map((algorithm) => checksumStage(algorithm));
  for (const check of stageExecutorConformanceChecks({ executor, stages, chunkSize: 16 * 1024 })) {
    it(check.name, check.run);
  }
});

describe('checksumContainerModule wiring', () => {
  it('registers sha256, sha512 and blake3 with their aliases under the checksum stage type', () => {
    const registry = load().get(StageExecutorRegistry);
    const installed = registry.capabilities.filter((capability) => capability.stageType === StageType.Checksum);
    expect(installed.map((capability) => [capability.algorithm, capability.packageName])).toEqual([
      ['blake3', '@adapipe/plugin-checksum'],
      ['sha256', '@adapipe/plugin-checksum'],
      ['sha512', '@adapipe/plugin-checksum'],
    ]);
    expect(registry.canonicalAlgorithm(StageType.Checksum, 'default')).toBe('sha256');
    expect(registry.canonicalAlgorithm(StageType.Checksum, 'SHA-512')).toBe('sha512');
    expect(registry.canonicalAlgorithm(StageType.Checksum, 'b3')).toBe('blake3');
    expect(registry.resolve(StageType.Checksum, 'sha256')).toBeInstanceOf(ChecksumStageExecutor);
  });

  it('runs a stage through the dispatcher and records the whole-stream digest', async () => {
    const executor = load().get(DispatchingStageExecutor);
    const stage = checksumStage('blake3', 'input-checksum');
    const vector = blake3Vectors.find((candidate) => candidate.chunkSize !== undefined)!;
    const data = patternBytes(vector.length);
    const chunks = [0, 1, 2].map(
      (index) =>
        new FileChunk(index, data.subarray(index * vector.chunkSize!, (index + 1) * vector.chunkSize!), {
          offset: index * vector.chunkSize!,
          isFinal: index === 2,
        }),
    );
    const context = new ProcessingContext('di');
    await executor.startRun(stage, context, 'forward');
    const out = await executor.executeParallel(stage, [chunks[2]!, chunks[0]!, chunks[1]!], context);
    await executor.finishRun(stage, context, 'forward');
    expect(toHex(context.checksums.get('input-checksum')!)).toBe(vector.digest);
    expect(out.map((chunk) => chunk.metadata.get('input-checksum')?.length)).toEqual([32, 32, 32]);
    expect(context.stageMetrics.get('input-checksum')).toMatchObject({ chunks: 3, bytesIn: vector.length, bytesOut: vector.length });
  });

  it('installs only the algorithms asked for', async () => {
    const container = load({ algorithms: ['B3', 'sha-512'] });
    const registry = container.get(StageExecutorRegistry);
    expect(registry.has(StageType.Checksum, 'blake3')).toBe(true);
    expect(registry.has(StageType.Checksum, 'sha512')).toBe(true);
    expect(registry.has(StageType.Checksum, 'sha256')).toBe(false);
    const failure = container
      .get(DispatchingStageExecutor)
      .execute(checksumStage('default'), new FileChunk(0, Uint8Array.of(1)), new ProcessingContext('p'));
    await expect(failure).rejects.toSatisfy((error) => PipelineError.is(error, 'ExecutorNotFound'));
  });

  it('reads aliases in any case and lists each algorithm once', () => {
    expect(resolveChecksumModuleOptions({ algorithms: ['SHA-256', 'b3', 'sha256', 'default'] })).toEqual({
      algorithms: ['sha256', 'blake3'],
    });
  });

  const list = 'a list of at least 1 values, each one of sha256, sha512, blake3';
  it.each([
    ['a non-object', 'sha256', TypeError, 'checksumContainerModule: options must be an object, found "sha256"'],
    [
      'an unknown option',
      { algorithm: ['sha256'] },
      TypeError,
      "checksumContainerModule: option 'algorithm' is unknown; did you mean 'algorithms'? known options: algorithms",
    ],
    [
      'algorithms not an array',
      { algorithms: 'sha256' },
      TypeError,
      `checksumContainerModule: option 'algorithms' must be ${list}, found "sha256"`,
    ],
    ['no algorithms', { algorithms: [] }, RangeError, `checksumContainerModule: option 'algorithms' must be ${list}, found an empty list`],
    [
      'a non-string algorithm',
      { algorithms: ['sha256', 3] },
      TypeError,
      "checksumContainerModule: option 'algorithms[1]' must be one of sha256, sha512, blake3, found 3",
    ],
    [
      'an unknown algorithm',
      { algorithms: ['md5'] },
      RangeError,
      `checksumContainerModule: option 'algorithms[0]' must be one of sha256, sha512, blake3, found "md5"`,
    ],
  ])('rejects %s before building the module', (_case, options, type, message) => {
    expect(() => checksumContainerModule(options as ChecksumModuleOptions)).toThrow(new type(message));
  });
});
