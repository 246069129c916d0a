import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { PipelineError } from '../errors/pipeline-error.js';
import type { ByteReader } from './byte-reader.js';
import { decodeChunkMetadata } from './chunk-metadata-codec.js';
import {
  CONTAINER_FORMAT_VERSION,
  CONTAINER_MAGIC,
  READABLE_FORMAT_VERSIONS,
  FLAG_ENCRYPTED,
  HEADER_DIGEST_LENGTH,
  MAX_CHUNK_COUNT,
  MAX_HEADER_LENGTH,
  MAX_METADATA_LENGTH,
  maxPayloadLength,
  PREAMBLE_LENGTH,
  RECORD_CRC_LENGTH,
  RECORD_FLAG_FINAL,
  RECORD_HEADER_LENGTH,
  RecordType,
} from './container-format.js';
import { MAX_JSON_NESTING, nestsDeeperThan } from './json-nesting.js';
import { type ContainerHeader, parseContainerHeader } from './container-header.js';

/** A container's preamble and header as written or read. */
export interface EncodedHeader {
  /** The parsed header. */
  readonly header: ContainerHeader;
  /** The format version of the preamble. */
  readonly version: number;
  /** Whether the encrypted flag is set (a header MAC follows the checksum). */
  readonly encrypted: boolean;
  /** Preamble and header JSON: the bytes the checksum and MAC cover. */
  readonly bytes: Uint8Array;
  /** SHA-256 of {@link EncodedHeader.bytes}: the header digest chunks are bound to. */
  readonly checksum: Uint8Array;
}

/** A record as read from a container. */
export interface ContainerRecord {
  readonly type: RecordType;
  readonly sequence: number;
  readonly isFinal: boolean;
  readonly metadata: Uint8Array;
  readonly payload: Uint8Array;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** Encodes the preamble and header JSON and computes their checksum. */
export function encodeContainerHeader(header: ContainerHeader, encrypted: boolean): EncodedHeader {
  const json = encoder.encode(JSON.stringify(header));
  const bytes = new Uint8Array(PREAMBLE_LENGTH + json.length);
  const view = new DataView(bytes.buffer);
  bytes.set(CONTAINER_MAGIC, 0);
  view.setUint16(8, CONTAINER_FORMAT_VERSION);
  view.setUint16(10, encrypted ? FLAG_ENCRYPTED : 0);
  view.setUint32(12, json.length);
  bytes.set(json, PREAMBLE_LENGTH);
  return { header, version: CONTAINER_FORMAT_VERSION, encrypted, bytes, checksum: sha256(bytes) };
}

/**
 * Reads and checks the preamble, header and header checksum; returns the header and, for an
 * encrypted container, the MAC still to be verified once the key is known.
 *
 * @throws {PipelineError} `NotAContainer` without the magic, `UnsupportedFormat` for another
 * version or unknown flags, `LimitExceeded` for an oversized header, `CorruptContainer` for a
 * truncated or damaged header.
 */
export async function readContainerHeader(
  reader: ByteReader,
  where: string,
): Promise<{ encoded: EncodedHeader; mac: Uint8Array | undefined }> {
  const preamble = await reader.readUpTo(PREAMBLE_LENGTH);
  const magicLength = Math.min(preamble.length, CONTAINER_MAGIC.length);
  if (preamble.length === 0 || !bytesEqual(preamble.subarray(0, magicLength), CONTAINER_MAGIC.subarray(0, magicLength))) {
    throw new PipelineError('NotAContainer', `${where}: not an adapipe container (no ADAPIPE magic at byte 0)`);
  }
  if (preamble.length < PREAMBLE_LENGTH) {
    throw new PipelineError('CorruptContainer', `${where}: truncated at byte ${preamble.length}, inside the preamble`);
  }
  const view = new DataView(preamble.buffer, preamble.byteOffset, preamble.byteLength);
  const version = view.getUint16(8);
  if (!READABLE_FORMAT_VERSIONS.includes(version)) {
    throw new PipelineError(
      'UnsupportedFormat',
      `${where}: container format version ${version}; this release reads versions ${READABLE_FORMAT_VERSIONS.join(' and ')}`,
    );
  }
  const flags = view.getUint16(10);
  if ((flags & ~FLAG_ENCRYPTED) !== 0) {
    throw new PipelineError('UnsupportedFormat', `${where}: unknown preamble flags 0x${flags.toString(16)}`);
  }
  const headerLength = view.getUint32(12);
  if (headerLength === 0 || headerLength > MAX_HEADER_LENGTH) {
    throw new PipelineError('LimitExceeded', `${where}: header length ${headerLength} is outside 1..${MAX_HEADER_LENGTH} bytes`);
  }
  const json = await reader.read(headerLength, 'the header');
  const bytes = new Uint8Array(PREAMBLE_LENGTH + headerLength);
  bytes.set(preamble, 0);
  bytes.set(json, PREAMBLE_LENGTH);
  const checksum = sha256(bytes);
  const stored = await reader.read(HEADER_DIGEST_LENGTH, 'the header checksum');
  if (!bytesEqual(checksum, stored)) {
    throw new PipelineError('CorruptContainer', `${where}: header checksum mismatch (the header or its checksum is damaged)`);
  }
  const encrypted = (flags & FLAG_ENCRYPTED) !== 0;
  const mac = encrypted ? await reader.read(HEADER_DIGEST_LENGTH, 'the header MAC') : undefined;
  let parsed: unknown;
  try {
    const text = decoder.decode(json);
    if (nestsDeeperThan(text, MAX_JSON_NESTING)) {
      throw new PipelineError('CorruptContainer', `${where}: header JSON nests deeper than ${MAX_JSON_NESTING} levels`);
    }
    parsed = JSON.parse(text);
  } catch (error) {
    if (PipelineError.is(error)) throw error;
    throw new PipelineError('CorruptContainer', `${where}: header is not valid UTF-8 JSON`);
  }
  return { encoded: { header: parseContainerHeader(parsed, version, where), version, encrypted, bytes, checksum }, mac };
}

/**
 * Encodes one record of the container `header` as buffers to write in order (the payload is not
 * copied): fixed fields, metadata, payload, then a CRC-32 over the header checksum and the record
 * (see {@link recordCrc}).
 */
export function encodeRecord(
  type: RecordType,
  sequence: number,
  isFinal: boolean,
  metadata: Uint8Array,
  payload: Uint8Array,
  header: EncodedHeader,
): Uint8Array[] {
  const fixed = new Uint8Array(RECORD_HEADER_LENGTH);
  const view = new DataView(fixed.buffer);
  fixed[0] = type;
  fixed[1] = isFinal ? RECORD_FLAG_FINAL : 0;
  view.setUint32(2, sequence);
  view.setUint32(6, metadata.length);
  view.setUint32(10, payload.length);
  const crc = new Uint8Array(RECORD_CRC_LENGTH);
  new DataView(crc.buffer).setUint32(0, recordCrc(header, fixed, metadata, payload));
  return [fixed, metadata, payload, crc];
}

/** A record's fixed fields, read and checked against the limits before anything else of it. */
export interface RecordFrame {
  readonly type: RecordType;
  readonly sequence: number;
  readonly isFinal: boolean;
  readonly metadataLength: number;
  readonly payloadLength: number;
  /** Where the record starts, from the start of the container. */
  readonly start: number;
  /** The fixed fields as read (the CRC covers them). */
  readonly fixed: Uint8Array;
}

/**
 * Reads the next record's fixed fields, checking type, flags and every length against the limits.
 * Returns `undefined` at the end of the source.
 *
 * @throws {PipelineError} `CorruptContainer` for a truncated or invalid frame, `LimitExceeded` for a
 * length over the limits.
 */
export async function readRecordFrame(reader: ByteReader, header: EncodedHeader, where: string): Promise<RecordFrame | undefined> {
  if (await reader.atEnd()) return undefined;
  const start = reader.position;
  const fixed = await reader.read(RECORD_HEADER_LENGTH, `the record at byte ${start}`);
  const view = new DataView(fixed.buffer, fixed.byteOffset, fixed.byteLength);
  const type = fixed[0]!;
  const flags = fixed[1]!;
  const sequence = view.getUint32(2);
  const metadataLength = view.getUint32(6);
  const payloadLength = view.getUint32(10);
  if (type !== RecordType.Chunk && type !== RecordType.Trailer) {
    throw new PipelineError('CorruptContainer', `${where}: unknown record type 0x${type.toString(16)} at byte ${start}`);
  }
  if ((flags & ~RECORD_FLAG_FINAL) !== 0 || (type === RecordType.Trailer && flags !== 0)) {
    throw new PipelineError('CorruptContainer', `${where}: invalid record flags 0x${flags.toString(16)} at byte ${start}`);
  }
  if (sequence >= MAX_CHUNK_COUNT) {
    throw new PipelineError(
      'LimitExceeded',
      `${where}: record at byte ${start} claims chunk ${sequence}; at most ${MAX_CHUNK_COUNT} chunks are allowed`,
    );
  }
  if (metadataLength > MAX_METADATA_LENGTH) {
    throw new PipelineError(
      'LimitExceeded',
      `${where}: record ${sequence} at byte ${start} declares ${metadataLength} bytes of metadata; the limit is ${MAX_METADATA_LENGTH}`,
    );
  }
  const payloadLimit = maxPayloadLength(header.header.chunkSize);
  if (payloadLength > payloadLimit) {
    throw new PipelineError(
      'LimitExceeded',
      `${where}: record ${sequence} at byte ${start} declares a ${payloadLength}-byte payload; the limit for this chunk size is ${payloadLimit}`,
    );
  }
  return { type: type as RecordType, sequence, isFinal: (flags & RECORD_FLAG_FINAL) !== 0, metadataLength, payloadLength, start, fixed };
}

/**
 * Reads the rest of the record `frame` describes (metadata, payload, CRC) and checks its CRC.
 *
 * @throws {PipelineError} `CorruptContainer` for a truncated or damaged record.
 */
export async function readRecordBody(
  reader: ByteReader,
  frame: RecordFrame,
  header: EncodedHeader,
  where: string,
): Promise<ContainerRecord> {
  const { sequence, start } = frame;
  const metadata = await reader.read(frame.metadataLength, `the metadata of record ${sequence}`);
  const payload = await reader.read(frame.payloadLength, `the payload of record ${sequence}`);
  const storedCrc = await reader.read(RECORD_CRC_LENGTH, `the checksum of record ${sequence}`);
  const expected = recordCrc(header, frame.fixed, metadata, payload);
  if (new DataView(storedCrc.buffer, storedCrc.byteOffset, 4).getUint32(0) !== expected) {
    throw new PipelineError('CorruptContainer', `${where}: record ${sequence} at byte ${start} is damaged (CRC-32 mismatch)`);
  }
  return { type: frame.type, sequence, isFinal: frame.isFinal, metadata, payload };
}

/**
 * Reads the next record, checking every length against the limits before reading it and the CRC
 * after. Returns `undefined` at the end of the source.
 *
 * @throws {PipelineError} `CorruptContainer` for a truncated or damaged record, `LimitExceeded`
 * for a length over the limits.
 */
export async function readRecord(reader: ByteReader, header: EncodedHeader, where: string): Promise<ContainerRecord | undefined> {
  const frame = await readRecordFrame(reader, header, where);
  return frame === undefined ? undefined : readRecordBody(reader, frame, header, where);
}

/**
 * Checks the trailer record once read: nothing may follow it, and the trailer of an unencrypted
 * container carries no metadata (only sealing adds some).
 *
 * @throws {PipelineError} `CorruptContainer` naming `where` and the problem.
 */
export async function checkTrailerRecord(reader: ByteReader, trailer: ContainerRecord, encrypted: boolean, where: string): Promise<void> {
  if (!(await reader.atEnd())) {
    throw new PipelineError('CorruptContainer', `${where}: unexpected data after the trailer at byte ${reader.position}`);
  }
  if (!encrypted && decodeChunkMetadata(trailer.metadata, `${where}: trailer`).size > 0) {
    throw new PipelineError('CorruptContainer', `${where}: the trailer of an unencrypted container carries metadata`);
  }
}

/**
 * A record's CRC-32 over the header checksum, the fixed fields, the metadata and the payload; from
 * format version 2 an encrypted container's payloads are left out, since their AEAD tags
 * authenticate them (and bind them to the header and their place) far more strongly.
 */
function recordCrc(header: EncodedHeader, fixed: Uint8Array, metadata: Uint8Array, payload: Uint8Array): number {
  const framing = crcUpdate(metadata, crc32(fixed, crc32(header.checksum)));
  return header.version >= 2 && header.encrypted ? framing : crcUpdate(payload, framing);
}

/** `zlib.crc32` continued over `bytes`; Node 20 returns 0 for some empty views, so skip those. */
function crcUpdate(bytes: Uint8Array, value: number): number {
  return bytes.length === 0 ? value : crc32(bytes, value);
}

function sha256(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(bytes).digest());
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, index) => byte === b[index]);
}
