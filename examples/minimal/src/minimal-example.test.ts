import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PipelineError } from '@adapipe/core';
import { compressibleBytes, randomBytes } from '@adapipe/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { runMinimalExample } from './minimal-example.js';

const exampleDir = fileURLToPath(new URL('..', import.meta.url));
const workspace = mkdtempSync(join(tmpdir(), 'adapipe-minimal-test-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

function inputFile(name: string, data: Uint8Array): string {
  const path = join(workspace, name);
  writeFileSync(path, data);
  return path;
}

describe('runMinimalExample', () => {
  it('round trips a multi-chunk file through zstd with identical bytes', async () => {
    const data = Buffer.concat([compressibleBytes(1_500_000), randomBytes(200_000, 7)]);
    const result = await runMinimalExample(inputFile('mixed.bin', data));
    expect(result.identical).toBe(true);
    expect(result.originalBytes).toBe(data.length);
    expect(result.containerBytes).toBeLessThan(data.length);
    expect(result.ratio).toBeCloseTo(data.length / result.containerBytes, 10);
  });

  it('round trips an empty file', async () => {
    const result = await runMinimalExample(inputFile('empty.bin', new Uint8Array(0)));
    expect(result).toMatchObject({ identical: true, originalBytes: 0 });
  });

  it('reports ExecutorNotFound naming the package to install for a container that needs a missing plugin', async () => {
    const { missingPlugin } = await runMinimalExample(inputFile('small.txt', compressibleBytes(10_000)));
    expect(missingPlugin.kind).toBe('ExecutorNotFound');
    expect(missingPlugin.message).toContain(
      "stage 'invert' needs transform:invert from adapipe-plugin-example-missing, which is not installed; install adapipe-plugin-example-missing and load its module",
    );
    expect(missingPlugin.message).toContain(
      'installed: compression:brotli, compression:gzip, compression:lz4, compression:zstd, passthrough:passthrough',
    );
  });

  it('fails with a typed InputError for a file that does not exist', async () => {
    await expect(runMinimalExample(join(workspace, 'absent.bin'))).rejects.toSatisfy((error) => PipelineError.is(error, 'InputError'));
  });
});

describe('the built app (node dist/main.js [FILE])', () => {
  it('prints sizes, the round trip and the missing-plugin error', () => {
    const main = join(exampleDir, 'dist/main.js');
    expect(existsSync(main), `${main} (run \`pnpm build\` first)`).toBe(true);
    const file = inputFile('app-input.txt', compressibleBytes(300_000));
    const run = spawnSync(process.execPath, [main, file], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`input      ${file} (300000 bytes)`);
    expect(run.stdout).toMatch(/container {2}\d+ bytes, ratio \d+\.\d\d \(zstd\)/);
    expect(run.stdout).toContain('restored   identical bytes');
    expect(run.stdout).toContain('missing plugin -> ExecutorNotFound: ');
    expect(run.stdout).toContain('install adapipe-plugin-example-missing');
  });
});

describe('what the app installs', () => {
  it('depends on core and the compression plugin only (plus inversify and reflect-metadata)', () => {
    const manifest = JSON.parse(readFileSync(join(exampleDir, 'package.json'), 'utf8')) as Record<
      string,
      Record<string, string> | undefined
    >;
    expect(Object.keys(manifest.dependencies ?? {}).sort()).toEqual([
      '@adapipe/core',
      '@adapipe/plugin-compression',
      'inversify',
      'reflect-metadata',
    ]);
    expect(manifest.devDependencies).toBeUndefined();
    expect(manifest.peerDependencies).toBeUndefined();
  });

  it('imports no other @adapipe package anywhere in src', () => {
    const dir = join(exampleDir, 'src');
    const imported = readdirSync(dir)
      .filter((name) => name.endsWith('.ts'))
      .flatMap((name) => [...readFileSync(join(dir, name), 'utf8').matchAll(/['"](@adapipe\/[^/'"]+)/g)].map((match) => match[1]!));
    expect(imported).toContain('@adapipe/plugin-compression');
    expect(new Set(imported)).toEqual(new Set(['@adapipe/core', '@adapipe/plugin-compression']));
  });
});
