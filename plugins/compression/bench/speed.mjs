// Throughput of every compression stage through the real DI path (core's dispatching executor),
// compressing and restoring text-like data split into chunks, all chunks of a run in flight at once
// (executeParallel / reverseParallel), as the runner does. Reports the median of N runs.
//
//   pnpm --filter @adapipe/plugin-compression build
//   node plugins/compression/bench/speed.mjs [--size 64] [--chunk 4] [--runs 5] [--sync-vs-async]
//
// MB/s means 10^6 bytes of uncompressed data per second, in both directions. Ratio is
// uncompressed / compressed. `--sync-vs-async` instead times the libraries' synchronous functions
// against what the stages' executors use (the asynchronous functions; zstd, synchronous only, runs
// on the chunk engine's worker threads in a run, see the engine row of the table).
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { createAdapipe, FileChunk, MiB, Pipeline, PipelineStage, ProcessingContext, StageConfiguration, StageType } from '@adapipe/core';
import { compressionContainerModule, compressionLevelRanges } from '../dist/index.js';

const args = parseArguments(process.argv.slice(2));
const totalSize = args.size * MiB;
const chunkSize = args.chunk * MiB;
const data = textLikeBytes(totalSize);
const chunks = [];
for (let offset = 0, sequence = 0; offset < data.length; offset += chunkSize, sequence++) {
  const end = Math.min(data.length, offset + chunkSize);
  chunks.push(new FileChunk(sequence, data.subarray(offset, end), { offset, isFinal: end === data.length }));
}

console.log(
  `${args.size} MiB of text-like data in ${chunks.length} chunks of ${args.chunk} MiB, median of ${args.runs} runs; ` +
    `Node ${process.version}, ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown CPU'})\n`,
);
if (args.syncVsAsync) await syncVersusAsync();
else await stageTable();

/** Every stage at its default level through core's dispatching executor, then the zstd tool. */
async function stageTable() {
  console.log('| algorithm | level | compress MB/s | decompress MB/s | ratio |');
  console.log('|---|---|---|---|---|');
  const rows = [
    ['zstd', {}],
    ['gzip', {}],
    ['brotli', {}],
    ['lz4', {}],
  ];
  for (const [algorithm, options, label] of rows) {
    const { executor } = createAdapipe(compressionContainerModule({ algorithms: [algorithm], ...options }));
    const stage = new PipelineStage(`${algorithm}-bench`, StageType.Compression, new StageConfiguration(algorithm), 0);
    const compressed = await executor.executeParallel(stage, chunks, new ProcessingContext('bench'));
    const restored = await executor.reverseParallel(stage, compressed, new ProcessingContext('bench'));
    if (!restored.every((chunk, index) => Buffer.from(chunk.data).equals(chunks[index].data))) {
      throw new Error(`${algorithm} did not restore the input`);
    }
    const compressSeconds = await median(() => executor.executeParallel(stage, chunks, new ProcessingContext('bench')));
    const decompressSeconds = await median(() => executor.reverseParallel(stage, compressed, new ProcessingContext('bench')));
    const compressedSize = compressed.reduce((sum, chunk) => sum + chunk.size, 0);
    const level = compressionLevelRanges[algorithm]?.default ?? '—';
    console.log(
      `| ${label ?? algorithm} | ${level} | ${mbps(compressSeconds)} | ${mbps(decompressSeconds)} | ${(totalSize / compressedSize).toFixed(2)} |`,
    );
  }
  await engineRow('zstd');
  const reference = zstdCommandLine();
  if (reference !== undefined) console.log(`\nreference, same data as one file: ${reference}`);
}

/**
 * One algorithm through the runner, as a run uses it: the chunk engine runs the stage's kernel on
 * its worker threads (one per core). Compress = process, decompress = restore, no other stage.
 */
async function engineRow(algorithm) {
  const { runner } = createAdapipe(compressionContainerModule({ algorithms: [algorithm] }));
  const pipeline = new Pipeline('bench', [
    new PipelineStage(`${algorithm}-bench`, StageType.Compression, new StageConfiguration(algorithm), 0),
  ]);
  const source = async function* (bytes) {
    for (let offset = 0; offset < bytes.length; offset += chunkSize) yield bytes.subarray(offset, offset + chunkSize);
  };
  const drain = async (output) => {
    const parts = [];
    for await (const part of output) parts.push(part);
    return Buffer.concat(parts);
  };
  const container = await drain(runner.process(source(data), { pipeline, chunkSize }).output);
  if (!(await drain(runner.restore(source(container)).output)).equals(data)) throw new Error(`${algorithm} did not restore the input`);
  const compressSeconds = await median(() => drain(runner.process(source(data), { pipeline, chunkSize }).output));
  const decompressSeconds = await median(() => drain(runner.restore(source(container)).output));
  const level = compressionLevelRanges[algorithm]?.default ?? '—';
  console.log(
    `| ${algorithm}, chunk engine (${availableParallelism()} workers) | ${level} | ${mbps(compressSeconds)} | ${mbps(decompressSeconds)} | ${(totalSize / container.length).toFixed(2)} |`,
  );
}

/** Times `zstd -3 -T2` (the command line tool) on the same data, if it is installed. */
function zstdCommandLine() {
  const folder = mkdtempSync(join(tmpdir(), 'adapipe-compression-bench-'));
  try {
    const file = join(folder, 'data.txt');
    writeFileSync(file, data);
    const times = [];
    for (let run = 0; run < args.runs; run++) {
      const started = performance.now();
      execFileSync('zstd', ['-3', '-T2', '-q', '-c', file], { stdio: ['ignore', 'ignore', 'ignore'] });
      times.push((performance.now() - started) / 1000);
    }
    return `\`zstd -3 -T2\` compresses at ${mbps(middle(times))} MB/s`;
  } catch {
    return undefined;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/**
 * The raw libraries, synchronous against what the stages use, all chunks in flight at once. The
 * runs of a pair alternate, so both see the same machine load.
 */
async function syncVersusAsync() {
  const require = createRequire(import.meta.url);
  const lz4 = require('lz4-napi');
  const zstd = require('zstd-napi');
  const { executor } = createAdapipe(compressionContainerModule({ algorithms: ['zstd'] }));
  const zstdStage = new PipelineStage('zstd-pool', StageType.Compression, new StageConfiguration('zstd'), 0);
  const raw = chunks.map((chunk) => chunk.data);
  const brotli = { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: chunkSize } };
  const bounded = { maxOutputLength: chunkSize, chunkSize: MiB };
  const gzipped = raw.map((piece) => zlib.gzipSync(piece, { level: 5 }));
  const brotlied = raw.map((piece) => zlib.brotliCompressSync(piece, brotli));
  const lz4Framed = raw.map((piece) =>
    lz4.compressFrameSync(Buffer.from(piece.buffer, piece.byteOffset, piece.length), { contentChecksum: true }),
  );
  const zstdFramed = raw.map((piece) => zstd.compress(piece, { compressionLevel: 3, checksumFlag: true }));
  const zstdChunks = await executor.executeParallel(zstdStage, chunks, new ProcessingContext('bench'));
  const each = (inputs, work) => () => Promise.all(inputs.map((input) => work(input)));
  /** One zlib method, synchronous on the main thread against promisified on libuv's pool. */
  const zlibPair = (label, method, inputs, options, asyncOptions = options) => [
    label,
    `${method}Sync`,
    each(inputs, async (piece) => zlib[`${method}Sync`](piece, options)),
    `zlib.${method}`,
    each(inputs, (piece) => promisify(zlib[method])(piece, asyncOptions)),
  ];
  const pairs = [
    zlibPair('gzip 5 compress', 'gzip', raw, { level: 5 }, { level: 5, chunkSize: MiB }),
    zlibPair('gzip decompress', 'gunzip', gzipped, bounded),
    zlibPair('brotli 4 compress', 'brotliCompress', raw, brotli, { ...brotli, chunkSize: MiB }),
    zlibPair('brotli decompress', 'brotliDecompress', brotlied, bounded),
    [
      'lz4 compress',
      'compressFrameSync',
      each(raw, async (piece) =>
        lz4.compressFrameSync(Buffer.from(piece.buffer, piece.byteOffset, piece.length), { contentChecksum: true }),
      ),
      'compressFrame',
      each(raw, (piece) => lz4.compressFrame(piece, { contentChecksum: true })),
    ],
    [
      'lz4 decompress',
      'decompressFrameSync',
      each(lz4Framed, async (piece) => lz4.decompressFrameSync(piece)),
      'decompressFrame',
      each(lz4Framed, (piece) => lz4.decompressFrame(piece)),
    ],
    [
      'zstd 3 compress',
      'zstd-napi compress',
      each(raw, async (piece) => zstd.compress(piece, { compressionLevel: 3, checksumFlag: true })),
      'zstd stage, calling thread',
      () => executor.executeParallel(zstdStage, chunks, new ProcessingContext('bench')),
    ],
    [
      'zstd decompress',
      'zstd-napi decompress',
      each(zstdFramed, async (piece) => zstd.decompress(piece)),
      'zstd stage, calling thread',
      () => executor.reverseParallel(zstdStage, zstdChunks, new ProcessingContext('bench')),
    ],
  ];
  console.log('| all chunks at once | synchronous, main thread | MB/s | asynchronous, off the main thread | MB/s |');
  console.log('|---|---|---|---|---|');
  for (const [name, syncName, syncRun, asyncName, asyncRun] of pairs) {
    const syncTimes = [];
    const asyncTimes = [];
    for (let run = 0; run < args.runs; run++) {
      syncTimes.push(await seconds(syncRun));
      asyncTimes.push(await seconds(asyncRun));
    }
    console.log(`| ${name} | ${syncName} | ${mbps(middle(syncTimes))} | ${asyncName} | ${mbps(middle(asyncTimes))} |`);
  }
}

async function seconds(run) {
  const started = performance.now();
  await run();
  return (performance.now() - started) / 1000;
}

async function median(run) {
  const times = [];
  for (let index = 0; index < args.runs; index++) times.push(await seconds(run));
  return middle(times);
}

function middle(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function mbps(seconds) {
  return Math.round(totalSize / 1e6 / seconds).toString();
}

/**
 * Deterministic text-like bytes: numbered lines of words drawn with a skewed (Zipf-like)
 * distribution from a vocabulary of 8000 pseudo-words. zstd -3 compresses it about 2.8:1.
 */
function textLikeBytes(size) {
  let state = 12345;
  const random = () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 4294967296;
  };
  const letters = 'etaoinshrdlcumwfgypbvkjxqz';
  const vocabulary = Array.from({ length: 8000 }, () => {
    let word = '';
    for (let length = 2 + Math.floor(random() * 8); length > 0; length--) word += letters[Math.floor(random() ** 1.8 * 26)];
    return word;
  });
  const bytes = Buffer.allocUnsafe(size);
  let position = 0;
  for (let line = 1; position < size; line++) {
    const words = 6 + Math.floor(random() * 12);
    let text = `${String(line).padStart(6, '0')} `;
    for (let index = 0; index < words; index++) {
      text += vocabulary[Math.floor(random() ** 4 * vocabulary.length)] + (index + 1 < words ? ' ' : '.\n');
    }
    position += bytes.write(text, position);
  }
  return bytes;
}

function parseArguments(argv) {
  const parsed = { size: 64, chunk: 4, runs: 5, syncVsAsync: false };
  for (let index = 0; index < argv.length; index++) {
    const flag = argv[index];
    if (flag === '--sync-vs-async') {
      parsed.syncVsAsync = true;
      continue;
    }
    const name = { '--size': 'size', '--chunk': 'chunk', '--runs': 'runs' }[flag];
    const value = Number(argv[++index]);
    if (name === undefined || !Number.isInteger(value) || value < 1) {
      console.error('usage: node plugins/compression/bench/speed.mjs [--size MiB] [--chunk MiB] [--runs N] [--sync-vs-async]');
      process.exit(2);
    }
    parsed[name] = value;
  }
  return parsed;
}
