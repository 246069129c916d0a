import { KiB } from '@adapipe/core';
import { compressibleBytes, randomBytes } from '@adapipe/core/testing';
import lz4 from 'lz4-napi';
import { describe, expect, it } from 'vitest';
import { lz4FrameBound } from './lz4-frame-bound.js';

const frameOf = (data: Uint8Array) => lz4.compressFrame(data, { contentChecksum: true });

/** A hand-made frame header: magic, FLG, BD, optional content size, HC (not checked by the walk). */
function header(flags: number, descriptor = 0x40, contentSize?: bigint): Buffer {
  const size = Buffer.alloc(contentSize === undefined ? 0 : 8);
  if (contentSize !== undefined) size.writeBigUInt64LE(contentSize);
  return Buffer.concat([Buffer.from([0x04, 0x22, 0x4d, 0x18, flags, descriptor]), size, Buffer.from([0])]);
}

describe('lz4FrameBound', () => {
  it('bounds an empty frame by 0', async () => {
    expect(lz4FrameBound(await frameOf(new Uint8Array(0)))).toEqual({ blockMaxSize: 64 * KiB, maxOutputLength: 0, contentSize: undefined });
  });

  it('counts compressed blocks at the block size, rounding the content up to whole blocks', async () => {
    const bound = lz4FrameBound(await frameOf(compressibleBytes(200 * KiB)));
    expect(bound.maxOutputLength).toBe(256 * KiB);
  });

  it('counts stored (incompressible) blocks at their exact size', async () => {
    expect(lz4FrameBound(await frameOf(randomBytes(100_000, 1))).maxOutputLength).toBe(100_000);
  });

  it('reads the content size and other block sizes from the descriptor', () => {
    const frame = Buffer.concat([header(0x68, 0x70, 5n), Buffer.from([5, 0, 0, 0x80]), Buffer.from('hello'), Buffer.alloc(4)]);
    expect(lz4FrameBound(frame)).toEqual({ blockMaxSize: 4 * 1024 * KiB, maxOutputLength: 5, contentSize: 5 });
  });

  it('skips block checksums', () => {
    const frame = Buffer.concat([header(0x70), Buffer.from([2, 0, 0, 0x80]), Buffer.from('hi'), Buffer.alloc(4), Buffer.alloc(4)]);
    expect(lz4FrameBound(frame).maxOutputLength).toBe(2);
  });

  it.each([
    ['a wrong magic', () => Buffer.from('not an lz4 frame at all'), /^not an LZ4 frame \(magic 0x20746f6e\)$/],
    [
      'a truncated header',
      () => header(0x64).subarray(0, 5),
      /^truncated LZ4 frame: the frame header needs 7 bytes at offset 0, the frame has 5$/,
    ],
    ['version 00', () => Buffer.concat([header(0x24), Buffer.alloc(4)]), /unsupported LZ4 frame descriptor \(FLG 0x24, BD 0x40\)/],
    ['a reserved bit', () => Buffer.concat([header(0x66), Buffer.alloc(4)]), /unsupported LZ4 frame descriptor/],
    ['a dictionary id', () => Buffer.concat([header(0x65), Buffer.alloc(8)]), /dictionary id are not supported/],
    ['block size id 3', () => Buffer.concat([header(0x64, 0x30), Buffer.alloc(8)]), /invalid LZ4 block size id 3/],
    [
      'a block above the block size',
      () => Buffer.concat([header(0x60), Buffer.from([1, 0, 1, 0]), Buffer.alloc(65_537), Buffer.alloc(4)]),
      /is 65537 bytes, above the frame's block size 65536/,
    ],
    [
      'a missing end mark',
      () => Buffer.concat([header(0x60), Buffer.from([2, 0, 0, 0x80]), Buffer.from('hi')]),
      /truncated LZ4 frame: a block header needs 4 bytes/,
    ],
    [
      'a missing content checksum',
      () => Buffer.concat([header(0x64), Buffer.alloc(4), Buffer.alloc(2)]),
      /truncated LZ4 frame: the content checksum needs 4 bytes/,
    ],
  ])('refuses %s', (_name, build, message) => {
    expect(() => lz4FrameBound(build())).toThrow(message);
  });

  it('refuses a truncated frame, trailing bytes and a second frame', async () => {
    const frame = await frameOf(compressibleBytes(100 * KiB));
    expect(() => lz4FrameBound(frame.subarray(0, frame.length - 1))).toThrow(/^truncated LZ4 frame/);
    expect(() => lz4FrameBound(Buffer.concat([frame, Buffer.from([1])]))).toThrow('1 unexpected bytes after the LZ4 frame');
    expect(() => lz4FrameBound(Buffer.concat([frame, frame]))).toThrow(`${frame.length} unexpected bytes after the LZ4 frame`);
  });
});
