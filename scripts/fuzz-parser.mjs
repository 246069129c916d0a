#!/usr/bin/env node
// Fuzzes the container header and chunk parsers through the runner's readHeader, verifyHeader,
// verify and restore with the generators of tests/reliability/test-support/parser-fuzz.mjs (the same ones
// tests/reliability/parser-fuzz.int.test.ts runs for a few seconds in CI). Needs built packages.
//
//   node scripts/fuzz-parser.mjs [--seconds 600] [--seed N] [--timeout-ms 5000] [--out DIR] [--max-depth 400000]
//   node scripts/fuzz-parser.mjs --seed N --input-seed S     replays one input a run reported
//
// Prints inputs per second, outcomes per operation and error kind, and the RSS growth; saves each
// failing input (a raw error, a hang, or wrong restored bytes) as hex with its seeds in DIR
// (default: $TMPDIR/adapipe-fuzz-<seed>) and exits 1 when there was any.
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createAdapipe } from '@adapipe/core';
import { checksumContainerModule } from '@adapipe/plugin-checksum';
import { compressionContainerModule } from '@adapipe/plugin-compression';
import { encryptionContainerModule } from '@adapipe/plugin-encryption';
import { DEFAULT_MAX_NESTING_DEPTH, fuzz, replayInput } from '../tests/reliability/test-support/parser-fuzz.mjs';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    seed: { type: 'string' },
    'timeout-ms': { type: 'string', default: '5000' },
    out: { type: 'string' },
    'input-seed': { type: 'string' },
    'max-depth': { type: 'string' },
  },
});

const seconds = Number(values.seconds);
const seed = values.seed === undefined ? (Date.now() ^ (process.pid << 16)) >>> 0 : Number(values.seed) >>> 0;
const timeoutMs = Number(values['timeout-ms']);
const maxNestingDepth = values['max-depth'] === undefined ? undefined : Number(values['max-depth']);
const out = values.out ?? join(tmpdir(), `adapipe-fuzz-${seed}`);
const { runner } = createAdapipe(compressionContainerModule(), encryptionContainerModule(), checksumContainerModule());

if (values['input-seed'] !== undefined) {
  const { generated, result } = await replayInput(runner, seed, Number(values['input-seed']) >>> 0, { timeoutMs, maxNestingDepth });
  console.log(`input ${values['input-seed']} of seed ${seed}: ${generated.family} (${generated.detail}), ${generated.bytes.length} bytes`);
  console.log(`outcomes: ${JSON.stringify(result.outcomes)}`);
  if (result.failure) console.log(`FAILURE in ${result.failure.operation}: ${result.failure.problem}\n${result.failure.stack ?? ''}`);
  process.exit(result.failure ? 1 : 0);
}

console.log(
  `adapipe parser fuzz: seed ${seed}, ${seconds} s, ${timeoutMs} ms per operation, header JSON nesting up to ${maxNestingDepth ?? DEFAULT_MAX_NESTING_DEPTH}`,
);
const report = await fuzz({
  runner,
  seconds,
  seed,
  timeoutMs,
  maxNestingDepth,
  onProgress: ({ inputs, elapsedSeconds, failures }) =>
    console.log(
      `  ${elapsedSeconds.toFixed(0)} s: ${inputs} inputs (${(inputs / elapsedSeconds).toFixed(0)}/s), ${failures} failure(s), RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`,
    ),
  onFailure: (failure) => {
    mkdirSync(out, { recursive: true });
    const file = join(out, `failure-${failure.index}-${failure.inputSeed}.hex`);
    const replay = `node scripts/fuzz-parser.mjs --seed ${failure.seed} --input-seed ${failure.inputSeed}`;
    const lines = [
      `# seed ${failure.seed}, input ${failure.index}, input seed ${failure.inputSeed}`,
      `# ${failure.family}: ${failure.detail}`,
      `# ${failure.operation}: ${failure.problem}`,
      `# replay: ${replay}`,
      failure.hex,
    ];
    writeFileSync(file, `${lines.join('\n')}\n`);
    console.log(`  FAILURE ${failure.operation}: ${failure.problem} (${failure.family}: ${failure.detail}) → ${file}`);
  },
});

const table = (counts) =>
  Object.entries(counts)
    .sort(([, a], [, b]) => b - a)
    .map(([kind, count]) => `${kind}×${count}`)
    .join(', ');
console.log(
  `inputs: ${report.inputs} in ${report.elapsedSeconds.toFixed(1)} s = ${report.perSecond.toFixed(0)} inputs/s (${table(report.families)})`,
);
console.log('outcomes by operation:');
for (const [operation, counts] of Object.entries(report.outcomes)) console.log(`  ${operation.padEnd(12)} ${table(counts)}`);
console.log(
  `live memory growth after warm-up ${(report.liveGrowthBytes / 2 ** 20).toFixed(1)} MiB; RSS: peak ${(report.rssPeakBytes / 2 ** 20).toFixed(0)} MiB; growth after warm-up ${(report.rssGrowthBytes / 2 ** 20).toFixed(1)} MiB; largest jump over one input ${(report.rssMaxJumpBytes / 2 ** 20).toFixed(1)} MiB`,
);
console.log(report.failures.length === 0 ? 'failures: none' : `failures: ${report.failures.length}, saved in ${out}`);
process.exit(report.failures.length === 0 ? 0 : 1);
