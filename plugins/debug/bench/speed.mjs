// Throughput of the debug stage, per direction, with counters only and with per-chunk SHA-256
// series: 64 MiB of random bytes in 1 MiB chunks, four chunks in flight, reporting to a fresh
// prom-client registry. Prints the median of 5 runs in MB/s (10^6 bytes per second).
// Run after building: node plugins/debug/bench/speed.mjs
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { FileChunk, MiB, PipelineStage, ProcessingContext, StageConfiguration, StageType } from '@adapipe/core';
import { Registry } from 'prom-client';
import { DebugMetrics, DebugStageExecutor } from '../dist/index.js';

const totalBytes = 64 * MiB;
const chunkSize = 1 * MiB;
const inFlight = 4;
const runs = 5;

const data = new Uint8Array(randomBytes(totalBytes));
const chunks = [];
for (let offset = 0, index = 0; offset < totalBytes; offset += chunkSize, index++) {
  chunks.push(new FileChunk(index, data.subarray(offset, offset + chunkSize), { offset, isFinal: offset + chunkSize >= totalBytes }));
}
const stage = new PipelineStage('bench', StageType.PassThrough, new StageConfiguration('debug'), 0);

async function once(executor, direction) {
  const context = new ProcessingContext('bench');
  const started = performance.now();
  for (let at = 0; at < chunks.length; at += inFlight) {
    const batch = chunks.slice(at, at + inFlight);
    if (direction === 'forward') await executor.executeParallel(stage, batch, context);
    else await executor.reverseParallel(stage, batch, context);
  }
  return totalBytes / 1e6 / ((performance.now() - started) / 1000);
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

console.log(`debug: ${totalBytes / MiB} MiB, ${chunkSize / MiB} MiB chunks, ${inFlight} in flight, median of ${runs} runs (MB/s)`);
console.log('metrics               forward  reverse');
for (const [name, perChunkMetrics] of [
  ['counters only', false],
  ['per-chunk SHA-256', true],
]) {
  const executor = new DebugStageExecutor(new DebugMetrics({ registry: new Registry(), perChunkMetrics }));
  const medians = [];
  for (const direction of ['forward', 'reverse']) {
    const speeds = [];
    for (let run = 0; run < runs; run++) speeds.push(await once(executor, direction));
    medians.push(median(speeds));
  }
  console.log(`${name.padEnd(20)} ${medians.map((m) => m.toFixed(0).padStart(8)).join(' ')}`);
}
