import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { defaultPipeline, officialServices, testKey } from './test-support/official-services.js';

const MiB = 1024 * 1024;

/** `total` bytes of text-like data, a fresh 1 MiB block at a time (each block slightly different). */
async function* generated(total: number, digest: ReturnType<typeof createHash>): AsyncGenerator<Uint8Array> {
  const pattern = Buffer.from('adapipe streams a gigabyte through the default pipeline and back. ');
  for (let offset = 0, block = 0; offset < total; offset += MiB, block++) {
    const bytes = Buffer.alloc(Math.min(MiB, total - offset));
    for (let index = 0; index < bytes.length; index += pattern.length) pattern.copy(bytes, index);
    bytes.writeUInt32BE(block, 0);
    digest.update(bytes);
    yield bytes;
  }
}

describe('a 1 GiB generated stream', () => {
  it('goes through process and restore, chained as streams, and comes back identical', async () => {
    const { runner } = officialServices();
    const inputDigest = createHash('sha256');
    const processed = runner.process(generated(1024 * MiB, inputDigest), {
      pipeline: defaultPipeline(),
      chunkSize: 4 * MiB,
      secret: testKey,
    });
    const restored = runner.restore(processed.output, { secret: testKey });
    const outputDigest = createHash('sha256');
    let bytes = 0;
    for await (const part of restored.output) {
      outputDigest.update(part);
      bytes += part.length;
    }
    expect(bytes).toBe(1024 * MiB);
    const expected = inputDigest.digest('hex');
    expect(outputDigest.digest('hex')).toBe(expected);
    expect((await processed.result).digest).toBe(expected);
    expect((await restored.result).chunkCount).toBe(256);
  }, 300_000);
});
