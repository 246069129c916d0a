/** The 8 magic bytes: 0x89, then ASCII `ADAPIPE`. */
export declare const MAGIC: Buffer;
/** Bytes before the header JSON: magic, version, flags, header length. */
export declare const PREAMBLE_LENGTH: 16;
/** Bytes of the header checksum and of the header MAC. */
export declare const DIGEST_LENGTH: 32;
/** Bytes of a record's fixed fields: type, flags, sequence, metadata length, payload length. */
export declare const RECORD_FIXED_LENGTH: 14;
/** Record type bytes. */
export declare const RecordTypeByte: { readonly Chunk: 0x43; readonly Trailer: 0x54 };
/** The encrypted flag of the preamble. */
export declare const FLAG_ENCRYPTED: 0x0001;

/** The fields of a record to encode. */
export interface RecordFields {
  readonly type: number;
  readonly flags: number;
  readonly sequence: number;
  readonly metadata: Uint8Array;
  readonly payload: Uint8Array;
}

/** One record as the format frames it, with its place in the container. */
export interface RecordView extends RecordFields {
  readonly metadata: Buffer;
  readonly payload: Buffer;
  /** Offset of the type byte in the container. */
  readonly start: number;
  /** Offset just past the CRC. */
  readonly end: number;
  /** The whole record as stored, CRC included. */
  readonly raw: Buffer;
}

/** A container split along its framing: preamble, header JSON, checksum, MAC, records. */
export interface ContainerLayout {
  readonly version: number;
  readonly flags: number;
  /** Header JSON, undecoded. */
  readonly json: Buffer;
  /** SHA-256 of preamble ‖ header JSON, as stored: what every record's CRC is bound to. */
  readonly headerDigest: Buffer;
  /** The header MAC, when the encrypted flag is set. */
  readonly mac: Buffer | undefined;
  /** Offset of the first record. */
  readonly headerEnd: number;
  /** Every record, chunks then the trailer. */
  readonly records: readonly RecordView[];
}

/**
 * Splits a well-formed container into its parts, reading only the framing (no checksum is checked).
 *
 * @throws {Error} when the bytes do not frame as a container (for test inputs only).
 */
export declare function parseContainer(container: Uint8Array): ContainerLayout;
/** What a record's CRC depends on besides the record: the header digest, the version and the flags. */
export interface RecordFraming {
  readonly headerDigest: Uint8Array;
  readonly version: number;
  readonly flags: number;
}
/** The current container format version (the one this release writes). */
export declare const FORMAT_VERSION: number;
/** A record's CRC-32; from format 2 an encrypted container's payloads are left out (the AEAD covers them). */
export declare function recordCrc(framing: RecordFraming, fixed: Uint8Array, metadata: Uint8Array, payload: Uint8Array): number;
/** One record's fixed fields; the lengths default to the real ones and may be made to lie. */
export declare function encodeRecordFields(record: RecordFields, lengths?: { metadataLength?: number; payloadLength?: number }): Buffer;
/** One record's bytes with its CRC-32 for the container `framing`. */
export declare function encodeRecord(record: RecordFields, framing: RecordFraming): Buffer;
/** The preamble for `jsonLength` bytes of header JSON. */
export declare function encodePreamble(jsonLength: number, options?: { version?: number; flags?: number }): Buffer;
/** SHA-256 of `bytes`: the header checksum of preamble ‖ header JSON. */
export declare function sha256(bytes: Uint8Array): Buffer;
/** The header MAC of `covered` (preamble ‖ header JSON) for a container made with the raw `key`. */
export declare function headerMac(key: Uint8Array, saltHex: string, covered: Uint8Array): Buffer;
