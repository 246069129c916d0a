import { rejectionOf } from '@adapipe/core/testing';
import type { RunSecret } from '@adapipe/core';
import { randomBytes } from '@adapipe/core/testing';
import { describe, expect, it } from 'vitest';
import { collect, defaultPipeline, officialServices, pieces, pipelineOf, testKey } from './test-support/official-services.js';

const { runner } = officialServices();
const chunkSize = 1024;

const variants = {
  encrypted: defaultPipeline,
  unencrypted: () =>
    pipelineOf('integrity', [
      ['checksum', 'sha256'],
      ['compression', 'zstd', { level: '3' }],
      ['checksum', 'blake3'],
    ]),
};

async function makeContainer(pipeline = defaultPipeline(), secret: RunSecret = testKey, seed = 1): Promise<Buffer> {
  const input = randomBytes(3 * chunkSize - 200, seed);
  return collect(runner.process(pieces(input), { pipeline, chunkSize, secret }).output);
}

async function restore(container: Uint8Array, secret: RunSecret = testKey): Promise<Buffer> {
  return collect(runner.restore(pieces(container, 512), { secret }).output);
}

describe.each(Object.entries(variants))('a 3-chunk %s container', (_name, pipeline) => {
  it('fails with a typed error on every single-bit flip', async () => {
    const container = await makeContainer(pipeline());
    const kinds = new Map<string, number>();
    for (let bit = 0; bit < container.length * 8; bit++) {
      const damaged = Buffer.from(container);
      damaged[bit >> 3]! ^= 1 << (bit & 7);
      const { kind } = await rejectionOf(restore(damaged));
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
    expect(
      [...kinds.keys()].filter(
        (kind) =>
          ![
            'CorruptContainer',
            'LimitExceeded',
            'NotAContainer',
            'UnsupportedFormat',
            'WrongKey',
            'IntegrityFailed',
            'EncryptionFailed',
          ].includes(kind),
      ),
    ).toEqual([]);
  }, 300_000);

  it('fails with a typed error at every truncation point', async () => {
    const container = await makeContainer(pipeline());
    for (let length = 0; length < container.length; length++) {
      await rejectionOf(restore(container.subarray(0, length)));
    }
  }, 120_000);
});

describe('an encrypted container', () => {
  it('tells a wrong key and a wrong password apart from corruption, before reading any chunk', async () => {
    const password: RunSecret = { kind: 'password', password: new TextEncoder().encode('correct horse') };
    const pipeline = pipelineOf('pw', [
      ['compression', 'zstd'],
      ['encryption', 'chacha20-poly1305', { kdf: 'scrypt', scrypt_n: '1024' }],
    ]);
    const container = await makeContainer(pipeline, password);
    let consumed = 0;
    const counted = async function* () {
      for await (const piece of pieces(container, 16)) {
        consumed += piece.length;
        yield piece;
      }
    };
    const wrong = { kind: 'password', password: new TextEncoder().encode('wrong horse') } as const;
    await rejectionOf(collect(runner.restore(counted(), { secret: wrong }).output), 'WrongKey');
    const headerEnd = 16 + container.readUInt32BE(12) + 64;
    expect(consumed).toBeLessThanOrEqual(headerEnd + 16);
    await rejectionOf(restore(await makeContainer(), { kind: 'key', key: new Uint8Array(32) }), 'WrongKey');
    expect(Buffer.compare(await restore(container, password), randomBytes(3 * chunkSize - 200, 1))).toBe(0);
  });

  it('rejects a chunk spliced from another container made with the same key', async () => {
    const first = await makeContainer();
    const second = await makeContainer();
    const headerEnd = 16 + first.readUInt32BE(12) + 64;
    const recordLength = (buffer: Buffer, offset: number) => 14 + buffer.readUInt32BE(offset + 6) + buffer.readUInt32BE(offset + 10) + 4;
    const firstChunk = recordLength(first, headerEnd);
    const secondHeaderEnd = 16 + second.readUInt32BE(12) + 64;
    const spliced = Buffer.concat([
      first.subarray(0, headerEnd),
      second.subarray(secondHeaderEnd, secondHeaderEnd + recordLength(second, secondHeaderEnd)),
      first.subarray(headerEnd + firstChunk),
    ]);
    await rejectionOf(restore(spliced));
  });

  it('never stores the original digest in clear', async () => {
    const input = randomBytes(3 * chunkSize - 200, 1);
    const container = await makeContainer();
    const { createHash } = await import('node:crypto');
    for (const chunk of [input, input.subarray(0, chunkSize), input.subarray(chunkSize, 2 * chunkSize)]) {
      const digest = createHash('sha256').update(chunk).digest();
      expect(container.includes(digest)).toBe(false);
      expect(container.includes(Buffer.from(digest.toString('hex')))).toBe(false);
    }
  });
});
