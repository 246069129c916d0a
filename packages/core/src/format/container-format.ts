import { KiB, MiB } from '../domain/byte-size.js';

/** The 8 bytes every `.adapipe` container starts with: 0x89 then ASCII `ADAPIPE`. */
export const CONTAINER_MAGIC: Uint8Array = Uint8Array.of(0x89, 0x41, 0x44, 0x41, 0x50, 0x49, 0x50, 0x45);
/**
 * The container format version this release writes. Version 2 differs from 1 in two places: the
 * whole-file digest may be BLAKE3 (`digestAlgorithm`), and a record's CRC-32 leaves out the payload
 * when the container is encrypted (the AEAD tag authenticates it).
 */
export const CONTAINER_FORMAT_VERSION = 2;
/** Every container format version this release reads. */
export const READABLE_FORMAT_VERSIONS: readonly number[] = Object.freeze([1, 2]);
/** Preamble flag: the container is encrypted and its header carries a keyed MAC. */
export const FLAG_ENCRYPTED = 0x0001;
/** Bytes before the header JSON: magic, version, flags, header length. */
export const PREAMBLE_LENGTH = 16;
/** Bytes of the header checksum (SHA-256) and of the header MAC (HMAC-SHA-256). */
export const HEADER_DIGEST_LENGTH = 32;
/** The longest header JSON a reader accepts. */
export const MAX_HEADER_LENGTH = 1 * MiB;
/** The most chunk metadata (encoded) one record may carry. */
export const MAX_METADATA_LENGTH = 64 * KiB;
/** The most chunks (and so the highest sequence number + 1) one container may hold. */
export const MAX_CHUNK_COUNT = 0xffff_ffff;
/** Bytes of a record's fixed fields: type, flags, sequence, metadata length, payload length. */
export const RECORD_HEADER_LENGTH = 14;
/** Bytes of a record's CRC-32. */
export const RECORD_CRC_LENGTH = 4;

/** The kinds of record after the header. */
export const RecordType = {
  /** One chunk of the processed input. */
  Chunk: 0x43,
  /** The trailer: chunk count, original size and digest, name. Always the last record. */
  Trailer: 0x54,
} as const;

/** One of the {@link RecordType} values. */
export type RecordType = (typeof RecordType)[keyof typeof RecordType];

/** Record flag: this chunk is the last chunk of the input. */
export const RECORD_FLAG_FINAL = 0x01;

/** The role byte appended to the header checksum in a chunk's binding (associated data). */
export const ChunkRole = { Data: 0x00, Trailer: 0x01 } as const;

/** A record's role in its binding: a data chunk or the trailer. */
export type ChunkRole = (typeof ChunkRole)[keyof typeof ChunkRole];

/**
 * The largest record payload a reader accepts for a container of `chunkSize`: the chunk, the
 * worst-case expansion of a compressor (1/128), sealed metadata and an AEAD tag.
 */
export function maxPayloadLength(chunkSize: number): number {
  return chunkSize + Math.ceil(chunkSize / 128) + MAX_METADATA_LENGTH + 4 * KiB;
}

/**
 * The largest intermediate chunk a stage may produce while restoring a container of `chunkSize`
 * (decompression stops there). Transforms may expand data, so with `expanding` true (a stage that
 * changes sizes runs before a compression stage) it is a few times the chunk size; otherwise a
 * decompressed chunk can only be the original chunk, so it is the chunk size itself, and a forged
 * container cannot make each worker allocate four chunks.
 */
export function restoreChunkLimit(chunkSize: number, expanding = true): number {
  return expanding ? 4 * chunkSize + MAX_METADATA_LENGTH : chunkSize;
}
