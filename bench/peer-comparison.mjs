// Peer comparison: adapipe against the command-line chains people use instead (zstd | age, the
// same chain with sha256sum or b3sum digests of input and output run in parallel through tee, and
// zstd alone), on a real mixed tar of a system directory (/usr/lib, which every machine has), generated
// text-like and random inputs, each command run under /usr/bin/time in alternating rounds. Also measures peak RSS on
// 1 GiB and 4 GiB inputs, 4 KiB end-to-end latency and worker scaling, then prints a Markdown
// report and writes it to --out, with a targets table computed from the measurements.
//
// Usage (after `pnpm build`; `pnpm bench` runs it after the micro-benchmarks):
//   node bench/peer-comparison.mjs [--size MiB] [--iterations N] [--skip-large] [--out bench/RESULTS.md]
// Defaults: --size 512, --iterations 5, --out bench/RESULTS.md. --skip-large skips the 1 GiB and
// 4 GiB peak-RSS runs. Work happens in a temporary directory that is removed even on failure.
// Exits non-zero when adapipe or a peer chain fails, or when a restored file differs.
import { spawnSync } from 'node:child_process';
import { createCipheriv, createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  statfsSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { availableParallelism, constants, cpus, release, tmpdir, totalmem } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ADAPIPE = join(ROOT, 'packages/cli/dist/bin/adapipe.js');
const MIB = 1024 ** 2;
const GIB = 1024 ** 3;
const BLOCK_BYTES = 16 * MIB;
const TIME = '/usr/bin/time';
const TIME_FORMAT = '%e %U %S %M';
const THREADS = availableParallelism();
const ZSTD = `zstd -3 -T${THREADS}`;
const LARGE_SIZES_MIB = [1024, 4096];
const SMALL_FILE_BYTES = 4096;
const SMALL_FILE_RUNS = 10;
const DATA_KINDS = ['tar', 'text', 'random'];
/** The system directories the tar input is made of, in order, cut at the input size. */
const TAR_SOURCES = ['usr/lib', 'usr/share', 'usr/bin'];
const PEER_TOOLS = ['zstd', 'age', 'age-keygen', 'sha256sum', 'b3sum', 'tar', TIME];
const APT_PACKAGES = ['zstd', 'age', 'b3sum', 'time'];
const USAGE = 'usage: node bench/peer-comparison.mjs [--size MiB] [--iterations N] [--skip-large] [--out FILE]';

/**
 * Parses and validates the comparison's command-line options (shared with bench/run.mjs).
 * @throws {TypeError} on an unknown option or a missing value.
 * @throws {RangeError} when --size or --iterations is not a positive integer.
 */
export function parsePeerComparisonArgs(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      size: { type: 'string', default: '512' },
      iterations: { type: 'string', default: '5' },
      'skip-large': { type: 'boolean', default: false },
      out: { type: 'string', default: join(ROOT, 'bench/RESULTS.md') },
    },
  });
  return {
    sizeMiB: positiveInteger('--size', values.size),
    iterations: positiveInteger('--iterations', values.iterations),
    skipLarge: values['skip-large'],
    out: resolve(values.out),
  };
}

function positiveInteger(name, text) {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got "${text}"; for example ${name} 8`);
  }
  return value;
}

// ── tools ────────────────────────────────────────────────────────────────────────────────────

function hasTool(tool) {
  if (tool.startsWith('/')) return existsSync(tool);
  return spawnSync('bash', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;
}

function missingTools() {
  return PEER_TOOLS.filter((tool) => !hasTool(tool));
}

function installWithApt() {
  if (process.getuid?.() !== 0 || !hasTool('apt-get')) return;
  console.error(
    `peer tools missing (${missingTools().join(', ')}): running apt-get update and apt-get install -y ${APT_PACKAGES.join(' ')}`,
  );
  spawnSync('apt-get', ['update'], { stdio: ['ignore', 'ignore', 'inherit'] });
  spawnSync('apt-get', ['install', '-y', ...APT_PACKAGES], { stdio: ['ignore', 'ignore', 'inherit'] });
}

/** The set of peer tools available, after trying apt-get once when some are missing. */
function ensurePeerTools() {
  if (missingTools().length > 0) installWithApt();
  const missing = missingTools();
  if (missing.includes(TIME)) throw new Error(`${TIME} is required to measure anything; install GNU time (apt-get install time)`);
  return new Set(PEER_TOOLS.filter((tool) => !missing.includes(tool)));
}

function toolVersion(tool, args = ['--version']) {
  const result = spawnSync(tool, args, { encoding: 'utf8' });
  if (result.status !== 0) return 'not installed';
  return (result.stdout || result.stderr).match(/\d+\.\d+(\.\d+)?/)?.[0] ?? 'unknown';
}

// ── inputs ───────────────────────────────────────────────────────────────────────────────────

const WORDS = (
  'the of and a to in is that for it as was with be by on not he this are or his from at which but have an they you were ' +
  'pipeline chunk stage stream restore compress encrypt checksum worker buffer order window memory digest header trailer'
).split(' ');

/**
 * Yields, block by block, exactly the bytes of `textLikeBytes(size)` from
 * packages/cli/src/commands/benchmark-command.ts (the CLI benchmark's generator, which the CLI
 * does not export): one xorshift stream, so large files never sit in memory whole.
 */
function* textBlocks(size) {
  const encoded = [' ', '\n'].map((end) => WORDS.map((word) => Buffer.from(word + end)));
  let state = 0x2545f491;
  let carry = Buffer.alloc(0);
  for (let produced = 0; produced < size; ) {
    const block = Buffer.alloc(Math.min(BLOCK_BYTES, size - produced));
    let offset = carry.copy(block);
    carry = carry.subarray(offset);
    while (offset < block.length) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      const roll = state >>> 0;
      const end = roll % 13 === 0 ? '\n' : ' ';
      const piece = roll % 11 === 0 ? Buffer.from(`${roll % 100_000}${end}`) : encoded[end === ' ' ? 0 : 1][roll % WORDS.length];
      const written = piece.copy(block, offset);
      offset += written;
      if (written < piece.length) carry = piece.subarray(written);
    }
    produced += block.length;
    yield block;
  }
}

/** Yields `size` incompressible bytes: an AES-256-CTR keystream under a fixed key, so runs repeat. */
function* randomBlocks(size) {
  const cipher = createCipheriv('aes-256-ctr', Buffer.alloc(32, 7), Buffer.alloc(16, 9));
  const zeros = Buffer.alloc(BLOCK_BYTES);
  for (let produced = 0; produced < size; produced += BLOCK_BYTES) {
    yield cipher.update(zeros.subarray(0, Math.min(BLOCK_BYTES, size - produced)));
  }
}

function writeBlocks(path, blocks) {
  const fd = openSync(path, 'w');
  try {
    for (const block of blocks) writeSync(fd, block);
  } finally {
    closeSync(fd);
  }
}

function writeInput(dir, kind, size) {
  const path = join(dir, `${kind}.bin`);
  if (kind === 'tar') {
    const sources = TAR_SOURCES.filter((source) => existsSync(join('/', source)));
    run(
      'bash',
      ['-o', 'pipefail', '-c', `(tar cf - -C / ${sources.join(' ')} 2>/dev/null || true) | head -c ${size} > ${quote(path)}`],
      dir,
    );
    const written = statSync(path).size;
    if (written < size) throw new Error(`the tar of /${sources.join(', /')} holds only ${written} bytes; pick a smaller --size`);
    return path;
  }
  writeBlocks(path, kind === 'text' ? textBlocks(size) : randomBlocks(size));
  return path;
}

/** A raw 32-byte key for adapipe and, when age is installed, an age identity and its recipient. */
function writeKeys(dir, tools) {
  writeFileSync(join(dir, 'key.bin'), createHash('sha256').update('adapipe peer comparison').digest(), { mode: 0o600 });
  if (!tools.has('age-keygen')) return;
  run('age-keygen', ['-o', 'identity.txt'], dir);
  writeFileSync(join(dir, 'recipient.txt'), run('age-keygen', ['-y', 'identity.txt'], dir));
}

// ── running and measuring ────────────────────────────────────────────────────────────────────

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: benchEnv(cwd) });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal}): ${result.stderr.trim()}`);
  }
  return result.stdout;
}

function benchEnv(dir) {
  return { ...process.env, ADAPIPE_DB: join(dir, 'store.db') };
}

/**
 * Runs a bash script (with pipefail) under GNU time.
 * @returns {{ wall: number, cpu: number, rssMiB: number }} seconds, user+sys seconds, peak RSS.
 * @throws {Error} when the script exits non-zero, quoting its stderr.
 */
function timed(script, cwd) {
  const result = spawnSync(TIME, ['-f', TIME_FORMAT, 'bash', '-o', 'pipefail', '-c', script], {
    cwd,
    encoding: 'utf8',
    env: benchEnv(cwd),
  });
  const lines = result.stderr.trim().split('\n');
  if (result.status !== 0) throw new Error(`failed (exit ${result.status ?? result.signal}): ${script}\n${lines.join('\n')}`);
  const [wall, user, sys, rssKiB] = lines.at(-1).split(' ').map(Number);
  return { wall, cpu: user + sys, rssMiB: rssKiB / 1024 };
}

function filesEqual(a, b) {
  return spawnSync('cmp', ['-s', a, b]).status === 0;
}

function assertRestored(dir, restored, original, label) {
  if (!filesEqual(join(dir, restored), join(dir, original))) {
    throw new Error(`${label}: the restored ${restored} differs from ${original}`);
  }
}

/**
 * Runs every command once per round, rotating which goes first, deleting its outputs before
 * each run and calling `afterFirstRun` once per command.
 * @returns {Map<string, Array<{ wall: number, cpu: number, rssMiB: number }>>} samples by label.
 */
function alternate(commands, iterations, dir, afterFirstRun = () => {}) {
  const samples = new Map(commands.map((command) => [command.label, []]));
  for (let round = 0; round < iterations; round++) {
    for (let index = 0; index < commands.length; index++) {
      const command = commands[(index + round) % commands.length];
      for (const output of command.outputs) rmSync(join(dir, output), { force: true });
      const sample = timed(command.script, dir);
      console.error(`  round ${round + 1}/${iterations}  ${command.label}: ${sample.wall.toFixed(2)} s`);
      samples.get(command.label).push(sample);
      if (round === 0) afterFirstRun(command);
    }
  }
  return samples;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function summarize(samples, bytes) {
  const speeds = samples.map((sample) => bytes / 1e6 / sample.wall);
  return {
    mbps: median(speeds),
    minMbps: Math.min(...speeds),
    maxMbps: Math.max(...speeds),
    cpu: median(samples.map((sample) => sample.cpu)),
    rssMiB: median(samples.map((sample) => sample.rssMiB)),
  };
}

// ── the peers ────────────────────────────────────────────────────────────────────────────────

function quote(text) {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

const adapipe = `${quote(process.execPath)} ${quote(ADAPIPE)}`;
const ZSTD_AES = 'compression:zstd:level=3,encryption:aes-256-gcm';
const CANONICAL = 'checksum:sha256,compression:zstd:level=3,encryption:aes-256-gcm,checksum:sha256';
const DEFAULT_LABEL = 'blake3 → zstd 3 → aes-256-gcm → blake3';
const ZSTD_AES_LABEL = 'adapipe --stages zstd,aes-256-gcm --no-fsync (the work of zstd | age)';
const CANONICAL_LABEL = "adapipe --stages (the chapter's sha256 → zstd → aes-256-gcm → sha256) --no-fsync";
const PARALLEL_CHAIN_LABEL = `tee >(sha256sum) < in | ${ZSTD} | age | tee >(sha256sum) > out`;
const B3_CHAIN_LABEL = `tee >(b3sum) < in | ${ZSTD} | age | tee >(b3sum) > out`;

/**
 * Each peer: the tools it needs, its process command and (optionally) its restore command.
 * Scripts run in the work directory; restores write restored/KIND.bin so that digest files
 * written next to KIND.bin (`sha256sum KIND.bin`) check the restored copy from restored/.
 */
function peers(kind) {
  const input = `${kind}.bin`;
  const back = `restored/${input}`;
  const encrypt = (output) => `${ZSTD} -c ${input} | age -R recipient.txt > ${output}`;
  const decrypt = (container) => `age -d -i identity.txt ${container} | zstd -d -c > ${back}`;
  const adapipeProcess = (label, output, options = '') => ({
    label,
    script: `${adapipe} process -q -i ${input} -o ${output} --force --key-file key.bin ${options}`.trim(),
    outputs: [output],
  });
  /** zstd | age with a digest of the input and of the container computed alongside through tee, and back. */
  const digestChain = (name, tool, suffix, tag, label) => {
    const container = `${kind}.${tag}.age`;
    return {
      name,
      requires: ['zstd', 'age', 'age-keygen', tool],
      process: {
        label,
        script: `tee >(${tool} > ${input}.${suffix}) < ${input} | ${ZSTD} -c | age -R recipient.txt | tee >(${tool} > ${container}.${suffix}) > ${container}; wait`,
        outputs: [`${input}.${suffix}`, container, `${container}.${suffix}`],
      },
      restore: {
        label: `age -d | zstd -d + ${tool} (parallel, tee)`,
        script: `age -d -i identity.txt ${container} | zstd -d -c | tee >(${tool} > ${back}.${suffix}) > ${back}; wait`,
        outputs: [back, `${back}.${suffix}`],
      },
    };
  };
  return [
    {
      name: 'adapipe',
      requires: [],
      process: adapipeProcess(`adapipe process --no-fsync (default: ${DEFAULT_LABEL})`, `${kind}.adapipe`, '--no-fsync'),
      restore: {
        label: 'adapipe restore --no-fsync (digests verified)',
        script: `${adapipe} restore -q -i ${kind}.adapipe -o ${back} --force --key-file key.bin --no-fsync`,
        outputs: [back],
      },
    },
    {
      name: 'adapipe zstd+aes',
      requires: [],
      process: adapipeProcess(ZSTD_AES_LABEL, `${kind}.za.adapipe`, `--no-fsync --stages ${ZSTD_AES}`),
    },
    {
      name: 'adapipe canonical',
      requires: [],
      process: adapipeProcess(CANONICAL_LABEL, `${kind}.canonical.adapipe`, `--no-fsync --stages ${CANONICAL}`),
    },
    {
      name: 'adapipe with fsync',
      requires: [],
      process: adapipeProcess('adapipe process (default, output flushed to disk)', `${kind}.sync.adapipe`),
      restore: {
        label: 'adapipe restore (output flushed to disk)',
        script: `${adapipe} restore -q -i ${kind}.adapipe -o ${back} --force --key-file key.bin`,
        outputs: [back],
      },
    },
    {
      name: 'zstd | age',
      requires: ['zstd', 'age', 'age-keygen'],
      process: { label: `${ZSTD} | age`, script: encrypt(`${kind}.age`), outputs: [`${kind}.age`] },
      restore: { label: 'age -d | zstd -d', script: decrypt(`${kind}.age`), outputs: [back] },
    },
    digestChain('parallel digest chain', 'sha256sum', 'sha256', 'p', PARALLEL_CHAIN_LABEL),
    digestChain('parallel b3sum chain', 'b3sum', 'b3', 'b', B3_CHAIN_LABEL),
    {
      name: 'zstd alone',
      requires: ['zstd'],
      process: { label: `${ZSTD} (no encryption, no digest)`, script: `${ZSTD} -c ${input} > ${kind}.zst`, outputs: [`${kind}.zst`] },
    },
  ];
}

function availablePeers(kind, tools) {
  const all = peers(kind);
  const skipped = all
    .filter((peer) => !peer.requires.every((tool) => tools.has(tool)))
    .map((peer) => `${peer.name} skipped: ${peer.requires.filter((tool) => !tools.has(tool)).join(', ')} not installed`);
  return { available: all.filter((peer) => peer.requires.every((tool) => tools.has(tool))), skipped };
}

/** Summarizes alternating runs of `commands`; each ratio is the first command's median MB/s over the row's. */
function compare(commands, options, dir, bytes, afterFirstRun) {
  const samples = alternate(commands, options.iterations, dir, afterFirstRun);
  const rows = commands.map((command) => ({ ...command, ...summarize(samples.get(command.label), bytes) }));
  return rows.map((row) => ({ ...row, ratio: rows[0].mbps / row.mbps }));
}

function comparePeers(kind, tools, options, dir) {
  const bytes = options.sizeMiB * MIB;
  console.error(`generating ${options.sizeMiB} MiB of ${kind} input`);
  writeInput(dir, kind, bytes);
  const { available, skipped } = availablePeers(kind, tools);
  console.error(`${kind}: process`);
  const processRows = compare(
    available.map((peer) => peer.process),
    options,
    dir,
    bytes,
  );
  console.error(`${kind}: restore`);
  const restoreRows = compare(
    available.filter((peer) => peer.restore).map((peer) => peer.restore),
    options,
    dir,
    bytes,
    (command) => assertRestored(dir, command.outputs[0], `${kind}.bin`, command.label),
  );
  return { kind, process: processRows, restore: restoreRows, skipped };
}

// ── extra measurements ───────────────────────────────────────────────────────────────────────

function freeBytes(dir) {
  const stats = statfsSync(dir);
  return stats.bavail * stats.bsize;
}

/** Peak RSS of adapipe process and restore on a generated text file of `sizeMiB`, or a skip note. */
function peakRssAt(sizeMiB, dir) {
  const bytes = sizeMiB * MIB;
  if (freeBytes(dir) < 3 * bytes) return { sizeMiB, note: `skipped: less than ${(3 * bytes) / GIB} GiB free in ${tmpdir()}` };
  console.error(`peak RSS: generating ${sizeMiB} MiB of text`);
  writeBlocks(join(dir, 'large.bin'), textBlocks(bytes));
  try {
    const processed = timed(`${adapipe} process -q -i large.bin -o large.adapipe --force --key-file key.bin`, dir);
    const restored = timed(`${adapipe} restore -q -i large.adapipe -o restored/large.bin --force --key-file key.bin`, dir);
    assertRestored(dir, 'restored/large.bin', 'large.bin', `adapipe restore (${sizeMiB} MiB)`);
    return { sizeMiB, processMiB: processed.rssMiB, restoreMiB: restored.rssMiB };
  } finally {
    for (const file of ['large.bin', 'large.adapipe', 'restored/large.bin']) rmSync(join(dir, file), { force: true });
  }
}

function wallMs(args, dir) {
  const started = performance.now();
  run(process.execPath, [ADAPIPE, ...args], dir);
  return performance.now() - started;
}

/** Wall time of adapipe process and restore on a 4 KiB file, each run a fresh process. */
function smallFileLatency(dir) {
  console.error(`end to end: ${SMALL_FILE_RUNS} × process and restore of a ${SMALL_FILE_BYTES} B file`);
  writeBlocks(join(dir, 'small.bin'), textBlocks(SMALL_FILE_BYTES));
  const timesOf = (args) => Array.from({ length: SMALL_FILE_RUNS }, () => wallMs(args, dir));
  const processMs = timesOf(['process', '-q', '-i', 'small.bin', '-o', 'small.adapipe', '--force', '--key-file', 'key.bin']);
  const restoreMs = timesOf(['restore', '-q', '-i', 'small.adapipe', '-o', 'restored/small.bin', '--force', '--key-file', 'key.bin']);
  assertRestored(dir, 'restored/small.bin', 'small.bin', 'adapipe restore (4 KiB)');
  const stats = (values) => ({ median: median(values), max: Math.max(...values) });
  return { process: stats(processMs), restore: stats(restoreMs) };
}

/** Throughput of a zstd-only adapipe pipeline on the text input with 1 and with 2 workers. */
function workerScaling(options, dir) {
  console.error('workers: compression:zstd:level=3 with --workers 1 and 2, tar input');
  const command = (workers) => ({
    label: `--workers ${workers}`,
    script: `${adapipe} process -q -i tar.bin -o workers.adapipe --force --no-fsync --stages compression:zstd:level=3 --workers ${workers}`,
    outputs: ['workers.adapipe'],
  });
  const [one, two] = compare([command(1), command(2)], options, dir, options.sizeMiB * MIB);
  return { one: one.mbps, two: two.mbps, speedUp: two.mbps / one.mbps };
}

// ── report ───────────────────────────────────────────────────────────────────────────────────

function cpuModel() {
  const line = existsSync('/proc/cpuinfo') && readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.+)$/m);
  return line ? line[1].trim() : (cpus()[0]?.model ?? 'unknown CPU');
}

function machineLine() {
  const versions = [
    `zstd ${toolVersion('zstd')}`,
    `age ${toolVersion('age')}`,
    `sha256sum ${toolVersion('sha256sum')}`,
    `b3sum ${toolVersion('b3sum')}`,
    `adapipe ${toolVersion(process.execPath, [ADAPIPE, '--version'])}`,
  ];
  return `${cpuModel()}, ${THREADS} cores, ${(totalmem() / GIB).toFixed(1)} GiB RAM, Linux ${release()}, Node ${process.version}; ${versions.join(', ')}`;
}

const fixed = (value, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

/** A Markdown table; pipes inside cells are escaped so shell pipelines stay in one column. */
function table(header, rows) {
  const line = (cells) => `| ${cells.map((cell) => String(cell).replaceAll('|', '\\|')).join(' | ')} |`;
  return [line(header), `|${header.map(() => '---').join('|')}|`, ...rows.map(line)];
}

function comparisonTable(title, rows) {
  return [
    `### ${title}`,
    '',
    ...table(
      ['command', 'median MB/s', 'range MB/s', 'median CPU s', 'median peak RSS MiB', 'adapipe ×'],
      rows.map((row) => [
        `\`${row.label}\``,
        fixed(row.mbps),
        `${fixed(row.minMbps)}–${fixed(row.maxMbps)}`,
        fixed(row.cpu, 2),
        fixed(row.rssMiB, 0),
        `${fixed(row.ratio, 2)}×`,
      ]),
    ),
    '',
  ];
}

function peakRssSection(peakRss) {
  if (peakRss === undefined) return ['Peak RSS at 1 GiB and 4 GiB: skipped (--skip-large).', ''];
  const growth = (pick) => {
    const [small, large] = peakRss.map(pick);
    return small === undefined || large === undefined ? 'n/a' : `${fixed(((large - small) / small) * 100)} %`;
  };
  return [
    '### Peak RSS of adapipe on large text inputs (default pipeline)',
    '',
    ...table(
      ['input', 'process MiB', 'restore MiB'],
      [
        ...peakRss.map((entry) =>
          entry.note
            ? [`${entry.sizeMiB / 1024} GiB`, entry.note, '']
            : [`${entry.sizeMiB / 1024} GiB`, fixed(entry.processMiB, 0), fixed(entry.restoreMiB, 0)],
        ),
        ['4 GiB vs 1 GiB', growth((entry) => entry.processMiB), growth((entry) => entry.restoreMiB)],
      ],
    ),
    '',
  ];
}

function extrasSection({ peakRss, latency, workers }) {
  return [
    '## Extra measurements',
    '',
    ...peakRssSection(peakRss),
    `### ${SMALL_FILE_BYTES / 1024} KiB text file end to end (${SMALL_FILE_RUNS} fresh processes each)`,
    '',
    ...table(
      ['command', 'median ms', 'max ms'],
      [
        ['adapipe process', fixed(latency.process.median, 0), fixed(latency.process.max, 0)],
        ['adapipe restore', fixed(latency.restore.median, 0), fixed(latency.restore.max, 0)],
      ],
    ),
    '',
    '### Workers (`--stages compression:zstd:level=3 --no-fsync`, tar input)',
    '',
    ...table(
      ['--workers 1 MB/s', '--workers 2 MB/s', 'speed-up'],
      [[fixed(workers.one), fixed(workers.two), `${fixed(workers.speedUp, 2)}×`]],
    ),
    '',
  ];
}

/** Each goal of issue 13 with its measured value and whether it is met; undefined values read "not measured". */
function targets(results, extras) {
  const [tar, , random] = DATA_KINDS.map((kind) => results.find((result) => result.kind === kind));
  const speed = (result, direction, labelStart) => result?.[direction].find((row) => row.label.startsWith(labelStart))?.mbps;
  const versus = (result, direction, ours, theirs) => {
    const [mine, peer] = [speed(result, direction, ours), speed(result, direction, theirs)];
    return mine === undefined || peer === undefined ? undefined : mine / peer;
  };
  const rssGrowth = (pick) => {
    const [small, large] = extras.peakRss?.map(pick) ?? [];
    return small && large ? ((large - small) / small) * 100 : undefined;
  };
  const atLeast = (limit) => (value) => value >= limit;
  const ratio = (value) => `${fixed(value, 2)}×`;
  const percent = (value) => `${fixed(value)} %`;
  const mib = (value) => `${fixed(value, 0)} MiB`;
  const peer = `${ZSTD} |`;
  const defaultRssMiB = tar?.process.find((row) => row.label.startsWith('adapipe process --no-fsync'))?.rssMiB;
  return [
    [`tar: zstd+aes-256-gcm vs \`${ZSTD} | age\` ≥ 1.0×`, versus(tar, 'process', ZSTD_AES_LABEL, peer), atLeast(1), ratio],
    [
      `tar: default pipeline vs \`${ZSTD} | age\` ≥ 0.75×`,
      versus(tar, 'process', 'adapipe process --no-fsync', peer),
      atLeast(0.75),
      ratio,
    ],
    [
      `tar: the chapter's canonical pipeline vs \`${ZSTD} | age\` ≥ 0.65×`,
      versus(tar, 'process', CANONICAL_LABEL, peer),
      atLeast(0.65),
      ratio,
    ],
    [
      'tar: default pipeline vs the parallel digest chain ≥ 1.6×',
      versus(tar, 'process', 'adapipe process --no-fsync', PARALLEL_CHAIN_LABEL),
      atLeast(1.6),
      ratio,
    ],
    [
      'tar: restore (default, digests verified) vs `age -d | zstd -d` ≥ 1.0×',
      versus(tar, 'restore', 'adapipe restore --no-fsync', 'age -d | zstd -d'),
      atLeast(1),
      ratio,
    ],
    [
      `random: default pipeline vs \`${ZSTD} | age\` ≥ 0.7×`,
      versus(random, 'process', 'adapipe process --no-fsync', peer),
      atLeast(0.7),
      ratio,
    ],
    ['tar: --workers 2 vs --workers 1, zstd only ≥ 1.7×', extras.workers.speedUp, atLeast(1.7), ratio],
    ['tar: peak RSS, default pipeline, default settings ≤ 160 MiB', defaultRssMiB, (value) => value <= 160, mib],
    ['peak RSS process 4 GiB within 10 % of 1 GiB', rssGrowth((entry) => entry.processMiB), (value) => Math.abs(value) <= 10, percent],
    ['peak RSS restore 4 GiB within 10 % of 1 GiB', rssGrowth((entry) => entry.restoreMiB), (value) => Math.abs(value) <= 10, percent],
  ].map(([goal, value, met, format]) =>
    value === undefined ? [goal, 'not measured', '—'] : [goal, format(value), met(value) ? 'met' : 'not met'],
  );
}

function commandsSection([first]) {
  const commands = [...first.process, ...first.restore].map(
    (row) => `- \`${row.label}\`: \`${row.script.replaceAll(adapipe, 'adapipe')}\``,
  );
  return [`## Commands (${first.kind} input shown; the other kinds differ only in file names)`, '', ...commands, ''];
}

function renderReport(results, extras, options) {
  const command = [
    'node',
    relative(process.cwd(), fileURLToPath(import.meta.url)) || 'bench/peer-comparison.mjs',
    ...process.argv.slice(2),
  ].join(' ');
  const skipped = [...new Set(results.flatMap((result) => result.skipped))];
  return [
    '# adapipe vs command-line peers',
    '',
    `Command: \`${command}\``,
    '',
    `Date: ${new Date().toISOString()}`,
    '',
    `Machine: ${machineLine()}`,
    '',
    `Input: ${options.sizeMiB} MiB per data kind, ${options.iterations} alternating rounds (the first command rotates each round).`,
    'MB/s = input bytes / 10^6 / wall seconds (GNU time, 0.01 s resolution); CPU = user + sys of the whole chain;',
    'peak RSS = the largest single process of a chain (GNU time %M). "adapipe ×" = adapipe median MB/s / this row\'s median MB/s',
    '(above 1 means adapipe is faster). Inputs and outputs sit in the page cache (warm runs).',
    ...(skipped.length > 0 ? ['', ...skipped.map((note) => `- ${note}`)] : []),
    '',
    ...results.flatMap((result) => [
      `## ${result.kind} input`,
      '',
      ...comparisonTable(`${result.kind}: process`, result.process),
      ...comparisonTable(`${result.kind}: restore (each restored file compared with cmp after its first run)`, result.restore),
    ]),
    ...extrasSection(extras),
    '## Targets',
    '',
    ...table(['goal', 'measured', 'status'], targets(results, extras)),
    '',
    ...commandsSection(results),
    '## Notes',
    '',
    '(analysis: see below)',
    '',
  ].join('\n');
}

// ── main ─────────────────────────────────────────────────────────────────────────────────────

function measureAll(options, dir) {
  const tools = ensurePeerTools();
  mkdirSync(join(dir, 'restored'));
  writeKeys(dir, tools);
  const results = DATA_KINDS.map((kind) => comparePeers(kind, tools, options, dir));
  const extras = {
    workers: workerScaling(options, dir),
    latency: smallFileLatency(dir),
    peakRss: options.skipLarge ? undefined : LARGE_SIZES_MIB.map((sizeMiB) => peakRssAt(sizeMiB, dir)),
  };
  return { results, extras };
}

function main() {
  let options;
  try {
    options = parsePeerComparisonArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`${error.message}\n${USAGE}`);
    process.exit(2);
  }
  if (!existsSync(ADAPIPE)) throw new Error(`${ADAPIPE} not found; run \`pnpm build\` first`);
  const dir = mkdtempSync(join(tmpdir(), 'adapipe-peers-'));
  const cleanUp = () => rmSync(dir, { recursive: true, force: true });
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      cleanUp();
      process.exit(128 + constants.signals[signal]);
    });
  }
  try {
    const { results, extras } = measureAll(options, dir);
    const report = renderReport(results, extras, options);
    console.log(report);
    mkdirSync(dirname(options.out), { recursive: true });
    writeFileSync(options.out, report);
    console.error(`wrote ${options.out}`);
  } finally {
    cleanUp();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    main();
  } catch (error) {
    console.error(`peer comparison failed: ${error.message}`);
    process.exitCode = 1;
  }
}
