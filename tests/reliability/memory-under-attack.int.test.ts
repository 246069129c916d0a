import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { KiB, MAX_HEADER_LENGTH, maxPayloadLength, MiB, type PipelineErrorKind, restoreChunkLimit } from '@adapipe/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Hostile containers (forged lengths, decompression bombs, absurd counts, KDF costs over the caps)
 * restored in fresh processes, once through the library and once through the built CLI: each must
 * fail with its documented error and exit code while memory stays within what the documented caps
 * (docs/container-format.md, "Limits") allow — never what the forged fields claim.
 */

const child = join(import.meta.dirname, 'test-support', 'attack-child.mjs');
const cli = join(import.meta.dirname, '..', '..', 'packages', 'cli', 'dist', 'bin', 'adapipe.js');
const timeBinary = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const heavy = process.env.ADAPIPE_ATTACK_HEAVY === '1';

/** The chunk size of the valid containers the child cuts its attacks from. */
const chunkSize = 64 * KiB;
/** The runner's default in-flight window: that many chunk records may be read and reversed at once. */
const window = 2 * availableParallelism();
/**
 * Growth not caused by the input: 1 MiB read blocks, the atomic writer, V8 and allocator noise.
 * V8's share depends on the Node line: restoring the 150 KiB at-cap control grew RSS by 11.4 MiB on
 * Node 20, 14.4 on 22 and 17.2 on 24 (ArrayBuffers by 0.4 MiB on each), so Node 24 gets 4 MiB more.
 */
const slack = (Number(process.versions.node.split('.')[0]) >= 24 ? 20 : 16) * MiB;
/** A Node process running the CLI: ~50–70 MiB of runtime plus what a case may allocate. */
const cliRssLimit = 150 * MiB;
/** What restoring `chunkSize` chunks may hold: a window of records, each decompressing up to the restore limit. */
const inFlight = window * (maxPayloadLength(chunkSize) + restoreChunkLimit(chunkSize, false));

const exitCode = { ok: 0, corrupt: 11, limitExceeded: 13 } as const;

interface Expectation {
  /** The error kind, or `ok` for a control case that must restore. */
  readonly kind: PipelineErrorKind | 'ok';
  /** The CLI's exit code, as packages/cli/README.md documents it. */
  readonly exitCode: number;
  /** What the error message must say. */
  readonly message?: RegExp;
  /** Bytes the documented caps let the reader allocate for this case, on top of {@link slack}. */
  readonly allowance: number;
  /** Bytes a control case restores. */
  readonly bytesOut?: number;
}

const limitExceeded = (message: RegExp, allowance = 0): Expectation => ({
  kind: 'LimitExceeded',
  exitCode: exitCode.limitExceeded,
  message,
  allowance,
});
const corrupt = (kind: PipelineErrorKind, message: RegExp, allowance = inFlight): Expectation => ({
  kind,
  exitCode: exitCode.corrupt,
  message,
  allowance,
});
const restores = (bytesOut: number, allowance: number): Expectation => ({ kind: 'ok', exitCode: exitCode.ok, allowance, bytesOut });
const literal = (text: string) => new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));

const expectations: Record<string, Expectation> = {
  'header-length-4gib': limitExceeded(literal(`header length ${2 ** 32 - 1} is outside 1..${MAX_HEADER_LENGTH} bytes`)),
  'header-length-over-cap': limitExceeded(literal(`header length ${MAX_HEADER_LENGTH + 1} is outside 1..${MAX_HEADER_LENGTH} bytes`)),
  'header-length-at-cap': restores(150 * KiB, 4 * MAX_HEADER_LENGTH + inFlight),
  'payload-length-4gib': limitExceeded(
    literal(`declares a ${2 ** 32 - 16}-byte payload; the limit for this chunk size is ${maxPayloadLength(chunkSize)}`),
  ),
  'payload-length-over-cap': limitExceeded(
    literal(`declares a ${maxPayloadLength(chunkSize) + 1}-byte payload; the limit for this chunk size is ${maxPayloadLength(chunkSize)}`),
  ),
  'payload-length-at-cap': restores(150 * KiB, inFlight),
  'metadata-length-4gib': limitExceeded(literal(`declares ${2 ** 32 - 1} bytes of metadata; the limit is ${64 * KiB}`)),
  'metadata-length-over-cap': limitExceeded(literal(`declares ${64 * KiB + 1} bytes of metadata; the limit is ${64 * KiB}`)),
  'chunk-size-100mib-small-chunk': restores(40 * KiB, 0),
  'chunk-size-100mib-payload-missing': corrupt(
    'CorruptContainer',
    /truncated at byte \d+, inside the payload of record 0 \(expected 104857600 bytes, found \d+\)/,
    0,
  ),
  'bomb-plain-no-content-size': corrupt(
    'CompressionFailed',
    literal(`Stage 'pack' (compression:zstd) chunk 1: decompression failed: Destination buffer is too small`),
  ),
  'bomb-plain-content-size': corrupt(
    'CompressionFailed',
    literal(`the zstd frame declares ${1024 * MiB} bytes, not the declared ${chunkSize}`),
  ),
  'bomb-plain-declared-over-limit': limitExceeded(
    literal(
      `chunk 1: declares ${restoreChunkLimit(chunkSize, false) + 1} uncompressed bytes, above the restore limit of ${restoreChunkLimit(chunkSize, false)}`,
    ),
    inFlight,
  ),
  'bomb-plain-declared-at-limit-4mib-chunks': corrupt(
    'CompressionFailed',
    literal(`chunk 0: decompression failed: Destination buffer is too small`),
    restoreChunkLimit(4 * MiB, false),
  ),
  'bomb-sealed': corrupt('IntegrityFailed', literal(`Stage 'outer' (checksum:sha256) rejected chunk 1`)),
  'bomb-sealed-outer-digest-forged': corrupt('EncryptionFailed', literal(`(encryption:aes-256-gcm) chunk 1: authentication failed`)),
  'chunk-sequence-max': limitExceeded(literal(`claims chunk ${2 ** 32 - 1}; at most ${2 ** 32 - 1} chunks are allowed`)),
  'trailer-sequence-absurd': corrupt('CorruptContainer', literal(`record ${2 ** 32 - 2} found where record 3 belongs`)),
  'trailer-chunk-count-absurd': corrupt('IntegrityFailed', literal(`the trailer records ${Number.MAX_SAFE_INTEGER} chunks`)),
  'kdf-argon2-memory-4gib': limitExceeded(
    literal(`argon2id cost argon2_memory_kib = ${4 * 1024 * 1024} is over the restore cap of ${1024 * 1024}; refusing to derive the key`),
  ),
  'kdf-argon2-passes': limitExceeded(
    literal(`argon2id cost argon2_iterations = ${2 ** 32 - 1} is over the restore cap of 64; refusing to derive the key`),
  ),
  'kdf-scrypt-memory-16gib': limitExceeded(
    literal(
      `scrypt memory 128 x N x r = ${16 * 1024 * MiB} bytes is over the restore cap of ${1024 * MiB} bytes; refusing to derive the key`,
    ),
  ),
  ...(heavy
    ? {
        'bomb-plain-declared-at-limit-100mib-chunks': corrupt(
          'CompressionFailed',
          literal(`chunk 0: decompression failed: Destination buffer is too small`),
          Math.min(window, availableParallelism()) * restoreChunkLimit(100 * MiB, false),
        ),
      }
    : {}),
};

interface ManifestEntry {
  readonly name: string;
  readonly file: string;
  readonly warm: string;
  readonly secret: { kind: 'key'; hex: string } | { kind: 'password'; text: string } | null;
}

interface RestoreReport {
  readonly ok: boolean;
  readonly kind?: string;
  readonly message?: string;
  readonly bytesOut?: number;
  readonly baselineRss: number;
  /** Peak RSS during the restore minus the baseline. */
  readonly growth: number;
  /** Peak main-thread ArrayBuffer bytes minus the baseline: sees buffers allocated but never written. */
  readonly arrayBuffersGrowth: number;
}

let workspace = '';
let manifest = new Map<string, ManifestEntry>();
const measured = new Map<string, { baseline?: number; growth?: number; arrayBuffers?: number; cliRss?: number }>();

/** Runs the child script; fails the test on a non-zero exit, else returns its parsed stdout. */
function runChild<T>(args: readonly string[], env: NodeJS.ProcessEnv = process.env): T {
  const result = spawnSync(process.execPath, ['--expose-gc', child, ...args], { encoding: 'utf8', env, maxBuffer: 16 * MiB });
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as T;
}

/** The environment that hands a case's secret to the CLI, with the store kept in the workspace. */
function cliEnvironment(secret: ManifestEntry['secret']): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '', HOME: workspace, ADAPIPE_DB: join(workspace, 'store.db') };
  if (secret?.kind === 'key') env.ADAPIPE_KEY = secret.hex;
  if (secret?.kind === 'password') env.ADAPIPE_PASSWORD = secret.text;
  return env;
}

/** Runs `adapipe restore` on `file` (under `/usr/bin/time -f %M` when present); returns its status, stderr and max RSS. */
function cliRestore(entry: ManifestEntry, output: string): { status: number | null; stderr: string; maxRss: number | undefined } {
  const command = [cli, 'restore', '-i', entry.file, '-o', output, '-f'];
  const result =
    timeBinary === undefined
      ? spawnSync(process.execPath, command, { encoding: 'utf8', env: cliEnvironment(entry.secret) })
      : spawnSync(timeBinary, ['-f', '%M', process.execPath, ...command], { encoding: 'utf8', env: cliEnvironment(entry.secret) });
  if (timeBinary === undefined) return { status: result.status, stderr: result.stderr, maxRss: undefined };
  const lines = result.stderr.trimEnd().split('\n');
  return { status: result.status, stderr: lines.slice(0, -1).join('\n'), maxRss: Number(lines.at(-1)) * KiB };
}

const mib = (bytes: number | undefined) => (bytes === undefined ? '–' : (bytes / MiB).toFixed(1));

beforeAll(() => {
  workspace = mkdtempSync(join(tmpdir(), 'adapipe-attack-'));
  const entries = runChild<ManifestEntry[]>(['build', join(workspace, 'cases')]);
  manifest = new Map(entries.map((entry) => [entry.name, entry]));
}, 60_000);

afterAll(() => {
  if (workspace !== '') rmSync(workspace, { recursive: true, force: true });
  const rows = [...measured].map(
    ([name, m]) => `| ${name} | ${mib(m.baseline)} | ${mib(m.growth)} | ${mib(m.arrayBuffers)} | ${mib(m.cliRss)} |`,
  );
  const head = '| case | library baseline RSS | library peak RSS growth | library ArrayBuffer growth | CLI max RSS |';
  console.info([head, '|---|---:|---:|---:|---:|', ...rows].join('\n'));
});

describe('memory under attack', () => {
  it('the child builds exactly the cases this file asserts', () => {
    expect([...manifest.keys()].sort()).toEqual(Object.keys(expectations).sort());
  });

  describe.each(Object.entries(expectations))('%s', (name, expected) => {
    it(`restores through the library as ${expected.kind}, growing memory by less than ${mib(slack + expected.allowance)} MiB`, () => {
      const entry = manifest.get(name)!;
      const report = runChild<RestoreReport>([
        'restore',
        entry.file,
        entry.warm,
        JSON.stringify(entry.secret),
        join(workspace, 'out', name),
      ]);
      measured.set(name, {
        ...measured.get(name),
        baseline: report.baselineRss,
        growth: report.growth,
        arrayBuffers: report.arrayBuffersGrowth,
      });
      if (expected.kind === 'ok') {
        expect(report, report.message).toMatchObject({ ok: true, bytesOut: expected.bytesOut });
      } else {
        expect(report.kind, report.message).toBe(expected.kind);
        expect(report.message).toMatch(expected.message!);
      }
      expect(report.growth, `peak RSS grew by ${mib(report.growth)} MiB`).toBeLessThan(slack + expected.allowance);
      expect(report.arrayBuffersGrowth, `ArrayBuffers grew by ${mib(report.arrayBuffersGrowth)} MiB`).toBeLessThan(
        slack + expected.allowance,
      );
    });

    it(`restores through the CLI with exit ${expected.exitCode}`, () => {
      const entry = manifest.get(name)!;
      const output = join(workspace, `${name}.out`);
      const { status, stderr, maxRss } = cliRestore(entry, output);
      measured.set(name, { ...measured.get(name), cliRss: maxRss });
      expect(status, stderr).toBe(expected.exitCode);
      if (expected.kind === 'ok') {
        expect(statSync(output).size).toBe(expected.bytesOut);
      } else {
        expect(stderr).toMatch(expected.message!);
        expect(existsSync(output)).toBe(false);
      }
      if (maxRss !== undefined) expect(maxRss, `max RSS ${mib(maxRss)} MiB`).toBeLessThan(cliRssLimit + expected.allowance);
    });
  });
});
