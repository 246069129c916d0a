import { spawn } from 'node:child_process';
import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import { closeSync, openSync, readdirSync, readFileSync, statSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { compressibleBytes, randomBytes } from '@adapipe/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ContainerLayout,
  containerLayout,
  createWorkspace,
  type CliWorkspace,
  directorySnapshot,
  disposeWorkspaces,
  expectRefused,
  finished,
  flipBit,
  headerJson,
  makeReadOnlyDirectory,
  mountTmpfs,
  reorderRecords,
  seededRandom,
  temporaryFiles,
  withForgedRecordChecks,
} from './test-support/cli-harness.js';

const root = new URL('../../', import.meta.url);
const pluginFixture = fileURLToPath(new URL('packages/cli/test-support/reverse-bytes-plugin.mjs', root));
const sigkillLoop = fileURLToPath(new URL('scripts/sigkill-loop.mjs', root));

const chunkSize = 65_536;
const plainStages = 'checksum:sha256,compression:zstd,checksum:sha256';
const key = Uint8Array.from({ length: 32 }, (_, index) => 0xa0 ^ index);
const wrongKey = Uint8Array.from({ length: 32 }, (_, index) => 0x5c ^ index);
const password = { ADAPIPE_PASSWORD: 'correct horse battery staple' };
const wrongPassword = { ADAPIPE_PASSWORD: 'correct horse battery stapler' };
const original = Buffer.concat([compressibleBytes(chunkSize + 10_000), randomBytes(2 * chunkSize - 15_000, 8)]);

interface Fixtures {
  readonly encrypted: Buffer;
  readonly password: Buffer;
  readonly plain: Buffer;
}
let fixtures: Fixtures;

/** One container variant of the catalogue: how it is made and what restoring it needs. */
interface Variant {
  readonly name: string;
  readonly container: () => Buffer;
  readonly secret: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** The last sha256 stage, whose per-chunk digest is in clear metadata (a forger can recompute it). */
  readonly outerChecksum: string;
}

const encrypted: Variant = {
  name: 'encrypted',
  container: () => fixtures.encrypted,
  secret: ['--key-file', 'key'],
  env: {},
  outerChecksum: 'output-checksum',
};
/** The default pipeline's clear outer checksum (BLAKE3 of the payload) refusing chunk `index`. */
const outerRejects = (index: number) => new RegExp(`Stage 'output-checksum' \\(checksum:blake3\\) rejected chunk ${index}`);
const plain: Variant = { name: 'unencrypted', container: () => fixtures.plain, secret: [], env: {}, outerChecksum: 'output-checksum' };
const variants = [encrypted, plain];

/**
 * Every case runs on the encrypted variant; the unencrypted one repeats only the cases named here,
 * where the reader takes another path without a key (the CLI's start-up dominates the runtime).
 */
function casesFor<T>(table: readonly T[], name: (row: T) => string, alsoUnencrypted: readonly string[]): [Variant, T][] {
  return variants.flatMap((variant) =>
    table.filter((row) => variant === encrypted || alsoUnencrypted.includes(name(row))).map((row) => [variant, row] as [Variant, T]),
  );
}

afterAll(() => disposeWorkspaces());

beforeAll(async () => {
  const made = createWorkspace();
  made.write('original.bin', original);
  made.write('key', key, 0o600);
  const build = async (args: string[], env = {}) => {
    const result = await made.run(['--json', 'process', '-i', 'original.bin', '--chunk-size', '64K', ...args], { env });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout.toString())).toMatchObject({ chunkCount: 3, chunkSize });
  };
  await Promise.all([
    build(['--key-file', 'key', '-o', 'encrypted.adapipe']),
    build(['-o', 'password.adapipe'], password),
    build(['-o', 'plain.adapipe', '--stages', plainStages]),
  ]);
  fixtures = { encrypted: made.read('encrypted.adapipe'), password: made.read('password.adapipe'), plain: made.read('plain.adapipe') };
  for (const name of ['encrypted', 'plain'] as const) {
    const inspected = await made.run(['--json', 'inspect', `${name}.adapipe`]);
    expect(inspected.code, inspected.stderr).toBe(0);
    const {
      command: _command,
      input: _input,
      formatVersion,
      encrypted: isEncrypted,
      containerSize,
      chunkCount: _chunks,
      original: _original,
      ok: _ok,
      ...header
    } = JSON.parse(inspected.stdout.toString());
    const layout = containerLayout(fixtures[name]);
    expect({ formatVersion, isEncrypted, containerSize, chunks: layout.chunks.length }).toEqual({
      formatVersion: 2,
      isEncrypted: name === 'encrypted',
      containerSize: fixtures[name].length,
      chunks: Math.ceil(original.length / header.chunkSize),
    });
    expect(headerJson(fixtures[name])).toEqual(header);
  }
}, 60_000);

/** A fresh workspace holding the key file and `bad.adapipe`. */
function caseWith(container: Uint8Array, files: Record<string, Uint8Array | string> = {}): CliWorkspace {
  const workspace = createWorkspace();
  workspace.write('key', key, 0o600);
  workspace.write('bad.adapipe', container);
  for (const [name, bytes] of Object.entries(files)) workspace.write(name, bytes, 0o600);
  return workspace;
}

/** Expects `restore -i bad.adapipe -o restored.bin` of `container` to be refused. */
function expectRestoreRefused(variant: Variant, container: Uint8Array, exitCode: number, cause: RegExp) {
  return expectRefused({
    workspace: caseWith(container),
    args: [...variant.secret, 'restore', '-i', 'bad.adapipe', '-o', 'restored.bin'],
    env: variant.env,
    exitCode,
    file: 'bad.adapipe',
    cause,
    target: 'restored.bin',
    input: 'bad.adapipe',
  });
}

describe('CLI fault catalogue', () => {
  it('uses the exit codes the README documents', () => {
    const readme = readFileSync(new URL('packages/cli/README.md', root), 'utf8');
    const rows = new Map([...readme.matchAll(/^\| ([\d /]+) \| (.+) \|$/gm)].map((match) => [match[1]!.trim(), match[2]!]));
    expect(rows.get('4')).toMatch(/output exists.*cannot be written/);
    expect(rows.get('6')).toMatch(/the input changed while it was read/);
    expect(rows.get('10')).toMatch(/not an adapipe container.*plugin it needs is not installed/);
    expect(rows.get('11')).toMatch(/corrupt.*truncated, modified, reordered/);
    expect(rows.get('12')).toMatch(/wrong password or key/);
    expect(rows.get('13')).toMatch(/limit exceeded \(header length/);
    expect(rows.get('130 / 143')).toMatch(/SIGINT \/ SIGTERM \(temporary files removed\)/);
    expect(readme).toContain('Every error is one line on stderr naming the file');
  });

  describe.concurrent('1. truncation → 11, nothing written', () => {
    it('1. an empty file (no magic left) → 10 not an adapipe container', async () => {
      await expectRestoreRefused(encrypted, new Uint8Array(), 10, /not an adapipe container/);
    });

    const points: [string, (layout: ContainerLayout) => number, RegExp][] = [
      ['inside the magic', () => 5, /truncated at byte 5, inside the preamble/],
      ['inside the format version', () => 9, /truncated at byte 9, inside the preamble/],
      [
        'inside the header JSON',
        (layout) => layout.headerJsonStart + (layout.headerLength >> 1),
        /truncated at byte \d+, inside the header \(/,
      ],
      ['inside the header checksum', (layout) => layout.checksumStart + 10, /inside the header checksum/],
      ['inside the header MAC', (layout) => layout.macStart! + 10, /inside the header MAC/],
      ['right after the header (no chunk)', (layout) => layout.headerEnd, /truncated after 0 chunk\(s\): the trailer is missing/],
      ['inside a chunk record’s fixed fields', (layout) => layout.chunks[1]!.start + 7, /truncated at byte \d+, inside the record at byte/],
      ['at a chunk boundary', (layout) => layout.chunks[2]!.start, /truncated after 2 chunk\(s\): the trailer is missing/],
      ['inside a chunk payload', (layout) => layout.chunks[1]!.payloadStart + 100, /inside the payload of record 1/],
      ['inside a chunk CRC', (layout) => layout.chunks[1]!.crcStart + 2, /inside the checksum of record 1/],
      ['inside the trailer', (layout) => layout.trailer.payloadStart + 3, /inside the payload of record 3/],
      ['one byte short', (layout) => layout.length - 1, /inside the checksum of record 3/],
    ];
    const cases = casesFor(points, ([where]) => where, [
      'inside the header JSON',
      'at a chunk boundary',
      'inside a chunk payload',
      'inside the trailer',
    ]).map(([variant, [where, at, cause]]) => [variant.name, where, variant, at, cause] as const);
    it.each(cases)('1. %s: truncation %s → 11, nothing written', async (_name, _where, variant, at, cause) => {
      const container = variant.container();
      await expectRestoreRefused(variant, container.subarray(0, at(containerLayout(container))), 11, cause);
    });
  });

  describe.concurrent('2. a flipped bit → a typed exit', () => {
    type Region = readonly [region: string, bit: (layout: ContainerLayout) => number, exitCode: number, cause: RegExp];
    const byteBit = (byte: number, bit = 0) => byte * 8 + bit;
    const regions = (variant: Variant): Region[] => [
      ['the magic', () => byteBit(0), 10, /not an adapipe container/],
      ['the format version', () => byteBit(9, 0), 10, /container format version 3; this release reads versions 1 and 2/],
      ['an unknown preamble flag', () => byteBit(11, 1), 10, /unknown preamble flags/],
      ['the encrypted flag', () => byteBit(11, 0), 11, /header checksum mismatch/],
      ['the header length (high bit)', () => byteBit(12, 7), 13, /header length \d+ is outside 1\.\.1048576 bytes/],
      ['the header length (low bit)', () => byteBit(15, 0), 11, /header checksum mismatch/],
      ['the header JSON', (layout) => byteBit(layout.headerJsonStart + 20, 3), 11, /header checksum mismatch/],
      ['the header checksum', (layout) => byteBit(layout.checksumStart + 31, 7), 11, /header checksum mismatch/],
      ...(variant === encrypted
        ? [
            [
              'the header MAC (documented: an intact header whose MAC fails means a wrong password or key)',
              (layout) => byteBit(layout.macStart! + 5),
              12,
              /wrong password or key \(the header MAC does not match\)/,
            ] as Region,
          ]
        : []),
      ['a record type', (layout) => byteBit(layout.chunks[1]!.start), 11, /unknown record type 0x42 at byte/],
      ['a record’s flags', (layout) => byteBit(layout.chunks[1]!.start + 1, 1), 11, /invalid record flags 0x2 at byte/],
      ['a record sequence', (layout) => byteBit(layout.chunks[1]!.start + 5), 11, /is damaged \(CRC-32 mismatch\)/],
      [
        'a metadata length (high bit)',
        (layout) => byteBit(layout.chunks[1]!.start + 6, 7),
        13,
        /declares \d+ bytes of metadata; the limit is 65536/,
      ],
      [
        'a payload length (high bit)',
        (layout) => byteBit(layout.chunks[1]!.start + 10, 7),
        13,
        /declares a \d+-byte payload; the limit for this chunk size is/,
      ],
      [
        'a payload length (low bit)',
        (layout) => byteBit(layout.chunks[1]!.start + 13),
        11,
        /record 1 at byte \d+ is damaged \(CRC-32 mismatch\)/,
      ],
      [
        'chunk metadata',
        (layout) => byteBit(layout.chunks[1]!.metadataStart + 20),
        11,
        /record 1 at byte \d+ is damaged \(CRC-32 mismatch\)/,
      ],
      // Format 2 leaves an encrypted container's payloads out of the CRC (the AEAD tag covers them):
      // the clear outer checksum, in front of the tag, is then the first check to see the damage.
      [
        'a chunk body',
        (layout) => byteBit(layout.chunks[1]!.payloadStart + 100, 4),
        11,
        variant === encrypted ? outerRejects(1) : /record 1 at byte \d+ is damaged \(CRC-32 mismatch\)/,
      ],
      [
        variant === encrypted ? 'an AEAD tag' : 'the last payload byte',
        (layout) => byteBit(layout.chunks[1]!.crcStart - 1, 6),
        11,
        variant === encrypted ? outerRejects(1) : /record 1 at byte \d+ is damaged \(CRC-32 mismatch\)/,
      ],
      ['a record CRC', (layout) => byteBit(layout.chunks[2]!.crcStart + 3, 2), 11, /record 2 at byte \d+ is damaged \(CRC-32 mismatch\)/],
      [
        'the trailer body',
        (layout) => byteBit(layout.trailer.payloadStart + 2),
        11,
        variant === encrypted ? /chunk 3: authentication failed/ : /record 3 at byte \d+ is damaged \(CRC-32 mismatch\)/,
      ],
    ];
    const alsoUnencrypted = [
      'the header JSON',
      'the header checksum',
      'a payload length (high bit)',
      'a chunk body',
      'the last payload byte',
      'the trailer body',
    ];
    const flips = variants.flatMap((variant) =>
      regions(variant)
        .filter(([region]) => variant === encrypted || alsoUnencrypted.includes(region))
        .map((region) => [variant.name, region[0], region[2], variant, region] as const),
    );
    it.each(flips)('2. %s: a flipped bit in %s → %i', async (_name, _region, _code, variant, [, bit, exitCode, cause]) => {
      const container = variant.container();
      await expectRestoreRefused(variant, flipBit(container, bit(containerLayout(container))), exitCode, cause);
    });

    // A forger without the key recomputes the CRC (and the clear outer digest): the damage then
    // reaches the AEAD tag, the decompressor or the inner checksums.
    const forged: [string, 'CRC' | 'CRC and outer digest', Variant, (layout: ContainerLayout) => number, RegExp][] = [
      [
        'encrypted: the AEAD tag',
        'CRC and outer digest',
        encrypted,
        (layout) => byteBit(layout.chunks[1]!.crcStart - 1, 6),
        /Stage 'encryption' \(encryption:aes-256-gcm\) chunk 1: authentication failed/,
      ],
      [
        'encrypted: the ciphertext',
        'CRC and outer digest',
        encrypted,
        (layout) => byteBit(layout.chunks[0]!.payloadStart + 200),
        /chunk 0: authentication failed/,
      ],
      ['encrypted: the chunk body', 'CRC', encrypted, (layout) => byteBit(layout.chunks[1]!.payloadStart + 100), outerRejects(1)],
      [
        'encrypted: the sealed trailer',
        'CRC',
        encrypted,
        (layout) => byteBit(layout.trailer.payloadStart + 2),
        /chunk 3: authentication failed/,
      ],
      [
        'unencrypted: the compressed body',
        'CRC and outer digest',
        plain,
        (layout) => byteBit((layout.chunks[0]!.payloadStart + layout.chunks[0]!.crcStart) >> 1, 2),
        /Stage 'compression' \(compression:zstd\) chunk 0: decompression failed|Stage 'input-checksum' \(checksum:sha256\) rejected chunk 0/,
      ],
      [
        'unencrypted: the chunk metadata',
        'CRC',
        plain,
        (layout) => byteBit(layout.chunks[1]!.metadataStart + 3),
        /chunk 1: chunk metadata is malformed/,
      ],
      ['unencrypted: the trailer JSON', 'CRC', plain, (layout) => byteBit(layout.trailer.payloadStart + 2), /trailer field/],
    ];
    it.each(forged)(
      '2. %s flipped, the %s forged to match → 11 from the check behind them',
      async (_name, forgedChecks, variant, bit, cause) => {
        const container = variant.container();
        const damaged = flipBit(container, bit(containerLayout(container)));
        await expectRestoreRefused(
          variant,
          await withForgedRecordChecks(damaged, forgedChecks === 'CRC' ? undefined : variant.outerChecksum),
          11,
          cause,
        );
      },
    );

    const headerBits = process.env.ADAPIPE_CLI_HEADER_BITS ?? '64';
    it(`2. a sweep of ${headerBits === 'all' ? 'every bit' : `${headerBits} seeded bits`} of the encrypted header region (ADAPIPE_CLI_HEADER_BITS) → 10/11/12/13 as the region says`, async () => {
      const container = encrypted.container();
      const layout = containerLayout(container);
      const bits = sampleBits(layout.headerEnd * 8, headerBits === 'all' ? Number.POSITIVE_INFINITY : Number(headerBits), 8);
      const seen = new Map<number, number>();
      await Promise.all(
        bits.map(async (bit) => {
          const [exitCode, cause] = expectedForHeaderBit(layout, container.length, bit);
          const refused = await expectRestoreRefused(encrypted, flipBit(container, bit), exitCode, cause);
          seen.set(refused.code!, (seen.get(refused.code!) ?? 0) + 1);
        }),
      );
      expect([...seen.values()].reduce((sum, count) => sum + count, 0)).toBe(bits.length);
      expect(seen.get(11)).toBeGreaterThan(0);
    }, 300_000);
  });

  describe.concurrent('3. records out of order → 11', () => {
    const orders: [string, number[], RegExp][] = [
      ['two chunks swapped', [1, 0, 2, 3], /record 1 found where record 0 belongs/],
      ['a chunk duplicated', [0, 1, 1, 2, 3], /record 1 found where record 2 belongs/],
      ['a chunk dropped', [0, 2, 3], /record 2 found where record 1 belongs/],
      ['the trailer removed', [0, 1, 2], /truncated after 3 chunk\(s\): the trailer is missing/],
      ['the trailer before the final chunk', [0, 1, 3, 2], /record 3 found where record 2 belongs/],
      ['a chunk after the trailer', [0, 1, 2, 3, 2], /unexpected data after the trailer/],
    ];
    const cases = casesFor(orders, ([what]) => what, ['two chunks swapped', 'a chunk dropped', 'the trailer removed']).map(
      ([variant, [what, order, cause]]) => [variant.name, what, variant, order, cause] as const,
    );
    it.each(cases)('3. %s: %s → 11', async (_name, _what, variant, order, cause) => {
      await expectRestoreRefused(variant, reorderRecords(variant.container(), order), 11, cause);
    });
  });

  describe.concurrent('4. wrong password or key → 12, told apart from corruption, before any chunk is read', () => {
    const wrongSecret = /bad\.adapipe: wrong password or key \(the header MAC does not match\)/;
    it('4. a wrong password → 12 wrong password or key', async () => {
      await expectRestoreRefused({ ...encrypted, secret: [], env: wrongPassword }, fixtures.password, 12, wrongSecret);
    });

    it('4. a wrong key file → 12 wrong password or key', async () => {
      await expectRefused({
        workspace: caseWith(fixtures.encrypted, { 'wrong.key': wrongKey }),
        args: ['--key-file', 'wrong.key', 'restore', '-i', 'bad.adapipe', '-o', 'restored.bin'],
        exitCode: 12,
        file: 'bad.adapipe',
        cause: wrongSecret,
        target: 'restored.bin',
        input: 'bad.adapipe',
      });
    });

    it('4. a wrong key in ADAPIPE_KEY, header-only verify → 12', async () => {
      await expectRefused({
        workspace: caseWith(fixtures.encrypted),
        args: ['verify', 'bad.adapipe'],
        env: { ADAPIPE_KEY: Buffer.from(wrongKey).toString('hex') },
        exitCode: 12,
        file: 'bad.adapipe',
        cause: wrongSecret,
        input: 'bad.adapipe',
      });
    });

    it.each([
      ['a password container', () => fixtures.password, password, wrongPassword, [] as string[]],
      ['a key container', () => fixtures.encrypted, {}, {}, ['--key-file', 'key']],
    ])(
      '4. %s with every chunk body zeroed: the wrong secret still → 12 (no chunk read), the right one → 11',
      async (_name, container, right, wrong, rightArgs) => {
        const zeroed = zeroPayloads(container());
        const wrongArgs = rightArgs.length === 0 ? [] : ['--key-file', 'wrong.key'];
        await expectRefused({
          workspace: caseWith(zeroed, { 'wrong.key': wrongKey }),
          args: [...wrongArgs, 'restore', '-i', 'bad.adapipe', '-o', 'restored.bin'],
          env: wrong,
          exitCode: 12,
          file: 'bad.adapipe',
          cause: wrongSecret,
          target: 'restored.bin',
          input: 'bad.adapipe',
        });
        await expectRefused({
          workspace: caseWith(zeroed),
          args: [...rightArgs, 'restore', '-i', 'bad.adapipe', '-o', 'restored.bin'],
          env: right,
          exitCode: 11,
          file: 'bad.adapipe',
          cause: outerRejects(0),
          target: 'restored.bin',
          input: 'bad.adapipe',
        });
      },
    );

    it('4. a password for a key-encrypted container → 2 (usage: the wrong kind of secret), nothing written', async () => {
      await expectRefused({
        workspace: caseWith(fixtures.encrypted),
        args: ['restore', '-i', 'bad.adapipe', '-o', 'restored.bin'],
        env: password,
        exitCode: 2,
        file: 'bad.adapipe',
        cause: /encrypted with a raw 32-byte key, but a password was provided; provide the key/,
        target: 'restored.bin',
        input: 'bad.adapipe',
      });
    });
  });

  describe.concurrent('5. edge sizes → 0 and a byte-identical restore', () => {
    const sizes: [string, number, number][] = [
      ['an empty input', 0, 1],
      ['a 1-byte input', 1, 1],
      ['chunk size − 1', chunkSize - 1, 1],
      ['exactly one chunk', chunkSize, 1],
      ['chunk size + 1', chunkSize + 1, 2],
      ['several chunks', 3 * chunkSize + 123, 4],
    ];
    const cases = casesFor(sizes, ([what]) => what, ['an empty input', 'chunk size + 1', 'several chunks']).map(
      ([variant, [what, size, chunks]]) => [variant.name, what, size, chunks, variant] as const,
    );
    it.each(cases)(
      '5. %s: %s (%i bytes) → %i chunk(s), restored byte for byte, verify --full OK',
      async (_name, _what, size, chunks, variant) => {
        const input = Buffer.concat([compressibleBytes(size >> 1), randomBytes(size - (size >> 1), size)]);
        const workspace = createWorkspace();
        workspace.write('key', key, 0o600);
        workspace.write('in.bin', input);
        const stages = variant === plain ? ['--stages', plainStages] : [];
        const processed = await workspace.run([...variant.secret, '--json', 'process', '-i', 'in.bin', '--chunk-size', '64K', ...stages]);
        expect(processed.code, processed.stderr).toBe(0);
        expect(JSON.parse(processed.stdout.toString())).toMatchObject({ chunkCount: chunks, bytesIn: size });
        const verified = await workspace.run([...variant.secret, '--json', 'verify', '--full', 'in.bin.adapipe']);
        expect(verified.code, verified.stderr).toBe(0);
        expect(JSON.parse(verified.stdout.toString())).toMatchObject({ ok: true, chunkCount: chunks, bytesOut: size });
        const restored = await workspace.run([...variant.secret, 'restore', '-i', 'in.bin.adapipe', '-o', 'out.bin']);
        expect(restored.code, restored.stderr).toBe(0);
        expect(restored.stderr).toBe('');
        expect(Buffer.compare(workspace.read('out.bin'), input)).toBe(0);
        expect(Object.keys(directorySnapshot(workspace.dir))).toEqual(['in.bin', 'in.bin.adapipe', 'key', 'out.bin']);
        expect(workspace.read('in.bin').equals(input)).toBe(true);
      },
    );
  });

  describe.concurrent('7. restoring something that is not a container → 10', () => {
    const text = 'Just a text file.\nIt is not a container.\n';
    const random = Buffer.from(randomBytes(4096, 77));
    random[0] = 0x42;
    it.each([
      ['a text file', () => Buffer.from(text)],
      ['random bytes', () => random],
      ['a zstd frame (made with the zstd-napi binding)', () => zstdFrame(Buffer.from(text.repeat(50)))],
    ])('7. %s → 10 not an adapipe container', async (_name, bytes) => {
      await expectRestoreRefused(encrypted, bytes(), 10, /not an adapipe container \(no ADAPIPE magic at byte 0\)/);
    });
  });

  describe.concurrent('8. output refused → 4, existing files untouched', () => {
    const processArgs = ['--key-file', 'key', 'process', '-i', 'in.bin', '--chunk-size', '64K'];
    const restoreArgs = ['--key-file', 'key', 'restore', '-i', 'bad.adapipe'];
    const withInput = (files: Record<string, string> = {}) => caseWith(fixtures.encrypted, { 'in.bin': original, ...files });
    /** Expects `args` to be refused with 4 because the output `target` exists, leaving it byte-identical and `input` unchanged. */
    const expectOutputKept = (workspace: CliWorkspace, args: readonly string[], target: string, input: string, cause: RegExp) =>
      expectRefused({ workspace, args, exitCode: 4, file: target, cause, target, input });
    /** The cause given when an existing output would be overwritten without --force. */
    const noForce = /the output file exists; pass --force/;

    it('8. process: the output exists, no --force → 4, the existing file byte-identical', async () => {
      const workspace = withInput();
      workspace.write('in.bin.adapipe', 'an older container that must survive');
      await expectOutputKept(workspace, processArgs, 'in.bin.adapipe', 'in.bin', noForce);
    });

    it('8. restore -o: the output exists, no --force → 4, the existing file byte-identical', async () => {
      const workspace = withInput();
      workspace.write('restored.bin', 'precious');
      await expectOutputKept(workspace, [...restoreArgs, '-o', 'restored.bin'], 'restored.bin', 'bad.adapipe', noForce);
    });

    it('8. restore --output-dir: the stored name exists (known only after the last chunk) → 4, the temporary file removed', async () => {
      const workspace = withInput();
      const made = await workspace.run(['--key-file', 'key', 'process', '-i', 'in.bin', '-o', 'named.adapipe', '--chunk-size', '64K']);
      expect(made.code, made.stderr).toBe(0);
      workspace.write('out/in.bin', 'precious too');
      const args = ['--key-file', 'key', 'restore', '-i', 'named.adapipe', '--output-dir', 'out'];
      await expectOutputKept(workspace, args, 'out/in.bin', 'named.adapipe', /the output file exists/);
    });

    it.each([
      ['process', processArgs, '-o', 'in.bin'],
      ['restore', restoreArgs, '-o', 'bad.adapipe'],
    ])('8. %s: the output directory is missing → 4', async (_name, args, flag, input) => {
      await expectRefused({
        workspace: withInput(),
        args: [...args, flag, 'missing/out.bin'],
        exitCode: 4,
        file: 'missing/out.bin',
        cause: /the directory missing does not exist; create it first$/,
        target: 'missing/out.bin',
        input,
      });
    });

    it('8. restore --output-dir below a file (missing directories are created, this one cannot be) → 4', async () => {
      await expectRefused({
        workspace: withInput({ 'existing-file': 'a file, not a directory' }),
        args: [...restoreArgs, '--output-dir', 'existing-file/out'],
        exitCode: 4,
        file: 'existing-file/out',
        cause: /^adapipe: existing-file\/out: cannot create the output directory \(ENOTDIR\)$/,
        input: 'bad.adapipe',
      });
    });

    it.each([
      ['process', processArgs, 'in.bin'],
      ['restore', restoreArgs, 'bad.adapipe'],
    ])('8. %s: the output "directory" is a file (existing-file/out) → 4 ENOTDIR', async (_name, args, input) => {
      await expectRefused({
        workspace: withInput({ 'existing-file': 'a file, not a directory' }),
        args: [...args, '-o', 'existing-file/out'],
        exitCode: 4,
        file: 'existing-file/out',
        cause: /\(ENOTDIR\)/,
        target: 'existing-file',
        input,
      });
    });

    it('8. the output path is a directory → 4', async () => {
      const workspace = withInput();
      workspace.write('out/keep', 'x');
      await expectRefused({
        workspace,
        args: [...processArgs, '-o', 'out'],
        exitCode: 4,
        file: 'out',
        cause: /the output path is a directory/,
        input: 'in.bin',
      });
    });

    // We run as root in CI containers, and root ignores directory permissions: the helper uses
    // chattr +i or a read-only bind mount (chmod 0555 when not root) and skips where none works.
    for (const [command, args, input] of [
      ['process', processArgs, 'in.bin'],
      ['restore', restoreArgs, 'bad.adapipe'],
    ] as const) {
      it(`8. ${command}: the output directory is read-only → 4`, async (context) => {
        const workspace = withInput();
        workspace.write('locked/keep', 'x');
        const locked = makeReadOnlyDirectory(workspace.path('locked'));
        if (typeof locked === 'string') return context.skip(locked);
        try {
          await expectRefused({
            workspace,
            args: [...args, '-o', 'locked/out.bin'],
            exitCode: 4,
            file: 'locked/out.bin',
            cause: /cannot create a file in locked \((EPERM|EACCES|EROFS)\)/,
            target: 'locked/out.bin',
            input,
          });
        } finally {
          locked.undo();
        }
      });
    }
  });

  describe.concurrent('9. disk full while writing → 4, no temporary file, target absent', () => {
    const big = Buffer.from(randomBytes(2 << 20, 9));
    let bigContainer: Buffer;
    beforeAll(async () => {
      const workspace = createWorkspace();
      workspace.write('big.bin', big);
      const made = await workspace.run(['process', '-i', 'big.bin', '--stages', plainStages, '--chunk-size', '256K']);
      expect(made.code, made.stderr).toBe(0);
      bigContainer = workspace.read('big.bin.adapipe');
      workspace.dispose();
    });
    const limitKiB = 1024;

    it('9. process under `ulimit -f` (EFBIG; Node ignores SIGXFSZ) → 4 write failed', async () => {
      const workspace = caseWith(new Uint8Array(), { 'big.bin': big });
      await expectRefused({
        workspace,
        args: ['process', '-i', 'big.bin', '-o', 'big.adapipe', '--stages', plainStages],
        fileSizeLimitKiB: limitKiB,
        exitCode: 4,
        file: 'big.adapipe',
        cause: /write failed \(EFBIG\)/,
        target: 'big.adapipe',
        input: 'big.bin',
      });
    });

    it('9. restore under `ulimit -f` (EFBIG) → 4 write failed', async () => {
      const workspace = caseWith(bigContainer);
      await expectRefused({
        workspace,
        args: ['restore', '-i', 'bad.adapipe', '-o', 'big.bin'],
        fileSizeLimitKiB: limitKiB,
        exitCode: 4,
        file: 'big.bin',
        cause: /write failed \(EFBIG\)/,
        target: 'big.bin',
        input: 'bad.adapipe',
      });
    });

    for (const command of ['process', 'restore'] as const) {
      it(`9. ${command} onto a full 1 MiB tmpfs (ENOSPC) → 4 write failed`, async (context) => {
        const workspace = caseWith(bigContainer, { 'big.bin': big, 'small/.keep': '' });
        const mounted = mountTmpfs(workspace.path('small'), '1m');
        if (typeof mounted === 'string') return context.skip(mounted);
        try {
          const args =
            command === 'process'
              ? ['process', '-i', 'big.bin', '-o', 'small/out', '--stages', plainStages]
              : ['restore', '-i', 'bad.adapipe', '-o', 'small/out'];
          await expectRefused({
            workspace,
            args,
            exitCode: 4,
            file: 'small/out',
            cause: /write failed \(ENOSPC\)/,
            target: 'small/out',
            input: command === 'process' ? 'big.bin' : 'bad.adapipe',
          });
          expect(readdirSync(workspace.path('small'))).toEqual([]);
        } finally {
          mounted.undo();
        }
      });
    }
  });

  describe('10. interrupted mid-write', () => {
    const inputMiB = Number(process.env.ADAPIPE_SIGNAL_INPUT_MB ?? 200);
    let workspace: CliWorkspace;
    beforeAll(() => {
      workspace = createWorkspace();
      workspace.write('key', key, 0o600);
      const fd = openSync(workspace.path('big.bin'), 'w');
      for (let written = 0; written < inputMiB; written++)
        writeSync(fd, written % 2 === 0 ? cryptoRandomBytes(1 << 20) : compressibleBytes(1 << 20));
      closeSync(fd);
    });
    afterAll(() => workspace.dispose());

    it.each([
      ['SIGINT', 130],
      ['SIGTERM', 143],
    ] as const)(
      `10. %s while the temporary file grows (${inputMiB} MB input) → %i, temporary file removed, target absent`,
      async (signal, exitCode) => {
        const growing = () =>
          temporaryFiles(workspace.dir).some((name) => (statSync(workspace.path(name), { throwIfNoEntry: false })?.size ?? 0) >= 4 << 20);
        await expectRefused({
          workspace,
          args: ['--key-file', 'key', 'process', '-i', 'big.bin', '-o', 'big.adapipe'],
          interrupt: { signal, when: growing },
          exitCode,
          // The line says who interrupted it but not which file (a small gap, reported).
          file: undefined,
          cause: new RegExp(`^adapipe: interrupted by ${signal} \\(`),
          target: 'big.adapipe',
          input: 'big.bin',
        });
      },
      60_000,
    );

    const trials = Number(process.env.ADAPIPE_SIGKILL_TRIALS ?? 20);
    it(`10. SIGKILL at ${trials} seeded random moments (ADAPIPE_SIGKILL_TRIALS) during process and restore → the final path is absent or complete`, async () => {
      const child = spawn(
        process.execPath,
        [sigkillLoop, '--trials', String(trials), '--seed', '1', '--size-mb', '8', '--parallel', '2', '--calibration-runs', '1', '--json'],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const run = await finished(child);
      expect(run.code, run.stderr).toBe(0);
      const summary = JSON.parse(run.stdout.toString()) as SigkillSummary;
      expect(summary.trials).toBe(trials);
      expect(summary.finalInvalid, JSON.stringify(summary.failures)).toBe(0);
      expect(summary.failures).toEqual([]);
      expect(summary.finalAbsent + summary.finalValid).toBe(trials);
      expect(summary.byMode.process.trials + summary.byMode.restore.trials).toBe(trials);
      expect(summary.killedWhileTemporaryFileExisted, 'no kill landed while the output was being written').toBeGreaterThan(0);
      expect(summary.temporaryFilesLeft, 'only killed runs may leave a temporary file').toBeLessThanOrEqual(
        summary.killedBeforeRename + summary.killedAfterRename,
      );
    }, 180_000);
  });

  describe.concurrent('11. a plugin missing at restore time → 10 naming the package', () => {
    it('11. a container made with --plugin reverse-bytes, restored without it → 10 install adapipe-test-reverse-bytes', async () => {
      const workspace = caseWith(new Uint8Array(), { 'in.bin': original });
      const made = await workspace.run([
        '--plugin',
        pluginFixture,
        'process',
        '-i',
        'in.bin',
        '-o',
        'plugin.adapipe',
        '--chunk-size',
        '64K',
        '--stages',
        'transform:reverse-bytes',
      ]);
      expect(made.code, made.stderr).toBe(0);
      await expectRefused({
        workspace,
        args: ['restore', '-i', 'plugin.adapipe', '-o', 'restored.bin'],
        exitCode: 10,
        file: 'plugin.adapipe',
        cause: /needs transform:reverse-bytes from adapipe-test-reverse-bytes, which is not installed; install adapipe-test-reverse-bytes/,
        target: 'restored.bin',
        input: 'plugin.adapipe',
      });
      const restored = await workspace.run(['--plugin', pluginFixture, 'restore', '-i', 'plugin.adapipe', '-o', 'restored.bin']);
      expect(restored.code, restored.stderr).toBe(0);
      expect(workspace.read('restored.bin').equals(original)).toBe(true);
    });
  });
});

/** The summary `scripts/sigkill-loop.mjs --json` prints. */
interface SigkillSummary {
  readonly trials: number;
  readonly finalAbsent: number;
  readonly finalValid: number;
  readonly finalInvalid: number;
  readonly killedBeforeRename: number;
  readonly killedAfterRename: number;
  readonly killedWhileTemporaryFileExisted: number;
  readonly temporaryFilesLeft: number;
  readonly byMode: Record<'process' | 'restore', { readonly trials: number }>;
  readonly failures: readonly unknown[];
}

/** `count` distinct bit positions below `limit`, drawn with a fixed seed (all of them when count ≥ limit). */
function sampleBits(limit: number, count: number, seed: number): number[] {
  if (count >= limit) return Array.from({ length: limit }, (_, bit) => bit);
  const next = seededRandom(seed);
  const bits = new Set<number>();
  while (bits.size < count) bits.add(Math.floor(next() * limit));
  return [...bits].sort((a, b) => a - b);
}

/** The exit code and cause docs/container-format.md gives for a flipped bit of the header region. */
function expectedForHeaderBit(layout: ContainerLayout, containerLength: number, bit: number): [number, RegExp] {
  const byte = bit >> 3;
  if (byte < 8) return [10, /not an adapipe container/];
  if (byte < 10) return [10, /container format version \d+; this release reads versions 1 and 2/];
  if (byte < 12) return byte === 11 && (bit & 7) === 0 ? [11, /header checksum mismatch/] : [10, /unknown preamble flags/];
  if (byte < 16) {
    const length = layout.headerLength ^ (1 << ((15 - byte) * 8 + (bit & 7)));
    if (length === 0 || length > 1 << 20) return [13, /header length \d+ is outside/];
    return 16 + length + 32 > containerLength ? [11, /truncated at byte \d+, inside the header/] : [11, /header checksum mismatch/];
  }
  if (byte < layout.macStart!) return [11, /header checksum mismatch/];
  return [12, /wrong password or key/];
}

/** A copy of the container with every record payload (chunks and trailer) zeroed. */
function zeroPayloads(container: Buffer): Buffer {
  const copy = Buffer.from(container);
  const layout = containerLayout(copy);
  for (const record of [...layout.chunks, layout.trailer]) copy.fill(0, record.payloadStart, record.crcStart);
  return copy;
}

/** A real zstd frame, made with the zstd binding the compression plugin uses. */
function zstdFrame(bytes: Uint8Array): Buffer {
  const require = createRequire(new URL('plugins/compression/package.json', root));
  const zstd = require('zstd-napi') as { compress(data: Uint8Array): Buffer; decompress(data: Uint8Array): Buffer };
  const frame = zstd.compress(bytes);
  expect(frame.readUInt32LE(0)).toBe(0xfd2fb528);
  expect(zstd.decompress(frame).equals(Buffer.from(bytes))).toBe(true);
  return frame;
}
