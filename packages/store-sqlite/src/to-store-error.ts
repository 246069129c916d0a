import { PipelineError } from '@adapipe/core';

const locationHint = 'check that the folder exists (or can be created), is a folder and is writable, or choose another path (ADAPIPE_DB)';

/** Advice by SQLite primary result code or Node error code. */
const hints: Readonly<Record<string, string>> = {
  SQLITE_NOTADB: 'the file is not an SQLite database; choose another path (ADAPIPE_DB) or move the file aside',
  SQLITE_CORRUPT: 'the database file is damaged; move it aside to start afresh, or restore it from a backup',
  SQLITE_CANTOPEN: locationHint,
  SQLITE_READONLY: 'the database is read-only; make the file and its folder writable or choose another path',
  SQLITE_PERM: locationHint,
  SQLITE_IOERR: 'the disk or file system reported an error; check free space and the device',
  SQLITE_FULL: 'the disk is full; free some space',
  ENOSPC: 'the disk is full; free some space',
  ENOTDIR: locationHint,
  EACCES: locationHint,
  EPERM: locationHint,
  EROFS: locationHint,
  EEXIST: locationHint,
};

/**
 * Turns an error from SQLite or the file system into a one-line `PipelineError('IoError', …)` naming
 * the database path, what was being done, the cause and its code, and what to try. A
 * `PipelineError` is returned as it is.
 */
export function toStoreError(error: unknown, path: string, action: string, busyTimeoutMs: number): PipelineError {
  if (PipelineError.is(error)) return error;
  const code = errorCode(error);
  const primary = code?.replace(/^(SQLITE_[A-Z]+)_.*$/, '$1');
  const cause = error instanceof Error ? error.message : String(error);
  const hint =
    primary === 'SQLITE_BUSY' || primary === 'SQLITE_LOCKED'
      ? `another process kept the database locked for more than ${busyTimeoutMs} ms; retry, or raise busyTimeoutMs`
      : hints[primary ?? ''];
  return new PipelineError(
    'IoError',
    `Pipeline store ${path}: cannot ${action}: ${cause}${code === undefined ? '' : ` (${code})`}${hint === undefined ? '' : `; ${hint}`}`,
    { cause: error },
  );
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code } = error as { code?: unknown };
  return typeof code === 'string' ? code : undefined;
}
