import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { compressibleBytes, randomBytes } from '@adapipe/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adapipeBin, createKeyedWorkspace, type CliWorkspace, disposeWorkspaces, expectOneErrorLine } from './test-support/cli-harness.js';

interface ListedStage {
  readonly type: string;
  readonly algorithm: string;
}

/** What `adapipe plugins --json` lists, read once from the built binary (the list drives the test). */
function listedStages(): ListedStage[] {
  const listed = spawnSync(process.execPath, [adapipeBin, '--json', 'plugins'], { encoding: 'utf8' });
  if (listed.status !== 0) throw new Error(`adapipe --json plugins failed: ${listed.stderr}`);
  return (JSON.parse(listed.stdout) as { executors: ListedStage[] }).executors;
}

/** A stage spec for `type:algorithm` that the stage accepts, with the parameters it requires. */
function specFor(stage: ListedStage, workspace: CliWorkspace): string {
  if (stage.algorithm === 'tee') return `${stage.type}:tee:output_path=${workspace.path(`tee-${stage.type}.hex`)};format=hex`;
  return `${stage.type}:${stage.algorithm}`;
}

const original = Buffer.concat([compressibleBytes(150_000), randomBytes(50_000, 12)]);
const key = Uint8Array.from({ length: 32 }, (_, index) => index * 7);
let workspace: CliWorkspace;

beforeAll(() => {
  workspace = createKeyedWorkspace('adapipe-cli-stages-', original, key);
});
afterAll(() => disposeWorkspaces());

describe('every stage that `adapipe plugins` lists', () => {
  const stages = listedStages();

  it('lists the official stages, transform:tee and transform:debug among them', () => {
    const pairs = stages.map((stage) => `${stage.type}:${stage.algorithm}`);
    for (const expected of [
      'checksum:sha256',
      'compression:zstd',
      'encryption:aes-256-gcm',
      'transform:tee',
      'transform:debug',
      'passthrough:tee',
    ]) {
      expect(pairs).toContain(expected);
    }
  });

  it.each(stages.map((stage) => [`${stage.type}:${stage.algorithm}`, stage] as const))(
    'round-trips a file through %s with the built CLI',
    async (name, stage) => {
      const container = `${name.replace(':', '-')}.adapipe`;
      const restored = `${name.replace(':', '-')}.restored`;
      const secret = stage.type === 'encryption' ? ['--key-file', 'key'] : [];
      const processed = await workspace.run([
        ...secret,
        'process',
        '-i',
        'original.bin',
        '-o',
        container,
        '--chunk-size',
        '64K',
        '--stages',
        specFor(stage, workspace),
      ]);
      expect(processed.code, processed.stderr).toBe(0);
      const back = await workspace.run([...secret, 'restore', '-i', container, '-o', restored]);
      expect(back.code, back.stderr).toBe(0);
      expect(Buffer.compare(workspace.read(restored), original)).toBe(0);
      if (stage.algorithm === 'tee') expect(existsSync(workspace.path(`tee-${stage.type}.hex`))).toBe(true);
    },
  );

  it('suggests the closest name for a typo, lists every installed stage and names --plugin', async () => {
    const typo = await workspace.run(['process', '-i', 'original.bin', '-o', 'typo.adapipe', '--stages', 'compression:zstdd']);
    expect(typo.code).toBe(2);
    const line = expectOneErrorLine(typo.stderr, 'compression:zstdd', /did you mean compression:zstd\?/);
    for (const stage of stages) expect(line).toContain(`${stage.type}:${stage.algorithm}`);
    expect(line).toContain('--plugin');
    expect(existsSync(workspace.path('typo.adapipe'))).toBe(false);
  });

  it('lists every installed stage when a third-party stage is missing', async () => {
    const missing = await workspace.run(['process', '-i', 'original.bin', '-o', 'missing.adapipe', '--stages', 'transform:delta']);
    expect(missing.code).toBe(2);
    const line = expectOneErrorLine(missing.stderr, 'transform:delta', /installed: /);
    for (const stage of stages) expect(line).toContain(`${stage.type}:${stage.algorithm}`);
    expect(line).toContain('--plugin');
  });
});
