export { decodeChunkMetadata, encodeChunkMetadata } from './format/chunk-metadata-codec.js';
export {
  CONTAINER_FORMAT_VERSION,
  CONTAINER_MAGIC,
  MAX_HEADER_LENGTH,
  MAX_METADATA_LENGTH,
  maxPayloadLength,
  READABLE_FORMAT_VERSIONS,
  restoreChunkLimit,
} from './format/container-format.js';
export { ChunkRole } from './format/container-format.js';
export { ContainerSealing, ContainerSealingKey } from './format/container-sealing.js';
export type { ContainerDigestAlgorithm, ContainerHeader, ContainerStageRecord } from './format/container-header.js';
export type { ContainerTrailer } from './format/container-trailer.js';
export type { BlockRequest, SkippableSource } from './format/byte-reader.js';
export { surveyContainer } from './format/container-survey.js';
export type { ContainerSurvey } from './format/container-survey.js';
export { skippableFileSource } from './format/skippable-file-source.js';
export { coreContainerModule, bindCoreServices } from './di/core-container-module.js';
export { createAdapipe } from './di/create-adapipe.js';
export type { AdapipeServices } from './di/create-adapipe.js';
export { GiB, KiB, MiB } from './domain/byte-size.js';
export { MAX_CHUNK_SIZE, MIN_CHUNK_SIZE, requireChunkSize } from './domain/chunk-size-limits.js';
export { closestName } from './domain/closest-name.js';
export { ChunkSizePolicy } from './domain/chunk-size-policy.js';
export type { ChunkSizeBand } from './domain/chunk-size-policy.js';
export { ContextKey } from './domain/context-key.js';
export { FileChunk } from './domain/file-chunk.js';
export type { FileChunkOptions } from './domain/file-chunk.js';
export { Pipeline } from './domain/pipeline.js';
export type { PipelineJson } from './domain/pipeline.js';
export { PipelineStage } from './domain/pipeline-stage.js';
export type { PipelineStageJson } from './domain/pipeline-stage.js';
export { ProcessingContext } from './domain/processing-context.js';
export type { ProcessingContextOptions } from './domain/processing-context.js';
export {
  RandomSourceKey,
  RestoreChunkLimitKey,
  runRandomBytes,
  RunSecretKey,
} from './domain/run-context-keys.js';
export type { RunSecret } from './domain/run-context-keys.js';
export { ResourceRequirements } from './domain/resource-requirements.js';
export {
  areStageTypesCompatible,
  incompatibilityReason,
  stageCompatibility,
} from './domain/stage-compatibility.js';
export { StageConfiguration } from './domain/stage-configuration.js';
export type { StageConfigurationJson, StageParametersInput } from './domain/stage-configuration.js';
export type { StageMetrics, StageSample } from './domain/stage-metrics.js';
export { isStageType, parseStageType, StageType, stageTypes } from './domain/stage-type.js';
export { PipelineError } from './errors/pipeline-error.js';
export type { PipelineErrorOptions } from './errors/pipeline-error.js';
export { PipelineErrorKind } from './errors/pipeline-error-kind.js';
export { BaseStageExecutor } from './executor/base-stage-executor.js';
export { capabilityServes, observingCapabilities } from './executor/stage-capability.js';
export { defineModuleOptions } from './parameters/module-options.js';
export type { ModuleOptionSchema } from './parameters/module-options.js';
export { group, instance, listOf } from './parameters/option-fields.js';
export type { FieldGroup, FieldMap, GroupValue, ListSettings } from './parameters/option-fields.js';
export { describeFound } from './parameters/describe-found.js';
export type * from './parameters/parameter-field.js';
export { boolean, filePath, integer, oneOf, text } from './parameters/scalar-fields.js';
export type { ChoiceSettings, IntegerSettings, PathSettings, TextSettings } from './parameters/scalar-fields.js';
export { defineStageParameters, stageLabel } from './parameters/stage-parameters.js';
export type { StageParameterFields, StageParameterSchema, StageParameterValues } from './parameters/stage-parameters.js';
export { DispatchingStageExecutor } from './executor/dispatching-stage-executor.js';
export { PassthroughStageExecutor } from './executor/passthrough-stage-executor.js';
export type { StageCapability } from './executor/stage-capability.js';
export { StageExecutor } from './executor/stage-executor.js';
export type { StageDirection } from './executor/stage-executor.js';
export { StageExecutorRegistry } from './executor/stage-executor-registry.js';
export type { RegisteredCapability } from './executor/stage-executor-registry.js';
export type { ChunkKernel, ChunkKernelFactory, KernelBuffers, KernelChunk, RecyclingBuffers, StageKernel } from './kernel/chunk-kernel.js';
export { PipelineRepository } from './repository/pipeline-repository.js';
export type { PipelineSummary } from './repository/pipeline-repository.js';
export { checkOutputTarget, writeFileAtomically } from './runner/atomic-file-writer.js';
export type { AtomicTarget, AtomicWriteOptions, StreamTargetKind } from './runner/atomic-file-writer.js';
export { assertDistinctPaths, inputFileSize, readFileBlocks, sanitizeFileName } from './runner/file-input.js';
export type { ReadFileOptions } from './runner/file-input.js';
export { ChunkEngine, EngineSession, MAX_WORKERS } from './engine/chunk-engine.js';
export type { EngineSessionOptions } from './engine/chunk-engine.js';
export { PipelineRunner } from './runner/pipeline-runner.js';
export type * from './runner/run-options.js';
export type { ContainerRun, RunResult } from './runner/run-result.js';
export { SequenceGate } from './engine/sequence-gate.js';
export type { SequenceGateOptions } from './engine/sequence-gate.js';
export {
  createProcessStream,
  createProcessWebStream,
  createRestoreStream,
  createRestoreWebStream,
} from './runner/stream-adapters.js';
export type { PipelineStream, PipelineWebStream } from './runner/stream-adapters.js';
