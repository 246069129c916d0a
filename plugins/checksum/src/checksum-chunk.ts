import { PipelineError } from '@adapipe/core/kernel';
import type { ChecksumAlgorithm } from './checksum-algorithm.js';
import { computeDigest } from './compute-digest.js';

/** What the per-chunk checks need of a chunk. */
interface DigestedChunk {
  readonly sequenceNumber: number;
  readonly data: Uint8Array;
  readonly metadata: ReadonlyMap<string, Uint8Array>;
}

/**
 * The chunk's metadata with its digest added under `stageName`: the forward work of a checksum
 * stage on one chunk, shared by the executor and its kernel.
 *
 * @throws {PipelineError} `ProcessingFailed` when the digest cannot be computed.
 */
export async function withChunkDigest(
  stageName: string,
  algorithm: ChecksumAlgorithm,
  chunk: DigestedChunk,
): Promise<Map<string, Uint8Array>> {
  const metadata = new Map(chunk.metadata);
  metadata.set(stageName, await chunkDigest(stageName, algorithm, chunk));
  return metadata;
}

/**
 * Checks the chunk against the digest recorded under `stageName`: the reverse work of a checksum
 * stage on one chunk.
 *
 * @throws {PipelineError} `IntegrityFailed` when no digest was recorded or the digests differ.
 */
export async function checkChunkDigest(stageName: string, algorithm: ChecksumAlgorithm, chunk: DigestedChunk): Promise<void> {
  const recorded = chunk.metadata.get(stageName);
  if (recorded === undefined) {
    throw new PipelineError(
      'IntegrityFailed',
      `Stage '${stageName}' (checksum:${algorithm}) cannot verify chunk ${chunk.sequenceNumber}: no digest was recorded for it under '${stageName}'; restore it with the pipeline that produced it`,
    );
  }
  const computed = await chunkDigest(stageName, algorithm, chunk);
  if (!bytesEqual(recorded, computed)) {
    throw new PipelineError(
      'IntegrityFailed',
      `Stage '${stageName}' (checksum:${algorithm}) rejected chunk ${chunk.sequenceNumber}: recorded digest ${hex(recorded)}, computed ${hex(computed)}; the chunk was corrupted after it was written`,
    );
  }
}

async function chunkDigest(stageName: string, algorithm: ChecksumAlgorithm, chunk: DigestedChunk): Promise<Uint8Array> {
  try {
    return await computeDigest(algorithm, chunk.data);
  } catch (error) {
    throw new PipelineError(
      'ProcessingFailed',
      `Stage '${stageName}' (checksum:${algorithm}) could not digest chunk ${chunk.sequenceNumber}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false;
  return true;
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}
