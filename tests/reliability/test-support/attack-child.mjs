// Builds hostile `.adapipe` containers and restores them while watching this process's memory.
//
//   node attack-child.mjs build DIR
//     writes one container per attack case (and the valid containers they were cut from) into DIR;
//     prints a JSON manifest: [{ name, file, warm, secret }]; ADAPIPE_ATTACK_HEAVY=1 adds an
//     8-chunk bomb that declares the restore limit of 100 MiB chunks (allocates ~100 MiB per worker)
//   node --expose-gc attack-child.mjs restore FILE WARM SECRET_JSON OUT_DIR
//     restores WARM (a valid container of the same kind, so code loading and worker start-up are
//     paid before the baseline), then FILE through core + compression + encryption + checksum;
//     prints a JSON report: { ok, kind, message, bytesOut, baselineRss, sampledPeakRss, maxRssBefore,
//     maxRssAfter, growth (peak RSS − baseline), arrayBuffersGrowth }
import 'reflect-metadata';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import {
  createAdapipe,
  decodeChunkMetadata,
  encodeChunkMetadata,
  KiB,
  MAX_HEADER_LENGTH,
  MAX_METADATA_LENGTH,
  MiB,
  maxPayloadLength,
  Pipeline,
  PipelineError,
  PipelineStage,
  restoreChunkLimit,
  StageConfiguration,
} from '@adapipe/core';
import { checksumContainerModule } from '@adapipe/plugin-checksum';
import { compressionContainerModule } from '@adapipe/plugin-compression';
import { encryptionContainerModule } from '@adapipe/plugin-encryption';
import { encodePreamble, encodeRecord, encodeRecordFields, parseContainer, recordCrc, sha256 } from './container-framing.mjs';

const BOMB_SIZE = 1024 * MiB;
const CHUNK_SIZE = 64 * KiB;

/** The raw key every keyed case uses (bytes 1…32) and the password of the password cases. */
const KEY_HEX = Buffer.from(Array.from({ length: 32 }, (_, index) => index + 1)).toString('hex');
const PASSWORD = 'correct horse battery staple';
const keySecret = { kind: 'key', hex: KEY_HEX };
const passwordSecret = { kind: 'password', text: PASSWORD };

/** Core with the compression, encryption and checksum plugins, as `officialServices()` builds it. */
function services() {
  return createAdapipe(compressionContainerModule(), encryptionContainerModule(), checksumContainerModule());
}

/** A run secret from its manifest form. */
function runSecret(spec) {
  if (spec === null) return undefined;
  if (spec.kind === 'key') return { kind: 'key', key: Uint8Array.from(Buffer.from(spec.hex, 'hex')) };
  return { kind: 'password', password: new TextEncoder().encode(spec.text) };
}

/** A pipeline from `[stageName, type, algorithm, parameters?]` specs. */
function pipelineOf(name, specs) {
  return new Pipeline(
    name,
    specs.map(
      ([stageName, type, algorithm, parameters], index) =>
        new PipelineStage(stageName, type, new StageConfiguration(algorithm, parameters ?? {}), index),
    ),
  );
}

/** Text-like bytes that compress well, the same on every run. */
function inputBytes(size) {
  const lines = [];
  for (let line = 0, length = 0; length < size; line++) {
    const text = `line ${line}: ${'the quick brown fox jumps over the lazy dog '.repeat(1 + (line % 3))}${(line * 2654435761) >>> 0}\n`;
    lines.push(text);
    length += text.length;
  }
  return Buffer.from(lines.join('')).subarray(0, size);
}

/** `bytes` processed into a container in memory, in chunks of {@link CHUNK_SIZE}. */
async function processToBuffer(runner, bytes, pipeline, secret) {
  const run = runner.process([bytes], { pipeline, chunkSize: CHUNK_SIZE, ...(secret === undefined ? {} : { secret }) });
  const parts = [];
  for await (const part of run.output) parts.push(part);
  await run.result;
  return Buffer.concat(parts);
}

/** Preamble ‖ header JSON of `parsed`'s version and `flags`, with a header length field that may lie. */
function headerBytes({ version, flags }, json, declaredLength) {
  const body = Buffer.from(json);
  return Buffer.concat([encodePreamble(declaredLength ?? body.length, { version, flags }), body]);
}

/**
 * One record of a container with `framing`. The length fields default to the real lengths;
 * `withCrc: false` leaves the CRC off (for records whose lengths claim more than the file holds).
 */
function recordBytes(framing, record, { metadataLength, payloadLength, withCrc = true } = {}) {
  if (withCrc && metadataLength === undefined && payloadLength === undefined) return encodeRecord(record, framing);
  const fixed = encodeRecordFields(record, { metadataLength, payloadLength });
  const parts = [fixed, record.metadata, record.payload];
  if (!withCrc) return Buffer.concat(parts);
  const tail = Buffer.alloc(4);
  tail.writeUInt32BE(recordCrc(framing, fixed, record.metadata, record.payload));
  return Buffer.concat([...parts, tail]);
}

/**
 * A container from parts, with a correct header checksum and correct CRCs (bound to that
 * checksum): what a forger without the key can write. `rawRecords` replaces the encoded records.
 */
function assemble(parsed, records, { declaredHeaderLength, rawRecords } = {}) {
  const header = headerBytes(parsed, parsed.json, declaredHeaderLength);
  const framing = { headerDigest: sha256(header), version: parsed.version, flags: parsed.flags };
  const body = rawRecords?.(framing) ?? records.map((record) => recordBytes(framing, record));
  return Buffer.concat([header, framing.headerDigest, ...(parsed.mac === undefined ? [] : [parsed.mac]), ...body]);
}

/** `parsed` with its header JSON edited. */
function withHeader(parsed, edit) {
  return { ...parsed, json: JSON.stringify(edit(JSON.parse(parsed.json))) };
}

/** `parsed` with run parameters of stage `stageName` overridden in its header. */
function withStageRunParameters(parsed, stageName, runParameters) {
  return withHeader(parsed, (header) => ({
    ...header,
    stages: header.stages.map((stage) =>
      stage.name === stageName ? { ...stage, runParameters: { ...stage.runParameters, ...runParameters } } : stage,
    ),
  }));
}

/** `records` with fields of record `index` replaced. */
function replaceRecord(records, index, changes) {
  return records.map((record, position) => (position === index ? { ...record, ...changes } : record));
}

/** Chunk metadata with stage `stageName`'s entry replaced by `value`. */
function withMetadataEntry(metadata, stageName, value) {
  const entries = decodeChunkMetadata(metadata, 'attack');
  entries.set(stageName, value);
  return Buffer.from(encodeChunkMetadata(entries));
}

/** Chunk metadata with the compression stage's declared uncompressed length replaced. */
function withDeclaredLength(metadata, stageName, length) {
  const value = Buffer.alloc(4);
  value.writeUInt32BE(length);
  return withMetadataEntry(metadata, stageName, value);
}

/** A zstd skippable frame of exactly `size` bytes (8 ≤ size): ignored by a decoder. */
function skippableFrame(size) {
  const frame = Buffer.alloc(size);
  frame.writeUInt32LE(0x184d2a50, 0);
  frame.writeUInt32LE(size - 8, 4);
  return frame;
}

/**
 * One zstd frame holding `size` zero bytes, compressed in 1 MiB pieces so this process never holds
 * them; with `contentSize` the frame header declares the size.
 */
function zeroBomb(size, contentSize) {
  const require = createRequire(new URL('../../../plugins/compression/package.json', import.meta.url));
  const zstd = require('zstd-napi/binding');
  const cctx = new zstd.CCtx();
  cctx.setParameter(zstd.CParameter.compressionLevel, 1);
  cctx.setParameter(zstd.CParameter.checksumFlag, 1);
  if (contentSize) cctx.setPledgedSrcSize(size);
  const zeros = new Uint8Array(MiB);
  const out = Buffer.alloc(MiB);
  const parts = [];
  for (let fed = 0; fed < size; fed += zeros.length) {
    const last = fed + zeros.length >= size;
    let source = zeros;
    for (;;) {
      const [remaining, produced, consumed] = cctx.compressStream2(out, source, last ? zstd.EndDirective.end : zstd.EndDirective.continue);
      if (produced > 0) parts.push(Buffer.from(out.subarray(0, produced)));
      source = source.subarray(consumed);
      if (last ? remaining === 0 : source.length === 0) break;
    }
  }
  return Buffer.concat(parts);
}

/**
 * The valid containers the attacks are cut from: `plain` (sha256 → zstd, 3 chunks of 64 KiB),
 * `single` (the same pipeline, one 40 KiB chunk), `sealed` (sha256 → zstd → aes-256-gcm → sha256
 * under a raw key, 3 chunks) and two password containers with cheap argon2id and scrypt costs.
 */
async function buildBases() {
  const { runner } = services();
  const plainPipeline = () =>
    pipelineOf('attack-plain', [
      ['digest', 'checksum', 'sha256'],
      ['pack', 'compression', 'zstd'],
    ]);
  const bases = {
    plain: { bytes: await processToBuffer(runner, inputBytes(150 * KiB), plainPipeline()), secret: null },
    single: { bytes: await processToBuffer(runner, inputBytes(40 * KiB), plainPipeline()), secret: null },
    sealed: {
      bytes: await processToBuffer(
        runner,
        inputBytes(150 * KiB),
        pipelineOf('attack-sealed', [
          ['digest', 'checksum', 'sha256'],
          ['pack', 'compression', 'zstd'],
          ['seal', 'encryption', 'aes-256-gcm'],
          ['outer', 'checksum', 'sha256'],
        ]),
        runSecret(keySecret),
      ),
      secret: keySecret,
    },
    argon2: {
      bytes: await processToBuffer(
        runner,
        inputBytes(40 * KiB),
        pipelineOf('attack-argon2', [
          ['pack', 'compression', 'zstd'],
          [
            'seal',
            'encryption',
            'aes-256-gcm',
            { kdf: 'argon2id', argon2_memory_kib: '1024', argon2_iterations: '1', argon2_parallelism: '1' },
          ],
        ]),
        runSecret(passwordSecret),
      ),
      secret: passwordSecret,
    },
    scrypt: {
      bytes: await processToBuffer(
        runner,
        inputBytes(40 * KiB),
        pipelineOf('attack-scrypt', [
          ['pack', 'compression', 'zstd'],
          ['seal', 'encryption', 'chacha20-poly1305', { kdf: 'scrypt', scrypt_n: '1024' }],
        ]),
        runSecret(passwordSecret),
      ),
      secret: passwordSecret,
    },
  };
  return bases;
}

/** Each attack by name: the base it is cut from and a function that writes it. */
function attacksOn(bases) {
  const parsed = Object.fromEntries(Object.entries(bases).map(([name, base]) => [name, parseContainer(base.bytes)]));
  const plain = parsed.plain;
  const [chunk0, chunk1] = plain.records;
  const bomb = zeroBomb(BOMB_SIZE, false);
  const bombWithSize = zeroBomb(BOMB_SIZE, true);
  const paddedHeader = (length) => ({ ...plain, json: plain.json + ' '.repeat(length - Buffer.byteLength(plain.json)) });
  const paddedPayload = (length) => Buffer.concat([chunk0.payload, skippableFrame(length - chunk0.payload.length)]);
  const bigChunks = (chunkSize) => withHeader(parsed.single, (header) => ({ ...header, chunkSize }));
  /** The plain container with only its first record, whose length fields claim `lengths`, written without its CRC. */
  const claimingLengths = (lengths) =>
    assemble(plain, plain.records, { rawRecords: (framing) => [recordBytes(framing, chunk0, { ...lengths, withCrc: false })] });

  const attacks = {
    'header-length-4gib': ['plain', () => assemble(plain, plain.records, { declaredHeaderLength: 0xffff_ffff })],
    'header-length-over-cap': ['plain', () => assemble(paddedHeader(MAX_HEADER_LENGTH + 1), plain.records)],
    'header-length-at-cap': ['plain', () => assemble(paddedHeader(MAX_HEADER_LENGTH), plain.records)],
    'payload-length-4gib': ['plain', () => claimingLengths({ payloadLength: 0xffff_fff0 })],
    'payload-length-over-cap': [
      'plain',
      () => assemble(plain, replaceRecord(plain.records, 0, { payload: paddedPayload(maxPayloadLength(CHUNK_SIZE) + 1) })),
    ],
    'payload-length-at-cap': [
      'plain',
      () => assemble(plain, replaceRecord(plain.records, 0, { payload: paddedPayload(maxPayloadLength(CHUNK_SIZE)) })),
    ],
    'metadata-length-4gib': ['plain', () => claimingLengths({ metadataLength: 0xffff_ffff })],
    'metadata-length-over-cap': [
      'plain',
      () =>
        assemble(
          plain,
          replaceRecord(plain.records, 0, {
            metadata: Buffer.concat([chunk0.metadata, Buffer.alloc(MAX_METADATA_LENGTH + 1 - chunk0.metadata.length)]),
          }),
        ),
    ],
    'chunk-size-100mib-small-chunk': ['single', () => assemble(bigChunks(100 * MiB), parsed.single.records)],
    'chunk-size-100mib-payload-missing': [
      'single',
      () =>
        assemble(bigChunks(100 * MiB), [], {
          rawRecords: (framing) => [recordBytes(framing, parsed.single.records[0], { payloadLength: 100 * MiB })],
        }),
    ],
    'bomb-plain-no-content-size': ['plain', () => assemble(plain, replaceRecord(plain.records, 1, { payload: bomb }))],
    'bomb-plain-content-size': ['plain', () => assemble(plain, replaceRecord(plain.records, 1, { payload: bombWithSize }))],
    'bomb-plain-declared-over-limit': [
      'plain',
      () =>
        assemble(
          plain,
          replaceRecord(plain.records, 1, {
            payload: bomb,
            metadata: withDeclaredLength(chunk1.metadata, 'pack', restoreChunkLimit(CHUNK_SIZE, false) + 1),
          }),
        ),
    ],
    'bomb-plain-declared-at-limit-4mib-chunks': [
      'single',
      () =>
        assemble(bigChunks(4 * MiB), [
          {
            ...parsed.single.records[0],
            payload: bomb,
            metadata: withDeclaredLength(parsed.single.records[0].metadata, 'pack', restoreChunkLimit(4 * MiB, false)),
          },
          ...parsed.single.records.slice(1),
        ]),
    ],
    'bomb-sealed': ['sealed', () => assemble(parsed.sealed, replaceRecord(parsed.sealed.records, 1, { payload: bomb }))],
    'bomb-sealed-outer-digest-forged': [
      'sealed',
      () => {
        const metadata = withMetadataEntry(parsed.sealed.records[1].metadata, 'outer', sha256(bomb));
        return assemble(parsed.sealed, replaceRecord(parsed.sealed.records, 1, { payload: bomb, metadata }));
      },
    ],
    'chunk-sequence-max': ['plain', () => assemble(plain, replaceRecord(plain.records, 0, { sequence: 0xffff_ffff }))],
    'trailer-sequence-absurd': [
      'plain',
      () => assemble(plain, replaceRecord(plain.records, plain.records.length - 1, { sequence: 0xffff_fffe })),
    ],
    'trailer-chunk-count-absurd': [
      'plain',
      () => {
        const trailer = plain.records.at(-1);
        const json = JSON.parse(Buffer.from(trailer.payload).toString('utf8'));
        return assemble(
          plain,
          replaceRecord(plain.records, plain.records.length - 1, {
            payload: Buffer.from(JSON.stringify({ ...json, chunkCount: Number.MAX_SAFE_INTEGER })),
          }),
        );
      },
    ],
    'kdf-argon2-memory-4gib': [
      'argon2',
      () => assemble(withStageRunParameters(parsed.argon2, 'seal', { argon2_memory_kib: String(4 * 1024 * 1024) }), parsed.argon2.records),
    ],
    'kdf-argon2-passes': [
      'argon2',
      () => assemble(withStageRunParameters(parsed.argon2, 'seal', { argon2_iterations: String(0xffff_ffff) }), parsed.argon2.records),
    ],
    'kdf-scrypt-memory-16gib': [
      'scrypt',
      () => assemble(withStageRunParameters(parsed.scrypt, 'seal', { scrypt_n: String(2 ** 22), scrypt_r: '32' }), parsed.scrypt.records),
    ],
  };

  if (process.env.ADAPIPE_ATTACK_HEAVY === '1') {
    const [first, trailer] = parsed.single.records;
    const metadata = withDeclaredLength(first.metadata, 'pack', restoreChunkLimit(100 * MiB, false));
    const chunks = Array.from({ length: 8 }, (_, sequence) => ({
      ...first,
      flags: sequence === 7 ? 1 : 0,
      sequence,
      metadata,
      payload: bomb,
    }));
    attacks['bomb-plain-declared-at-limit-100mib-chunks'] = [
      'single',
      () => assemble(bigChunks(100 * MiB), [...chunks, { ...trailer, sequence: 8 }]),
    ];
  }

  return attacks;
}

/** Writes the bases and every attack into `dir`; returns the manifest. */
async function buildCases(dir) {
  const bases = await buildBases();
  mkdirSync(dir, { recursive: true });
  for (const [name, base] of Object.entries(bases)) writeFileSync(join(dir, `base-${name}.adapipe`), base.bytes);
  return Object.entries(attacksOn(bases)).map(([name, [baseName, build]]) => {
    const file = join(dir, `${name}.adapipe`);
    writeFileSync(file, build());
    const warmName = baseName === 'single' ? 'plain' : baseName;
    return { name, file, warm: join(dir, `base-${warmName}.adapipe`), secret: bases[baseName].secret };
  });
}

/**
 * Restores `file` after a warm-up restore of `warm`, sampling every 5 ms the process's RSS (which
 * sees touched pages on every thread) and the main thread's ArrayBuffer bytes (which also see large
 * buffers allocated but not yet written, invisible to RSS); `process.resourceUsage().maxRSS` adds
 * the peak between samples.
 */
async function measureRestore(file, warm, secretSpec, outDir) {
  const { runner } = services();
  const secret = runSecret(secretSpec);
  const options = { ...(secret === undefined ? {} : { secret }), overwrite: true, durable: false };
  mkdirSync(outDir, { recursive: true });
  await runner.restoreFile(warm, join(outDir, 'warm.out'), options);
  rmSync(join(outDir, 'warm.out'), { force: true });
  globalThis.gc?.();
  globalThis.gc?.();
  const baseline = process.memoryUsage();
  const maxRssBefore = process.resourceUsage().maxRSS * KiB;
  let sampledPeakRss = baseline.rss;
  let peakArrayBuffers = baseline.arrayBuffers;
  const sample = () => {
    const usage = process.memoryUsage();
    sampledPeakRss = Math.max(sampledPeakRss, usage.rss);
    peakArrayBuffers = Math.max(peakArrayBuffers, usage.arrayBuffers);
  };
  const sampler = setInterval(sample, 5);
  let outcome;
  try {
    const result = await runner.restoreFile(file, join(outDir, 'attack.out'), options);
    outcome = { ok: true, bytesOut: result.bytesOut };
  } catch (error) {
    outcome = {
      ok: false,
      kind: PipelineError.is(error) ? error.kind : `not a PipelineError: ${error?.name}`,
      message: error instanceof Error ? error.message : String(error),
    };
  } finally {
    clearInterval(sampler);
  }
  sample();
  const maxRssAfter = process.resourceUsage().maxRSS * KiB;
  const peakRss = maxRssAfter > maxRssBefore ? Math.max(maxRssAfter, sampledPeakRss) : sampledPeakRss;
  rmSync(join(outDir, 'attack.out'), { force: true });
  return {
    ...outcome,
    baselineRss: baseline.rss,
    sampledPeakRss,
    maxRssBefore,
    maxRssAfter,
    growth: peakRss - baseline.rss,
    arrayBuffersGrowth: peakArrayBuffers - baseline.arrayBuffers,
  };
}

const [mode, ...args] = process.argv.slice(2);
if (mode === 'build') {
  process.stdout.write(`${JSON.stringify(await buildCases(args[0]))}\n`);
} else if (mode === 'restore') {
  const [file, warm, secretJson, outDir] = args;
  process.stdout.write(`${JSON.stringify(await measureRestore(file, warm, JSON.parse(secretJson), outDir))}\n`);
  process.exit(0);
} else {
  process.stderr.write('usage: attack-child.mjs build DIR | restore FILE WARM SECRET_JSON OUT_DIR\n');
  process.exit(2);
}
