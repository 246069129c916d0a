export {
  checksumAlgorithms,
  checksumAlgorithmSpecs,
  describeChecksumAlgorithms,
  findChecksumAlgorithm,
  parseChecksumAlgorithm,
} from './checksum-algorithm.js';
export type { ChecksumAlgorithm, ChecksumAlgorithmSpec } from './checksum-algorithm.js';
export { checksumContainerModule } from './checksum-container-module.js';
export { resolveChecksumModuleOptions } from './checksum-module-options.js';
export type { ChecksumModuleOptions, ResolvedChecksumModuleOptions } from './checksum-module-options.js';
export { ChecksumStageExecutor } from './checksum-stage-executor.js';
export { computeDigest } from './compute-digest.js';
export { createDigest } from './create-digest.js';
export type { StreamDigest } from './create-digest.js';
export { OrderedStreamDigest } from './ordered-stream-digest.js';
