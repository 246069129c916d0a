// Throughput of the tee stage, per format, data kind and direction: 64 MiB of random bytes (the
// worst case for `hex`, nothing to squeeze, and for `text`, mostly invalid UTF-8) and of text, in
// 1 MiB chunks, four chunks in flight, written to a file in the system temp directory. Prints the
// median of 5 runs in MB/s (10^6 input bytes per second).
// Run after building: node plugins/tee/bench/speed.mjs
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compressibleBytes } from '@adapipe/core/testing';
import { FileChunk, MiB, PipelineStage, ProcessingContext, StageConfiguration, StageType } from '@adapipe/core';
import { TeeStageExecutor } from '../dist/index.js';

const totalBytes = 64 * MiB;
const chunkSize = 1 * MiB;
const inFlight = 4;
const runs = 5;

function chunksOf(data) {
  const chunks = [];
  for (let offset = 0, index = 0; offset < totalBytes; offset += chunkSize, index++) {
    chunks.push(new FileChunk(index, data.subarray(offset, offset + chunkSize), { offset, isFinal: offset + chunkSize >= totalBytes }));
  }
  return chunks;
}
const dataKinds = [
  ['random', chunksOf(new Uint8Array(randomBytes(totalBytes)))],
  ['text', chunksOf(compressibleBytes(totalBytes))],
];
const scratch = mkdtempSync(join(tmpdir(), 'adapipe-tee-bench-'));
const executor = new TeeStageExecutor();

async function once(stage, direction, chunks) {
  const context = new ProcessingContext('bench');
  const started = performance.now();
  await executor.startRun(stage, context, direction);
  for (let at = 0; at < chunks.length; at += inFlight) {
    const batch = chunks.slice(at, at + inFlight);
    if (direction === 'forward') await executor.executeParallel(stage, batch, context);
    else await executor.reverseParallel(stage, batch, context);
  }
  await executor.finishRun(stage, context, direction);
  return totalBytes / 1e6 / ((performance.now() - started) / 1000);
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

try {
  console.log(`tee: ${totalBytes / MiB} MiB, ${chunkSize / MiB} MiB chunks, ${inFlight} in flight, median of ${runs} runs (MB/s)`);
  console.log('format  data    forward  reverse');
  for (const format of ['binary', 'hex', 'text']) {
    const stage = new PipelineStage(
      `tee-${format}`,
      StageType.PassThrough,
      new StageConfiguration('tee', { output_path: join(scratch, `out.${format}`), format }),
      0,
    );
    for (const [kind, chunks] of dataKinds) {
      const medians = [];
      for (const direction of ['forward', 'reverse']) {
        const speeds = [];
        for (let run = 0; run < runs; run++) speeds.push(await once(stage, direction, chunks));
        medians.push(median(speeds));
      }
      console.log(`${format.padEnd(7)} ${kind.padEnd(7)} ${medians.map((m) => m.toFixed(0).padStart(8)).join(' ')}`);
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
