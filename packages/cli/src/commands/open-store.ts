import type { PipelineRepository } from '@adapipe/core';
import type { SqlitePipelineRepository } from '@adapipe/store-sqlite';
import { defaultPipelines } from '../default-pipelines.js';

let opened: SqlitePipelineRepository | undefined;

/** The SQLite store (loaded on first use, so commands without it start faster) at `--db`, `ADAPIPE_DB` or the user's data directory, seeded on first use. */
export async function openStore(dbPath: string | undefined): Promise<PipelineRepository> {
  if (opened === undefined) {
    const { defaultDatabasePath, SqlitePipelineRepository } = await import('@adapipe/store-sqlite');
    opened = new SqlitePipelineRepository(dbPath ?? defaultDatabasePath(process.env));
    await opened.seedDefaults(defaultPipelines());
  }
  return opened;
}

/** Closes the store if it was opened. */
export function closeStore(): void {
  opened?.close();
  opened = undefined;
}
