import { StageExecutor } from '@adapipe/core';
import { ContainerModule } from 'inversify';
import type { CompressionAlgorithm } from './compression-algorithm.js';
import {
  resolveCompressionModuleOptions,
  type CompressionModuleOptions,
  type ResolvedCompressionModuleOptions,
} from './compression-module-options.js';
import type { CompressionStageExecutor } from './compression-stage-executor.js';
import { BrotliStageExecutor } from './brotli-stage-executor.js';
import { GzipStageExecutor } from './gzip-stage-executor.js';
import { Lz4StageExecutor } from './lz4-stage-executor.js';
import { ZstdStageExecutor } from './zstd-stage-executor.js';

/**
 * The DI module of this package: binds one executor per offered algorithm (brotli, gzip, lz4, zstd
 * by default) to core's `StageExecutor` token, as constant values shared by every run. Options are
 * validated here, before the module is built.
 *
 * @throws {TypeError | RangeError} naming the offending option (see {@link resolveCompressionModuleOptions}).
 * @example
 * ```ts
 * import 'reflect-metadata';
 * const container = new Container();
 * container.load(coreContainerModule(), compressionContainerModule({ defaultLevels: { zstd: 6 } }));
 * const executor = container.get(DispatchingStageExecutor);
 * ```
 */
export function compressionContainerModule(options?: CompressionModuleOptions): ContainerModule {
  const resolved = resolveCompressionModuleOptions(options);
  return new ContainerModule(({ bind }) => {
    for (const algorithm of resolved.algorithms) {
      bind(StageExecutor).toConstantValue(createCompressionExecutor(algorithm, resolved));
    }
  });
}

function createCompressionExecutor(algorithm: CompressionAlgorithm, options: ResolvedCompressionModuleOptions): CompressionStageExecutor {
  const defaultLevel = options.defaultLevels[algorithm];
  switch (algorithm) {
    case 'brotli':
      return new BrotliStageExecutor({ defaultLevel });
    case 'gzip':
      return new GzipStageExecutor({ defaultLevel });
    case 'lz4':
      return new Lz4StageExecutor();
    case 'zstd':
      return new ZstdStageExecutor({ defaultLevel });
  }
}
