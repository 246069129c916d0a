import { type FileAttributes, fileModeProblem, fileTimeProblem } from '../domain/file-attributes.js';
import { PipelineError } from '../errors/pipeline-error.js';
import { MAX_JSON_NESTING, nestsDeeperThan } from './json-nesting.js';

/** The last record of a container: what restore checks the whole output against. */
export interface ContainerTrailer {
  /** How many chunk records precede the trailer. */
  readonly chunkCount: number;
  /** The size of the original input in bytes. */
  readonly originalSize: number;
  /** The digest of the original input, hex, in the header's `digestAlgorithm`. */
  readonly digest: string;
  /** The original's base name, or `null` when it came from a stream. */
  readonly name: string | null;
  /** Each checksum stage's whole-stream digest, hex, by stage name. */
  readonly checksums: Readonly<Record<string, string>>;
  /**
   * The original's permission bits (0–0o777, never setuid, setgid or sticky), when it was a file
   * whose attributes were recorded; absent for a stream and in containers written before. Present
   * exactly when {@link mtimeMs} is.
   */
  readonly mode?: number;
  /** The original's modification time, milliseconds since the epoch (may be fractional); as {@link mode}. */
  readonly mtimeMs?: number;
}

/** The mode and modification time `trailer` records, or `undefined` when it records none. */
export function trailerAttributes(trailer: ContainerTrailer): FileAttributes | undefined {
  return trailer.mode === undefined || trailer.mtimeMs === undefined ? undefined : { mode: trailer.mode, mtimeMs: trailer.mtimeMs };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** The trailer as UTF-8 JSON; `mode` and `mtimeMs` come last, and only when present. */
export function encodeContainerTrailer(trailer: ContainerTrailer): Uint8Array {
  const { chunkCount, originalSize, digest, name, checksums, mode, mtimeMs } = trailer;
  if ((mode === undefined) !== (mtimeMs === undefined)) {
    throw new PipelineError('Internal', 'A trailer records both mode and mtimeMs or neither');
  }
  const attributes = mode === undefined ? {} : { mode, mtimeMs };
  return encoder.encode(JSON.stringify({ chunkCount, originalSize, digest, name, checksums, ...attributes }));
}

/**
 * Parses and validates trailer bytes.
 *
 * @throws {PipelineError} `CorruptContainer` naming `where` and the field.
 */
export function decodeContainerTrailer(bytes: Uint8Array, where: string): ContainerTrailer {
  const fail = (reason: string): never => {
    throw new PipelineError('CorruptContainer', `${where}: trailer ${reason}`);
  };
  let json: unknown;
  let text = '';
  try {
    text = decoder.decode(bytes);
  } catch {
    fail('is not valid UTF-8 JSON');
  }
  if (nestsDeeperThan(text, MAX_JSON_NESTING)) fail(`JSON nests deeper than ${MAX_JSON_NESTING} levels`);
  try {
    json = JSON.parse(text);
  } catch {
    fail('is not valid UTF-8 JSON');
  }
  if (typeof json !== 'object' || json === null) fail('is not an object');
  const trailer = json as Record<string, unknown>;
  const count = (field: string): number => {
    const value = trailer[field];
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) fail(`field '${field}' must be a whole number`);
    return value as number;
  };
  const digest = trailer.digest;
  if (typeof digest !== 'string' || !/^[0-9a-f]{64}$/.test(digest)) fail(`field 'digest' must be 64 hex digits`);
  const name = trailer.name;
  if (name !== null && typeof name !== 'string') fail(`field 'name' must be a string or null`);
  const checksums = trailer.checksums;
  if (typeof checksums !== 'object' || checksums === null) fail(`field 'checksums' must be an object`);
  for (const [stage, value] of Object.entries(checksums as object)) {
    if (typeof value !== 'string' || !/^[0-9a-f]+$/.test(value)) fail(`checksum of stage '${stage}' must be hex`);
  }
  const { mode, mtimeMs } = trailer;
  if (mode !== undefined || mtimeMs !== undefined) {
    if (mode === undefined) fail(`field 'mode' is missing (it comes with 'mtimeMs')`);
    if (mtimeMs === undefined) fail(`field 'mtimeMs' is missing (it comes with 'mode')`);
    const modeProblem = fileModeProblem(mode);
    if (modeProblem !== undefined) fail(`field 'mode' ${modeProblem}`);
    const timeProblem = fileTimeProblem(mtimeMs);
    if (timeProblem !== undefined) fail(`field 'mtimeMs' ${timeProblem}`);
  }
  return {
    chunkCount: count('chunkCount'),
    originalSize: count('originalSize'),
    digest: digest as string,
    name: name as string | null,
    checksums: checksums as Record<string, string>,
    ...(mode === undefined ? {} : { mode: mode as number, mtimeMs: mtimeMs as number }),
  };
}
