/**
 * What chunk kernels import from core (`@adapipe/core/kernel`): the kernel contract, the error
 * class and the metadata codec, and nothing that needs DI, so a kernel loads fast on a worker thread.
 */
export type { ChunkKernel, ChunkKernelFactory, KernelBuffers, KernelChunk, RecyclingBuffers, StageKernel } from './chunk-kernel.js';
export { decodeChunkMetadata, encodeChunkMetadata } from '../container/chunk-metadata-codec.js';
export { MAX_CHUNK_SIZE } from '../domain/chunk-size-limits.js';
export { PipelineError } from '../errors/pipeline-error.js';
export type { PipelineErrorKind } from '../errors/pipeline-error-kind.js';
