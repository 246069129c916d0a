import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FileChunk } from '../domain/file-chunk.js';
import { ByteReader } from './byte-reader.js';
import { ChunkRole } from './container-format.js';
import type { ContainerHeader } from './container-header.js';
import { ContainerReader } from './container-reader.js';
import { ContainerSealing } from './container-sealing.js';
import { ContainerWriter } from './container-writer.js';
import type { ContainerTrailer } from './container-trailer.js';

const header: ContainerHeader = { fileId: 'ab'.repeat(16), pipeline: 'p', chunkSize: 1024, digestAlgorithm: 'sha256', stages: [] };

async function* from(parts: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield part;
}

/** A whole unsealed container of `chunks` (each ≤ 1 KiB, the last one final), as buffers in order. */
function writeContainer(chunks: Uint8Array[], sealing = new ContainerSealing()) {
  const writer = new ContainerWriter(header, sealing);
  const parts = [...writer.opening()];
  let offset = 0;
  chunks.forEach((data, index) => {
    parts.push(...writer.record(new FileChunk(index, data, { offset, isFinal: index === chunks.length - 1 })));
    offset += data.length;
  });
  const trailer: ContainerTrailer = {
    chunkCount: chunks.length,
    originalSize: offset,
    digest: createHash('sha256').update(Buffer.concat(chunks)).digest('hex'),
    name: 'f',
    checksums: {},
  };
  parts.push(...writer.closing(writer.trailerChunk(trailer, offset)));
  return { parts, writer, trailer };
}

describe('ContainerWriter and ContainerReader', () => {
  it('read back what was written: header, chunks in order, trailer, and count the bytes', async () => {
    const chunks = [new Uint8Array(1024).fill(1), Uint8Array.of(2, 3)];
    const { parts, writer, trailer } = writeContainer(chunks);
    expect(writer.chunkCount).toBe(2);
    expect(writer.bytesWritten).toBe(parts.reduce((sum, part) => sum + part.length, 0));
    const container = await ContainerReader.open(new ByteReader(from(parts), 'c'), 'c');
    expect(container.encoded.header).toEqual(header);
    container.authenticate(new ContainerSealing());
    const read: FileChunk[] = [];
    for await (const chunk of container.chunks()) {
      container.checkRestoredChunk(chunk);
      read.push(chunk);
    }
    expect(read.map((chunk) => [chunk.sequenceNumber, chunk.isFinal, chunk.size])).toEqual([
      [0, false, 1024],
      [1, true, 2],
    ]);
    const restored = container.decodeTrailer((await container.trailerChunk(1026)).data);
    expect(restored).toEqual(trailer);
    container.checkRestored(restored, { chunkCount: 2, bytes: 1026, digest: trailer.digest, checksums: new Map() });
    expect(() => container.checkRestored(restored, { chunkCount: 2, bytes: 1026, digest: '00', checksums: new Map() })).toThrow(
      /IntegrityFailed|restored 2 chunks, 1026 bytes, sha256 00/,
    );
  });

  it('reject a record out of place and a short chunk that is not the last', async () => {
    const { parts } = writeContainer([new Uint8Array(1024), new Uint8Array(1024), Uint8Array.of(1)]);
    // opening (2 parts), then 4 parts per record: drop the second record
    const dropped = [...parts.slice(0, 6), ...parts.slice(10)];
    const container = await ContainerReader.open(new ByteReader(from(dropped), 'c'), 'c');
    container.authenticate(new ContainerSealing());
    await expect(async () => {
      for await (const _ of container.chunks());
    }).rejects.toThrow(/^c: /);
    expect(() => container.checkRestoredChunk(new FileChunk(0, new Uint8Array(10), { isFinal: false }))).toThrow(
      'c: chunk 0 restored to 10 bytes; expected 1024',
    );
  });

  it('seal through ContainerSealing: the MAC under the stage key, records bound to the header digest and their role', async () => {
    const sealing = new ContainerSealing();
    expect(sealing.sealed).toBe(false);
    expect(sealing.recordBinding.length).toBe(0);
    sealing.useHeaderKey(new Uint8Array(32).fill(7));
    const writer = new ContainerWriter(header, sealing);
    expect(writer.encoded.encrypted).toBe(true);
    expect([...sealing.recordBinding]).toEqual([...writer.encoded.checksum, ChunkRole.Data]);
    const opening = writer.opening();
    expect(opening).toHaveLength(3);
    writer.trailerChunk({ chunkCount: 0, originalSize: 0, digest: '', name: null, checksums: {} }, 0);
    expect(sealing.recordBinding.at(-1)).toBe(ChunkRole.Trailer);

    const reading = async (key: Uint8Array) => {
      const container = await ContainerReader.open(new ByteReader(from(opening), 'c'), 'c');
      const other = new ContainerSealing();
      other.useHeaderKey(key);
      container.authenticate(other);
      return other;
    };
    expect([...(await reading(new Uint8Array(32).fill(7))).recordBinding]).toEqual([...writer.encoded.checksum, ChunkRole.Data]);
    await expect(reading(new Uint8Array(32).fill(8))).rejects.toThrow('c: wrong password or key (the header MAC does not match)');
    expect(() => new ContainerSealing().headerMac(Uint8Array.of(1))).toThrow('No encryption stage provided a header authentication key');
  });
});
