/** What a walk over an LZ4 frame's headers tells without decompressing it. */
export interface Lz4FrameBound {
  /** The frame's maximum block size (64 KiB, 256 KiB, 1 MiB or 4 MiB). */
  readonly blockMaxSize: number;
  /** The most bytes the frame can decompress to: stored blocks count their size, compressed blocks `blockMaxSize`. */
  readonly maxOutputLength: number;
  /** The content size the frame header declares, if it declares one. */
  readonly contentSize: number | undefined;
}

const LZ4_FRAME_MAGIC = 0x184d2204;
const FLG_VERSION_MASK = 0xc0;
const FLG_VERSION_01 = 0x40;
const FLG_BLOCK_CHECKSUM = 0x10;
const FLG_CONTENT_SIZE = 0x08;
const FLG_CONTENT_CHECKSUM = 0x04;
const FLG_RESERVED = 0x02;
const FLG_DICT_ID = 0x01;
const BD_RESERVED = 0x8f;
const STORED_BLOCK = 0x8000_0000;

/**
 * Walks one LZ4 frame (the LZ4 Frame Format 1.6.x: magic, descriptor, blocks, end mark, optional
 * checksums) and bounds its decompressed size, so a decompression bomb can be refused before
 * anything is decompressed. Exactly one frame must fill `frame`: concatenated or skippable frames,
 * dictionary frames and trailing bytes are refused.
 *
 * @throws {Error} describing the first structural problem found.
 */
export function lz4FrameBound(frame: Uint8Array): Lz4FrameBound {
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const need = (position: number, bytes: number, what: string): void => {
    if (position + bytes > frame.length) {
      throw new Error(`truncated LZ4 frame: ${what} needs ${bytes} bytes at offset ${position}, the frame has ${frame.length}`);
    }
  };
  need(0, 7, 'the frame header');
  const magic = view.getUint32(0, true);
  if (magic !== LZ4_FRAME_MAGIC) {
    throw new Error(`not an LZ4 frame (magic 0x${magic.toString(16).padStart(8, '0')})`);
  }
  const flags = frame[4]!;
  const descriptor = frame[5]!;
  if ((flags & FLG_VERSION_MASK) !== FLG_VERSION_01 || (flags & FLG_RESERVED) !== 0 || (descriptor & BD_RESERVED) !== 0) {
    throw new Error(`unsupported LZ4 frame descriptor (FLG 0x${flags.toString(16)}, BD 0x${descriptor.toString(16)})`);
  }
  if ((flags & FLG_DICT_ID) !== 0) throw new Error('LZ4 frames with a dictionary id are not supported');
  const blockSizeId = (descriptor >> 4) & 0x07;
  if (blockSizeId < 4) throw new Error(`invalid LZ4 block size id ${blockSizeId}`);
  const blockMaxSize = 1 << (8 + 2 * blockSizeId);
  let position = 6;
  let contentSize: number | undefined;
  if ((flags & FLG_CONTENT_SIZE) !== 0) {
    need(position, 9, 'the content size');
    contentSize = Number(view.getBigUint64(position, true));
    position += 8;
  }
  position += 1;
  const blockChecksumBytes = (flags & FLG_BLOCK_CHECKSUM) !== 0 ? 4 : 0;
  let maxOutputLength = 0;
  for (;;) {
    need(position, 4, 'a block header');
    const header = view.getUint32(position, true);
    position += 4;
    if (header === 0) break;
    const size = header & ~STORED_BLOCK;
    if (size > blockMaxSize) {
      throw new Error(`LZ4 block at offset ${position - 4} is ${size} bytes, above the frame's block size ${blockMaxSize}`);
    }
    need(position, size + blockChecksumBytes, 'a block');
    position += size + blockChecksumBytes;
    maxOutputLength += (header & STORED_BLOCK) !== 0 ? size : blockMaxSize;
  }
  if ((flags & FLG_CONTENT_CHECKSUM) !== 0) {
    need(position, 4, 'the content checksum');
    position += 4;
  }
  if (position !== frame.length) {
    throw new Error(`${frame.length - position} unexpected bytes after the LZ4 frame`);
  }
  return { blockMaxSize, maxOutputLength, contentSize };
}
