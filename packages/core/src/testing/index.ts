export {
  assertStageExecutorConformance,
  stageExecutorConformanceChecks,
} from './conformance-kit.js';
export type { ConformanceCheck, ConformanceSubject, Corruption } from './conformance-kit.js';
export { compressibleBytes, randomBytes } from './test-data.js';
export { rejectionOf, thrownBy } from './pipeline-error-of.js';
