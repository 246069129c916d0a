export {
  assertStageExecutorConformance,
  stageExecutorConformanceChecks,
  type ConformanceCheck,
  type ConformanceSubject,
  type Corruption,
} from './conformance-kit.js';
export { compressibleBytes, randomBytes } from './test-data.js';
export { rejectionOf, thrownBy } from './pipeline-error-of.js';
export { testStage } from './test-stage.js';
