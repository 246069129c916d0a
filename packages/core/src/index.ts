export { decodeChunkMetadata, encodeChunkMetadata } from './format/chunk-metadata-codec.js';
export {
  CONTAINER_FORMAT_VERSION,
  CONTAINER_MAGIC,
  MAX_HEADER_LENGTH,
  MAX_METADATA_LENGTH,
  maxPayloadLength,
  READABLE_FORMAT_VERSIONS,
  restoreChunkLimit,
  ChunkRole,
} from './format/container-format.js';
export { ContainerSealing, ContainerSealingKey } from './format/container-sealing.js';
export type { ContainerDigestAlgorithm, ContainerHeader, ContainerStageRecord } from './format/container-header.js';
export { trailerAttributes, type ContainerTrailer } from './format/container-trailer.js';
export type { BlockRequest, SkippableSource } from './format/byte-reader.js';
export { surveyContainer, type ContainerSurvey } from './format/container-survey.js';
export { skippableFileSource } from './format/skippable-file-source.js';
export { coreContainerModule, bindCoreServices } from './di/core-container-module.js';
export { createAdapipe, type AdapipeServices } from './di/create-adapipe.js';
export { GiB, KiB, MiB } from './domain/byte-size.js';
export { MAX_CHUNK_SIZE, MIN_CHUNK_SIZE, requireChunkSize } from './domain/chunk-size-limits.js';
export { closestName } from './domain/closest-name.js';
export { ChunkSizePolicy, type ChunkSizeBand } from './domain/chunk-size-policy.js';
export { ContextKey } from './domain/context-key.js';
export { KeyDerivationScope, KeyDerivationScopeKey, type KeyDerivation } from './domain/key-derivation-scope.js';
export { fileAttributesOf, FILE_MODE_BITS, MAX_MTIME_MS, type FileAttributes } from './domain/file-attributes.js';
export { FileChunk, type FileChunkOptions } from './domain/file-chunk.js';
export { Pipeline, type PipelineJson } from './domain/pipeline.js';
export { PipelineStage, type PipelineStageJson, type StageIdentity } from './domain/pipeline-stage.js';
export { ProcessingContext, type ProcessingContextOptions } from './domain/processing-context.js';
export { RandomSourceKey, RestoreChunkLimitKey, runRandomBytes, RunSecretKey, type RunSecret } from './domain/run-context-keys.js';
export { ResourceRequirements } from './domain/resource-requirements.js';
export { areStageTypesCompatible, incompatibilityReason, stageCompatibility } from './domain/stage-compatibility.js';
export { StageConfiguration, type StageConfigurationJson, type StageParametersInput } from './domain/stage-configuration.js';
export type { StageMetrics, StageSample } from './domain/stage-metrics.js';
export { isStageType, parseStageType, StageType, stageTypes } from './domain/stage-type.js';
export { PipelineError, type PipelineErrorOptions } from './errors/pipeline-error.js';
export { PipelineErrorKind } from './errors/pipeline-error-kind.js';
export { BaseStageExecutor } from './executor/base-stage-executor.js';
export { capabilityServes, observingCapabilities, type StageCapability } from './executor/stage-capability.js';
export { defineModuleOptions, type ModuleOptionSchema } from './parameters/module-options.js';
export { group, instance, listOf, type FieldGroup, type FieldMap, type GroupValue, type ListSettings } from './parameters/option-fields.js';
export { describeFound } from './parameters/describe-found.js';
export type * from './parameters/parameter-field.js';
export {
  boolean,
  filePath,
  integer,
  oneOf,
  text,
  type ChoiceSettings,
  type IntegerSettings,
  type PathSettings,
  type TextSettings,
} from './parameters/scalar-fields.js';
export {
  defineStageParameters,
  stageLabel,
  type StageParameterFields,
  type StageParameterSchema,
  type StageParameterValues,
} from './parameters/stage-parameters.js';
export { DispatchingStageExecutor } from './executor/dispatching-stage-executor.js';
export { PassthroughStageExecutor } from './executor/passthrough-stage-executor.js';
export { StageExecutor, type StageDirection } from './executor/stage-executor.js';
export { StageExecutorRegistry, type RegisteredCapability } from './executor/stage-executor-registry.js';
export type { ChunkKernel, ChunkKernelFactory, KernelBuffers, KernelChunk, RecyclingBuffers, StageKernel } from './kernel/chunk-kernel.js';
export { PipelineRepository, type PipelineSummary } from './repository/pipeline-repository.js';
export {
  checkOutputTarget,
  writeFileAtomically,
  type AtomicTarget,
  type AtomicWriteOptions,
  type StreamTargetKind,
  type WriteFileAtomicallyOptions,
} from './runner/atomic-file-writer.js';
export {
  assertDistinctPaths,
  inputFileSize,
  inputFileStat,
  readFileBlocks,
  sanitizeFileName,
  type ReadFileOptions,
} from './runner/file-input.js';
export { ChunkEngine, EngineSession, MAX_WORKERS, type EngineSessionOptions } from './engine/chunk-engine.js';
export { PipelineRunner } from './runner/pipeline-runner.js';
export type * from './runner/run-options.js';
export type { ContainerRun, RunResult } from './runner/run-result.js';
export { SequenceGate, type SequenceGateOptions } from './engine/sequence-gate.js';
export {
  createProcessStream,
  createProcessWebStream,
  createRestoreStream,
  createRestoreWebStream,
  type PipelineStream,
  type PipelineWebStream,
} from './runner/stream-adapters.js';
