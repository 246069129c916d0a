import { FileChunk } from '../domain/file-chunk.js';
import { PipelineError } from '../errors/pipeline-error.js';
import type { ByteReader } from './byte-reader.js';
import { decodeChunkMetadata } from './chunk-metadata-codec.js';
import { checkTrailerRecord, type ContainerRecord, type EncodedHeader, readContainerHeader, readRecord } from './container-codec.js';
import { ChunkRole, RecordType } from './container-format.js';
import type { ContainerSealing } from './container-sealing.js';
import { type ContainerTrailer, decodeContainerTrailer } from './container-trailer.js';
import { RecordOrder } from './record-order.js';

/** What a restore computed, to be compared with what the trailer records. */
export interface RestoredFigures {
  readonly chunkCount: number;
  readonly bytes: number;
  /** The whole-file digest, hex, in the header's `digestAlgorithm`. */
  readonly digest: string;
  /** Whole-stream digests the stages computed, by stage name, hex. */
  readonly checksums: ReadonlyMap<string, string>;
}

/**
 * Reads one container front to back: the header (checksum checked on {@link ContainerReader.open},
 * MAC on {@link ContainerReader.authenticate}), the chunk records in order (each checked for its
 * place: no gap, duplicate, reordering or record after the final one), and the trailer, which
 * must end the input and must match what was restored.
 *
 * @example
 * ```ts
 * const container = await ContainerReader.open(reader, 'in.adapipe');
 * container.authenticate(sealing);
 * for await (const chunk of container.chunks()) restored.push(await reverse(chunk));
 * const trailer = container.decodeTrailer((await openTrailer(await container.trailerChunk(size))).data);
 * container.checkRestored(trailer, figures);
 * ```
 */
export class ContainerReader {
  readonly #reader: ByteReader;
  readonly #mac: Uint8Array | undefined;
  readonly #where: string;
  #sealing: ContainerSealing | undefined;
  #trailer: ContainerRecord | undefined;

  private constructor(reader: ByteReader, encoded: EncodedHeader, mac: Uint8Array | undefined, where: string) {
    this.#reader = reader;
    this.encoded = encoded;
    this.#mac = mac;
    this.#where = where;
  }

  /** The header as read. */
  readonly encoded: EncodedHeader;

  /**
   * Reads and checks the preamble, header and header checksum from `reader`; `where` names the
   * container in error messages.
   *
   * @throws {PipelineError} `NotAContainer`, `UnsupportedFormat`, `LimitExceeded`, `CorruptContainer`.
   */
  static async open(reader: ByteReader, where: string): Promise<ContainerReader> {
    const { encoded, mac } = await readContainerHeader(reader, where);
    return new ContainerReader(reader, encoded, mac, where);
  }

  /**
   * Binds the records to this container's header in `sealing` and, when `checkMac` is set and the
   * container is encrypted, checks the header MAC under the key the encrypting stage gave.
   *
   * @throws {PipelineError} `WrongKey` when the MAC does not match.
   */
  authenticate(sealing: ContainerSealing, checkMac = true): void {
    if (checkMac && this.encoded.encrypted && !sealing.verifyHeaderMac(this.encoded.bytes, this.#mac!)) {
      throw new PipelineError('WrongKey', `${this.#where}: wrong password or key (the header MAC does not match)`);
    }
    sealing.bindRecords(this.encoded.checksum, ChunkRole.Data);
    this.#sealing = sealing;
  }

  /**
   * The chunk records in order, as chunks to reverse (payload and decoded metadata), until the
   * trailer; `onRecord` gets the bytes read so far after each.
   *
   * @throws {PipelineError} `CorruptContainer` for a damaged or misplaced record, `LimitExceeded`.
   */
  async *chunks(onRecord?: (bytesRead: number) => void): AsyncGenerator<FileChunk> {
    const { chunkSize } = this.encoded.header;
    const order: RecordOrder = new RecordOrder(this.#where);
    for (;;) {
      const record = await readRecord(this.#reader, this.encoded, this.#where);
      order.accept(record);
      if (record.type === RecordType.Trailer) {
        this.#trailer = record;
        return;
      }
      onRecord?.(this.#reader.position);
      yield new FileChunk(record.sequence, record.payload, {
        offset: record.sequence * chunkSize,
        isFinal: record.isFinal,
        metadata: decodeChunkMetadata(record.metadata, `${this.#where}: chunk ${record.sequence}`),
      });
    }
  }

  /**
   * Checks a restored chunk's size: the chunk size, except the final chunk (1 to the chunk size,
   * or 0 for an empty input's only chunk).
   *
   * @throws {PipelineError} `IntegrityFailed`.
   */
  checkRestoredChunk(chunk: FileChunk): void {
    const { chunkSize } = this.encoded.header;
    const expected = chunk.isFinal ? undefined : chunkSize;
    if ((expected !== undefined && chunk.size !== expected) || chunk.size > chunkSize || (chunk.size === 0 && chunk.sequenceNumber > 0)) {
      throw new PipelineError(
        'IntegrityFailed',
        `${this.#where}: chunk ${chunk.sequenceNumber} restored to ${chunk.size} bytes; expected ${expected ?? `1..${chunkSize}`}`,
      );
    }
  }

  /**
   * The trailer record, once {@link chunks} ended, as a chunk to open (numbered after the last
   * chunk, at `offset`); checks that nothing follows it, and binds records as the trailer from now on.
   *
   * @throws {PipelineError} `CorruptContainer`.
   */
  async trailerChunk(offset: number): Promise<FileChunk> {
    const record = this.#trailer;
    if (record === undefined) throw new PipelineError('Internal', `${this.#where}: the trailer was asked for before the chunks were read`);
    await checkTrailerRecord(this.#reader, record, this.encoded.encrypted, this.#where);
    this.#sealing?.bindRecords(this.encoded.checksum, ChunkRole.Trailer);
    return new FileChunk(record.sequence, record.payload, {
      offset,
      isFinal: true,
      metadata: decodeChunkMetadata(record.metadata, `${this.#where}: trailer`),
    });
  }

  /** Decodes the (opened) trailer bytes. @throws {PipelineError} `CorruptContainer`. */
  decodeTrailer(bytes: Uint8Array): ContainerTrailer {
    return decodeContainerTrailer(bytes, this.#where);
  }

  /**
   * Checks what was restored against the trailer: chunk count, size, whole-file digest, and the
   * stages' whole-stream digests (the same names, the same values).
   *
   * @throws {PipelineError} `IntegrityFailed` saying what differs.
   */
  checkRestored(trailer: ContainerTrailer, restored: RestoredFigures): void {
    const where = this.#where;
    if (trailer.chunkCount !== restored.chunkCount || trailer.originalSize !== restored.bytes || trailer.digest !== restored.digest) {
      const algorithm = this.encoded.header.digestAlgorithm;
      throw new PipelineError(
        'IntegrityFailed',
        `${where}: restored ${restored.chunkCount} chunks, ${restored.bytes} bytes, ${algorithm} ${restored.digest}; the trailer records ${trailer.chunkCount} chunks, ${trailer.originalSize} bytes, ${algorithm} ${trailer.digest}`,
      );
    }
    const recordedNames = Object.keys(trailer.checksums).sort();
    const computedNames = [...restored.checksums.keys()].sort();
    if (recordedNames.join('\n') !== computedNames.join('\n')) {
      throw new PipelineError(
        'IntegrityFailed',
        `${where}: the trailer records whole-stream digests for [${recordedNames.join(', ')}] but the stages computed [${computedNames.join(', ')}]`,
      );
    }
    for (const [name, expected] of Object.entries(trailer.checksums)) {
      const actual = restored.checksums.get(name)!;
      if (actual !== expected) {
        throw new PipelineError(
          'IntegrityFailed',
          `${where}: stage '${name}' whole-stream digest ${actual} differs from the recorded ${expected}`,
        );
      }
    }
  }
}
