// `pnpm bench`: the per-package speed scripts (plugins/*/bench/speed.mjs) and core's dispatch
// overhead, one after another on this machine, then the comparison with command-line peers
// (bench/peer-comparison.mjs), which receives this script's options, e.g.
// `pnpm bench --size 512 --iterations 5 [--skip-large] [--out bench/RESULTS.md]`. Run after `pnpm build`.
import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, readdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { createAdapipe, FileChunk, PipelineStage, ProcessingContext, StageConfiguration, StageType } from '@adapipe/core';
import { parsePeerComparisonArgs } from './peer-comparison.mjs';

const root = new URL('..', import.meta.url).pathname;
const peerComparisonArgs = process.argv.slice(2);
let reportPath;
try {
  reportPath = parsePeerComparisonArgs(peerComparisonArgs).out;
} catch (error) {
  console.error(`${error.message}\nusage: pnpm bench [--size MiB] [--iterations N] [--skip-large] [--out FILE]`);
  process.exit(2);
}
/** Everything the micro-benchmarks print, appended to the report after the peer comparison. */
const microLines = [];
const say = (text) => {
  console.log(text);
  microLines.push(text);
};
say(`node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`);

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function dispatchOverhead() {
  const { executor } = createAdapipe();
  const stage = new PipelineStage('tap', StageType.PassThrough, StageConfiguration.default(), 0);
  const chunks = Array.from({ length: 10_000 }, (_, index) => new FileChunk(index, new Uint8Array(16)));
  const timings = [];
  for (let run = 0; run < 5; run++) {
    const context = new ProcessingContext('bench');
    const started = performance.now();
    for (const chunk of chunks) await executor.execute(stage, chunk, context);
    timings.push(((performance.now() - started) * 1000) / chunks.length);
  }
  say(`core: dispatch overhead per chunk (pass-through, median of 5): ${median(timings).toFixed(2)} µs`);
}

await dispatchOverhead();
for (const folder of ['plugins', 'examples']) {
  if (!existsSync(join(root, folder))) continue;
  for (const name of readdirSync(join(root, folder)).sort()) {
    const script = join(root, folder, name, 'bench', 'speed.mjs');
    if (!existsSync(script)) continue;
    say(`\n${folder}/${name} (\`node ${folder}/${name}/bench/speed.mjs\`):`);
    const result = spawnSync(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'], cwd: root, encoding: 'utf8' });
    say(result.stdout.trimEnd());
    if (result.status !== 0) process.exitCode = 1;
  }
}

console.log('\n## peer comparison (bench/peer-comparison.mjs)');
const comparison = spawnSync(process.execPath, [join(root, 'bench', 'peer-comparison.mjs'), ...peerComparisonArgs], {
  stdio: 'inherit',
  cwd: root,
});
if (comparison.status !== 0) process.exitCode = 1;
else appendFileSync(reportPath, ['', '## Micro-benchmarks of every plugin', '', '```', ...microLines, '```', ''].join('\n'));
