import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Pipeline, PipelineError, StageConfiguration } from '@adapipe/core';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULTS_SEEDED_KEY, SqlitePipelineRepository } from './sqlite-pipeline-repository.js';
import { SCHEMA_VERSION } from './sqlite-schema.js';
import { checksumPipeline, richPipeline } from './test-support/pipeline-fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'adapipe-store-sqlite-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let folder: string;
let dbPath: string;
const opened: SqlitePipelineRepository[] = [];

beforeEach((context) => {
  folder = mkdtempSync(join(root, `${context.task.name.replace(/\W+/g, '-').slice(0, 40)}-`));
  dbPath = join(folder, 'pipelines.db');
});
afterEach(() => {
  for (const repository of opened.splice(0)) repository.close();
});

function repositoryAt(path = dbPath, busyTimeoutMs?: number): SqlitePipelineRepository {
  const repository = new SqlitePipelineRepository(path, busyTimeoutMs === undefined ? {} : { busyTimeoutMs });
  opened.push(repository);
  return repository;
}

/** A second, raw connection to inspect what the repository wrote. */
function inspect<T>(query: (db: Database.Database) => T, path = dbPath): T {
  const db = new Database(path, { readonly: true });
  try {
    return query(db);
  } finally {
    db.close();
  }
}

async function expectPipelineError(promise: Promise<unknown>, kind: string, ...fragments: string[]): Promise<PipelineError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(PipelineError.is(error, kind as never), `expected PipelineError ${kind}, got ${String(error)}`).toBe(true);
  for (const fragment of fragments) expect((error as Error).message).toContain(fragment);
  expect((error as Error).message).not.toContain('\n');
  return error as PipelineError;
}

describe('SqlitePipelineRepository round trip', () => {
  it('rebuilds a saved pipeline equal to the original: ids, times, configurations and enabled flags', async () => {
    const original = richPipeline();
    await repositoryAt().create(original);

    const found = await repositoryAt().findByName('secure-backup');
    expect(found).toBeInstanceOf(Pipeline);
    expect(found!.toJSON()).toEqual(original.toJSON());
    expect(found!.findStage('debug')!.enabled).toBe(false);
    expect(found!.findStage('compression')!.configuration.chunkSize).toBe(4 * 1024 * 1024);
    expect(found!.findStage('compression')!.configuration.parallelProcessing).toBe(false);
    expect(found!.findStage('debug')!.configuration.parameters).toEqual({ label: 'it\'s "quoted" ✓' });
  });

  it('rebuilds a pipeline without stages, and one that was edited after creation', async () => {
    const repository = repositoryAt();
    const empty = new Pipeline('empty');
    const edited = checksumPipeline('edited', 3);
    edited.reorderStage('checksum-2', 0);
    edited.removeStage('checksum-1');
    await repository.create(empty);
    await repository.create(edited);
    expect((await repository.findByName('empty'))!.toJSON()).toEqual(empty.toJSON());
    expect((await repository.findByName('edited'))!.toJSON()).toEqual(edited.toJSON());
  });

  it('works in memory', async () => {
    const repository = repositoryAt(':memory:');
    expect(repository.path).toBe(':memory:');
    const original = richPipeline();
    await repository.create(original);
    expect((await repository.findByName('secure-backup'))!.toJSON()).toEqual(original.toJSON());
    expect(await repository.list()).toHaveLength(1);
  });

  it('answers undefined for an unknown name, and compares names exactly', async () => {
    const repository = repositoryAt();
    await repository.create(checksumPipeline('Backup'));
    expect(await repository.findByName('backup')).toBeUndefined();
    expect(await repository.findByName('nope')).toBeUndefined();
  });

  it('stores the stages as queryable rows and the full JSON as the definition', async () => {
    const original = richPipeline();
    await repositoryAt().create(original);
    const { pipeline, stages } = inspect((db) => ({
      pipeline: db.prepare('SELECT * FROM pipelines').get() as Record<string, unknown>,
      stages: db.prepare('SELECT * FROM pipeline_stages ORDER BY position').all() as Record<string, unknown>[],
    }));
    const json = original.toJSON();
    expect(pipeline).toEqual({
      id: json.id,
      name: 'secure-backup',
      created_at: json.createdAt,
      updated_at: json.updatedAt,
      definition: JSON.stringify(json),
    });
    expect(
      stages.map((row) => [row.position, row.name, row.stage_type, row.algorithm, row.enabled, row.parallel_processing, row.chunk_size]),
    ).toEqual([
      [0, 'input-checksum', 'checksum', 'sha256', 1, 1, null],
      [1, 'compression', 'compression', 'zstd', 1, 0, 4 * 1024 * 1024],
      [2, 'encryption', 'encryption', 'aes-256-gcm', 1, 1, null],
      [3, 'debug', 'transform', 'debug', 0, 1, null],
      [4, 'output-checksum', 'checksum', 'blake3', 1, 1, null],
    ]);
    expect(JSON.parse(stages[1]!.parameters as string)).toEqual({ level: '9', window: '23' });
    expect(stages.map((row) => row.id)).toEqual(json.stages.map((stage) => stage.id));
    const users = inspect((db) =>
      db
        .prepare(`SELECT p.name FROM pipelines p JOIN pipeline_stages s ON s.pipeline_id = p.id
                  WHERE s.stage_type = 'encryption' AND s.algorithm = 'aes-256-gcm' AND s.enabled = 1`)
        .all(),
    );
    expect(users).toEqual([{ name: 'secure-backup' }]);
  });

  it('reads the stage rows back, not the definition', async () => {
    await repositoryAt().create(checksumPipeline('rows', 2));
    const db = new Database(dbPath);
    db.prepare("UPDATE pipeline_stages SET algorithm = 'sha512' WHERE position = 0").run();
    db.close();
    const found = await repositoryAt().findByName('rows');
    expect(found!.stages[0]!.algorithm).toBe('sha512');
  });
});

describe('SqlitePipelineRepository create, save, list, delete', () => {
  it('refuses to create a name that exists, naming it, and keeps the stored pipeline', async () => {
    const repository = repositoryAt();
    const first = checksumPipeline('nightly', 1);
    await repository.create(first);
    await expectPipelineError(
      repository.create(checksumPipeline('nightly', 3)),
      'InvalidConfiguration',
      "'nightly'",
      'already exists',
      dbPath,
    );
    expect((await repository.findByName('nightly'))!.toJSON()).toEqual(first.toJSON());
  });

  it('refuses a second pipeline with a stored id under another name', async () => {
    const repository = repositoryAt();
    const original = checksumPipeline('original', 1);
    await repository.create(original);
    const copy = Pipeline.fromJSON({ ...original.toJSON(), name: 'copy' });
    await expectPipelineError(repository.create(copy), 'InvalidConfiguration', "'copy'", original.id, "'original'");
    await expectPipelineError(repository.save(copy), 'InvalidConfiguration', "'copy'", original.id);
    expect((await repository.list()).map((summary) => summary.name)).toEqual(['original']);
  });

  it('validates before touching the database: a pipeline whose stages were made incompatible is refused', async () => {
    const repository = repositoryAt();
    const pipeline = richPipeline('broken');
    pipeline.findStage('debug')!.setEnabled(true);
    await expectPipelineError(repository.create(pipeline), 'IncompatibleStages', "'broken'");
    await expectPipelineError(repository.save(pipeline), 'IncompatibleStages', "'broken'");
    expect(existsSync(dbPath)).toBe(false);
    expect(await repository.list()).toEqual([]);
  });

  it('saves a new pipeline and replaces a stored one with its stage rows in one go', async () => {
    const repository = repositoryAt();
    await repository.save(checksumPipeline('weekly', 3));
    expect((await repository.list()).map((summary) => [summary.name, summary.stageCount])).toEqual([['weekly', 3]]);
    const replacement = checksumPipeline('weekly', 1);
    await repository.save(replacement);
    expect((await repository.findByName('weekly'))!.toJSON()).toEqual(replacement.toJSON());
    expect(inspect((db) => db.prepare('SELECT count(*) AS n FROM pipeline_stages').get())).toEqual({ n: 1 });
    expect(inspect((db) => db.prepare('SELECT count(*) AS n FROM pipelines').get())).toEqual({ n: 1 });
  });

  it('saves changes to a pipeline read back from the store', async () => {
    const repository = repositoryAt();
    await repository.create(richPipeline());
    const pipeline = (await repository.findByName('secure-backup'))!;
    pipeline.removeStage('debug');
    pipeline.findStage('compression')!.updateConfiguration(new StageConfiguration('brotli', { quality: '5' }));
    await repository.save(pipeline);
    const reloaded = (await repository.findByName('secure-backup'))!;
    expect(reloaded.toJSON()).toEqual(pipeline.toJSON());
    expect(reloaded.stages.map((stage) => stage.name)).toEqual(['input-checksum', 'compression', 'encryption', 'output-checksum']);
  });

  it('lists every pipeline sorted by name with stage counts and times', async () => {
    const repository = repositoryAt();
    const names = ['zeta', 'alpha', 'Mid', 'beta'];
    const pipelines = names.map((name, index) => checksumPipeline(name, index));
    for (const pipeline of pipelines) await repository.create(pipeline);
    const summaries = await repository.list();
    expect(summaries.map((summary) => summary.name)).toEqual(['Mid', 'alpha', 'beta', 'zeta']);
    expect(summaries.map((summary) => summary.stageCount)).toEqual([2, 1, 3, 0]);
    const alpha = pipelines[1]!;
    expect(summaries[1]!.createdAt).toEqual(alpha.createdAt);
    expect(summaries[1]!.updatedAt).toEqual(alpha.updatedAt);
  });

  it('hard-deletes a pipeline and its stages, so the name can be used again', async () => {
    const repository = repositoryAt();
    const first = checksumPipeline('temp', 3);
    await repository.create(first);
    await repository.create(checksumPipeline('other', 2));
    expect(await repository.delete('temp')).toBe(true);
    expect(await repository.findByName('temp')).toBeUndefined();
    expect(inspect((db) => db.prepare('SELECT count(*) AS n FROM pipeline_stages WHERE pipeline_id = ?').get(first.id))).toEqual({ n: 0 });
    expect(await repository.delete('temp')).toBe(false);

    const again = checksumPipeline('temp', 1);
    await repository.create(again);
    expect((await repository.findByName('temp'))!.toJSON()).toEqual(again.toJSON());
    expect((await repository.list()).map((summary) => summary.name)).toEqual(['other', 'temp']);
  });

  it('rejects arguments of the wrong type with TypeError', async () => {
    const repository = repositoryAt();
    await expect(repository.create({ name: 'x' } as never)).rejects.toThrow(TypeError);
    await expect(repository.save(undefined as never)).rejects.toThrow(/pipeline must be a Pipeline/);
    await expect(repository.findByName(42 as never)).rejects.toThrow(TypeError);
    await expect(repository.delete(null as never)).rejects.toThrow(TypeError);
    await expect(repository.seedDefaults('x' as never)).rejects.toThrow(TypeError);
  });
});

describe('SqlitePipelineRepository file handling', () => {
  it('touches nothing until first used, then creates missing parent folders', async () => {
    const nested = join(folder, 'a', 'b', 'c', 'pipelines.db');
    const repository = repositoryAt(nested);
    expect(existsSync(join(folder, 'a'))).toBe(false);
    expect(await repository.list()).toEqual([]);
    expect(statSync(nested).isFile()).toBe(true);
  });

  it('resolves a relative path against the working folder', () => {
    const relativePath = relative(process.cwd(), dbPath);
    expect(new SqlitePipelineRepository(relativePath).path).toBe(dbPath);
  });

  it('uses the WAL journal and migrates once to the current schema version', async () => {
    await repositoryAt().create(checksumPipeline('one'));
    await repositoryAt().list();
    expect(inspect((db) => db.pragma('journal_mode', { simple: true }))).toBe('wal');
    const versions = inspect((db) => db.prepare('SELECT version FROM schema_version').all());
    expect(versions).toEqual([{ version: SCHEMA_VERSION }]);
    const tables = inspect((db) =>
      (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((row) => row.name),
    );
    expect(tables).toEqual(['meta', 'pipeline_stages', 'pipelines', 'schema_version']);
  });

  it('refuses a database written by a newer schema', async () => {
    await repositoryAt().list();
    const db = new Database(dbPath);
    db.prepare('INSERT INTO schema_version (version, applied_at) VALUES (?, ?)').run(SCHEMA_VERSION + 1, new Date().toISOString());
    db.close();
    await expectPipelineError(repositoryAt().list(), 'UnsupportedFormat', dbPath, `schema version ${SCHEMA_VERSION + 1}`);
  });

  it('turns an unwritable location into IoError naming the path and the cause', async () => {
    const blocker = join(folder, 'not-a-folder');
    writeFileSync(blocker, 'a file where a folder should be');
    const inside = join(blocker, 'adapipe', 'pipelines.db');
    const repository = repositoryAt(inside);
    const error = await expectPipelineError(repository.list(), 'IoError', inside, 'ENOTDIR', 'open the database');
    expect(error.cause).toBeInstanceOf(Error);

    mkdirSync(join(folder, 'a-folder.db'));
    await expectPipelineError(
      repositoryAt(join(folder, 'a-folder.db')).create(checksumPipeline('x')),
      'IoError',
      'a-folder.db',
      'SQLITE_CANTOPEN',
      'open the database',
    );
  });

  it('turns a file that is not a database into IoError naming the path and the cause', async () => {
    writeFileSync(dbPath, 'name,stages\nbackup,sha256\n'.repeat(200));
    await expectPipelineError(repositoryAt().list(), 'IoError', dbPath, 'not a database', 'SQLITE_NOTADB');
  });

  it('turns a corrupt database into IoError naming the path and the cause', async () => {
    const repository = repositoryAt();
    for (let index = 0; index < 20; index += 1) await repository.create(richPipeline(`p${index}`));
    repository.close();
    const size = statSync(dbPath).size;
    const fd = openSync(dbPath, 'r+');
    writeSync(fd, Buffer.alloc(size - 100, 0xab), 0, size - 100, 100);
    closeSync(fd);
    await expectPipelineError(repositoryAt().findByName('p3'), 'IoError', dbPath, 'SQLITE_CORRUPT', 'damaged');
  });

  it('waits busyTimeoutMs for a lock held by another connection, then fails with IoError', async () => {
    const repository = repositoryAt(dbPath, 200);
    await repository.list();
    const other = new Database(dbPath);
    other.exec('BEGIN IMMEDIATE');
    try {
      const started = performance.now();
      await expectPipelineError(repository.create(checksumPipeline('blocked')), 'IoError', 'SQLITE_BUSY', '200 ms', dbPath);
      expect(performance.now() - started).toBeGreaterThanOrEqual(180);
      expect(await repository.list()).toEqual([]);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    await repository.create(checksumPipeline('unblocked'));
    expect(await repository.findByName('unblocked')).toBeDefined();
  });

  it('keeps foreign keys on, so stage rows cannot point at a missing pipeline', async () => {
    const repository = repositoryAt();
    await repository.create(checksumPipeline('fk', 1));
    const db = new Database(dbPath);
    db.pragma('foreign_keys = ON');
    expect(() => db.prepare("UPDATE pipeline_stages SET pipeline_id = 'missing'").run()).toThrow(/FOREIGN KEY/);
    db.close();
  });

  it('reports stored rows that no longer describe a valid pipeline', async () => {
    await repositoryAt().create(checksumPipeline('tampered', 2));
    const db = new Database(dbPath);
    db.prepare("UPDATE pipeline_stages SET stage_type = 'teleport' WHERE position = 1").run();
    db.close();
    await expectPipelineError(repositoryAt().findByName('tampered'), 'InvalidConfiguration', "'tampered'", dbPath, 'teleport');
  });

  it('closes idempotently; later calls reject with IoError', async () => {
    const repository = repositoryAt();
    await repository.create(checksumPipeline('kept'));
    repository.close();
    repository.close();
    await expectPipelineError(repository.list(), 'IoError', 'closed', dbPath);
    expect(existsSync(`${dbPath}-wal`)).toBe(false);
    expect(await repositoryAt().findByName('kept')).toBeDefined();
  });

  it('validates its constructor arguments', () => {
    expect(() => new SqlitePipelineRepository(undefined as never)).toThrow(TypeError);
    expect(() => new SqlitePipelineRepository('')).toThrow(RangeError);
    expect(() => new SqlitePipelineRepository('a\0b')).toThrow(/NUL/);
    expect(() => new SqlitePipelineRepository(dbPath, { busyTimeoutMs: -1 })).toThrow(RangeError);
    expect(() => new SqlitePipelineRepository(dbPath, { busyTimeoutMs: 1.5 })).toThrow(/SqlitePipelineRepository: option 'busyTimeoutMs'/);
    expect(() => new SqlitePipelineRepository(dbPath, { busyTimeoutMs: '10' as never })).toThrow(TypeError);
    expect(() => new SqlitePipelineRepository(dbPath, null as never)).toThrow(TypeError);
    expect(new SqlitePipelineRepository(dbPath).busyTimeoutMs).toBe(5000);
  });
});

describe('SqlitePipelineRepository.seedDefaults', () => {
  const defaults = () => [checksumPipeline('secure-backup', 2), checksumPipeline('fast', 1)];

  it('stores the defaults the first time only, so a deleted default stays deleted', async () => {
    const repository = repositoryAt();
    const first = defaults();
    expect(await repository.seedDefaults(first)).toEqual(['secure-backup', 'fast']);
    expect((await repository.findByName('fast'))!.toJSON()).toEqual(first[1]!.toJSON());
    expect(await repository.delete('fast')).toBe(true);

    expect(await repository.seedDefaults(defaults())).toEqual([]);
    expect(await repositoryAt().seedDefaults(defaults())).toEqual([]);
    expect((await repository.list()).map((summary) => summary.name)).toEqual(['secure-backup']);
    const seededAt = inspect((db) => db.prepare('SELECT value FROM meta WHERE key = ?').get(DEFAULTS_SEEDED_KEY)) as { value: string };
    expect(Number.isNaN(Date.parse(seededAt.value))).toBe(false);
  });

  it('keeps a pipeline the user stored under a default name before seeding', async () => {
    const repository = repositoryAt();
    const mine = checksumPipeline('fast', 3);
    await repository.create(mine);
    expect(await repository.seedDefaults(defaults())).toEqual(['secure-backup']);
    expect((await repository.findByName('fast'))!.toJSON()).toEqual(mine.toJSON());
  });

  it('stores nothing and records nothing when one default cannot be stored', async () => {
    const repository = repositoryAt();
    const good = checksumPipeline('good', 1);
    const clash = Pipeline.fromJSON({ ...good.toJSON(), name: 'clash' });
    await expectPipelineError(repository.seedDefaults([good, clash]), 'InvalidConfiguration', "'clash'", good.id);
    expect(await repository.list()).toEqual([]);
    expect(inspect((db) => db.prepare('SELECT count(*) AS n FROM meta').get())).toEqual({ n: 0 });
    expect(await repository.seedDefaults([good])).toEqual(['good']);
  });

  it('refuses two defaults of one name before touching the database', async () => {
    const repository = repositoryAt();
    await expectPipelineError(
      repository.seedDefaults([checksumPipeline('twice'), checksumPipeline('twice')]),
      'InvalidConfiguration',
      "'twice'",
    );
    expect(existsSync(dbPath)).toBe(false);
  });

  it('accepts an empty list and still marks the database as seeded', async () => {
    const repository = repositoryAt();
    expect(await repository.seedDefaults([])).toEqual([]);
    expect(await repository.seedDefaults(defaults())).toEqual([]);
  });
});
