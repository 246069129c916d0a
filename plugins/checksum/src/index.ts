export {
  checksumAlgorithms,
  checksumAlgorithmSpecs,
  describeChecksumAlgorithms,
  findChecksumAlgorithm,
  parseChecksumAlgorithm,
  type ChecksumAlgorithm,
  type ChecksumAlgorithmSpec,
} from './checksum-algorithm.js';
export { checksumContainerModule } from './checksum-container-module.js';
export { resolveChecksumModuleOptions, type ChecksumModuleOptions, type ResolvedChecksumModuleOptions } from './checksum-module-options.js';
export { ChecksumStageExecutor } from './checksum-stage-executor.js';
export { computeDigest } from './compute-digest.js';
export { createDigest, type StreamDigest } from './create-digest.js';
export { OrderedStreamDigest } from './ordered-stream-digest.js';
