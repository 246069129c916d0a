export { debugContainerModule } from './debug-container-module.js';
export { DebugMetrics, debugMetricNames } from './debug-metrics.js';
export { DebugMetricsRegistry } from './debug-metrics-registry.js';
export { defaultMaxChunkSeriesPerLabel } from './debug-options.js';
export type { DebugOptions } from './debug-options.js';
export { debugParameters, maxDebugLabelLength } from './debug-parameters.js';
export type { DebugParameters } from './debug-parameters.js';
export { DebugStageExecutor } from './debug-stage-executor.js';
