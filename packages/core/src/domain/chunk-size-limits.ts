import { PipelineError } from '../errors/pipeline-error.js';
import { KiB, MiB } from './byte-size.js';

/** The smallest chunk size a stage or run may ask for: 1 KiB. */
export const MIN_CHUNK_SIZE = KiB;
/** The largest chunk size a stage or run may ask for: 100 MiB. */
export const MAX_CHUNK_SIZE = 100 * MiB;

/**
 * Returns `size` if it is a whole number of bytes within 1 KiB–100 MiB.
 *
 * @throws {PipelineError} `InvalidConfiguration` otherwise, naming the limits and the value.
 */
export function requireChunkSize(size: number): number {
  if (!Number.isInteger(size) || size < MIN_CHUNK_SIZE || size > MAX_CHUNK_SIZE) {
    throw new PipelineError(
      'InvalidConfiguration',
      `Chunk size must be between 1KB and 100MB (${MIN_CHUNK_SIZE}..${MAX_CHUNK_SIZE} bytes), found ${size}`,
    );
  }
  return size;
}
