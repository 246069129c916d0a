import { PipelineError, type KernelBuffers } from '@adapipe/core/kernel';
import { open, seal } from './aead/aead.js';
import { AEAD_TAG_LENGTH, type AeadAlgorithmInfo } from './aead/aead-algorithm.js';
import { chunkAssociatedData } from './aead/chunk-associated-data.js';
import { chunkNonce } from './aead/chunk-nonce.js';
import { decodeSealedBody, sealedBodyPrefix } from './sealed-chunk-body.js';

/** What the per-chunk work needs of a chunk. */
interface SealedChunk {
  readonly sequenceNumber: number;
  readonly isFinal: boolean;
  readonly data: Uint8Array;
  readonly metadata: ReadonlyMap<string, Uint8Array>;
}

/**
 * The forward work of an encryption stage on one chunk, shared by the executor and its kernel:
 * the chunk's metadata and data sealed into ciphertext ‖ 16-byte tag under the chunk's nonce and
 * associated data (its sequence number, final flag and `binding`).
 */
export function sealChunk(
  info: AeadAlgorithmInfo,
  key: Uint8Array,
  binding: Uint8Array | undefined,
  chunk: SealedChunk,
  buffers?: KernelBuffers,
): Uint8Array {
  const nonce = chunkNonce(info.nonceLength, chunk.sequenceNumber, chunk.isFinal);
  const associatedData = chunkAssociatedData(chunk.sequenceNumber, chunk.isFinal, binding);
  return seal(info.algorithm, key, nonce, [sealedBodyPrefix(chunk.metadata), chunk.data], associatedData, buffers);
}

/**
 * The reverse work: checks the chunk's tag and decrypts it; nothing is released unless the tag is
 * valid. `label` names the stage in errors, e.g. `Stage 'encrypt' (encryption:aes-256-gcm)`.
 *
 * @throws {PipelineError} `EncryptionFailed` naming the stage, algorithm and chunk when the input
 * is shorter than a tag or authentication fails; `CorruptContainer` for a malformed body.
 */
export function openChunk(
  info: AeadAlgorithmInfo,
  key: Uint8Array,
  binding: Uint8Array | undefined,
  chunk: SealedChunk,
  label: string,
): { metadata: Map<string, Uint8Array>; data: Uint8Array } {
  if (chunk.data.length < AEAD_TAG_LENGTH) {
    throw new PipelineError(
      'EncryptionFailed',
      `${label} chunk ${chunk.sequenceNumber}: input of ${chunk.data.length} bytes is shorter than the ${AEAD_TAG_LENGTH}-byte authentication tag: truncated or corrupted data`,
    );
  }
  const nonce = chunkNonce(info.nonceLength, chunk.sequenceNumber, chunk.isFinal);
  const associatedData = chunkAssociatedData(chunk.sequenceNumber, chunk.isFinal, binding);
  let plaintext: Uint8Array;
  try {
    plaintext = open(info.algorithm, key, nonce, chunk.data, associatedData);
  } catch (error) {
    throw new PipelineError(
      'EncryptionFailed',
      `${label} chunk ${chunk.sequenceNumber}: authentication failed: wrong key or corrupted data`,
      { cause: error },
    );
  }
  return decodeSealedBody(plaintext, `${label} chunk ${chunk.sequenceNumber}`);
}
