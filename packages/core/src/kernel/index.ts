/**
 * What chunk kernels import from core (`@adapipe/core/kernel`): the kernel contract, the error
 * class, the metadata codec and the hashes (BLAKE3, SHA-2), and nothing that needs DI, so a kernel loads fast on a worker thread.
 */
export type { ChunkKernel, ChunkKernelFactory, KernelBuffers, KernelChunk, RecyclingBuffers, StageKernel } from './chunk-kernel.js';
export { decodeChunkMetadata, encodeChunkMetadata } from '../format/chunk-metadata-codec.js';
export { MAX_CHUNK_SIZE } from '../domain/chunk-size-limits.js';
export { PipelineError } from '../errors/pipeline-error.js';
export type { PipelineErrorKind } from '../errors/pipeline-error-kind.js';
export { loadBlake3, loadNativeBlake3, loadWasmBlake3, type Blake3Backend } from '../digest/blake3-backend.js';
export { createRunningHash, type RunningHash, type RunningHashAlgorithm } from '../digest/running-hash.js';
