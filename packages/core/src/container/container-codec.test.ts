import { describe, expect, it } from 'vitest';
import { ByteReader } from './byte-reader.js';
import { encodeContainerHeader, encodeRecord, readRecord } from './container-codec.js';
import { RecordType } from './container-format.js';

const header = encodeContainerHeader(
  { fileId: '0'.repeat(32), pipeline: 'p', chunkSize: 1024, digestAlgorithm: 'sha256', stages: [] },
  false,
);

async function* once(parts: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield part;
}

describe('container records', () => {
  it('round trip an empty payload even when its buffer was materialised elsewhere', async () => {
    const payload = new Uint8Array(0);
    void payload.buffer;
    const parts = encodeRecord(RecordType.Chunk, 0, true, Uint8Array.of(0, 0), payload, header.checksum);
    const record = await readRecord(new ByteReader(once(parts), 'test'), header, 'test');
    expect(record).toMatchObject({ type: RecordType.Chunk, sequence: 0, isFinal: true });
    expect(record!.payload.length).toBe(0);
  });
});
