// Throughput of the checksum stages on this machine: 64 MiB of random data in 1 MiB chunks, each
// direction timed 5 times, median reported in MB/s (10^6 bytes per second). Build first:
//   pnpm --filter @adapipe/plugin-checksum build && node plugins/checksum/bench/speed.mjs
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { createAdapipe, FileChunk, MiB, PipelineStage, ProcessingContext, StageConfiguration, StageType } from '@adapipe/core';
import { checksumAlgorithms, checksumContainerModule, createDigest } from '../dist/index.js';

const totalBytes = 64 * MiB;
const chunkSize = 1 * MiB;
const runs = 5;

const data = randomBytes(totalBytes);
const chunks = [];
for (let offset = 0, index = 0; offset < totalBytes; offset += chunkSize, index++) {
  chunks.push(new FileChunk(index, data.subarray(offset, offset + chunkSize), { offset, isFinal: offset + chunkSize >= totalBytes }));
}
const { executor } = createAdapipe(checksumContainerModule());

async function pass(stage, direction, input) {
  const context = new ProcessingContext('speed');
  await executor.startRun(stage, context, direction);
  const output = [];
  for (const chunk of input) {
    output.push(direction === 'forward' ? await executor.execute(stage, chunk, context) : await executor.reverse(stage, chunk, context));
  }
  await executor.finishRun(stage, context, direction);
  return output;
}

async function wholeInput(algorithm) {
  const running = await createDigest(algorithm);
  for (const chunk of chunks) running.update(chunk.data);
  running.digest();
}

async function medianMBps(task) {
  const rates = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    await task();
    rates.push(totalBytes / 1e6 / ((performance.now() - started) / 1000));
  }
  rates.sort((a, b) => a - b);
  return rates[Math.floor(runs / 2)].toFixed(0);
}

console.log(
  `${totalBytes / MiB} MiB in ${chunkSize / MiB} MiB chunks, median of ${runs} runs, MB/s; Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}`,
);
console.log('| algorithm | forward (execute) | reverse (verify) | createDigest only |');
console.log('|---|---:|---:|---:|');
for (const algorithm of checksumAlgorithms) {
  const stage = new PipelineStage(`bench-${algorithm}`, StageType.Checksum, new StageConfiguration(algorithm), 0);
  const forwardChunks = await pass(stage, 'forward', chunks);
  const forward = await medianMBps(() => pass(stage, 'forward', chunks));
  const reverse = await medianMBps(() => pass(stage, 'reverse', forwardChunks));
  const digestOnly = await medianMBps(() => wholeInput(algorithm));
  console.log(`| ${algorithm} | ${forward} | ${reverse} | ${digestOnly} |`);
}
