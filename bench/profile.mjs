#!/usr/bin/env node
// Runs one adapipe command under `node --cpu-prof` (main thread and every worker thread) and
// prints, per thread, how busy it was and where its time went (self time by function).
// Usage: node bench/profile.mjs [--top N] -- process -i in -o out --key-file k ...
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const split = args.indexOf('--');
const own = split < 0 ? [] : args.slice(0, split);
const command = split < 0 ? args : args.slice(split + 1);
const top = Number(own[own.indexOf('--top') + 1]) || 12;
const bin = fileURLToPath(new URL('../packages/cli/dist/bin/adapipe.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'adapipe-prof-'));
const started = performance.now();
const run = spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, bin, ...command], { stdio: 'inherit' });
const wallMs = performance.now() - started;
if (run.status !== 0) process.exit(run.status ?? 1);

console.log(`wall ${(wallMs / 1000).toFixed(2)} s: node ${command.join(' ')}`);
const profiles = readdirSync(dir)
  .filter((name) => name.endsWith('.cpuprofile'))
  .sort();
for (const name of profiles) {
  const profile = JSON.parse(readFileSync(join(dir, name), 'utf8'));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map();
  for (let index = 0; index < profile.samples.length; index++) {
    const node = byId.get(profile.samples[index]);
    selfUs.set(node, (selfUs.get(node) ?? 0) + (profile.timeDeltas[index] ?? 0));
  }
  const byFunction = new Map();
  let idleUs = 0;
  let totalUs = 0;
  for (const [node, us] of selfUs) {
    const frame = node.callFrame;
    totalUs += us;
    if (frame.functionName === '(idle)') idleUs += us;
    const file = frame.url ? frame.url.split('/').slice(-1)[0] : '';
    const key = `${frame.functionName || '(anonymous)'} ${file}${file ? `:${frame.lineNumber + 1}` : ''}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  }
  const busy = totalUs === 0 ? 0 : 1 - idleUs / totalUs;
  console.log(`\n${name}: ${(totalUs / 1e6).toFixed(2)} s profiled, busy ${(busy * 100).toFixed(0)} %`);
  for (const [key, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`  ${(us / 1e6).toFixed(3).padStart(7)} s  ${key}`);
  }
}
rmSync(dir, { recursive: true, force: true });
