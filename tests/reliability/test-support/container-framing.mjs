// The `.adapipe` framing (format versions 1 and 2) as docs/container-format.md describes it, read and written from scratch
// (core does not export its codec). Plain ESM so the fuzz script runs it without a TypeScript step;
// types are in container-framing.d.mts.
import { createHash, createHmac } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { HEADER_MAC_INFO, hkdfSha256 } from '@adapipe/plugin-encryption';

/** The 8 magic bytes: 0x89, then ASCII `ADAPIPE`. */
export const MAGIC = Buffer.from([0x89, 0x41, 0x44, 0x41, 0x50, 0x49, 0x50, 0x45]);
/** Bytes before the header JSON: magic, version, flags, header length. */
export const PREAMBLE_LENGTH = 16;
/** Bytes of the header checksum and of the header MAC. */
export const DIGEST_LENGTH = 32;
/** Bytes of a record's fixed fields: type, flags, sequence, metadata length, payload length. */
export const RECORD_FIXED_LENGTH = 14;
/** Record type bytes. */
export const RecordTypeByte = Object.freeze({ Chunk: 0x43, Trailer: 0x54 });
/** The encrypted flag of the preamble. */
export const FLAG_ENCRYPTED = 0x0001;

/**
 * Splits a well-formed container into its parts, reading only the framing (no checksum is checked).
 *
 * @throws {Error} when the bytes do not frame as a container (for test inputs only).
 */
export function parseContainer(container) {
  const bytes = Buffer.from(container.buffer, container.byteOffset, container.byteLength);
  const headerLength = bytes.readUInt32BE(12);
  const flags = bytes.readUInt16BE(10);
  const jsonEnd = PREAMBLE_LENGTH + headerLength;
  const mac = (flags & FLAG_ENCRYPTED) !== 0 ? bytes.subarray(jsonEnd + DIGEST_LENGTH, jsonEnd + 2 * DIGEST_LENGTH) : undefined;
  const headerEnd = jsonEnd + DIGEST_LENGTH + (mac === undefined ? 0 : DIGEST_LENGTH);
  const records = [];
  for (let start = headerEnd; start < bytes.length; ) {
    const metadataLength = bytes.readUInt32BE(start + 6);
    const payloadLength = bytes.readUInt32BE(start + 10);
    const metadataStart = start + RECORD_FIXED_LENGTH;
    const payloadStart = metadataStart + metadataLength;
    const end = payloadStart + payloadLength + 4;
    if (end > bytes.length) throw new Error(`record at byte ${start} runs past the end (${end} > ${bytes.length})`);
    records.push({
      type: bytes[start],
      flags: bytes[start + 1],
      sequence: bytes.readUInt32BE(start + 2),
      metadata: bytes.subarray(metadataStart, payloadStart),
      payload: bytes.subarray(payloadStart, payloadStart + payloadLength),
      start,
      end,
      raw: bytes.subarray(start, end),
    });
    start = end;
  }
  return {
    version: bytes.readUInt16BE(8),
    flags,
    json: bytes.subarray(PREAMBLE_LENGTH, jsonEnd),
    headerDigest: bytes.subarray(jsonEnd, jsonEnd + DIGEST_LENGTH),
    mac,
    headerEnd,
    records,
  };
}

/** The current container format version (the one this release writes). */
export const FORMAT_VERSION = 2;

/**
 * A record's CRC-32 over the header digest ‖ fixed fields ‖ metadata ‖ payload; from format 2 an
 * encrypted container's payloads are left out (their AEAD tags authenticate them).
 * `framing` is `{ headerDigest, version, flags }`, as {@link parseContainer} returns them.
 */
export function recordCrc(framing, fixed, metadata, payload) {
  const coversPayload = framing.version < 2 || (framing.flags & FLAG_ENCRYPTED) === 0;
  return crc32(Buffer.concat([framing.headerDigest, fixed, metadata, ...(coversPayload ? [payload] : [])])) >>> 0;
}

/** One record's fixed fields; the lengths default to the real ones and may be made to lie. */
export function encodeRecordFields(record, { metadataLength = record.metadata.length, payloadLength = record.payload.length } = {}) {
  const fixed = Buffer.alloc(RECORD_FIXED_LENGTH);
  fixed[0] = record.type;
  fixed[1] = record.flags;
  fixed.writeUInt32BE(record.sequence, 2);
  fixed.writeUInt32BE(metadataLength, 6);
  fixed.writeUInt32BE(payloadLength, 10);
  return fixed;
}

/** One record's bytes with its CRC-32 (see {@link recordCrc}) for the container `framing`. */
export function encodeRecord(record, framing) {
  const fixed = encodeRecordFields(record);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(recordCrc(framing, fixed, record.metadata, record.payload));
  return Buffer.concat([fixed, record.metadata, record.payload, crc]);
}

/** The preamble for `jsonLength` bytes of header JSON. */
export function encodePreamble(jsonLength, { version = FORMAT_VERSION, flags = 0 } = {}) {
  const preamble = Buffer.alloc(PREAMBLE_LENGTH);
  MAGIC.copy(preamble);
  preamble.writeUInt16BE(version, 8);
  preamble.writeUInt16BE(flags, 10);
  preamble.writeUInt32BE(jsonLength, 12);
  return preamble;
}

/** SHA-256 of `bytes`: the header checksum of preamble ‖ header JSON. */
export function sha256(bytes) {
  return createHash('sha256').update(bytes).digest();
}

/**
 * The header MAC of preamble ‖ header JSON for a container made with the raw 32-byte `key`: HMAC-SHA-256
 * under HKDF-SHA-256(key, salt, `adapipe/v1/header-mac`), the salt being the encryption stage's.
 */
export function headerMac(key, saltHex, covered) {
  const macKey = hkdfSha256(key, Buffer.from(saltHex, 'hex'), HEADER_MAC_INFO, 32);
  return createHmac('sha256', macKey).update(covered).digest();
}
