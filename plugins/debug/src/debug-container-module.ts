import { StageExecutor } from '@adapipe/core';
import { ContainerModule } from 'inversify';
import { DebugMetrics } from './debug-metrics.js';
import { DebugMetricsRegistry } from './debug-metrics-registry.js';
import type { DebugOptions } from './debug-options.js';
import { DebugStageExecutor } from './debug-stage-executor.js';

/**
 * The debug plugin's DI module: binds a {@link DebugStageExecutor} (`transform:debug` and `passthrough:debug`) to core's
 * `StageExecutor` token, its {@link DebugMetrics} to that class, and {@link DebugMetricsRegistry}
 * to the registry in `options` (or a new one). Options are checked here, before the module is built;
 * the metrics are registered in the registry at that point too.
 *
 * @throws {TypeError} or {RangeError} naming the option when `options` is invalid.
 * @example
 * ```ts
 * const registry = new Registry();
 * container.load(coreContainerModule(), debugContainerModule({ registry, perChunkMetrics: true }));
 * ```
 */
export function debugContainerModule(options: DebugOptions = {}): ContainerModule {
  const metrics = new DebugMetrics(options);
  const executor = new DebugStageExecutor(metrics);
  return new ContainerModule(({ bind }) => {
    bind(DebugMetricsRegistry).toConstantValue(metrics.registry);
    bind(DebugMetrics).toConstantValue(metrics);
    bind(StageExecutor).toConstantValue(executor);
  });
}
