// The README's first command: the `adapipe` CLI on a sample file — process it with the default
// pipeline (blake3 → zstd 3 → aes-256-gcm → blake3), inspect the container, restore it under its
// stored name, and compare the result with the original. Exits non-zero if any step fails.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';

const sample = resolve(process.argv[2] ?? 'samples/lorem.txt');
const bin = new URL('../packages/cli/dist/bin/adapipe.js', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'adapipe-demo-'));
const input = join(work, basename(sample));
copyFileSync(sample, input);
mkdirSync(join(work, 'restored'));
const env = {
  ...process.env,
  ADAPIPE_PASSWORD: 'demo password, use --password-file for real ones',
  ADAPIPE_DB: join(work, 'pipelines.db'),
};

function adapipe(...args) {
  console.log(`$ adapipe ${args.join(' ')}`);
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: work, env, encoding: 'utf8' });
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  if (result.status !== 0) {
    console.error(`demo failed: adapipe ${args[0]} exited with ${result.status}`);
    process.exit(1);
  }
  return result.stdout;
}

const name = basename(input);
const processed = JSON.parse(adapipe('--json', 'process', '-i', name, '-o', `${name}.adapipe`));
console.log(
  `processed ${processed.bytesIn} bytes into ${processed.bytesOut} (${processed.chunkCount} chunks), ${processed.digestAlgorithm} ${processed.digest}`,
);
adapipe('inspect', `${name}.adapipe`);
adapipe('verify', '--full', `${name}.adapipe`);
adapipe('restore', '-i', `${name}.adapipe`, '--output-dir', 'restored');
adapipe('compare', '--original', name, '--adapipe', `${name}.adapipe`);
console.log(`ok: ${join(work, 'restored', name)} is identical to ${sample}`);
