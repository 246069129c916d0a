// Throughput of every encryption stage (both directions) and the cost of each password KDF at its
// defaults, on this machine. Run after building: node plugins/encryption/bench/speed.mjs
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { createAdapipe, FileChunk, PipelineStage, ProcessingContext, RunSecretKey, StageConfiguration, StageType } from '@adapipe/core';
import { aeadAlgorithms, ARGON2ID_DEFAULTS, deriveMasterKey, encryptionContainerModule, SCRYPT_DEFAULTS } from '../dist/index.js';

const TOTAL = 64 * 1024 * 1024;
const CHUNK = 1024 * 1024;
const RUNS = 5;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const data = randomBytes(TOTAL);
const inputs = [];
for (let offset = 0, index = 0; offset < TOTAL; offset += CHUNK, index++) {
  inputs.push(new FileChunk(index, data.subarray(offset, offset + CHUNK), { offset, isFinal: offset + CHUNK >= TOTAL }));
}
const { executor } = createAdapipe(encryptionContainerModule());
const secret = { kind: 'key', key: randomBytes(32) };

async function timed(stage, direction, chunks, context) {
  await executor.startRun(stage, context, direction);
  const started = performance.now();
  const out = [];
  for (const chunk of chunks)
    out.push(direction === 'forward' ? await executor.execute(stage, chunk, context) : await executor.reverse(stage, chunk, context));
  const seconds = (performance.now() - started) / 1000;
  await executor.finishRun(stage, context, direction);
  return { out, mbps: TOTAL / 1e6 / seconds };
}

console.log(
  `${TOTAL / 2 ** 20} MiB of random data in ${CHUNK / 2 ** 20} MiB chunks, one core, median of ${RUNS} runs (MB = 10^6 bytes), Node ${process.version}\n`,
);
console.log('| algorithm | encrypt MB/s | decrypt MB/s |');
console.log('|---|---:|---:|');
for (const { algorithm } of aeadAlgorithms) {
  const stage = new PipelineStage('encrypt', StageType.Encryption, new StageConfiguration(algorithm), 0);
  const warmUp = new ProcessingContext('warm-up');
  warmUp.set(RunSecretKey, secret);
  await timed(stage, 'forward', inputs.slice(0, 8), warmUp);
  const forwardSpeeds = [];
  const reverseSpeeds = [];
  for (let run = 0; run < RUNS; run++) {
    const forward = new ProcessingContext('bench');
    forward.set(RunSecretKey, secret);
    const sealed = await timed(stage, 'forward', inputs, forward);
    forwardSpeeds.push(sealed.mbps);
    const restore = new ProcessingContext('bench');
    restore.set(RunSecretKey, secret);
    restore.setRunParameters('encrypt', forward.runParameters('encrypt'));
    const restored = await timed(stage, 'reverse', sealed.out, restore);
    reverseSpeeds.push(restored.mbps);
    if (!restored.out.every((chunk, index) => Buffer.compare(chunk.data, inputs[index].data) === 0))
      throw new Error(`${algorithm} did not round trip`);
  }
  console.log(`| ${algorithm} | ${median(forwardSpeeds).toFixed(0)} | ${median(reverseSpeeds).toFixed(0)} |`);
}

console.log('\n| KDF | costs | derivation ms (median) |');
console.log('|---|---|---:|');
const password = { kind: 'password', password: new TextEncoder().encode('correct horse battery staple') };
for (const [label, kdf] of [
  [
    `m=${ARGON2ID_DEFAULTS.memoryKib} KiB, t=${ARGON2ID_DEFAULTS.iterations}, p=${ARGON2ID_DEFAULTS.parallelism}`,
    { kdf: 'argon2id', ...ARGON2ID_DEFAULTS },
  ],
  [`N=${SCRYPT_DEFAULTS.n}, r=${SCRYPT_DEFAULTS.r}, p=${SCRYPT_DEFAULTS.p}`, { kdf: 'scrypt', ...SCRYPT_DEFAULTS }],
]) {
  const times = [];
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    (await deriveMasterKey(password, randomBytes(32), kdf)).fill(0);
    times.push(performance.now() - started);
  }
  console.log(`| ${kdf.kdf} | ${label} | ${median(times).toFixed(0)} |`);
}
