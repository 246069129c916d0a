export { debugContainerModule } from './debug-container-module.js';
export { DebugMetrics, debugMetricNames } from './debug-metrics.js';
export { DebugMetricsRegistry } from './debug-metrics-registry.js';
export { defaultMaxChunkSeriesPerLabel, type DebugOptions } from './debug-options.js';
export { debugParameters, maxDebugLabelLength, type DebugParameters } from './debug-parameters.js';
export { DebugStageExecutor } from './debug-stage-executor.js';
