import { decodeChunkMetadata, encodeChunkMetadata, PipelineError } from '@adapipe/core/kernel';

/**
 * The plaintext an encryption stage seals: u32 metadata length ‖ the chunk metadata of the stages
 * before it (core's encoding) ‖ the chunk's data. Sealing the metadata keeps digests of the plaintext
 * and original lengths out of the container's clear text.
 */
export function encodeSealedBody(metadata: ReadonlyMap<string, Uint8Array>, data: Uint8Array): Uint8Array {
  const prefix = sealedBodyPrefix(metadata);
  const body = new Uint8Array(prefix.length + data.length);
  body.set(prefix);
  body.set(data, prefix.length);
  return body;
}

/** The part of a sealed body before the data: u32 metadata length ‖ the encoded metadata. */
export function sealedBodyPrefix(metadata: ReadonlyMap<string, Uint8Array>): Uint8Array {
  const encoded = encodeChunkMetadata(metadata);
  const prefix = new Uint8Array(4 + encoded.length);
  new DataView(prefix.buffer).setUint32(0, encoded.length);
  prefix.set(encoded, 4);
  return prefix;
}

/**
 * Splits an opened body back into metadata and data (a view of `body`).
 *
 * @throws {PipelineError} `CorruptContainer` naming `where` when the body is malformed.
 */
export function decodeSealedBody(body: Uint8Array, where: string): { metadata: Map<string, Uint8Array>; data: Uint8Array } {
  const length = body.length >= 4 ? new DataView(body.buffer, body.byteOffset, 4).getUint32(0) : -1;
  if (length < 0 || 4 + length > body.length) {
    throw new PipelineError('CorruptContainer', `${where}: sealed body is malformed (metadata length ${length} for ${body.length} bytes)`);
  }
  return { metadata: decodeChunkMetadata(body.subarray(4, 4 + length), where), data: body.subarray(4 + length) };
}
