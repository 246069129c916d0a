import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';

/** What `adapipe benchmark` learned on this machine and `process` uses when not told otherwise. */
export interface Tuning {
  /** The chunk size that processed fastest, in bytes. */
  readonly chunkSize: number;
  /** The worker count that processed fastest. */
  readonly workers: number;
  /** The cores of the machine it was measured on; a tuning from another core count is ignored. */
  readonly cores: number;
  /** The pipeline it was measured with, as stage specs. */
  readonly stages: string;
  /** Its processing throughput, MB/s. */
  readonly processMBps: number;
  /** When it was measured (ISO 8601). */
  readonly measuredAt: string;
}

/** `tuning.json` beside the pipeline store (`--db`, `ADAPIPE_DB` or the user's data directory). */
export async function tuningPath(dbPath: string | undefined): Promise<string> {
  const store = dbPath ?? (await import('@adapipe/store-sqlite')).defaultDatabasePath(process.env);
  return join(dirname(store), 'tuning.json');
}

/** The saved tuning, or undefined when there is none, it is unreadable, or it is from other hardware. */
export async function loadTuning(path: string): Promise<Tuning | undefined> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const tuning = JSON.parse(text) as Partial<Tuning>;
    const valid =
      Number.isInteger(tuning.chunkSize) &&
      Number.isInteger(tuning.workers) &&
      (tuning.workers ?? 0) >= 1 &&
      tuning.cores === availableParallelism();
    return valid ? (tuning as Tuning) : undefined;
  } catch {
    return undefined;
  }
}

/** Saves `tuning` atomically (write beside, then rename). */
export async function saveTuning(path: string, tuning: Tuning): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(tuning, null, 2)}\n`);
  await rename(temporary, path);
}

/**
 * The chunk size to use for an input of `size` bytes: the tuned one once the input spans at least
 * four tuned chunks (so both workers stay busy), otherwise `fallback` (the adaptive policy's).
 */
export function tunedChunkSize(tuning: Tuning | undefined, size: number | undefined, fallback: number): number {
  if (tuning === undefined || (size !== undefined && size < 4 * tuning.chunkSize)) return fallback;
  return tuning.chunkSize;
}
