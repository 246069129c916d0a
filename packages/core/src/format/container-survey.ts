import { PipelineError } from '../errors/pipeline-error.js';
import { ByteReader, type SkippableSource } from './byte-reader.js';
import { checkTrailerRecord, readContainerHeader, readRecordBody, readRecordFrame, type RecordFrame } from './container-codec.js';
import { RECORD_CRC_LENGTH, RecordType } from './container-format.js';
import type { ContainerHeader } from './container-header.js';
import { type ContainerTrailer, decodeContainerTrailer } from './container-trailer.js';
import { RecordOrder } from './record-order.js';

/** What can be learnt of a container without its secret and without running any stage. */
export interface ContainerSurvey {
  readonly header: ContainerHeader;
  /** The container's format version. */
  readonly version: number;
  readonly encrypted: boolean;
  /** The container's size in bytes. */
  readonly containerSize: number;
  /** How many chunk records it holds. */
  readonly chunkCount: number;
  /** The trailer (original size, name, digests), or `undefined` when it is sealed by encryption. */
  readonly trailer: ContainerTrailer | undefined;
}

/**
 * Walks a container's records by their lengths, without decompressing or decrypting anything:
 * checks the header checksum, the record order and limits, and the trailer's CRC, and reads the
 * trailer when it is not encrypted. Chunk payloads are passed over (with no I/O at all for a
 * {@link SkippableSource} such as {@link skippableFileSource}), so it costs a few reads per chunk.
 * Chunk contents are not authenticated: restore or verify for that.
 *
 * @throws {PipelineError} `NotAContainer`, `UnsupportedFormat`, `CorruptContainer` (bad header,
 * record out of order, truncation, damaged trailer, data after it), `LimitExceeded`.
 */
export async function surveyContainer(source: AsyncIterable<Uint8Array> | SkippableSource, where = 'container'): Promise<ContainerSurvey> {
  const reader = new ByteReader(source, where);
  try {
    const { encoded } = await readContainerHeader(reader, where);
    const order: RecordOrder = new RecordOrder(where);
    let frame: RecordFrame | undefined = await readRecordFrame(reader, encoded, where);
    order.accept(frame);
    while (frame.type !== RecordType.Trailer) {
      await reader.skip(frame.metadataLength + frame.payloadLength + RECORD_CRC_LENGTH, `record ${frame.sequence}`);
      frame = await readRecordFrame(reader, encoded, where);
      order.accept(frame);
    }
    const sealed = await readRecordBody(reader, frame, encoded, where);
    await checkTrailerRecord(reader, sealed, encoded.encrypted, where);
    const survey = {
      header: encoded.header,
      version: encoded.version,
      encrypted: encoded.encrypted,
      containerSize: reader.position,
      chunkCount: order.chunkCount,
    };
    if (encoded.encrypted) return { ...survey, trailer: undefined };
    const trailer = decodeContainerTrailer(sealed.payload, where);
    if (trailer.chunkCount !== order.chunkCount) {
      throw new PipelineError(
        'CorruptContainer',
        `${where}: the trailer records ${trailer.chunkCount} chunks; the container holds ${order.chunkCount}`,
      );
    }
    return { ...survey, trailer };
  } finally {
    await reader.close();
  }
}
