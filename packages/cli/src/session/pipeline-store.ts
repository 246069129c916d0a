import type { PipelineRepository } from '@adapipe/core';
import type { SqlitePipelineRepository } from '@adapipe/store-sqlite';
import { defaultPipelines } from '../default-pipelines.js';

/**
 * The SQLite pipeline store of one invocation, opened (and seeded with the default pipelines) on
 * first use, so commands without it start faster: at `--db`, `ADAPIPE_DB` or the user's data directory.
 */
export class PipelineStore {
  #opened: Promise<SqlitePipelineRepository> | undefined;

  /** @param path `--db`, or `undefined` for `ADAPIPE_DB` or the user's data directory. */
  constructor(readonly path: string | undefined) {}

  /** The store, opened on the first call. */
  open(): Promise<PipelineRepository> {
    this.#opened ??= (async () => {
      const { defaultDatabasePath, SqlitePipelineRepository } = await import('@adapipe/store-sqlite');
      const store = new SqlitePipelineRepository(this.path ?? defaultDatabasePath(process.env));
      await store.seedDefaults(defaultPipelines());
      return store;
    })();
    return this.#opened;
  }

  /** Closes the store if it was opened. */
  async close(): Promise<void> {
    const opened = this.#opened;
    this.#opened = undefined;
    (await opened?.catch(() => undefined))?.close();
  }
}
