/**
 * Committed test vectors (docs/test-vectors): small containers with their inputs, secrets and the
 * seed of the random bytes used to write them. Every reader must restore them; this release must
 * re-derive those of the format it writes byte for byte. Regenerate them with
 * `ADAPIPE_WRITE_VECTORS=1 npx vitest run tests/container-vectors`. The vectors of format 1
 * (docs/test-vectors/v1) are kept as written then: this release must still restore them.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeyDerivationScope, type RunSecret } from '@adapipe/core';
import { randomBytes } from '@adapipe/core/testing';
import { describe, expect, it } from 'vitest';
import { collect, officialServices, pieces, pipelineOf, type StageSpec } from './test-support/official-services.js';

const directory = join(import.meta.dirname, '..', 'docs', 'test-vectors');
const formatOneDirectory = join(directory, 'v1');
const write = process.env.ADAPIPE_WRITE_VECTORS === '1';

interface Vector {
  readonly name: string;
  readonly description: string;
  readonly input: string;
  readonly chunkSize: number;
  readonly stages: readonly StageSpec[];
  readonly secret?: { readonly kind: 'key'; readonly hex: string } | { readonly kind: 'password'; readonly text: string };
  readonly randomSeed: number;
  /**
   * Written as the first run of a batch, in a `KeyDerivationScope`: its random draws are the
   * scope's KDF salt (recorded as `kdf_salt`), the container's own salt, then the file id.
   */
  readonly keyScope?: boolean;
}

const text = (repeat: number) => 'adapipe container test vector. '.repeat(repeat);

/** The raw key 01..20 of the vectors sealed with a key. */
const rawKey = { kind: 'key', hex: '0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20' } as const;

/** `checksum` → `compression` at `level` → aes-256-gcm → `checksum` again: a keyed vector's stages. */
const sealedBetweenChecksums = (checksum: string, compression: string, level: string): StageSpec[] => [
  ['checksum', checksum],
  ['compression', compression, { level }],
  ['encryption', 'aes-256-gcm'],
  ['checksum', checksum],
];

const vectors: readonly Vector[] = [
  {
    name: 'integrity-sha256',
    description: 'Unencrypted: one SHA-256 checksum stage, 3 chunks of 1 KiB (the last shorter).',
    input: text(80),
    chunkSize: 1024,
    stages: [['checksum', 'sha256']],
    randomSeed: 1,
  },
  {
    name: 'empty-input',
    description: 'Unencrypted: an empty input is one empty final chunk.',
    input: '',
    chunkSize: 1024,
    stages: [['checksum', 'blake3']],
    randomSeed: 2,
  },
  {
    name: 'secure-raw-key',
    description: 'sha256 → gzip 6 → aes-256-gcm (raw key 01..20) → sha256, 2 chunks.',
    input: text(60),
    chunkSize: 1024,
    stages: sealedBetweenChecksums('sha256', 'gzip', '6'),
    secret: rawKey,
    randomSeed: 3,
  },
  {
    name: 'password-scrypt-chacha',
    description: 'chacha20-poly1305 with a password through scrypt (N=1024, r=8, p=1), then blake3.',
    input: text(40),
    chunkSize: 1024,
    stages: [
      ['encryption', 'chacha20-poly1305', { kdf: 'scrypt', scrypt_n: '1024', scrypt_r: '8', scrypt_p: '1' }],
      ['checksum', 'blake3'],
    ],
    secret: { kind: 'password', text: 'correct horse battery staple' },
    randomSeed: 4,
  },
  {
    name: 'default-blake3',
    description: 'The CLI default: blake3 → zstd 3 → aes-256-gcm (raw key 01..20) → blake3, 3 chunks; the header names blake3.',
    input: text(100),
    chunkSize: 1024,
    stages: sealedBetweenChecksums('blake3', 'zstd', '3'),
    secret: rawKey,
    randomSeed: 6,
  },
  {
    name: 'password-argon2id-xchacha',
    description: 'sha512 → xchacha20-poly1305 with a password through argon2id (m=64 KiB, t=1, p=1).',
    input: text(10),
    chunkSize: 1024,
    stages: [
      ['checksum', 'sha512'],
      ['encryption', 'xchacha20-poly1305', { kdf: 'argon2id', argon2_memory_kib: '64', argon2_iterations: '1', argon2_parallelism: '1' }],
    ],
    secret: { kind: 'password', text: 'tr0ub4dor&3' },
    randomSeed: 5,
  },
  {
    name: 'batch-password-argon2id',
    description:
      "One container of a batch (a KeyDerivationScope): aes-256-gcm with a password through argon2id (m=64 KiB, t=1, p=1) over the batch's kdf_salt; HKDF over the container's own salt. 2 chunks.",
    input: text(50),
    chunkSize: 1024,
    stages: [['encryption', 'aes-256-gcm', { kdf: 'argon2id', argon2_memory_kib: '64', argon2_iterations: '1', argon2_parallelism: '1' }]],
    secret: { kind: 'password', text: 'one password, many files' },
    randomSeed: 7,
    keyScope: true,
  },
];

function secretOf(vector: Vector): RunSecret | undefined {
  if (vector.secret === undefined) return undefined;
  return vector.secret.kind === 'key'
    ? { kind: 'key', key: Buffer.from(vector.secret.hex, 'hex') }
    : { kind: 'password', password: new TextEncoder().encode(vector.secret.text) };
}

/** The deterministic random source a vector was written with. */
function seededRandom(seed: number): (length: number) => Uint8Array {
  let calls = 0;
  return (length) => randomBytes(length, seed * 1000 + ++calls);
}

describe('container test vectors', () => {
  const { runner } = officialServices();

  it.each(vectors.map((vector) => [vector.name, vector] as const))('%s is re-derived byte for byte and restores', async (_name, vector) => {
    const input = new TextEncoder().encode(vector.input);
    const secret = secretOf(vector);
    const keyScope = vector.keyScope === true ? new KeyDerivationScope() : undefined;
    // From a stream, never a file: a file's mode and mtime (which differ between checkouts) would
    // be recorded in the trailer.
    const run = runner.process(pieces(input), {
      pipeline: pipelineOf(vector.name, vector.stages),
      chunkSize: vector.chunkSize,
      name: `${vector.name}.txt`,
      random: seededRandom(vector.randomSeed),
      ...(secret ? { secret } : {}),
      ...(keyScope ? { keyScope } : {}),
    });
    const derived = await collect(run.output);
    keyScope?.close();
    const file = join(directory, `${vector.name}.adapipe`);
    if (write) {
      mkdirSync(directory, { recursive: true });
      writeFileSync(file, derived);
      writeFileSync(
        join(directory, `${vector.name}.json`),
        `${JSON.stringify({ ...vector, container: `${vector.name}.adapipe` }, null, 2)}\n`,
      );
    }
    expect(existsSync(file), `${file} is committed`).toBe(true);
    const committed = readFileSync(file);
    expect(derived.toString('hex')).toBe(committed.toString('hex'));
    const restored = await collect(runner.restore(pieces(committed, 100), secret ? { secret } : {}).output);
    expect(Buffer.from(restored).toString()).toBe(vector.input);
  });

  it('the batch vector records a kdf_salt apart from its salt, and restores in a scope', async () => {
    const vector = vectors.find((candidate) => candidate.keyScope === true)!;
    const committed = readFileSync(join(directory, `${vector.name}.adapipe`));
    const { header } = await runner.readHeader(pieces(committed));
    const { salt, kdf_salt: kdfSalt } = header.stages[0]!.runParameters;
    expect(kdfSalt).toMatch(/^[0-9a-f]{64}$/);
    expect(kdfSalt).not.toBe(salt);
    const keyScope = new KeyDerivationScope();
    const secret = secretOf(vector)!;
    const restored = await Promise.all(
      [1, 2].map(async () => collect(runner.restore(pieces(committed, 100), { secret, keyScope }).output)),
    );
    for (const bytes of restored) expect(bytes.toString()).toBe(vector.input);
    expect(keyScope.derivations).toBe(1);
    keyScope.close();
  });

  const formatOne = readdirSync(formatOneDirectory).filter((file) => file.endsWith('.json'));
  it.each(formatOne)('format 1 vector %s still restores', async (file) => {
    const vector = JSON.parse(readFileSync(join(formatOneDirectory, file), 'utf8')) as Vector & { container: string };
    const committed = readFileSync(join(formatOneDirectory, vector.container));
    expect(committed.readUInt16BE(8)).toBe(1);
    const secret = secretOf(vector);
    const run = runner.restore(pieces(committed, 100), secret ? { secret } : {});
    expect(Buffer.from(await collect(run.output)).toString()).toBe(vector.input);
    expect((await run.result).header.digestAlgorithm).toBe('sha256');
  });

  const restoreFileCases = [
    ...vectors.map((vector) => [vector.name, join(directory, `${vector.name}.adapipe`), vector] as const),
    ...formatOne.map((file) => {
      const vector = JSON.parse(readFileSync(join(formatOneDirectory, file), 'utf8')) as Vector & { container: string };
      return [`v1/${vector.name}`, join(formatOneDirectory, vector.container), vector] as const;
    }),
  ];
  it.each(restoreFileCases)(
    '%s (no mode or mtime recorded) restores to a file with the default mode, as before',
    async (_name, path, vector) => {
      const out = mkdtempSync(join(tmpdir(), 'adapipe-vector-restore-'));
      try {
        const secret = secretOf(vector);
        const restored = await runner.restoreFile(path, { directory: out }, { durable: false, ...(secret ? { secret } : {}) });
        expect(restored.trailer.mode).toBeUndefined();
        expect(restored.trailer.mtimeMs).toBeUndefined();
        expect(readFileSync(restored.outputPath, 'utf8')).toBe(vector.input);
        expect(statSync(restored.outputPath).mode & 0o7777).toBe(0o600);
        expect(statSync(restored.outputPath).mtimeMs).toBeGreaterThan(Date.now() - 60_000);
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    },
  );
});
