import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlitePipelineRepository } from './sqlite-pipeline-repository.js';
import type { HammerReport } from './test-support/store-hammer.js';
import type { OpenerReport } from './test-support/store-opener.js';

const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));
const folder = mkdtempSync(join(tmpdir(), 'adapipe-store-multiprocess-'));
const hammerScript = join(folder, 'store-hammer.mjs');
const openerScript = join(folder, 'store-opener.mjs');
const rounds = 150;

/** Bundles the child scripts (and the repository source they import) so plain Node processes can run them. */
beforeAll(async () => {
  await build({
    entryPoints: {
      'store-hammer': join(packageDir, 'src/test-support/store-hammer.ts'),
      'store-opener': join(packageDir, 'src/test-support/store-opener.ts'),
    },
    bundle: true,
    outdir: folder,
    outExtension: { '.js': '.mjs' },
    format: 'esm',
    platform: 'node',
    target: 'node20',
    tsconfig: join(packageDir, 'tsconfig.json'),
    // Native and WebAssembly modules stay packages (core's BLAKE3, which the store never loads).
    external: ['better-sqlite3', '@napi-rs/blake-hash', 'hash-wasm'],
    logLevel: 'silent',
  });
}, 60_000);
afterAll(() => rmSync(folder, { recursive: true, force: true }));

interface Child<Report> {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  readonly report: Promise<Report>;
}

/** Forks a bundled child script; it says `ready`, waits for `go`, then sends one report object. */
function startChild<Report>(script: string, args: readonly string[], label: string): Child<Report> {
  const child = fork(script, args, {
    execArgv: [],
    env: { ...process.env, NODE_PATH: join(packageDir, 'node_modules') },
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr!.on('data', (data: Buffer) => (stderr += data.toString()));
  const ready = new Promise<void>((resolve, reject) => {
    child.once('message', (message) => (message === 'ready' ? resolve() : reject(new Error(`unexpected ${String(message)}`))));
    child.once('exit', (code) => reject(new Error(`${label} exited with ${code} before it was ready: ${stderr}`)));
  });
  const report = new Promise<Report>((resolve, reject) => {
    child.on('message', (message) => {
      if (typeof message === 'object' && message !== null) resolve(message as Report);
    });
    child.once('exit', (code) => reject(new Error(`${label} exited with ${code} without a report: ${stderr}`)));
  });
  return { child, ready, report };
}

/** Starts the children, waits until all are ready, then lets them go at once. */
async function runTogether<Report>(children: readonly Child<Report>[]): Promise<Report[]> {
  await Promise.all(children.map((child) => child.ready));
  for (const { child } of children) child.send('go');
  return Promise.all(children.map((child) => child.report));
}

describe('two processes sharing one database file', () => {
  it('create, list, save and delete concurrently without SQLITE_BUSY or lost writes, and seed once', async () => {
    const path = join(folder, 'shared', 'pipelines.db');
    const [left, right] = await runTogether(
      ['left', 'right'].map((prefix) => startChild<HammerReport>(hammerScript, [path, prefix, String(rounds)], `hammer ${prefix}`)),
    );

    expect(left!.errors).toEqual([]);
    expect(right!.errors).toEqual([]);
    expect([left!.seeded, right!.seeded].sort((a, b) => a.length - b.length)).toEqual([[], ['default-a', 'default-b']]);

    const contests = Array.from({ length: Math.ceil(rounds / 10) }, (_, index) => `contest-${index * 10}`);
    expect([...left!.contestsWon, ...right!.contestsWon].sort()).toEqual([...contests].sort());
    expect(left!.survivors).toHaveLength(rounds - Math.ceil(rounds / 3));

    const repository = new SqlitePipelineRepository(path);
    try {
      const summaries = await repository.list();
      const expected = [...left!.survivors, ...right!.survivors, ...contests, 'default-a', 'default-b', 'shared'];
      expect(summaries.map((summary) => summary.name)).toEqual([...expected].sort());
      for (const name of [...left!.survivors, ...right!.survivors]) {
        const round = Number(name.split('-')[1]);
        expect(summaries.find((summary) => summary.name === name)!.stageCount).toBe(round % 4);
      }
      const shared = (await repository.findByName('shared'))!;
      expect(shared.stages.length).toBeGreaterThanOrEqual(1);
      const db = new Database(path, { readonly: true });
      try {
        const { definition } = db.prepare("SELECT definition FROM pipelines WHERE name = 'shared'").get() as { definition: string };
        expect(shared.toJSON()).toEqual(JSON.parse(definition));
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(db.pragma('foreign_key_check')).toEqual([]);
        const { stages } = db.prepare('SELECT count(*) AS stages FROM pipeline_stages').get() as { stages: number };
        expect(stages).toBe(summaries.reduce((sum, summary) => sum + summary.stageCount, 0));
      } finally {
        db.close();
      }
    } finally {
      repository.close();
    }
  }, 60_000);

  it('open and seed fresh files at the same moment: each file migrates and seeds exactly once', async () => {
    const paths = Array.from({ length: 40 }, (_, index) => join(folder, 'fresh', `db-${index}`, 'pipelines.db'));
    const reports = await runTogether([1, 2, 3].map((index) => startChild<OpenerReport>(openerScript, paths, `opener ${index}`)));
    expect(reports.flatMap((report) => report.errors)).toEqual([]);
    expect(reports.flatMap((report) => report.seededPaths).sort()).toEqual([...paths].sort());
    for (const path of paths) {
      const db = new Database(path, { readonly: true });
      try {
        expect(db.prepare('SELECT name FROM pipelines').all()).toEqual([{ name: 'default' }]);
        expect(db.prepare('SELECT version FROM schema_version').all()).toEqual([{ version: 1 }]);
        expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      } finally {
        db.close();
      }
    }
  }, 60_000);
});
