import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compressibleBytes } from '@adapipe/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { type CliWorkspace, createWorkspace, disposeWorkspaces, expectOneErrorLine, temporaryFiles } from './test-support/cli-harness.js';

// Issue 12.5: an input that changes while it is read. A test plugin changes `in.bin` when chunk 1
// of 64 passes its stage; with 4 chunks in flight (`--workers 2`) the reader is then far from the
// end, so the change always happens while the file is being read.

const mutatePlugin = fileURLToPath(new URL('../../packages/cli/test-support/mutate-input-plugin.mjs', import.meta.url));
const chunkSize = 65_536;
const size = 64 * chunkSize;
const original = compressibleBytes(size);

afterAll(() => disposeWorkspaces());

function processArgs(action: string, ...global: string[]): string[] {
  return [
    ...global,
    '--plugin',
    mutatePlugin,
    'process',
    '-i',
    'in.bin',
    '-o',
    'out.adapipe',
    '--chunk-size',
    '64K',
    '--workers',
    '2',
    '--stages',
    `checksum:sha256,transform:mutate-input:path=in.bin;chunk=1;action=${action},checksum:sha256`,
  ];
}

function grewMessage(grown: number): string {
  return `in.bin: the input grew while it was read (size ${size} at open, ${grown} now); only its first ${size} bytes were read`;
}

function withInput(): CliWorkspace {
  const workspace = createWorkspace('adapipe-cli-changing-');
  workspace.write('in.bin', original);
  return workspace;
}

describe.concurrent('issue 12.5: the input changes while it is read', () => {
  it.each([
    ['truncated to half', 'truncate', new RegExp(`the input changed while it was read \\(size ${size} at open, ${size / 2} now\\)`)],
    ['1 MiB rewritten in place', 'rewrite', new RegExp(`the input changed while it was read \\(size ${size} unchanged, but modified`)],
  ])('%s → 6, one line naming the file, no output, no temporary file', async (_name, action, cause) => {
    const workspace = withInput();
    const run = await workspace.run(processArgs(action));
    expect(run.code, run.stderr).toBe(6);
    expectOneErrorLine(run.stderr, 'in.bin', cause);
    expect(existsSync(workspace.path('out.adapipe'))).toBe(false);
    expect(temporaryFiles(workspace.dir)).toEqual([]);
  });

  it('appended to → 0 with one warning line; the container restores to the bytes present at open', async () => {
    const workspace = withInput();
    const run = await workspace.run(processArgs('append'));
    expect(run.code, run.stderr).toBe(0);
    const grown = statSync(workspace.path('in.bin')).size;
    expect(grown).toBeGreaterThan(size);
    expect(run.stderr).toBe(`adapipe: warning: ${grewMessage(grown)}\n`);
    const restored = await workspace.run(['--plugin', mutatePlugin, 'restore', '-i', 'out.adapipe', '-o', 'restored.bin']);
    expect(restored.code, restored.stderr).toBe(0);
    expect(workspace.read('restored.bin').equals(workspace.read('in.bin').subarray(0, size))).toBe(true);
    expect(workspace.read('restored.bin').equals(Buffer.from(original))).toBe(true);
  });

  it('appended to, under --json → 0, the warning as one JSON line on stderr, the result on stdout', async () => {
    const workspace = withInput();
    const run = await workspace.run(processArgs('append', '--json'));
    expect(run.code, run.stderr).toBe(0);
    const grown = statSync(workspace.path('in.bin')).size;
    expect(run.stderr.endsWith('\n') && run.stderr.split('\n').length === 2, run.stderr).toBe(true);
    expect(JSON.parse(run.stderr)).toEqual({ warning: { message: grewMessage(grown) } });
    expect(JSON.parse(run.stdout.toString())).toMatchObject({ command: 'process', bytesIn: size });
  });

  it('appended to, under --quiet → 0 and nothing on stderr', async () => {
    const workspace = withInput();
    const run = await workspace.run(processArgs('append', '--quiet'));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    expect(existsSync(workspace.path('out.adapipe'))).toBe(true);
  });
});
