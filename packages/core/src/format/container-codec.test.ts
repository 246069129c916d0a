import { describe, expect, it } from 'vitest';
import { ByteReader } from './byte-reader.js';
import { encodeContainerHeader, encodeRecord, type EncodedHeader, readRecord } from './container-codec.js';
import { RecordType } from './container-format.js';

const fields = { fileId: '0'.repeat(32), pipeline: 'p', chunkSize: 1024, digestAlgorithm: 'sha256', stages: [] } as const;
const header = encodeContainerHeader(fields, false);
const encryptedHeader = encodeContainerHeader(fields, true);

async function* once(parts: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield part;
}

/** A record of `encoded` with one bit of byte `offset` of its payload or metadata flipped, read back. */
function readDamaged(encoded: EncodedHeader, where: 'payload' | 'metadata') {
  const parts = encodeRecord(RecordType.Chunk, 0, true, Uint8Array.of(0, 0), Uint8Array.of(1, 2, 3, 4), encoded);
  const damaged = parts.map((part) => Uint8Array.from(part));
  damaged[where === 'metadata' ? 1 : 2]![1]! ^= 0x10;
  return readRecord(new ByteReader(once(damaged), 'test'), encoded, 'test');
}

describe('container records', () => {
  it('round trip an empty payload even when its buffer was materialised elsewhere', async () => {
    const payload = new Uint8Array(0);
    void payload.buffer;
    const parts = encodeRecord(RecordType.Chunk, 0, true, Uint8Array.of(0, 0), payload, header);
    const record = await readRecord(new ByteReader(once(parts), 'test'), header, 'test');
    expect(record).toMatchObject({ type: RecordType.Chunk, sequence: 0, isFinal: true });
    expect(record!.payload.length).toBe(0);
  });

  it('cover the payload with the CRC unless an AEAD authenticates it (encrypted, format 2)', async () => {
    expect(header.version).toBe(2);
    await expect(readDamaged(header, 'payload')).rejects.toThrow('record 0 at byte 0 is damaged (CRC-32 mismatch)');
    await expect(readDamaged(encryptedHeader, 'metadata')).rejects.toThrow('CRC-32 mismatch');
    const record = await readDamaged(encryptedHeader, 'payload');
    expect([...record!.payload]).toEqual([1, 2 ^ 0x10, 3, 4]);
  });

  it('check the payload of every record of a format 1 container, encrypted or not', async () => {
    await expect(readDamaged({ ...encryptedHeader, version: 1 }, 'payload')).rejects.toThrow('CRC-32 mismatch');
  });
});
