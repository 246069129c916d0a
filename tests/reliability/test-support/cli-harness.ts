import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { createRandom } from './seeded-random.mjs';
import { computeDigest } from '@adapipe/plugin-checksum';
import { recordCrc } from './container-framing.mjs';

/** The built `adapipe` command line every case runs. */
export const adapipeBin = fileURLToPath(new URL('../../../packages/cli/dist/bin/adapipe.js', import.meta.url));

/** How one run of the command line ended. */
export interface CliResult {
  /** The exit code, or `null` when a signal ended the process. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: Buffer;
  readonly stderr: string;
}

/** Options of one command-line run. */
export interface RunOptions {
  /** Extra environment (the workspace's `HOME` and `ADAPIPE_DB` are always set). */
  readonly env?: Readonly<Record<string, string>>;
  /** Bytes on standard input (default: none). */
  readonly stdin?: Uint8Array;
  /** Run under `ulimit -f` with this many KiB, so writing past it fails with `EFBIG`. */
  readonly fileSizeLimitKiB?: number;
}

/**
 * A fresh temporary directory for one case: `HOME` is its root, the pipeline store lives in
 * `state/`, and the files of the case (inputs, containers, outputs) in `files/`, the working
 * directory of every run, so paths in arguments and messages are short relative names.
 */
export interface CliWorkspace {
  readonly root: string;
  /** The working directory of every run, holding the case's files. */
  readonly dir: string;
  /** `files/<name>` as an absolute path. */
  path(name: string): string;
  /**
   * Writes `files/<name>` (creating parent folders) and returns its absolute path; `mode` for a
   * new file (a key or password file: 0o600, as adapipe warns about secret files others can read).
   */
  write(name: string, bytes: Uint8Array | string, mode?: number): string;
  /** The bytes of `files/<name>`. */
  read(name: string): Buffer;
  /** Runs `adapipe ARGS` in {@link CliWorkspace.dir} and waits for it to end. */
  run(args: readonly string[], options?: RunOptions): Promise<CliResult>;
  /** Starts `adapipe ARGS` in {@link CliWorkspace.dir} without waiting (for signals). */
  start(args: readonly string[], options?: RunOptions): ChildProcess;
  /** Removes the directory. */
  dispose(): void;
}

const live = new Set<CliWorkspace>();

/** A new {@link CliWorkspace} under the system temporary directory; see {@link disposeWorkspaces}. */
export function createWorkspace(prefix = 'adapipe-cli-catalogue-'): CliWorkspace {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const dir = join(root, 'files');
  mkdirSync(dir);
  mkdirSync(join(root, 'state'));
  const environment = (extra: Readonly<Record<string, string>> = {}) => ({
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: root,
    ADAPIPE_DB: join(root, 'state', 'pipelines.db'),
    ...extra,
  });
  const workspace: CliWorkspace = {
    root,
    dir,
    path: (name) => join(dir, name),
    write: (name, bytes, mode) => {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), bytes, mode === undefined ? {} : { mode });
      return join(dir, name);
    },
    read: (name) => readFileSync(join(dir, name)),
    run: (args, options = {}) => spawnLimit(() => finished(workspace.start(args, options))),
    start: (args, options = {}) => {
      const command = commandLine(args, options.fileSizeLimitKiB);
      const child = spawn(command[0]!, command.slice(1), { cwd: dir, env: environment(options.env), stdio: ['pipe', 'pipe', 'pipe'] });
      child.stdin.on('error', () => {});
      child.stdin.end(options.stdin ?? new Uint8Array());
      return child;
    },
    dispose: () => {
      live.delete(workspace);
      rmSync(root, { recursive: true, force: true });
    },
  };
  live.add(workspace);
  return workspace;
}

/** A new {@link createWorkspace} workspace holding `original.bin` and the key file `key` (mode 0o600). */
export function createKeyedWorkspace(prefix: string, original: Uint8Array, key: Uint8Array): CliWorkspace {
  const workspace = createWorkspace(prefix);
  workspace.write('original.bin', original);
  workspace.write('key', key, 0o600);
  return workspace;
}

/** Removes every workspace {@link createWorkspace} made and that is not yet disposed. */
export function disposeWorkspaces(): void {
  for (const workspace of [...live]) workspace.dispose();
}

function commandLine(args: readonly string[], fileSizeLimitKiB: number | undefined): string[] {
  if (fileSizeLimitKiB === undefined) return [process.execPath, adapipeBin, ...args];
  return ['/bin/bash', '-c', `ulimit -f ${fileSizeLimitKiB}; exec "$@"`, 'bash', process.execPath, adapipeBin, ...args];
}

/** Collects a child's output and resolves when it has exited and its streams are closed. */
export function finished(child: ChildProcess): Promise<CliResult> {
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout?.on('data', (data: Buffer) => stdout.push(data));
  child.stderr?.on('data', (data: Buffer) => stderr.push(data));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) =>
      resolve({ code, signal, stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr).toString() }),
    );
  });
}

const spawnSlots = Math.max(2, Number(process.env.ADAPIPE_CLI_CONCURRENCY ?? availableParallelism()));
let running = 0;
const waiting: (() => void)[] = [];

/** Runs `body` when fewer than `ADAPIPE_CLI_CONCURRENCY` (default: the core count) runs are going. */
async function spawnLimit<T>(body: () => Promise<T>): Promise<T> {
  if (running >= spawnSlots) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await body();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/** The SHA-256 of a file, hex. */
export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Every file under `dir` (relative path → SHA-256), and every folder (→ `dir`), sorted by path. */
export function directorySnapshot(dir: string): Record<string, string> {
  const snapshot: Record<string, string> = {};
  const walk = (folder: string) => {
    for (const name of readdirSync(folder).sort()) {
      const path = join(folder, name);
      const stats = lstatSync(path);
      if (stats.isDirectory()) {
        snapshot[`${relative(dir, path)}/`] = 'dir';
        walk(path);
      } else {
        snapshot[relative(dir, path)] = stats.isFile() ? sha256File(path) : 'other';
      }
    }
  };
  walk(dir);
  return snapshot;
}

/** The names of the atomic writer's temporary files (`.<name>.<hex>.tmp`) directly in `dir`. */
export function temporaryFiles(dir: string): string[] {
  return readdirSync(dir).filter((name) => /^\..+\.[0-9a-f]+\.tmp$/.test(name));
}

/**
 * Expects `stderr` to be exactly one line, `adapipe: …`, that names `file` (unless `undefined`) and
 * matches `cause`. Returns the line.
 */
export function expectOneErrorLine(stderr: string, file: string | undefined, cause: RegExp): string {
  const lines = stderr.split('\n');
  expect(lines.at(-1), `stderr does not end with a newline: ${JSON.stringify(stderr)}`).toBe('');
  expect(lines.length - 1, `stderr is not exactly one line: ${JSON.stringify(stderr)}`).toBe(1);
  const line = lines[0]!;
  expect(line).toMatch(/^adapipe: /);
  if (file !== undefined) expect(line, `the error does not name ${file}`).toContain(file);
  expect(line).toMatch(cause);
  return line;
}

/** A signal sent to a run once `when` holds (polled every few milliseconds). */
export interface Interruption {
  readonly signal: NodeJS.Signals;
  readonly when: () => boolean;
  /** Give up waiting after this long. Default 30 s. */
  readonly timeoutMs?: number;
}

/**
 * Starts `adapipe ARGS`, waits until `interruption.when()` holds, sends the signal and waits for the
 * run to end. Fails if the run ended before the condition held.
 */
export async function runInterrupted(
  workspace: CliWorkspace,
  args: readonly string[],
  interruption: Interruption,
  options: RunOptions = {},
): Promise<CliResult> {
  const child = workspace.start(args, options);
  const result = finished(child);
  const deadline = Date.now() + (interruption.timeoutMs ?? 30_000);
  while (!interruption.when()) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const early = await result;
      throw new Error(`adapipe ${args.join(' ')} ended (${early.code ?? early.signal}) before it could be interrupted: ${early.stderr}`);
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`adapipe ${args.join(' ')}: the condition to interrupt it never held`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  child.kill(interruption.signal);
  return result;
}

/** A refused run: what to run and what it must print. */
export interface Refusal extends RunOptions {
  readonly workspace: CliWorkspace;
  readonly args: readonly string[];
  /** The documented exit code. */
  readonly exitCode: number;
  /** The file the one error line must name (`undefined`: none is checked). */
  readonly file: string | undefined;
  /** The key words of the cause. */
  readonly cause: RegExp;
  /** The output path (relative to the workspace files): absent after the run, or unchanged if it existed. */
  readonly target?: string;
  /** The input (relative to the workspace files), which must be unchanged. */
  readonly input?: string;
  /** Interrupt the run with a signal instead of letting it end. */
  readonly interrupt?: Interruption;
}

/**
 * Runs a command that must be refused and checks all of the catalogue's promises: the exit code,
 * one error line naming the file and the cause, the target absent (or byte-identical when it
 * existed), no temporary file beside it, the input unchanged — and, to be sure, every file of the
 * workspace exactly as before. Returns the run.
 */
export async function expectRefused(refusal: Refusal): Promise<CliResult> {
  const { workspace, target, input } = refusal;
  const before = directorySnapshot(workspace.dir);
  const options: RunOptions = { env: refusal.env, stdin: refusal.stdin, fileSizeLimitKiB: refusal.fileSizeLimitKiB };
  const result =
    refusal.interrupt === undefined
      ? await workspace.run(refusal.args, options)
      : await runInterrupted(workspace, refusal.args, refusal.interrupt, options);
  const after = directorySnapshot(workspace.dir);
  expect(result.code, `adapipe ${refusal.args.join(' ')}: ${result.stderr}`).toBe(refusal.exitCode);
  expectOneErrorLine(result.stderr, refusal.file, refusal.cause);
  if (target !== undefined) {
    const targetPath = workspace.path(target);
    if (before[target] === undefined) expect(existsSync(targetPath), `${target} was written`).toBe(false);
    else expect(sha256File(targetPath), `${target} was changed`).toBe(before[target]);
    const targetDir = dirname(targetPath);
    if (existsSync(targetDir) && lstatSync(targetDir).isDirectory()) expect(temporaryFiles(targetDir)).toEqual([]);
  }
  if (input !== undefined) {
    expect(before[input], `${input} is not a file of the workspace`).toBeDefined();
    expect(after[input], `${input} was changed`).toBe(before[input]);
  }
  expect(temporaryFiles(workspace.dir)).toEqual([]);
  expect(after).toEqual(before);
  return result;
}

/** Fixed sizes of the container format (docs/container-format.md). */
export const ContainerFormat = {
  preambleLength: 16,
  headerLengthOffset: 12,
  flagsOffset: 10,
  flagEncrypted: 0x0001,
  headerDigestLength: 32,
  recordFixedLength: 14,
  recordCrcLength: 4,
  aeadTagLength: 16,
  chunkRecordType: 0x43,
  trailerRecordType: 0x54,
} as const;

/** Where one record lies in a container, byte offsets from its start. */
export interface RecordLayout {
  readonly type: 'chunk' | 'trailer';
  readonly sequence: number;
  readonly start: number;
  readonly metadataStart: number;
  readonly payloadStart: number;
  readonly crcStart: number;
  /** The first byte after the record. */
  readonly end: number;
}

/** Where the regions of a container lie, read from its bytes as docs/container-format.md describes. */
export interface ContainerLayout {
  readonly encrypted: boolean;
  readonly headerLength: number;
  readonly headerJsonStart: number;
  readonly checksumStart: number;
  /** Where the header MAC starts (encrypted containers only). */
  readonly macStart: number | undefined;
  /** The first byte after the header (checksum and MAC included). */
  readonly headerEnd: number;
  readonly chunks: readonly RecordLayout[];
  readonly trailer: RecordLayout;
  readonly length: number;
}

/**
 * The layout of a well-formed container: preamble, header JSON, checksum, MAC when the encrypted
 * flag is set, then records of 14 fixed bytes, metadata, payload and a CRC-32 up to the trailer.
 *
 * @throws {Error} when the bytes do not follow the format to the end.
 */
export function containerLayout(bytes: Uint8Array): ContainerLayout {
  const format = ContainerFormat;
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const encrypted = (view.readUInt16BE(format.flagsOffset) & format.flagEncrypted) !== 0;
  const headerLength = view.readUInt32BE(format.headerLengthOffset);
  const checksumStart = format.preambleLength + headerLength;
  const macStart = encrypted ? checksumStart + format.headerDigestLength : undefined;
  const headerEnd = checksumStart + format.headerDigestLength * (encrypted ? 2 : 1);
  const records: RecordLayout[] = [];
  for (let start = headerEnd; start < view.length; ) {
    const type = view[start];
    const metadataStart = start + format.recordFixedLength;
    const payloadStart = metadataStart + view.readUInt32BE(start + 6);
    const crcStart = payloadStart + view.readUInt32BE(start + 10);
    const record: RecordLayout = {
      type: type === format.trailerRecordType ? 'trailer' : 'chunk',
      sequence: view.readUInt32BE(start + 2),
      start,
      metadataStart,
      payloadStart,
      crcStart,
      end: crcStart + format.recordCrcLength,
    };
    if (type !== format.chunkRecordType && type !== format.trailerRecordType) throw new Error(`no record at byte ${start}`);
    records.push(record);
    start = record.end;
  }
  const trailer = records.pop();
  if (trailer?.type !== 'trailer' || trailer.end !== view.length) throw new Error('the container does not end with its trailer');
  return {
    encrypted,
    headerLength,
    headerJsonStart: format.preambleLength,
    checksumStart,
    macStart,
    headerEnd,
    chunks: records,
    trailer,
    length: view.length,
  };
}

/** The header JSON of a container, parsed. */
export function headerJson(bytes: Uint8Array): unknown {
  const layout = containerLayout(bytes);
  return JSON.parse(Buffer.from(bytes.subarray(layout.headerJsonStart, layout.checksumStart)).toString('utf8'));
}

/** A copy of `bytes` with bit `bit` (0 = least significant bit of byte 0) flipped. */
export function flipBit(bytes: Uint8Array, bit: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[bit >> 3]! ^= 1 << (bit & 7);
  return copy;
}

/**
 * A copy of `bytes` as a forger without the key would fix it up after damaging it: every record's
 * CRC-32 computed again over the header checksum and the record and, when `outerChecksumStage` is
 * given, that checksum stage's per-chunk digest in the clear metadata set to the payload's digest
 * (in the stage's algorithm, as the header names it). Damage then reaches the checks behind them
 * (AEAD tag, decompression, inner checksums).
 */
export async function withForgedRecordChecks(bytes: Uint8Array, outerChecksumStage?: string): Promise<Buffer> {
  const copy = Buffer.from(bytes);
  const layout = containerLayout(copy);
  const stages = (headerJson(copy) as { stages: { name: string; algorithm: string }[] }).stages;
  const outerAlgorithm = stages.find((stage) => stage.name === outerChecksumStage)?.algorithm;
  const framing = {
    headerDigest: copy.subarray(layout.checksumStart, layout.checksumStart + ContainerFormat.headerDigestLength),
    version: copy.readUInt16BE(8),
    flags: copy.readUInt16BE(ContainerFormat.flagsOffset),
  };
  for (const record of [...layout.chunks, layout.trailer]) {
    if (outerChecksumStage !== undefined && record.type === 'chunk') {
      const value = metadataEntry(copy.subarray(record.metadataStart, record.payloadStart), outerChecksumStage);
      value?.set(await computeDigest(outerAlgorithm!, copy.subarray(record.payloadStart, record.crcStart)));
    }
    const part = (from: number, to: number) => copy.subarray(from, to);
    const crc = recordCrc(
      framing,
      part(record.start, record.metadataStart),
      part(record.metadataStart, record.payloadStart),
      part(record.payloadStart, record.crcStart),
    );
    copy.writeUInt32BE(crc, record.crcStart);
  }
  return copy;
}

/** The value of entry `name` in encoded chunk metadata (u16 count; u16 name length, name, u32 value length, value). */
function metadataEntry(metadata: Buffer, name: string): Buffer | undefined {
  if (metadata.length === 0) return undefined;
  let offset = 2;
  for (let entry = 0; entry < metadata.readUInt16BE(0); entry++) {
    const nameLength = metadata.readUInt16BE(offset);
    const entryName = metadata.subarray(offset + 2, offset + 2 + nameLength).toString('utf8');
    const valueLength = metadata.readUInt32BE(offset + 2 + nameLength);
    const valueStart = offset + 6 + nameLength;
    if (entryName === name) return metadata.subarray(valueStart, valueStart + valueLength);
    offset = valueStart + valueLength;
  }
  return undefined;
}

/** The container with its records in the order given by indexes into chunks + trailer. */
export function reorderRecords(bytes: Uint8Array, order: readonly number[]): Buffer {
  const layout = containerLayout(bytes);
  const records = [...layout.chunks, layout.trailer];
  return Buffer.concat([
    bytes.subarray(0, layout.headerEnd),
    ...order.map((index) => bytes.subarray(records[index]!.start, records[index]!.end)),
  ]);
}

/** A seeded pseudo-random generator (mulberry32): numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  const random = createRandom(seed);
  return () => random.u32() / 2 ** 32;
}

/** A change to the file system that the case must undo before its directory can be removed. */
export interface Undoable {
  /** How it was done, for the test's name or log. */
  readonly how: string;
  readonly undo: () => void;
}

/**
 * Makes `dir` unwritable for this process, or says why it cannot: root ignores permission bits, so
 * as root it tries `chattr +i`, then a read-only bind mount; otherwise `chmod 0555`. Checked with a
 * probe file.
 */
export function makeReadOnlyDirectory(dir: string): Undoable | string {
  const attempts: { how: string; apply: () => boolean; undo: () => void }[] =
    process.getuid?.() === 0
      ? [
          { how: 'chattr +i', apply: () => succeeds('chattr', ['+i', dir]), undo: () => void succeeds('chattr', ['-i', dir]) },
          {
            how: 'read-only bind mount',
            apply: () =>
              succeeds('mount', ['--bind', dir, dir]) &&
              (succeeds('mount', ['-o', 'remount,ro,bind', dir]) || (succeeds('umount', [dir]) && false)),
            undo: () => void succeeds('umount', [dir]),
          },
        ]
      : [{ how: 'chmod 0555', apply: () => succeeds('chmod', ['0555', dir]), undo: () => void succeeds('chmod', ['0755', dir]) }];
  for (const attempt of attempts) {
    if (!attempt.apply()) continue;
    try {
      writeFileSync(join(dir, '.probe'), '');
      rmSync(join(dir, '.probe'));
      attempt.undo();
    } catch {
      return { how: attempt.how, undo: attempt.undo };
    }
  }
  return `cannot make a directory read-only here (tried ${attempts.map((attempt) => attempt.how).join(', ')})`;
}

/** Mounts a tmpfs of `size` (e.g. `1m`) on `dir`, or says why it cannot (needs root and CAP_SYS_ADMIN). */
export function mountTmpfs(dir: string, size: string): Undoable | string {
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { encoding: 'utf8' });
  if (mounted.status !== 0) return `cannot mount a tmpfs: ${(mounted.stderr || mounted.error?.message || `exit ${mounted.status}`).trim()}`;
  return { how: `tmpfs size=${size}`, undo: () => void succeeds('umount', [dir]) };
}

function succeeds(command: string, args: readonly string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}
