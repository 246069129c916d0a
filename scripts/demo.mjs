// The README's first command: builds a pipeline, loads a plugin module through DI, runs a real file
// through it chunk by chunk in both directions, and checks the round trip by SHA-256.
import 'reflect-metadata';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ContainerModule } from 'inversify';
import {
  BaseStageExecutor,
  ChunkSizePolicy,
  createAdapipe,
  FileChunk,
  KiB,
  Pipeline,
  PipelineError,
  PipelineStage,
  ProcessingContext,
  StageConfiguration,
  StageExecutor,
  StageType,
} from '@adapipe/core';

/** A demonstration plugin: XOR every byte with a key byte (its own inverse). */
class XorStageExecutor extends BaseStageExecutor {
  packageName = 'adapipe-demo-xor';
  capabilities = [{ stageType: StageType.Transform, algorithm: 'xor', description: 'XOR with a key byte' }];
  async execute(stage, chunk) {
    const key = Number(stage.configuration.parameters.key ?? '90');
    return chunk.withData(chunk.data.map((byte) => byte ^ key));
  }
  async reverse(stage, chunk) {
    return this.execute(stage, chunk);
  }
}
const xorPluginModule = new ContainerModule(({ bind }) => {
  bind(StageExecutor).toConstantValue(new XorStageExecutor());
});

const inputPath = process.argv[2];
if (!inputPath) {
  console.error('usage: node scripts/demo.mjs FILE');
  process.exit(2);
}
const input = await readFile(inputPath);
const { registry, executor } = createAdapipe(xorPluginModule);

const pipeline = new Pipeline('demo', [
  new PipelineStage('tap-in', StageType.PassThrough, StageConfiguration.default(), 0),
  new PipelineStage('scramble', StageType.Transform, new StageConfiguration('xor', { key: '165' }), 1),
  new PipelineStage('tap-out', StageType.PassThrough, new StageConfiguration('identity'), 2),
]);
pipeline.validate();

const chunkSize = ChunkSizePolicy.default().chunkSizeFor(input.length, 32 * KiB);
const chunks = [];
for (let offset = 0, sequence = 0; offset < input.length || sequence === 0; offset += chunkSize, sequence++) {
  const end = Math.min(input.length, offset + chunkSize);
  chunks.push(new FileChunk(sequence, input.subarray(offset, end), { offset, isFinal: end === input.length }));
}

async function run(direction, batch) {
  const context = new ProcessingContext(pipeline.id);
  const stages = direction === 'forward' ? pipeline.enabledStages : [...pipeline.enabledStages].reverse();
  for (const stage of stages) {
    await executor.startRun(stage, context, direction);
    batch =
      direction === 'forward'
        ? await executor.executeParallel(stage, batch, context)
        : await executor.reverseParallel(stage, batch, context);
    await executor.finishRun(stage, context, direction);
  }
  return { batch, context };
}

const processed = await run('forward', chunks);
const restored = await run('reverse', processed.batch);
const digest = (buffers) => {
  const hash = createHash('sha256');
  for (const buffer of buffers) hash.update(buffer);
  return hash.digest('hex');
};
const original = digest([input]);
const scrambled = digest(processed.batch.map((chunk) => chunk.data));
const roundTrip = digest(restored.batch.map((chunk) => chunk.data));

console.log(`input      ${inputPath}: ${input.length} bytes in ${chunks.length} chunks of ${chunkSize} bytes`);
console.log(`installed  ${registry.describeInstalled()}`);
console.log(`pipeline   ${pipeline.enabledStages.map((s) => `${s.name}(${s.stageType}:${s.algorithm})`).join(' -> ')}`);
for (const [name, m] of processed.context.stageMetrics) {
  console.log(`stage      ${name}: ${m.chunks} chunks, ${m.bytesIn} -> ${m.bytesOut} bytes, ${m.durationMs.toFixed(2)} ms`);
}
console.log(`sha256     original  ${original}`);
console.log(`sha256     processed ${scrambled}`);
console.log(`sha256     restored  ${roundTrip}`);

try {
  new Pipeline('bad', [
    new PipelineStage('encrypt', StageType.Encryption, new StageConfiguration('aes-256-gcm'), 0),
    new PipelineStage('compress', StageType.Compression, new StageConfiguration('zstd'), 1),
  ]);
} catch (error) {
  console.log(`rejected   ${PipelineError.is(error) ? `${error.kind}: ${error.message}` : error}`);
}
try {
  registry.resolve(StageType.Compression, 'zstd');
} catch (error) {
  console.log(`missing    ${error.kind}: ${error.message}`);
}

if (roundTrip !== original || scrambled === original) {
  console.error('FAILED: the round trip did not give back the original bytes');
  process.exit(1);
}
console.log('ok         restored bytes equal the original');
