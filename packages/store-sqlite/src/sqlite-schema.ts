import { PipelineError } from '@adapipe/core';
import type { Database } from 'better-sqlite3';

/** One step of the schema's history: the SQL that takes version `version - 1` to `version`. */
export interface SchemaMigration {
  readonly version: number;
  readonly description: string;
  readonly sql: string;
}

/** Every migration, oldest first. Never edit a released one; append a new version instead. */
export const schemaMigrations: readonly SchemaMigration[] = Object.freeze([
  {
    version: 1,
    description: 'pipelines, their stages and store metadata',
    sql: `
      CREATE TABLE pipelines (
        id          TEXT PRIMARY KEY NOT NULL,
        name        TEXT NOT NULL UNIQUE,
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL,
        definition  TEXT NOT NULL CHECK (json_valid(definition))
      ) STRICT;

      CREATE TABLE pipeline_stages (
        pipeline_id         TEXT NOT NULL REFERENCES pipelines (id) ON DELETE CASCADE,
        position            INTEGER NOT NULL CHECK (position >= 0),
        id                  TEXT NOT NULL,
        name                TEXT NOT NULL,
        stage_type          TEXT NOT NULL,
        algorithm           TEXT NOT NULL,
        parameters          TEXT NOT NULL CHECK (json_valid(parameters)),
        parallel_processing INTEGER NOT NULL CHECK (parallel_processing IN (0, 1)),
        chunk_size          INTEGER CHECK (chunk_size IS NULL OR chunk_size > 0),
        enabled             INTEGER NOT NULL CHECK (enabled IN (0, 1)),
        created_at          TEXT NOT NULL,
        updated_at          TEXT NOT NULL,
        PRIMARY KEY (pipeline_id, position),
        UNIQUE (pipeline_id, name)
      ) STRICT;

      CREATE INDEX pipeline_stages_by_algorithm ON pipeline_stages (stage_type, algorithm);

      CREATE TABLE meta (
        key   TEXT PRIMARY KEY NOT NULL,
        value TEXT NOT NULL
      ) STRICT;
    `,
  },
]);

/** The schema version this package writes and reads. */
export const SCHEMA_VERSION: number = schemaMigrations[schemaMigrations.length - 1]!.version;

/**
 * Brings the database up to {@link SCHEMA_VERSION} in one `BEGIN IMMEDIATE` transaction, so two
 * processes opening a fresh file at once migrate it exactly once. Each applied step is recorded in
 * `schema_version` with its time.
 *
 * @returns the versions applied, empty when the schema was current.
 * @throws {PipelineError} `UnsupportedFormat` when the database was written by a newer schema.
 */
export function migrateSchema(db: Database, path: string): number[] {
  return db
    .transaction((): number[] => {
      db.exec(`CREATE TABLE IF NOT EXISTS schema_version (
        version    INTEGER PRIMARY KEY NOT NULL,
        applied_at TEXT NOT NULL
      ) STRICT`);
      const { current } = db.prepare('SELECT coalesce(max(version), 0) AS current FROM schema_version').get() as {
        current: number;
      };
      if (current > SCHEMA_VERSION) {
        throw new PipelineError(
          'UnsupportedFormat',
          `Pipeline store ${path} has schema version ${current}, but this @adapipe/store-sqlite reads versions up to ${SCHEMA_VERSION}; upgrade adapipe or use another database file`,
        );
      }
      const record = db.prepare('INSERT INTO schema_version (version, applied_at) VALUES (?, ?)');
      const applied: number[] = [];
      for (const migration of schemaMigrations) {
        if (migration.version <= current) continue;
        db.exec(migration.sql);
        record.run(migration.version, new Date().toISOString());
        applied.push(migration.version);
      }
      return applied;
    })
    .immediate();
}
