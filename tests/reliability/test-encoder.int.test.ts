import { rejectionOf } from '@adapipe/core/testing';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BaseStageExecutor,
  createAdapipe,
  type FileChunk,
  type PipelineErrorKind,
  type RunSecret,
  StageExecutor,
  StageType,
} from '@adapipe/core';
import { checksumContainerModule } from '@adapipe/plugin-checksum';
import { compressionContainerModule } from '@adapipe/plugin-compression';
import { encryptionContainerModule } from '@adapipe/plugin-encryption';
import { randomBytes } from '@adapipe/core/testing';
import { ContainerModule } from 'inversify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, officialServices, pieces, pipelineOf, type StageSpec, testKey } from '../test-support/official-services.js';
import { parseContainer, reencodeContainer } from './test-support/container-mutations.js';

const { runner } = officialServices();
const bin = fileURLToPath(new URL('../../packages/cli/dist/bin/adapipe.js', import.meta.url));
const key = (testKey as Extract<RunSecret, { kind: 'key' }>).key;
const original = randomBytes(5000, 8);

type Header = Record<string, unknown> & { stages: Record<string, unknown>[] };

/** Rewrites the header's stage at `index`. */
function editStage(index: number, edit: Record<string, unknown>) {
  return (header: Record<string, unknown>) => {
    const { stages } = header as Header;
    stages[index] = { ...stages[index], ...edit };
    return header;
  };
}

/** Re-encoded variants of one container, all valid in every checksum, MAC, tag and CRC. */
interface Fixtures {
  readonly control: Buffer;
  readonly futureAlgorithm: Buffer;
  readonly unservedType: Buffer;
  readonly unknownType: Buffer;
  readonly versions: ReadonlyMap<number, Buffer>;
  /** The same container as format version 1 (its CRCs cover every payload). */
  readonly formatOne: Buffer;
  readonly unknownFlags: Buffer;
}

/** `original` in 1 KiB chunks through pipeline `name`: checksum → passthrough → zstd → `last`, sealed with `secret` if given. */
function containerEndingWith(name: string, last: StageSpec, secret?: RunSecret): Promise<Buffer> {
  const pipeline = pipelineOf(name, [
    ['checksum', 'sha256'],
    ['passthrough', 'passthrough'],
    ['compression', 'zstd', { level: '3' }],
    last,
  ]);
  return collect(runner.process(pieces(original), { pipeline, chunkSize: 1024, ...(secret ? { secret } : {}) }).output);
}

/** checksum → passthrough → zstd → AES-256-GCM (last, so re-sealing needs no clear digest after it). */
const encryptedContainer = () => containerEndingWith('future', ['encryption', 'aes-256-gcm'], testKey);

/** The same layout not encrypted: checksum → passthrough → zstd → blake3. */
const clearContainer = () => containerEndingWith('future-clear', ['checksum', 'blake3']);

function fixturesOf(container: Buffer): Fixtures {
  const encode = (options: Parameters<typeof reencodeContainer>[1]) => reencodeContainer(container, { key, ...options });
  const flags = parseContainer(container).flags;
  return {
    control: encode({ header: (header) => ({ ...header, fileId: 'f'.repeat(32) }) }),
    futureAlgorithm: encode({ header: editStage(2, { algorithm: 'zstd-future' }) }),
    unservedType: encode({ header: editStage(1, { type: 'transform', algorithm: 'rot13', package: 'adapipe-plugin-rot13' }) }),
    unknownType: encode({ header: editStage(1, { type: 'homomorphic', algorithm: 'paillier', package: 'adapipe-plugin-he' }) }),
    versions: new Map([0, 3, 0xffff].map((version) => [version, encode({ version })])),
    formatOne: encode({ version: 1 }),
    unknownFlags: encode({ flags: flags | 0x0004 }),
  };
}

/** An identity `transform:rot13` from `adapipe-plugin-rot13`, standing in for the plugin a container names. */
class Rot13StandIn extends BaseStageExecutor {
  readonly packageName = 'adapipe-plugin-rot13';
  readonly capabilities = [{ stageType: StageType.Transform, algorithm: 'rot13' }];
  async execute(_stage: unknown, chunk: FileChunk): Promise<FileChunk> {
    return chunk;
  }
  async reverse(_stage: unknown, chunk: FileChunk): Promise<FileChunk> {
    return chunk;
  }
}

/** Every library entry point that reads a container: inspect (readHeader), verify (header, full), restore. */
function libraryReads(container: Buffer) {
  return {
    inspect: () => runner.readHeader(pieces(container, 100)),
    'verify header': () => runner.verifyHeader(pieces(container, 100)),
    'verify header with key': () => runner.verifyHeader(pieces(container, 100), { secret: testKey }),
    'verify --full': () => runner.verify(pieces(container, 100), { secret: testKey }),
    restore: () => collect(runner.restore(pieces(container, 100), { secret: testKey }).output),
  };
}

async function expectEveryRead(container: Buffer, kind: PipelineErrorKind, ...fragments: string[]): Promise<void> {
  for (const [name, read] of Object.entries(libraryReads(container))) {
    const error = await rejectionOf(read(), kind);
    for (const fragment of fragments) expect(error.message, name).toContain(fragment);
  }
}

describe.each([
  ['encrypted with a raw key', encryptedContainer],
  ['not encrypted', clearContainer],
])('the test encoder on a container %s', (_name, make) => {
  let fixtures: Fixtures;
  beforeAll(async () => {
    fixtures = fixturesOf(await make());
  });

  it('re-encodes a header edit into a container that restores bit for bit (every checksum, MAC, tag and CRC valid)', async () => {
    expect(parseContainer(fixtures.control).json.toString()).toContain('"fileId":"ffffffff');
    expect(Buffer.compare(await collect(runner.restore(pieces(fixtures.control), { secret: testKey }).output), original)).toBe(0);
    expect((await runner.verifyHeader(pieces(fixtures.control), { secret: testKey })).authenticated).toBe(
      parseContainer(fixtures.control).mac !== undefined,
    );
  });

  it('an unknown algorithm of a known type: ExecutorNotFound naming it and the package to install; inspect still shows it', async () => {
    const { header } = await runner.readHeader(pieces(fixtures.futureAlgorithm));
    expect(header.stages[2]).toMatchObject({ type: 'compression', algorithm: 'zstd-future', package: '@adapipe/plugin-compression' });
    const reads = libraryReads(fixtures.futureAlgorithm);
    for (const name of ['verify header', 'verify header with key', 'verify --full', 'restore'] as const) {
      const error = await rejectionOf(reads[name](), 'ExecutorNotFound');
      expect(error.message, name).toMatch(
        /needs compression:zstd-future from @adapipe\/plugin-compression, which is not installed; install @adapipe\/plugin-compression/,
      );
      expect(error.message, name).toMatch(/installed: .*zstd/);
    }
  });

  it('a stage type no installed plugin serves: ExecutorNotFound naming the package; restores once that plugin is loaded', async () => {
    for (const name of ['verify header', 'verify --full', 'restore'] as const) {
      const error = await rejectionOf(libraryReads(fixtures.unservedType)[name](), 'ExecutorNotFound');
      expect(error.message, name).toContain(
        'transform:rot13 from adapipe-plugin-rot13, which is not installed; install adapipe-plugin-rot13',
      );
    }
    const withPlugin = createAdapipe(
      compressionContainerModule(),
      encryptionContainerModule(),
      checksumContainerModule(),
      new ContainerModule(({ bind }) => {
        bind(StageExecutor).toConstantValue(new Rot13StandIn());
      }),
    );
    expect(
      Buffer.compare(await collect(withPlugin.runner.restore(pieces(fixtures.unservedType), { secret: testKey }).output), original),
    ).toBe(0);
  });

  it('a stage type this release does not know: UnsupportedFormat naming it, from every entry point', async () => {
    await expectEveryRead(fixtures.unknownType, 'UnsupportedFormat', "type 'homomorphic', which this release does not know");
  });

  it('another format version: UnsupportedFormat naming the version found and the one supported', async () => {
    for (const [version, container] of fixtures.versions) {
      await expectEveryRead(container, 'UnsupportedFormat', `container format version ${version}; this release reads versions 1 and 2`);
    }
  });

  it('the same container as format version 1 restores bit for bit, its CRCs covering the payloads', async () => {
    expect(parseContainer(fixtures.formatOne).version).toBe(1);
    expect(Buffer.compare(await collect(runner.restore(pieces(fixtures.formatOne), { secret: testKey }).output), original)).toBe(0);
    const last = parseContainer(fixtures.formatOne).records[0]!;
    const damaged = Buffer.from(fixtures.formatOne);
    damaged[last.end - 5]! ^= 1;
    await rejectionOf(collect(runner.restore(pieces(damaged), { secret: testKey }).output), 'CorruptContainer');
  });

  it('unknown preamble flags: UnsupportedFormat naming them', async () => {
    await expectEveryRead(fixtures.unknownFlags, 'UnsupportedFormat', 'unknown preamble flags 0x');
  });
});

describe('the CLI on test-encoder containers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'adapipe-test-encoder-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function restore(file: string) {
    const out = join(dir, 'out');
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out);
    const result = spawnSync(process.execPath, [bin, 'restore', '-i', file, '-o', join('out', 'restored.bin'), '--key-file', 'key.bin'], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', HOME: dir, ADAPIPE_DB: join(dir, 'store', 'pipelines.db') },
      encoding: 'utf8',
    });
    return { status: result.status, stderr: result.stderr, left: readdirSync(out) };
  }

  it('restores the control and refuses each unsupported container with exit 10, one line naming the file, no output left', async () => {
    mkdirSync(join(dir, 'store'));
    writeFileSync(join(dir, 'key.bin'), key, { mode: 0o600 });
    const fixtures = fixturesOf(await encryptedContainer());
    const cases: [string, Buffer, RegExp][] = [
      [
        'future-algorithm.adapipe',
        fixtures.futureAlgorithm,
        /compression:zstd-future from @adapipe\/plugin-compression, which is not installed; install @adapipe\/plugin-compression/,
      ],
      ['unserved-type.adapipe', fixtures.unservedType, /transform:rot13 from adapipe-plugin-rot13, which is not installed/],
      ['unknown-type.adapipe', fixtures.unknownType, /type 'homomorphic', which this release does not know/],
      ['version-3.adapipe', fixtures.versions.get(3)!, /container format version 3; this release reads versions 1 and 2/],
    ];
    writeFileSync(join(dir, 'control.adapipe'), fixtures.control);
    const control = restore('control.adapipe');
    expect(control.status, control.stderr).toBe(0);
    expect(control.left).toEqual(['restored.bin']);
    expect(Buffer.compare(readFileSync(join(dir, 'out', 'restored.bin')), original)).toBe(0);
    for (const [file, bytes, message] of cases) {
      writeFileSync(join(dir, file), bytes);
      const refused = restore(file);
      expect(refused.status, `${file}: ${refused.stderr}`).toBe(10);
      expect(refused.stderr.endsWith('\n') && refused.stderr.indexOf('\n') === refused.stderr.length - 1, refused.stderr).toBe(true);
      expect(refused.stderr).toMatch(new RegExp(`^adapipe: ${file}: `));
      expect(refused.stderr).toMatch(message);
      expect(refused.left, file).toEqual([]);
    }
  }, 30_000);
});
