export { deltaDecode, deltaEncode } from './delta-coding.js';
export { deltaContainerModule, deltaContainerModule as default } from './delta-container-module.js';
export { resolveDeltaModuleOptions, type DeltaModuleOptions, type ResolvedDeltaModuleOptions } from './delta-module-options.js';
export { DELTA_STRIDE_RANGE, deltaParameters } from './delta-parameters.js';
export { DeltaStageExecutor } from './delta-stage-executor.js';
