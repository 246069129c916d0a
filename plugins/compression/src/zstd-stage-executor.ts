import {
  MAX_CHUNK_SIZE,
  RestoreChunkLimitKey,
  type PipelineStage,
  type ProcessingContext,
  type StageDirection,
  type StageKernel,
} from '@adapipe/core';
import { CompressionStageExecutor, type CompressionStageExecutorOptions } from './compression-stage-executor.js';
import type { ZstdKernelConfig } from './kernels.js';
import { ZstdCodec } from './zstd-codec.js';

/** Options for {@link ZstdStageExecutor}. */
export type ZstdStageExecutorOptions = CompressionStageExecutorOptions;

/**
 * Zstandard (zstd-napi). Levels 1–22, default 3. Frames carry the content size and a content
 * checksum (xxHash64), so bit flips are detected. Before decompressing, the frame's declared content
 * size must equal the declared length; decompression then writes into a buffer of exactly that
 * length and fails if the data holds more. zstd-napi is synchronous: in a run, the chunk engine
 * runs this stage's kernel on its worker threads; called directly, `execute` and `reverse` work
 * on the calling thread.
 */
export class ZstdStageExecutor extends CompressionStageExecutor {
  protected override readonly throughputBytesPerSecond = 150_000_000;
  #codec: ZstdCodec | undefined;

  /** @throws {RangeError} when `options.defaultLevel` is not within 1–22. */
  constructor(options: ZstdStageExecutorOptions = {}) {
    super(
      { algorithm: 'zstd', aliases: ['zstandard', 'zst'], description: 'Zstandard (zstd-napi), levels 1-22, content checksum' },
      options,
    );
  }

  /** The stage's zstd work as a kernel for the chunk engine's worker threads. */
  kernel(stage: PipelineStage, context: ProcessingContext, _direction: StageDirection): StageKernel {
    const config: ZstdKernelConfig = {
      stageName: stage.name,
      level: this.levelFor(stage)!,
      limit: context.get(RestoreChunkLimitKey) ?? MAX_CHUNK_SIZE,
    };
    return { module: import.meta.resolve('@adapipe/plugin-compression/kernels'), factory: 'zstdKernel', config };
  }

  protected async compress(data: Uint8Array, level: number | undefined): Promise<Uint8Array> {
    return this.#inline().compress(data, level ?? this.defaultLevel!);
  }

  protected async decompress(data: Uint8Array, length: number): Promise<Uint8Array> {
    return this.#inline().decompress(data, length);
  }

  #inline(): ZstdCodec {
    this.#codec ??= new ZstdCodec();
    return this.#codec;
  }
}
