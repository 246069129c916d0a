import { PipelineError } from '@adapipe/core/kernel';
import type { CompressionAlgorithm } from './compression-algorithm.js';
import { decodeUncompressedLength, encodeUncompressedLength, UNCOMPRESSED_LENGTH_BYTES } from './uncompressed-length.js';

/** One algorithm's work on whole buffers, synchronous or not. */
export interface ChunkCodec {
  /** Compresses `data`; must not modify it. */
  compress(data: Uint8Array): Uint8Array | Promise<Uint8Array>;
  /** Decompresses `data` into at most `length` bytes (more is an error, never an allocation). */
  decompress(data: Uint8Array, length: number): Uint8Array | Promise<Uint8Array>;
}

/** What the per-chunk work needs of a chunk. */
interface CompressedChunk {
  readonly sequenceNumber: number;
  readonly data: Uint8Array;
  readonly metadata: ReadonlyMap<string, Uint8Array>;
}

/**
 * The forward work of a compression stage on one chunk, shared by the executors and their
 * kernels: the compressed data, and the metadata with the uncompressed length (4 bytes,
 * big-endian) added under `stageName`.
 *
 * @throws {PipelineError} `CompressionFailed` naming the algorithm, stage and chunk.
 */
export async function compressChunk(
  algorithm: CompressionAlgorithm,
  stageName: string,
  chunk: CompressedChunk,
  codec: ChunkCodec,
): Promise<{ data: Uint8Array; metadata: Map<string, Uint8Array> }> {
  try {
    const length = encodeUncompressedLength(chunk.data.length);
    const data = await codec.compress(chunk.data);
    const metadata = new Map(chunk.metadata);
    metadata.set(stageName, length);
    return { data, metadata };
  } catch (error) {
    throw failure(algorithm, 'compression', stageName, chunk.sequenceNumber, firstLine(error), error);
  }
}

/**
 * The reverse work of a compression stage on one chunk: reads the uncompressed length recorded
 * under `stageName`, refuses one above `limit` before allocating anything, decompresses and
 * checks the result is exactly that long.
 *
 * @throws {PipelineError} `LimitExceeded` for a length above `limit`, `CompressionFailed` for a
 * missing or malformed length, corrupt or truncated data, or a size mismatch.
 */
export async function decompressChunk(
  algorithm: CompressionAlgorithm,
  stageName: string,
  chunk: CompressedChunk,
  limit: number,
  codec: ChunkCodec,
): Promise<Uint8Array> {
  const entry = chunk.metadata.get(stageName);
  const length = decodeUncompressedLength(entry);
  if (length === undefined) {
    const found = entry === undefined ? 'none' : `${entry.length} bytes`;
    throw failure(
      algorithm,
      'decompression',
      stageName,
      chunk.sequenceNumber,
      `missing or malformed uncompressed length (expected a ${UNCOMPRESSED_LENGTH_BYTES}-byte metadata entry '${stageName}', found ${found})`,
    );
  }
  if (length > limit) {
    throw new PipelineError(
      'LimitExceeded',
      `Stage '${stageName}' (compression:${algorithm}) chunk ${chunk.sequenceNumber}: declares ${length} uncompressed bytes, above the restore limit of ${limit}; raise the limit only for trusted input`,
    );
  }
  let data: Uint8Array;
  try {
    data = await codec.decompress(chunk.data, length);
  } catch (error) {
    if (PipelineError.is(error)) throw error;
    throw failure(algorithm, 'decompression', stageName, chunk.sequenceNumber, firstLine(error), error);
  }
  if (data.length !== length) {
    throw failure(algorithm, 'decompression', stageName, chunk.sequenceNumber, `produced ${data.length} bytes, not the declared ${length}`);
  }
  return data;
}

function failure(
  algorithm: CompressionAlgorithm,
  direction: 'compression' | 'decompression',
  stageName: string,
  sequenceNumber: number,
  reason: string,
  cause?: unknown,
): PipelineError {
  return new PipelineError(
    'CompressionFailed',
    `Stage '${stageName}' (compression:${algorithm}) chunk ${sequenceNumber}: ${direction} failed: ${reason}`,
    cause === undefined ? {} : { cause },
  );
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n', 1)[0] ?? text;
}
