import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** Processes and restores `mib` MiB through the default pipeline in a fresh Node process; prints its peak RSS in MiB. */
const script = (mib: number) => `
import 'reflect-metadata';
import { createAdapipe, Pipeline, PipelineStage, StageConfiguration } from '@adapipe/core';
import { checksumContainerModule } from '@adapipe/plugin-checksum';
import { compressionContainerModule } from '@adapipe/plugin-compression';
import { encryptionContainerModule } from '@adapipe/plugin-encryption';
const { runner } = createAdapipe(compressionContainerModule(), encryptionContainerModule(), checksumContainerModule());
const stage = (name, type, algorithm, order) => new PipelineStage(name, type, new StageConfiguration(algorithm), order);
const pipeline = new Pipeline('bounded', [stage('in', 'checksum', 'sha256', 0), stage('zip', 'compression', 'zstd', 1), stage('seal', 'encryption', 'aes-256-gcm', 2), stage('out', 'checksum', 'sha256', 3)]);
const secret = { kind: 'key', key: new Uint8Array(32).fill(1) };
async function* input() {
  for (let i = 0; i < ${mib}; i++) { const block = Buffer.alloc(1 << 20, i % 251); block.writeUInt32BE(i, 0); yield block; }
}
const signal = new AbortController().signal;
const processed = runner.process(input(), { pipeline, chunkSize: 4 << 20, secret, signal });
const restored = runner.restore(processed.output, { secret, signal });
let bytes = 0;
for await (const part of restored.output) bytes += part.length;
if (bytes !== ${mib} << 20) throw new Error('lost bytes: ' + bytes);
console.log(Math.round(process.resourceUsage().maxRSS / 1024));
`;

describe('memory', () => {
  it('stays bounded by chunk size × window, not by input size (process → restore of 768 MiB)', () => {
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script(768)], { cwd: import.meta.dirname, encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    const peakMiB = Number(result.stdout.trim());
    expect(peakMiB).toBeGreaterThan(0);
    expect(peakMiB).toBeLessThan(400);
  }, 180_000);
});
