import { FileChunk } from '../domain/file-chunk.js';
import { encodeChunkMetadata } from './chunk-metadata-codec.js';
import { encodeContainerHeader, encodeRecord, type EncodedHeader } from './container-codec.js';
import { ChunkRole, HEADER_DIGEST_LENGTH, RecordType } from './container-format.js';
import type { ContainerHeader } from './container-header.js';
import type { ContainerSealing } from './container-sealing.js';
import { type ContainerTrailer, encodeContainerTrailer } from './container-trailer.js';

/**
 * Writes one container front to back as buffers to emit in order: the opening (preamble, header,
 * checksum and, when sealed, the header MAC), one record per processed chunk, and the trailer
 * record. It counts what it emitted; the stages' work (and sealing the trailer) stays with the caller.
 *
 * @example
 * ```ts
 * const writer = new ContainerWriter(header, sealing);
 * yield* writer.opening();
 * for await (const chunk of processed) yield* writer.record(chunk);
 * yield* writer.closing(await seal(writer.trailerChunk(trailer, bytesIn)));
 * ```
 */
export class ContainerWriter {
  /** The header as encoded (its digest is what records are bound to). */
  readonly encoded: EncodedHeader;
  readonly #sealing: ContainerSealing;
  #chunkCount = 0;
  #bytesWritten = 0;

  /** Encodes `header` (encrypted when `sealing` has a header key) and binds the data records to it. */
  constructor(header: ContainerHeader, sealing: ContainerSealing) {
    this.#sealing = sealing;
    this.encoded = encodeContainerHeader(header, sealing.sealed);
    sealing.bindRecords(this.encoded.checksum, ChunkRole.Data);
  }

  /** Chunk records emitted so far. */
  get chunkCount(): number {
    return this.#chunkCount;
  }

  /** Bytes emitted so far. */
  get bytesWritten(): number {
    return this.#bytesWritten;
  }

  /** The preamble and header, its checksum and, when sealed, its MAC. */
  opening(): Uint8Array[] {
    const { bytes, checksum } = this.encoded;
    const parts = this.#sealing.sealed ? [bytes, checksum, this.#sealing.headerMac(bytes)] : [bytes, checksum];
    this.#bytesWritten += bytes.length + HEADER_DIGEST_LENGTH * (parts.length - 1);
    return parts;
  }

  /** The record of one processed chunk (its payload not copied). */
  record(chunk: FileChunk): Uint8Array[] {
    this.#chunkCount++;
    return this.#count(
      encodeRecord(RecordType.Chunk, chunk.sequenceNumber, chunk.isFinal, encodeChunkMetadata(chunk.metadata), chunk.data, this.encoded),
    );
  }

  /**
   * The trailer as a chunk for the encrypting stage to seal (or to pass to {@link closing} as is),
   * numbered after the last chunk at `offset`; records sealed from now on are bound as the trailer.
   */
  trailerChunk(trailer: ContainerTrailer, offset: number): FileChunk {
    this.#sealing.bindRecords(this.encoded.checksum, ChunkRole.Trailer);
    return new FileChunk(this.#chunkCount, encodeContainerTrailer(trailer), { offset, isFinal: true });
  }

  /** The trailer record, from the (sealed) chunk {@link trailerChunk} gave. */
  closing(sealed: FileChunk): Uint8Array[] {
    return this.#count(
      encodeRecord(RecordType.Trailer, this.#chunkCount, false, encodeChunkMetadata(sealed.metadata), sealed.data, this.encoded),
    );
  }

  #count(parts: Uint8Array[]): Uint8Array[] {
    for (const part of parts) this.#bytesWritten += part.length;
    return parts;
  }
}
