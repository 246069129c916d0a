// Throughput of transform:delta through core's DispatchingStageExecutor, both directions.
// Run after `pnpm --filter adapipe-plugin-example-delta build`: node examples/custom-stage/bench/speed.mjs
import 'reflect-metadata';
import { createAdapipe, FileChunk, PipelineStage, ProcessingContext, StageConfiguration, StageType } from '@adapipe/core';
import { deltaContainerModule } from '../dist/index.js';

const MiB = 1 << 20;
const chunkSize = 4 * MiB;
const chunks = Array.from({ length: 16 }, (_, index) => {
  const data = new Uint8Array(chunkSize);
  const view = new DataView(data.buffer);
  for (let sample = 0; sample < chunkSize / 2; sample++) {
    view.setInt16(sample * 2, Math.round(15000 * Math.sin((index * chunkSize + sample) / 97.31)), true);
  }
  return new FileChunk(index, data, { offset: index * chunkSize, isFinal: index === 15 });
});
const { executor } = createAdapipe(deltaContainerModule());

async function measure(stride) {
  const stage = new PipelineStage('delta', StageType.Transform, new StageConfiguration('delta', { stride: String(stride) }), 0);
  const forward = [];
  const reverse = [];
  for (let run = 0; run < 5; run++) {
    let started = performance.now();
    const encoded = await executor.executeParallel(stage, chunks, new ProcessingContext('bench'));
    forward.push(performance.now() - started);
    started = performance.now();
    await executor.reverseParallel(stage, encoded, new ProcessingContext('bench'));
    reverse.push(performance.now() - started);
  }
  const mbps = (times) => ((chunks.length * chunkSize) / 1e6 / (times.sort((a, b) => a - b)[2] / 1000)).toFixed(0);
  console.log(`stride ${stride}: forward ${mbps(forward)} MB/s, reverse ${mbps(reverse)} MB/s (64 MiB in 4 MiB chunks, median of 5)`);
}

for (const stride of [1, 2, 16]) await measure(stride);
