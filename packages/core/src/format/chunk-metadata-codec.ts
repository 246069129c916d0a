import { PipelineError } from '../errors/pipeline-error.js';
import { MAX_METADATA_LENGTH } from './container-format.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Encodes chunk metadata: u16 entry count, then per entry u16 name length, UTF-8 name,
 * u32 value length, value (big-endian). Entries are sorted by name so the encoding is canonical.
 *
 * @throws {PipelineError} `LimitExceeded` when the encoding would exceed 64 KiB.
 */
export function encodeChunkMetadata(metadata: ReadonlyMap<string, Uint8Array>): Uint8Array {
  const entries = [...metadata.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const names = entries.map(([name]) => encoder.encode(name));
  const length = 2 + entries.reduce((sum, [, value], index) => sum + 2 + names[index]!.length + 4 + value.length, 0);
  if (length > MAX_METADATA_LENGTH || entries.length > 0xffff) {
    throw new PipelineError('LimitExceeded', `Chunk metadata of ${length} bytes exceeds the ${MAX_METADATA_LENGTH}-byte limit`);
  }
  const bytes = new Uint8Array(length);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, entries.length);
  let offset = 2;
  entries.forEach(([, value], index) => {
    const name = names[index]!;
    view.setUint16(offset, name.length);
    bytes.set(name, offset + 2);
    offset += 2 + name.length;
    view.setUint32(offset, value.length);
    bytes.set(value, offset + 4);
    offset += 4 + value.length;
  });
  return bytes;
}

/**
 * Decodes what {@link encodeChunkMetadata} wrote. Values are copies.
 *
 * @throws {PipelineError} `CorruptContainer` naming `where` when the bytes are malformed.
 */
export function decodeChunkMetadata(bytes: Uint8Array, where: string): Map<string, Uint8Array> {
  const fail = (reason: string): never => {
    throw new PipelineError('CorruptContainer', `${where}: chunk metadata is malformed (${reason})`);
  };
  if (bytes.length > MAX_METADATA_LENGTH) fail(`${bytes.length} bytes exceeds ${MAX_METADATA_LENGTH}`);
  if (bytes.length < 2) fail('shorter than its entry count');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint16(0);
  const metadata = new Map<string, Uint8Array>();
  let offset = 2;
  for (let index = 0; index < count; index++) {
    if (offset + 2 > bytes.length) fail(`entry ${index} is cut short`);
    const nameLength = view.getUint16(offset);
    if (offset + 2 + nameLength + 4 > bytes.length) fail(`entry ${index} is cut short`);
    let name = '';
    try {
      name = decoder.decode(bytes.subarray(offset + 2, offset + 2 + nameLength));
    } catch {
      fail(`entry ${index} name is not UTF-8`);
    }
    offset += 2 + nameLength;
    const valueLength = view.getUint32(offset);
    if (offset + 4 + valueLength > bytes.length) fail(`entry '${name}' value is cut short`);
    if (metadata.has(name)) fail(`entry '${name}' appears twice`);
    // A copy, never a view: `bytes` may be a Buffer (whose `slice` is a view) of a large read block.
    metadata.set(name, new Uint8Array(bytes.subarray(offset + 4, offset + 4 + valueLength)));
    offset += 4 + valueLength;
  }
  if (offset !== bytes.length) fail(`${bytes.length - offset} unexpected trailing bytes`);
  return metadata;
}
