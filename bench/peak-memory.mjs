// Peak resident memory of `adapipe process` and `restore` (default pipeline, 4 MiB chunks) on a
// generated file, per input size, each run in a fresh process. Usage: node bench/peak-memory.mjs [MiB…]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, openSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = new URL('../packages/cli/dist/bin/adapipe.js', import.meta.url).pathname;
const sizes = process.argv.slice(2).map(Number);
const env = { ...process.env, ADAPIPE_PASSWORD: 'peak memory benchmark' };

for (const mib of sizes.length ? sizes : [256, 1024]) {
  const dir = mkdtempSync(join(tmpdir(), 'adapipe-peak-'));
  const input = join(dir, 'input.bin');
  const fd = openSync(input, 'w');
  const block = Buffer.alloc(1 << 20);
  const pattern = Buffer.from('adapipe peak memory sample text, compressible but not trivially so. ');
  for (let i = 0; i < block.length; i += pattern.length) pattern.copy(block, i);
  for (let i = 0; i < mib; i++) {
    block.writeUInt32BE(i, 0);
    writeSync(fd, block);
  }
  closeSync(fd);
  const run = (args) => {
    const result = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, bin, ...args], { env, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(result.stderr);
    return Number(result.stderr.trim().split('\n').at(-1)) / 1024;
  };
  const processRss = run(['process', '-q', '-i', input, '-o', join(dir, 'c.adapipe'), '--chunk-size', '4M']);
  const restoreRss = run(['restore', '-q', '-i', join(dir, 'c.adapipe'), '-o', join(dir, 'out.bin')]);
  console.log(`${mib} MiB input: peak RSS process ${processRss.toFixed(0)} MiB, restore ${restoreRss.toFixed(0)} MiB`);
  rmSync(dir, { recursive: true, force: true });
}
