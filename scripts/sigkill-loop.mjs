#!/usr/bin/env node
// SIGKILL at seeded random moments during `adapipe process` and `adapipe restore` (half the trials
// each), then checks the invariant of the atomic writer: the final path is either absent or a
// complete, valid output (`verify --full` exits 0 for a container, byte-identical for a restore).
// A killed process cannot clean up, so stale `.tmp` files are expected: they are counted and removed.
//
//   node scripts/sigkill-loop.mjs [--trials 200] [--seed 1] [--size-mb 16] [--parallel 1]
//                                 [--calibration-runs 3] [--json]
//
// Delays are drawn with the seed from 0.8 × the start-up time of the CLI to 1.15 × a whole run
// (both measured first, median of --calibration-runs), so most kills land while the output is
// being written. --parallel runs that many trials at once, each in its own directory.
//
// Prints a summary (JSON with --json) and exits 1 when any final path was invalid.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createRandom } from '../tests/reliability/test-support/seeded-random.mjs';

const bin = new URL('../packages/cli/dist/bin/adapipe.js', import.meta.url).pathname;

const { values } = parseArgs({
  options: {
    trials: { type: 'string', default: '200' },
    seed: { type: 'string', default: '1' },
    'size-mb': { type: 'string', default: '16' },
    parallel: { type: 'string', default: '1' },
    'calibration-runs': { type: 'string', default: '3' },
    json: { type: 'boolean', default: false },
  },
});
const trials = positiveInteger(values.trials, '--trials');
const seed = positiveInteger(values.seed, '--seed');
const parallel = positiveInteger(values.parallel, '--parallel');
const calibrationRuns = positiveInteger(values['calibration-runs'], '--calibration-runs');
const sizeBytes = Math.round(Number(values['size-mb']) * 1_000_000);
if (!(sizeBytes > 0)) usage(`--size-mb ${values['size-mb']}: expected a positive number of megabytes`);

const root = mkdtempSync(join(tmpdir(), 'adapipe-sigkill-'));
const dir = join(root, 'files');
mkdirSync(dir);
const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: root, ADAPIPE_DB: join(root, 'pipelines.db') };
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    rmSync(root, { recursive: true, force: true });
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });
}

try {
  const summary = await runTrials();
  if (values.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  else printSummary(summary);
  process.exitCode = summary.finalInvalid === 0 && summary.failures.length === 0 ? 0 : 1;
} finally {
  rmSync(root, { recursive: true, force: true });
}

async function runTrials() {
  const started = performance.now();
  const original = randomBytes(sizeBytes);
  writeFileSync(join(dir, 'key'), randomBytes(32), { mode: 0o600 });
  writeFileSync(join(dir, 'in.bin'), original);
  const commands = {
    process: ['--key-file', 'key', 'process', '-i', 'in.bin', '-o', 'out.adapipe', '--chunk-size', '1M'],
    restore: ['--key-file', 'key', 'restore', '-i', 'reference.adapipe', '-o', 'out.bin'],
  };
  const targets = { process: 'out.adapipe', restore: 'out.bin' };
  await expectOk(dir, ['--key-file', 'key', 'process', '-i', 'in.bin', '-o', 'reference.adapipe', '--chunk-size', '1M']);
  const workers = Array.from({ length: parallel }, (_, index) => {
    const own = join(dir, `worker-${index}`);
    mkdirSync(own);
    for (const name of ['key', 'in.bin', 'reference.adapipe']) linkSync(join(dir, name), join(own, name));
    return own;
  });
  const calibration = {
    startupMs: await timed(workers, ['--version']),
    processMs: await timed(workers, commands.process, targets.process),
    restoreMs: await timed(workers, commands.restore, targets.restore),
  };
  const random = createRandom(seed);
  const next = () => random.u32() / 2 ** 32;
  const plan = Array.from({ length: trials }, (_, trial) => {
    const mode = trial % 2 === 0 ? 'process' : 'restore';
    const fullMs = mode === 'process' ? calibration.processMs : calibration.restoreMs;
    const lowMs = 0.8 * Math.min(calibration.startupMs, fullMs);
    return { trial, mode, delayMs: Math.round(lowMs + next() * (1.15 * fullMs - lowMs)) };
  });
  const byMode = { process: emptyCounts(), restore: emptyCounts() };
  const summary = {
    trials,
    seed,
    sizeBytes,
    parallel,
    calibration,
    finishedBeforeKill: 0,
    killedBeforeRename: 0,
    killedAfterRename: 0,
    killedWhileTemporaryFileExisted: 0,
    finalAbsent: 0,
    finalValid: 0,
    finalInvalid: 0,
    temporaryFilesLeft: 0,
    trialsLeavingTemporaryFiles: 0,
    byMode,
    failures: [],
    durationMs: 0,
  };
  const record = ({ trial, mode, delayMs }, outcome, finalState, leftovers) => {
    const counts = byMode[mode];
    counts.trials++;
    if (outcome.killed) {
      const bucket = finalState === 'absent' ? 'killedBeforeRename' : 'killedAfterRename';
      summary[bucket]++;
      counts[bucket]++;
      if (outcome.temporaryFileAtKill) summary.killedWhileTemporaryFileExisted++;
    } else {
      summary.finishedBeforeKill++;
      counts.finishedBeforeKill++;
      if (outcome.code !== 0 || finalState !== 'valid' || leftovers.length > 0) {
        summary.failures.push({ trial, mode, delayMs, code: outcome.code, finalState, leftovers, stderr: outcome.stderr });
      }
    }
    if (finalState === 'absent') summary.finalAbsent++;
    else if (finalState === 'valid') summary.finalValid++;
    else {
      summary.finalInvalid++;
      summary.failures.push({ trial, mode, delayMs, killed: outcome.killed, finalState });
    }
    summary.temporaryFilesLeft += leftovers.length;
    if (leftovers.length > 0) summary.trialsLeavingTemporaryFiles++;
  };
  const worker = async (own) => {
    for (let step = plan.shift(); step !== undefined; step = plan.shift()) {
      const target = targets[step.mode];
      const outcome = await killAfter(own, commands[step.mode], step.delayMs);
      const finalState = existsSync(join(own, target))
        ? (await isValid(own, step.mode, target, original))
          ? 'valid'
          : 'INVALID'
        : 'absent';
      const leftovers = readdirSync(own).filter((name) => name.endsWith('.tmp'));
      record(step, outcome, finalState, leftovers);
      for (const name of [target, ...leftovers]) rmSync(join(own, name), { force: true });
    }
  };
  await Promise.all(workers.map(worker));
  summary.failures.sort((a, b) => a.trial - b.trial);
  summary.durationMs = Math.round(performance.now() - started);
  return summary;
}

function emptyCounts() {
  return { trials: 0, finishedBeforeKill: 0, killedBeforeRename: 0, killedAfterRename: 0 };
}

/** Starts `adapipe ARGS`, sends SIGKILL after `delayMs` unless it ended, and reports how it ended. */
function killAfter(cwd, args, delayMs) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let temporaryFileAtKill = false;
    child.stderr.on('data', (data) => (stderr += data));
    const timer = setTimeout(() => {
      temporaryFileAtKill = readdirSync(cwd).some((name) => name.endsWith('.tmp'));
      child.kill('SIGKILL');
    }, delayMs);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ killed: signal === 'SIGKILL', code, stderr, temporaryFileAtKill: signal === 'SIGKILL' && temporaryFileAtKill });
    });
  });
}

async function isValid(cwd, mode, target, original) {
  if (mode === 'restore') return readFileSync(join(cwd, target)).equals(original);
  return (await run(cwd, ['--key-file', 'key', 'verify', '--full', target])).code === 0;
}

function run(cwd, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (data) => (stderr += data));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stderr }));
  });
}

async function expectOk(cwd, args) {
  const result = await run(cwd, args);
  if (result.code !== 0) throw new Error(`adapipe ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
}

/**
 * The median time of `adapipe ARGS` in milliseconds, run --calibration-runs times in every worker
 * directory at once (as the trials will run); removes `output` after each.
 */
async function timed(directories, args, output) {
  const times = [];
  for (let attempt = 0; attempt < calibrationRuns; attempt++) {
    await Promise.all(
      directories.map(async (cwd) => {
        const started = performance.now();
        await expectOk(cwd, args);
        times.push(performance.now() - started);
        if (output !== undefined) rmSync(join(cwd, output), { force: true });
      }),
    );
  }
  return Math.round(times.sort((a, b) => a - b)[times.length >> 1]);
}

function printSummary(summary) {
  const { calibration: c } = summary;
  const lines = [
    `SIGKILL loop: ${summary.trials} trials (seed ${summary.seed}, ${(summary.sizeBytes / 1e6).toFixed(1)} MB input, ${summary.parallel} at a time) in ${(summary.durationMs / 1000).toFixed(1)} s`,
    `calibration: startup ${c.startupMs} ms, process ${c.processMs} ms, restore ${c.restoreMs} ms`,
    `finished before the kill:   ${summary.finishedBeforeKill}`,
    `killed before rename:       ${summary.killedBeforeRename} (${summary.killedWhileTemporaryFileExisted} of all kills while a temporary file existed)`,
    `killed after rename:        ${summary.killedAfterRename}`,
    `final path absent:          ${summary.finalAbsent}`,
    `final path valid:           ${summary.finalValid}`,
    `final path INVALID:         ${summary.finalInvalid}`,
    `temporary files left:       ${summary.temporaryFilesLeft} (in ${summary.trialsLeavingTemporaryFiles} trials; removed)`,
    ...Object.entries(summary.byMode).map(
      ([mode, counts]) =>
        `  ${mode.padEnd(8)} ${counts.trials} trials: ${counts.finishedBeforeKill} finished, ${counts.killedBeforeRename} killed before rename, ${counts.killedAfterRename} after`,
    ),
    ...summary.failures.map((failure) => `FAILURE ${JSON.stringify(failure)}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

function positiveInteger(text, option) {
  const number = Number(text);
  if (!Number.isInteger(number) || number < 1) usage(`${option} ${text}: expected a whole number ≥ 1`);
  return number;
}

function usage(message) {
  process.stderr.write(
    `sigkill-loop: ${message}\nusage: node scripts/sigkill-loop.mjs [--trials 200] [--seed 1] [--size-mb 16] [--parallel 1] [--calibration-runs 3] [--json]\n`,
  );
  process.exit(2);
}
