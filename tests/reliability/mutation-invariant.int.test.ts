import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Pipeline, PipelineError, type PipelineErrorKind, type RunSecret } from '@adapipe/core';
import { randomBytes } from '@adapipe/core/testing';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { collect, defaultPipeline, officialServices, pieces, pipelineOf, testKey } from '../test-support/official-services.js';
import {
  applyMutation,
  classifyRestore,
  describeMutation,
  containerErrorKinds,
  forgeableKinds,
  type Mutation,
  mutationArbitrary,
  mutationKinds,
  mutationLabel,
  type Outcome,
  OutcomeTally,
} from './test-support/container-mutations.js';

const { runner } = officialServices();
const numRuns = Number(process.env.ADAPIPE_PROPERTY_RUNS ?? 3000);
const fileRuns = Math.max(8, Math.round(numRuns / 10));

const password: RunSecret = { kind: 'password', password: new TextEncoder().encode('correct horse battery staple') };
/** The cheapest costs plugins/encryption/README.md allows: argon2id m = 8 × p KiB, t = 1, p = 1; scrypt N = 2¹⁰, r = 1, p = 1. */
const cheapArgon2id = { kdf: 'argon2id', argon2_memory_kib: '8', argon2_iterations: '1', argon2_parallelism: '1' };
const cheapScrypt = { kdf: 'scrypt', scrypt_n: '1024', scrypt_r: '1', scrypt_p: '1' };

interface Variant {
  readonly name: string;
  readonly encrypted: boolean;
  readonly pipeline: Pipeline;
  readonly secret: RunSecret | undefined;
}

const variants: readonly Variant[] = [
  { name: 'default pipeline, raw key', encrypted: true, pipeline: defaultPipeline(), secret: testKey },
  {
    name: 'chacha20-poly1305, scrypt password',
    encrypted: true,
    pipeline: pipelineOf('scrypt-password', [
      ['checksum', 'sha256'],
      ['compression', 'zstd', { level: '1' }],
      ['encryption', 'chacha20-poly1305', cheapScrypt],
    ]),
    secret: password,
  },
  {
    name: 'xchacha20-poly1305, argon2id password',
    encrypted: true,
    pipeline: pipelineOf('argon2-password', [
      ['encryption', 'xchacha20-poly1305', cheapArgon2id],
      ['checksum', 'blake3'],
    ]),
    secret: password,
  },
  {
    name: 'checksum + zstd + checksum',
    encrypted: false,
    pipeline: pipelineOf('integrity', [
      ['checksum', 'sha256'],
      ['compression', 'zstd', { level: '3' }],
      ['checksum', 'sha256'],
    ]),
    secret: undefined,
  },
  { name: 'passthrough', encrypted: false, pipeline: pipelineOf('passthrough', [['passthrough', 'passthrough']]), secret: undefined },
  { name: 'checksum only', encrypted: false, pipeline: pipelineOf('checksum-only', [['checksum', 'sha256']]), secret: undefined },
];

const framing: readonly PipelineErrorKind[] = ['CorruptContainer'];
const stageChecks: readonly PipelineErrorKind[] = ['CorruptContainer', 'IntegrityFailed', 'CompressionFailed', 'LimitExceeded'];

/**
 * The outcomes a mutation may end in. Unforged record mutations break the framing (sequence, CRC
 * bound to the header digest) and never reach a stage; forged ones must be stopped by the AEAD when
 * encrypted (or the clear output checksum in front of it), else by the stage and trailer checks.
 * Restoring the original bytes (`identical`) is benign only where nothing is keyed: a forged record
 * of a container without encryption (a chunk spliced from a container with the same content, or a
 * trailer field restore does not read); never for an encrypted container or an unforged mutation.
 */
function allowedOutcomes(mutation: Mutation, variant: Variant): readonly Outcome[] {
  switch (mutation.kind) {
    case 'bit-flip':
      if (!mutation.forged) return containerErrorKinds;
      return variant.encrypted ? ['EncryptionFailed', 'IntegrityFailed', 'CorruptContainer'] : [...stageChecks, 'identical'];
    case 'insertion':
      return containerErrorKinds;
    case 'truncation':
      return ['NotAContainer', 'CorruptContainer'];
    case 'append':
    case 'trailer-removal':
      return framing;
    default:
      if (!mutation.forged) return framing;
      return variant.encrypted ? ['EncryptionFailed', 'CorruptContainer'] : [...stageChecks, 'identical'];
  }
}

async function makeContainer(variant: Variant, input: Uint8Array, chunkSize: number): Promise<Buffer> {
  const options = { pipeline: variant.pipeline, chunkSize, ...(variant.secret === undefined ? {} : { secret: variant.secret }) };
  return collect(runner.process(pieces(input, 4099), options).output);
}

function restoreOptions(variant: Variant) {
  return variant.secret === undefined ? {} : { secret: variant.secret };
}

function isPrefix(prefix: Uint8Array, of: Uint8Array): boolean {
  return prefix.length <= of.length && Buffer.compare(prefix, of.subarray(0, prefix.length)) === 0;
}

const caseArbitrary = fc.record({
  variant: fc.constantFrom(...variants),
  size: fc.integer({ min: 0, max: 40 * 1024 }),
  chunkSize: fc.integer({ min: 1024, max: 8192 }),
  seed: fc.integer({ min: 1, max: 0x7fff_ffff }),
  donorHasSameInput: fc.boolean(),
  readSize: fc.constantFrom(7, 512, 4096, 65_536),
  mutation: mutationArbitrary(),
});

describe('any mutation of a container (property)', () => {
  it('is rejected with a typed error of a documented kind, or restores exactly the original; never other bytes', async () => {
    const tally = new OutcomeTally();
    let noOps = 0;
    const benign: string[] = [];
    await fc.assert(
      fc.asyncProperty(caseArbitrary, async ({ variant, size, chunkSize, seed, donorHasSameInput, readSize, mutation }) => {
        const input = randomBytes(size, seed);
        const container = await makeContainer(variant, input, chunkSize);
        const donor =
          mutation.kind === 'splice'
            ? await makeContainer(variant, donorHasSameInput ? input : randomBytes(size, seed ^ 0x5555), chunkSize)
            : undefined;
        const mutated = applyMutation(container, mutation, donor);
        if (Buffer.compare(mutated, container) === 0) {
          expect(mutation.forged && mutation.kind === 'splice' && !variant.encrypted, `${mutationLabel(mutation)} changed nothing`).toBe(
            true,
          );
          noOps++;
          return;
        }
        const { outcome, released } = await classifyRestore(
          runner.restore(pieces(mutated, readSize), restoreOptions(variant)).output,
          input,
        );
        tally.add(`${mutationLabel(mutation)}${variant.encrypted ? '' : ' (clear)'}`, outcome);
        if (outcome === 'identical') benign.push(`${variant.name}: ${describeMutation(container, mutation)}`);
        expect(allowedOutcomes(mutation, variant), `${variant.name}: ${mutationLabel(mutation)}`).toContain(outcome);
        if (variant.encrypted || !mutation.forged) {
          expect(
            isPrefix(released, input),
            `${variant.name}: ${mutationLabel(mutation)} released bytes that are not a prefix of the original`,
          ).toBe(true);
        }
      }),
      { numRuns },
    );
    console.info(
      `restore outcomes over ${numRuns} mutated containers (${noOps} forged clear splices of an identical chunk changed no byte):\n${tally}\nbenign:\n${benign.join('\n')}`,
    );
    if (numRuns < 1000) return;
    for (const kind of mutationKinds) {
      for (const label of [kind, `${kind} (clear)`]) expect(tally.labels(), `${label} never drawn`).toContain(label);
      if (!forgeableKinds.has(kind)) continue;
      for (const label of [`${kind}+forged`, `${kind}+forged (clear)`]) expect(tally.labels(), `${label} never drawn`).toContain(label);
    }
  }, 120_000);
});

describe('restoreFile of a mutated container (property)', () => {
  const root = mkdtempSync(join(tmpdir(), 'adapipe-mutation-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('leaves neither the target nor a temporary file behind', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...variants),
        fc.integer({ min: 3 * 1024, max: 40 * 1024 }),
        fc.integer({ min: 1, max: 0x7fff_ffff }),
        mutationArbitrary(),
        async (variant, size, seed, mutation) => {
          fc.pre(variant.encrypted || !mutation.forged);
          const dir = join(root, `run-${run++}`);
          const input = randomBytes(size, seed);
          const container = await makeContainer(variant, input, 1024);
          const donor = mutation.kind === 'splice' ? await makeContainer(variant, randomBytes(size, seed + 1), 1024) : undefined;
          mkdirSync(dir);
          writeFileSync(join(dir, 'in.adapipe'), applyMutation(container, mutation, donor));
          const error = await runner.restoreFile(join(dir, 'in.adapipe'), join(dir, 'out.bin'), restoreOptions(variant)).then(
            () => undefined,
            (caught: unknown) => caught,
          );
          expect(PipelineError.is(error), `${variant.name}: ${mutationLabel(mutation)}: ${String(error)}`).toBe(true);
          expect(readdirSync(dir)).toEqual(['in.adapipe']);
        },
      ),
      { numRuns: fileRuns },
    );
  }, 60_000);
});
