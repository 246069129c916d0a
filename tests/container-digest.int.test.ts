import { rejectionOf } from '@adapipe/core/testing';
/**
 * The whole-file digest a container records: its algorithm follows the first stage when that is a
 * checksum stage recording one (`checksum:sha256`, `checksum:blake3`), whose whole-stream digest is
 * reused for it; otherwise core computes BLAKE3. Restore computes whatever the header names that no
 * first stage provides, and compares it with the trailer.
 */
import { createHash } from 'node:crypto';
import { computeDigest } from '@adapipe/plugin-checksum';
import { randomBytes } from '@adapipe/core/testing';
import { describe, expect, it } from 'vitest';
import { collect, officialServices, pieces, pipelineOf, type StageSpec, testKey } from './test-support/official-services.js';
import { reencodeContainer } from './reliability/test-support/container-mutations.js';

const { runner } = officialServices();
const original = randomBytes(50_000, 21);
const key = (testKey as { key: Uint8Array }).key;

async function processed(stages: readonly StageSpec[]) {
  const run = runner.process(pieces(original), { pipeline: pipelineOf('digest', stages), chunkSize: 4096, secret: testKey });
  const container = await collect(run.output);
  return { container, result: await run.result };
}

const blake3First: StageSpec[] = [
  ['checksum', 'blake3'],
  ['compression', 'zstd'],
  ['encryption', 'aes-256-gcm'],
];

describe('the whole-file digest', () => {
  it('is BLAKE3 of the original, named in the header, when the first stage is checksum:blake3; restore checks it', async () => {
    const { container, result } = await processed(blake3First);
    const expected = Buffer.from(await computeDigest('blake3', original)).toString('hex');
    expect([result.header.digestAlgorithm, result.digest, result.trailer.digest]).toEqual(['blake3', expected, expected]);
    const restore = runner.restore(pieces(container), { secret: testKey });
    expect(Buffer.compare(await collect(restore.output), original)).toBe(0);
    expect((await restore.result).digest).toBe(expected);
  });

  it("is SHA-256 of the original with a checksum:sha256 stage first (the chapter's pipeline)", async () => {
    const { container, result } = await processed([
      ['checksum', 'sha256'],
      ['compression', 'zstd'],
      ['encryption', 'aes-256-gcm'],
    ]);
    expect([result.header.digestAlgorithm, result.digest]).toEqual(['sha256', createHash('sha256').update(original).digest('hex')]);
    const restore = runner.restore(pieces(container), { secret: testKey });
    expect(Buffer.compare(await collect(restore.output), original)).toBe(0);
    expect((await restore.result).digest).toBe(result.digest);
  });

  it.each([
    [
      'a sha512 checksum stage (no container digest of its own)',
      [
        ['checksum', 'sha512'],
        ['compression', 'zstd'],
      ],
    ],
    [
      'a blake3 stage that is not first',
      [
        ['compression', 'zstd'],
        ['checksum', 'blake3'],
      ],
    ],
    [
      'no checksum stage',
      [
        ['compression', 'zstd'],
        ['encryption', 'aes-256-gcm'],
      ],
    ],
  ] as [string, StageSpec[]][])('is BLAKE3 of the original, computed by core, with %s first', async (_name, stages) => {
    const { container, result } = await processed(stages);
    const expected = Buffer.from(await computeDigest('blake3', original)).toString('hex');
    expect([result.header.digestAlgorithm, result.digest]).toEqual(['blake3', expected]);
    const restore = runner.restore(pieces(container), { secret: testKey });
    expect(Buffer.compare(await collect(restore.output), original)).toBe(0);
    expect((await restore.result).digest).toBe(expected);
  });

  it('named blake3 in a re-sealed header whose trailer records sha256: computed by core, IntegrityFailed at the trailer', async () => {
    const { container } = await processed([
      ['checksum', 'sha256'],
      ['compression', 'zstd'],
      ['encryption', 'aes-256-gcm'],
    ]);
    const forged = reencodeContainer(container, { key, header: (header) => ({ ...header, digestAlgorithm: 'blake3' }) });
    const restore = runner.restore(pieces(forged), { secret: testKey });
    const error = await rejectionOf(collect(restore.output), 'IntegrityFailed');
    expect(error.message).toContain(`blake3 ${Buffer.from(await computeDigest('blake3', original)).toString('hex')}; the trailer records`);
  });

  it('named blake3 in a format 1 header: CorruptContainer naming the field (version 1 knows only sha256)', async () => {
    const { container } = await processed(blake3First);
    const formatOne = reencodeContainer(container, { key, version: 1 });
    const error = await rejectionOf(runner.readHeader(pieces(formatOne)), 'CorruptContainer');
    expect(error.message).toContain("header field 'digestAlgorithm' must be 'sha256' in format version 1");
  });

  it('named sha256 in a format 1 header is computed by core even when the first stage is blake3 (a BLAKE3 trailer then differs)', async () => {
    const { container } = await processed(blake3First);
    const formatOne = reencodeContainer(container, { key, version: 1, header: (header) => ({ ...header, digestAlgorithm: 'sha256' }) });
    const error = await rejectionOf(collect(runner.restore(pieces(formatOne), { secret: testKey }).output), 'IntegrityFailed');
    expect(error.message).toContain(`sha256 ${createHash('sha256').update(original).digest('hex')}; the trailer records`);
  });
});
