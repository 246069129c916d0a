import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type Database from 'better-sqlite3';

/** The path that makes SQLite keep the database in memory. */
export const MEMORY_PATH = ':memory:';

/**
 * Opens (creating it and its parent folders when missing) a database for use by several processes
 * at once: a busy timeout so a locked database is waited for rather than refused, the WAL journal
 * so readers and a writer do not block each other, `synchronous = NORMAL` (durable at each WAL
 * checkpoint, never corrupt) and foreign keys on. The connection is closed again if a setting fails.
 *
 * @throws the error of `mkdir` or SQLite; the caller translates it.
 */
export function openSqliteDatabase(path: string, busyTimeoutMs: number): Database.Database {
  if (path !== MEMORY_PATH) mkdirSync(dirname(path), { recursive: true });
  const db = new (betterSqlite3())(path, { timeout: busyTimeoutMs });
  try {
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    if (path !== MEMORY_PATH) enableWal(db, busyTimeoutMs);
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Switches a file to the WAL journal. SQLite answers `SQLITE_BUSY` at once, without calling the
 * busy handler, when another process is switching the same new file, so this retries with a short
 * back-off until `busyTimeoutMs` has passed.
 */
function enableWal(db: Database.Database, busyTimeoutMs: number): void {
  const deadline = performance.now() + busyTimeoutMs;
  for (let delayMs = 1; ; delayMs = Math.min(delayMs * 2, 50)) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      if (!isBusy(error) || performance.now() + delayMs > deadline) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, delayMs);
    }
  }
}

function isBusy(error: unknown): boolean {
  return String((error as { code?: unknown } | null)?.code).startsWith('SQLITE_BUSY');
}

/** better-sqlite3 (CommonJS), loaded when the first database opens, so importing this package stays cheap. */
function betterSqlite3(): typeof Database {
  return createRequire(import.meta.url)('better-sqlite3') as typeof Database;
}
