import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BufferRecycler } from '../kernel/buffer-recycler.js';
import { readFileBlocks } from '../runner/file-input.js';
import { randomBytes } from '../testing/test-data.js';
import { type BlockRequest, ByteReader } from './byte-reader.js';

const dir = mkdtempSync(join(tmpdir(), 'adapipe-byte-reader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const KiB = 1024;

function fileOf(bytes: Uint8Array): string {
  const path = join(dir, `f${Math.random().toString(36).slice(2)}`);
  writeFileSync(path, bytes);
  return path;
}

/** A recycler of 256 KiB slots with `free` of them free. */
function recyclerWith(free: number): BufferRecycler {
  const recycler = new BufferRecycler(256 * KiB);
  const taken = Array.from({ length: free }, () => recycler.take(256 * KiB));
  recycler.release(...taken);
  return recycler;
}

/** `source` with every request the reader passes to `next()` recorded in `requests`. */
async function* recording(
  source: AsyncGenerator<Uint8Array, void, BlockRequest | undefined>,
  requests: (BlockRequest | undefined)[],
): AsyncGenerator<Uint8Array, void, BlockRequest | undefined> {
  let next = await source.next();
  while (!next.done) {
    const request: BlockRequest | undefined = yield next.value;
    requests.push(request);
    next = await source.next(request);
  }
}

async function* ignoringRequests(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += 10_000) yield bytes.slice(offset, offset + 10_000);
}

describe('ByteReader', () => {
  const data = randomBytes(600 * KiB, 41);

  it('reads a long span from a file straight into a free slot, the rest as small blocks', async () => {
    const requests: (BlockRequest | undefined)[] = [];
    const reader = new ByteReader(recording(readFileBlocks(fileOf(data), 16 * KiB), requests), 'file');
    const recycler = recyclerWith(1);
    reader.useBuffers(recycler);
    const head = await reader.read(100, 'the head');
    const span = await reader.read(200 * KiB, 'the span');
    const rest = await reader.read(data.length - 100 - 200 * KiB, 'the rest');
    expect(Buffer.concat([head, span, rest]).equals(data)).toBe(true);
    expect(span.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(recycler.owns(span)).toBe(true);
    const targets = requests.filter((request) => request instanceof Uint8Array);
    expect(targets.map((target) => [target.buffer === span.buffer, target.length])).toEqual([[true, 200 * KiB - (16 * KiB - 100)]]);
    expect(requests.filter((request) => typeof request === 'number').length).toBeGreaterThan(0);
    expect(await reader.atEnd()).toBe(true);
  });

  it('assembles the span by copying when the source ignores requests, or no slot is free', async () => {
    for (const [source, free] of [
      [ignoringRequests(data), 1],
      [readFileBlocks(fileOf(data), 16 * KiB), 0],
    ] as const) {
      const reader = new ByteReader(source, 'source');
      reader.useBuffers(recyclerWith(free));
      await reader.read(100, 'the head');
      const span = await reader.read(200 * KiB, 'the span');
      expect(Buffer.from(span).equals(Buffer.from(data.subarray(100, 100 + 200 * KiB)))).toBe(true);
    }
  });

  it('names the place and the bytes found when the file ends inside a span, whichever way it is read', async () => {
    for (const free of [1, 0]) {
      const reader = new ByteReader(readFileBlocks(fileOf(data.subarray(0, 150 * KiB)), 16 * KiB), 'cut.adapipe');
      reader.useBuffers(recyclerWith(free));
      await reader.read(100, 'the head');
      await expect(reader.read(200 * KiB, 'the payload of record 0')).rejects.toThrow(
        `cut.adapipe: truncated at byte ${150 * KiB}, inside the payload of record 0 (expected ${200 * KiB} bytes, found ${150 * KiB - 100})`,
      );
    }
  });
});
