import { resolve } from 'node:path';
import { type Pipeline, PipelineError, type PipelineRepository, type PipelineSummary } from '@adapipe/core';
import type { Database, Statement } from 'better-sqlite3';
import { MEMORY_PATH, openSqliteDatabase } from './open-sqlite-database.js';
import { type PipelineRow, pipelineFromRows, pipelineToRows, type StageRow } from './pipeline-rows.js';
import { migrateSchema } from './sqlite-schema.js';
import { resolveRepositoryArguments, type SqlitePipelineRepositoryOptions } from './sqlite-store-options.js';
import { toStoreError } from './to-store-error.js';

/** The `meta` key recording when {@link SqlitePipelineRepository.seedDefaults} ran. */
export const DEFAULTS_SEEDED_KEY = 'defaults_seeded_at';

interface Statements {
  readonly pipelineByName: Statement<[string], PipelineRow>;
  readonly pipelineById: Statement<[string], PipelineRow>;
  readonly stagesOf: Statement<[string], StageRow>;
  readonly summaries: Statement<[], { name: string; stage_count: number; created_at: string; updated_at: string }>;
  readonly insertPipeline: Statement<[PipelineRow]>;
  readonly insertStage: Statement<[StageRow]>;
  readonly deleteByName: Statement<[string]>;
  readonly metaValue: Statement<[string], { value: string }>;
  readonly setMeta: Statement<[string, string]>;
}

interface Connection {
  readonly db: Database;
  readonly statements: Statements;
}

/**
 * The {@link PipelineRepository} of the `adapipe` CLI: pipelines in one SQLite file, safe to share
 * between processes running at the same time.
 *
 * The file is opened on first use (so constructing the repository, or resolving it from a container,
 * never touches the disk): missing parent folders are created, the connection uses the WAL journal,
 * a busy timeout and foreign keys, and the schema is migrated in one `BEGIN IMMEDIATE` transaction.
 * Every write is one `BEGIN IMMEDIATE` transaction, so concurrent writers queue instead of failing.
 * Methods are async over better-sqlite3's synchronous calls; failures arrive as rejected promises.
 *
 * Each pipeline is a `pipelines` row (id, unique name, times and the full `toJSON()` document as
 * `definition`) plus one `pipeline_stages` row per stage, which is what {@link findByName} reads back.
 * Deletion is a hard delete (stage rows cascade), so a deleted name can be used again.
 *
 * @example
 * ```ts
 * const repository = new SqlitePipelineRepository(defaultDatabasePath());
 * await repository.seedDefaults([securePipeline]);
 * console.log((await repository.list()).map((summary) => summary.name));
 * repository.close();
 * ```
 */
export class SqlitePipelineRepository implements PipelineRepository {
  /** The database file (absolute), or `':memory:'`. */
  readonly path: string;
  /** How long, in ms, a statement waits for another process's lock. */
  readonly busyTimeoutMs: number;
  #connection: Connection | undefined;
  #closed = false;

  /**
   * @param path the database file (relative paths resolve against the working folder) or `':memory:'`.
   * @throws {TypeError|RangeError} naming the argument when `path` or `options` is invalid.
   */
  constructor(path: string, options: SqlitePipelineRepositoryOptions = {}) {
    const checked = resolveRepositoryArguments(path, options);
    this.path = checked.path === MEMORY_PATH ? checked.path : resolve(checked.path);
    this.busyTimeoutMs = checked.busyTimeoutMs;
  }

  /**
   * Stores a new pipeline.
   *
   * @throws {PipelineError} `InvalidConfiguration` naming the pipeline when its name (or its id) is
   * already stored or it fails validation, `IncompatibleStages` from validation, `IoError` when
   * SQLite fails.
   */
  async create(pipeline: Pipeline): Promise<void> {
    requirePipeline(pipeline, 'pipeline');
    pipeline.validate();
    this.#run(`create pipeline '${pipeline.name}'`, ({ db, statements }) => {
      db.transaction(() => this.#insert(statements, pipeline)).immediate();
    });
  }

  /**
   * Stores a pipeline, replacing the one of the same name (its stage rows included) in one
   * transaction.
   *
   * @throws {PipelineError} `InvalidConfiguration` when the pipeline's id is stored under another
   * name or it fails validation, `IncompatibleStages` from validation, `IoError` when SQLite fails.
   */
  async save(pipeline: Pipeline): Promise<void> {
    requirePipeline(pipeline, 'pipeline');
    pipeline.validate();
    this.#run(`save pipeline '${pipeline.name}'`, ({ db, statements }) => {
      db.transaction(() => {
        statements.deleteByName.run(pipeline.name);
        this.#insert(statements, pipeline);
      }).immediate();
    });
  }

  /**
   * The pipeline of that name, rebuilt from its rows, or `undefined`.
   *
   * @throws {PipelineError} `IoError` when SQLite fails; `InvalidConfiguration` naming the pipeline
   * and the file when its stored rows no longer describe a valid pipeline.
   */
  async findByName(name: string): Promise<Pipeline | undefined> {
    requireName(name);
    return this.#run(`read pipeline '${name}'`, ({ db, statements }) => {
      const rows = db.transaction(() => {
        const row = statements.pipelineByName.get(name);
        return row === undefined ? undefined : { row, stages: statements.stagesOf.all(row.id) };
      })();
      if (rows === undefined) return undefined;
      try {
        return pipelineFromRows(rows.row, rows.stages);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new PipelineError(
          PipelineError.is(error) ? error.kind : 'InvalidConfiguration',
          `Pipeline '${name}' stored in ${this.path} is no longer valid: ${reason}; save it again or delete it`,
          { cause: error },
        );
      }
    });
  }

  /**
   * Every stored pipeline, sorted by name (binary order).
   *
   * @throws {PipelineError} `IoError` when SQLite fails.
   */
  async list(): Promise<PipelineSummary[]> {
    return this.#run('list pipelines', ({ statements }) =>
      statements.summaries.all().map((row) => ({
        name: row.name,
        stageCount: row.stage_count,
        createdAt: new Date(row.created_at),
        updatedAt: new Date(row.updated_at),
      })),
    );
  }

  /**
   * Deletes the pipeline of that name and its stages; returns whether there was one.
   *
   * @throws {PipelineError} `IoError` when SQLite fails.
   */
  async delete(name: string): Promise<boolean> {
    requireName(name);
    return this.#run(`delete pipeline '${name}'`, ({ db, statements }) =>
      db.transaction(() => statements.deleteByName.run(name).changes > 0).immediate(),
    );
  }

  /**
   * Stores `pipelines` the first time the database is seeded, and never again: in one
   * `BEGIN IMMEDIATE` transaction it checks and sets the `meta` key `defaults_seeded_at`. A name
   * that is already stored keeps its pipeline. A default the user deleted stays deleted, and two
   * processes seeding at once store each default once.
   *
   * @returns the names stored now, empty when the database had been seeded before.
   * @throws {TypeError} when `pipelines` is not an array of pipelines.
   * @throws {PipelineError} `InvalidConfiguration` when two defaults share a name or one fails
   * validation (nothing is stored then), `IoError` when SQLite fails.
   */
  async seedDefaults(pipelines: readonly Pipeline[]): Promise<string[]> {
    if (!Array.isArray(pipelines)) {
      throw new TypeError(`pipelines must be an array of Pipeline, found ${pipelines === null ? 'null' : typeof pipelines}`);
    }
    pipelines.forEach((pipeline, index) => {
      requirePipeline(pipeline, `pipelines[${index}]`);
    });
    const names = new Set<string>();
    for (const pipeline of pipelines) {
      if (names.has(pipeline.name)) {
        throw new PipelineError('InvalidConfiguration', `Default pipelines name '${pipeline.name}' twice; names must be unique`);
      }
      names.add(pipeline.name);
      pipeline.validate();
    }
    return this.#run('seed the default pipelines', ({ db, statements }) =>
      db
        .transaction((): string[] => {
          if (statements.metaValue.get(DEFAULTS_SEEDED_KEY) !== undefined) return [];
          const stored = pipelines.filter((pipeline) => statements.pipelineByName.get(pipeline.name) === undefined);
          for (const pipeline of stored) this.#insert(statements, pipeline);
          statements.setMeta.run(DEFAULTS_SEEDED_KEY, new Date().toISOString());
          return stored.map((pipeline) => pipeline.name);
        })
        .immediate(),
    );
  }

  /**
   * Closes the database connection (checkpointing the WAL). Safe to call more than once; later
   * calls to other methods reject with `IoError`.
   */
  close(): void {
    this.#closed = true;
    const connection = this.#connection;
    this.#connection = undefined;
    connection?.db.close();
  }

  #insert(statements: Statements, pipeline: Pipeline): void {
    const rows = pipelineToRows(pipeline);
    if (statements.pipelineByName.get(rows.pipeline.name) !== undefined) {
      throw new PipelineError(
        'InvalidConfiguration',
        `Pipeline '${pipeline.name}' already exists in ${this.path}; choose another name, or delete the stored one first`,
      );
    }
    const sameId = statements.pipelineById.get(rows.pipeline.id);
    if (sameId !== undefined) {
      throw new PipelineError(
        'InvalidConfiguration',
        `Pipeline '${pipeline.name}' has id ${rows.pipeline.id}, which ${this.path} already stores as pipeline '${sameId.name}'; build the copy with new Pipeline(…) so it gets its own id`,
      );
    }
    statements.insertPipeline.run(rows.pipeline);
    for (const stage of rows.stages) statements.insertStage.run(stage);
  }

  #run<T>(action: string, work: (connection: Connection) => T): T {
    const connection = this.#open();
    try {
      return work(connection);
    } catch (error) {
      throw toStoreError(error, this.path, action, this.busyTimeoutMs);
    }
  }

  #open(): Connection {
    if (this.#connection !== undefined) return this.#connection;
    if (this.#closed) {
      throw new PipelineError('IoError', `Pipeline store ${this.path} is closed; create a new SqlitePipelineRepository to use it again`);
    }
    try {
      const db = openSqliteDatabase(this.path, this.busyTimeoutMs);
      try {
        migrateSchema(db, this.path);
        this.#connection = { db, statements: prepareStatements(db) };
        return this.#connection;
      } catch (error) {
        db.close();
        throw error;
      }
    } catch (error) {
      throw toStoreError(error, this.path, 'open the database', this.busyTimeoutMs);
    }
  }
}

function prepareStatements(db: Database): Statements {
  return {
    pipelineByName: db.prepare('SELECT id, name, created_at, updated_at, definition FROM pipelines WHERE name = ?'),
    pipelineById: db.prepare('SELECT id, name, created_at, updated_at, definition FROM pipelines WHERE id = ?'),
    stagesOf: db.prepare('SELECT * FROM pipeline_stages WHERE pipeline_id = ? ORDER BY position'),
    summaries: db.prepare(`
      SELECT p.name, p.created_at, p.updated_at,
             (SELECT count(*) FROM pipeline_stages s WHERE s.pipeline_id = p.id) AS stage_count
      FROM pipelines p ORDER BY p.name`),
    insertPipeline: db.prepare(`
      INSERT INTO pipelines (id, name, created_at, updated_at, definition)
      VALUES (@id, @name, @created_at, @updated_at, @definition)`),
    insertStage: db.prepare(`
      INSERT INTO pipeline_stages (pipeline_id, position, id, name, stage_type, algorithm, parameters,
                                   parallel_processing, chunk_size, enabled, created_at, updated_at)
      VALUES (@pipeline_id, @position, @id, @name, @stage_type, @algorithm, @parameters,
              @parallel_processing, @chunk_size, @enabled, @created_at, @updated_at)`),
    deleteByName: db.prepare('DELETE FROM pipelines WHERE name = ?'),
    metaValue: db.prepare('SELECT value FROM meta WHERE key = ?'),
    setMeta: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
  };
}

function requirePipeline(value: unknown, label: string): asserts value is Pipeline {
  const candidate = value as Partial<Pipeline> | null | undefined;
  if (typeof candidate?.toJSON !== 'function' || typeof candidate.validate !== 'function' || typeof candidate.name !== 'string') {
    throw new TypeError(`${label} must be a Pipeline from @adapipe/core, found ${value === null ? 'null' : typeof value}`);
  }
}

function requireName(value: unknown): asserts value is string {
  if (typeof value !== 'string') {
    throw new TypeError(`name must be a pipeline name (a string), found ${value === null ? 'null' : typeof value}`);
  }
}
