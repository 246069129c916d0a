export { deltaDecode, deltaEncode } from './delta-coding.js';
export { deltaContainerModule, deltaContainerModule as default } from './delta-container-module.js';
export {
  DELTA_STRIDE_RANGE,
  resolveDeltaModuleOptions,
  type DeltaModuleOptions,
  type ResolvedDeltaModuleOptions,
} from './delta-module-options.js';
export { DeltaStageExecutor } from './delta-stage-executor.js';
