export { BrotliStageExecutor } from './brotli-stage-executor.js';
export {
  compressionAlgorithms,
  compressionLevelRanges,
  isCompressionAlgorithm,
  type CompressionAlgorithm,
  type CompressionLevelRange,
} from './compression-algorithm.js';
export { compressionContainerModule } from './compression-container-module.js';
export {
  resolveCompressionModuleOptions,
  type CompressionModuleOptions,
  type ResolvedCompressionModuleOptions,
} from './compression-module-options.js';
export { CompressionStageExecutor, type CompressionStageExecutorOptions } from './compression-stage-executor.js';
export { GzipStageExecutor } from './gzip-stage-executor.js';
export { Lz4StageExecutor } from './lz4-stage-executor.js';
export { decodeUncompressedLength, encodeUncompressedLength, UNCOMPRESSED_LENGTH_BYTES } from './uncompressed-length.js';
export { ZstdStageExecutor, type ZstdStageExecutorOptions } from './zstd-stage-executor.js';
