import type { Dirent, Stats } from 'node:fs';
import { lstat, opendir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { DirectoryOptions } from '../program/directory-options.js';

/** One input of a batch: where it is, and where it sits under the directory it was found in. */
export interface BatchInput {
  /** The path to read, as named or as found under a named directory. */
  readonly path: string;
  /**
   * Its path relative to the directory `-r` found it in (`guide/intro.md` for
   * `docs/guide/intro.md` under `docs`), or its base name when it was named itself; outputs
   * under `--output-dir` are placed by it. Never absolute, never with `..`.
   */
  readonly relative: string;
  /** Its size in bytes, when it was found by a walk (named files are sized by their run). */
  readonly size?: number;
}

/**
 * Whether a file found in a directory is taken, by its name: `true`, or why it is left out (a line
 * to note; `''` leaves it out silently). Process leaves out containers, restore takes only them.
 */
export type AcceptFile = (name: string) => true | string;

/** How a walk treats directories (`-r`, `--follow-symlinks`: named links are always followed), what it takes, and where its notes go. */
interface CollectOptions {
  readonly recursive: boolean;
  readonly followSymlinks: boolean;
  readonly accept: AcceptFile;
  readonly note: (line: string) => void;
}

/** A named input that cannot be an input: a directory without `-r`. */
export interface RefusedInput {
  readonly path: string;
  readonly reason: string;
}

/**
 * The files a batch reads, in the order given, each directory's entries sorted by name. Named
 * files are taken as they are (their run reports a missing file); `-` stays stdin. Named directories are walked
 * with `-r`, else refused. In a walk, regular files pass through `accept`; symbolic links
 * are noted (through `note`) and left out unless `--follow-symlinks` (a directory reached twice is noted once and
 * not walked again); FIFOs, sockets and devices are noted and left out.
 */
export async function collectBatchInputs(
  named: readonly string[],
  directories: DirectoryOptions,
  accept: AcceptFile,
  note: (line: string) => void,
): Promise<{ inputs: BatchInput[]; refused: RefusedInput[] }> {
  const options: CollectOptions = {
    recursive: directories.recursive === true,
    followSymlinks: directories.followSymlinks === true,
    accept,
    note,
  };
  const inputs: BatchInput[] = [];
  const refused: RefusedInput[] = [];
  for (const path of named) {
    const info = path === '-' ? undefined : await stat(path).catch(() => undefined);
    if (info?.isDirectory() !== true) {
      inputs.push({ path, relative: basename(path), ...(info === undefined ? {} : { size: info.size }) });
    } else if (!options.recursive) {
      refused.push({ path, reason: 'is a directory; use -r to read the files under it' });
    } else {
      await walk(path, '', options, new Set([identity(info)]), { inputs, refused });
    }
  }
  return { inputs, refused };
}

interface Found {
  readonly inputs: BatchInput[];
  readonly refused: RefusedInput[];
}

async function walk(directory: string, prefix: string, options: CollectOptions, seen: Set<string>, found: Found): Promise<void> {
  const entries: Dirent[] = [];
  try {
    for await (const entry of await opendir(directory)) entries.push(entry);
  } catch (error) {
    found.refused.push({ path: directory, reason: `cannot read the directory (${(error as NodeJS.ErrnoException).code ?? error})` });
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(directory, entry.name);
    const relative = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    let info: Stats | undefined = await lstat(path).catch(() => undefined);
    if (info === undefined) continue; // removed since the directory was listed
    if (info.isSymbolicLink()) {
      if (!options.followSymlinks) {
        options.note(`${path}: a symbolic link, left out (--follow-symlinks follows links)`);
        continue;
      }
      const target = await stat(path).catch(() => undefined);
      if (target === undefined) {
        options.note(`${path}: a symbolic link to nothing, left out`);
        continue;
      }
      info = target;
    }
    if (info.isDirectory()) {
      const id = identity(info);
      if (seen.has(id)) {
        options.note(`${path}: a directory already read (a link loop), left out`);
        continue;
      }
      seen.add(id);
      await walk(path, relative, options, seen, found);
    } else if (info.isFile()) {
      const taken = options.accept(entry.name);
      if (taken === true) found.inputs.push({ path, relative, size: info.size });
      else if (taken !== '') options.note(`${path}: ${taken}, left out`);
    } else {
      options.note(`${path}: ${specialKind(info)}, left out`);
    }
  }
}

function identity(info: Stats): string {
  return `${info.dev}:${info.ino}`;
}

function specialKind(info: Stats): string {
  if (info.isFIFO()) return 'a FIFO';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

/** {@link CollectOptions.accept} for commands that read containers: `*.adapipe` files only, others left out silently. */
export function takeContainers(name: string): true | string {
  return name.endsWith('.adapipe') || '';
}
