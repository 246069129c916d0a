import { readFile, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { type AdapipeServices, MiB, type Pipeline } from '@adapipe/core';
import type { Command } from 'commander';
import { formatBytes } from '../byte-size.js';
import { CliError, ExitCode } from '../exit-code.js';
import type { CliCommand } from '../program/cli-command.js';
import { byteSize, listOf, once, wholeNumber } from '../program/option-values.js';
import type { CliSession } from '../session/cli-session.js';
import { formatStageSpec } from '../stage-spec.js';
import { saveTuning, tuningPath } from '../tuning.js';
import { type PipelineChoice, resolvePipeline, withPipelineChoice } from './resolve-pipeline.js';

/**
 * Options of `adapipe benchmark`, parsed: the `chunkSizes` (bytes) and `workers` counts to sweep,
 * `size` (megabytes of generated data) or `file` (a file to measure with instead), `iterations` (runs
 * per setting; the median counts), `report` (where to write the Markdown report) and `save` (false
 * with `--no-save`: the recommendation is not saved for `process`).
 */
export interface BenchmarkCommandOptions extends PipelineChoice {
  readonly chunkSizes?: readonly number[];
  readonly workers?: readonly number[];
  readonly size?: number;
  readonly file?: string;
  readonly iterations?: number;
  readonly report?: string;
  readonly save?: boolean;
}

/** `adapipe benchmark [pipeline] [--size MB | --file FILE] [--iterations N] [--chunk-sizes …] [--workers …]`. */
export const benchmarkCommand: CliCommand = (parent, sessionOf) => {
  const command = parent
    .command('benchmark')
    .description('sweep chunk sizes and worker counts over the real pipeline and recommend settings');
  withPipelineChoice(command)
    .option('--size <MB>', 'megabytes of generated text-like data (default 64)', once(megabytes))
    .option('--file <file>', 'benchmark on this file instead', once())
    .option('--iterations <n>', 'runs per setting; the median counts (default 3)', once(wholeNumber('--iterations', 1, 50)))
    .option('--chunk-sizes <list>', 'chunk sizes to try (default 1M,4M,16M)', once(listOf(byteSize('--chunk-sizes'))))
    .option('--workers <list>', 'worker counts to try (default 1 and the core count)', once(listOf(wholeNumber('--workers', 1, 64))))
    .option('--report <file>', 'also write a Markdown report to this file', once())
    .option('--no-save', 'do not save the recommended settings as defaults for process')
    .action((options: BenchmarkCommandOptions, self: Command) => runBenchmark(sessionOf(self), options));
};

function megabytes(text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || value > 4096)
    throw new CliError(`--size ${text}: expected megabytes from 1 to 4096`, ExitCode.Usage);
  return value;
}

/** One measured setting: median throughput of process and of restore, in MB/s (10⁶ bytes per second). */
export interface BenchmarkRow {
  readonly chunkSize: number;
  readonly workers: number;
  readonly processMBps: number;
  readonly restoreMBps: number;
  readonly ratio: number;
}

/**
 * `adapipe benchmark`: sweeps chunk sizes and worker counts over the real pipeline (process, then
 * restore, in memory) on generated text-like data or a file, prints a table and the recommended
 * settings, and with `--report FILE` writes a Markdown report.
 */
async function runBenchmark(session: CliSession, options: BenchmarkCommandOptions): Promise<void> {
  const sizeMb = options.size ?? 64;
  const iterations = options.iterations ?? 3;
  const chunkSizes = options.chunkSizes ?? [1 * MiB, 4 * MiB, 16 * MiB];
  const workerCounts = options.workers ?? [...new Set([1, availableParallelism()])];
  const data = options.file === undefined ? textLikeBytes(Math.round(sizeMb * 1_000_000)) : new Uint8Array(await readFile(options.file));
  const chosen = await resolvePipeline(options, () => session.store.open());
  const rows: BenchmarkRow[] = [];
  for (const workers of workerCounts) {
    const services = await session.services.load(chosen.plugins);
    for (const chunkSize of chunkSizes) {
      rows.push(await measure(services, chosen.pipeline, data, chunkSize, workers, iterations));
      session.output.info(rowLine(rows.at(-1)!));
    }
  }
  const best = [...rows].sort((a, b) => b.processMBps - a.processMBps)[0]!;
  const reportPath = options.report;
  if (reportPath !== undefined) await writeFile(reportPath, markdownReport(chosen.pipeline, data.length, iterations, rows, best));
  const saved = options.save === false ? undefined : await tuningPath(session.options.db);
  if (saved !== undefined) {
    await saveTuning(saved, {
      chunkSize: best.chunkSize,
      workers: best.workers,
      cores: availableParallelism(),
      stages: formatStageSpec(chosen.pipeline),
      processMBps: best.processMBps,
      measuredAt: new Date().toISOString(),
    });
  }
  session.output.result(
    {
      command: 'benchmark',
      pipeline: chosen.pipeline.name,
      bytes: data.length,
      iterations,
      results: rows,
      recommended: { chunkSize: best.chunkSize, workers: best.workers },
      report: reportPath ?? null,
      tuning: saved ?? null,
    },
    [
      `pipeline ${chosen.pipeline.name}, ${formatBytes(data.length)}, median of ${iterations}`,
      'chunk size   workers   process MB/s   restore MB/s   ratio',
      ...rows.map(rowLine),
      `recommended: --chunk-size ${formatBytes(best.chunkSize).replace(/\.00 /, ' ').replace(' ', '')} --workers ${best.workers}`,
      ...(reportPath === undefined ? [] : [`report written to ${reportPath}`]),
      ...(saved === undefined ? [] : [`saved for \`adapipe process\` in ${saved}`]),
    ],
  );
}

async function measure(
  services: AdapipeServices,
  pipeline: Pipeline,
  data: Uint8Array,
  chunkSize: number,
  workers: number,
  iterations: number,
): Promise<BenchmarkRow> {
  const secret = { kind: 'key', key: new Uint8Array(32).fill(42) } as const;
  const processTimes: number[] = [];
  const restoreTimes: number[] = [];
  let containerBytes = 0;
  for (let iteration = 0; iteration < iterations; iteration++) {
    let started = performance.now();
    const parts: Uint8Array[] = [];
    for await (const part of services.runner.process(blocks(data), { pipeline, secret, chunkSize, workers, window: 2 * workers }).output)
      parts.push(part);
    processTimes.push(performance.now() - started);
    const container = Buffer.concat(parts);
    containerBytes = container.length;
    started = performance.now();
    let restored = 0;
    for await (const part of services.runner.restore(blocks(container), { secret, workers, window: 2 * workers }).output)
      restored += part.length;
    restoreTimes.push(performance.now() - started);
    if (restored !== data.length) throw new CliError(`benchmark: restored ${restored} bytes of ${data.length}`, ExitCode.Internal);
  }
  const rate = (ms: number) => Math.round((data.length / 1e6 / (ms / 1000)) * 10) / 10;
  return {
    chunkSize,
    workers,
    processMBps: rate(median(processTimes)),
    restoreMBps: rate(median(restoreTimes)),
    ratio: Math.round((containerBytes / Math.max(1, data.length)) * 1000) / 1000,
  };
}

function rowLine(row: BenchmarkRow): string {
  return `${formatBytes(row.chunkSize).padEnd(12)} ${String(row.workers).padEnd(9)} ${String(row.processMBps).padEnd(14)} ${String(row.restoreMBps).padEnd(14)} ${row.ratio}`;
}

function markdownReport(pipeline: Pipeline, bytes: number, iterations: number, rows: readonly BenchmarkRow[], best: BenchmarkRow): string {
  const stages = pipeline.enabledStages.map((stage) => `${stage.stageType}:${stage.algorithm}`).join(' → ');
  return [
    '# adapipe benchmark',
    '',
    `Pipeline \`${pipeline.name}\` (${stages}), ${formatBytes(bytes)} of input, median of ${iterations} runs, in memory.`,
    `Node ${process.version}, ${availableParallelism()} cores.`,
    '',
    '| chunk size | workers | process MB/s | restore MB/s | ratio |',
    '|---:|---:|---:|---:|---:|',
    ...rows.map((row) => `| ${formatBytes(row.chunkSize)} | ${row.workers} | ${row.processMBps} | ${row.restoreMBps} | ${row.ratio} |`),
    '',
    `Recommended: chunk size ${formatBytes(best.chunkSize)}, ${best.workers} worker(s) (${best.processMBps} MB/s processing).`,
    '',
  ].join('\n');
}

const words = (
  'the of and a to in is that for it as was with be by on not he this are or his from at which but have an they you were ' +
  'pipeline chunk stage stream restore compress encrypt checksum worker buffer order window memory digest header trailer'
).split(' ');

/** Deterministic English-like text (random words, lines, numbers): compresses about as well as logs or prose. */
export function textLikeBytes(size: number): Uint8Array {
  const bytes = Buffer.alloc(size);
  let state = 0x2545f491;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return state >>> 0;
  };
  let offset = 0;
  while (offset < size) {
    const roll = next();
    const word = roll % 11 === 0 ? String(roll % 100_000) : words[roll % words.length]!;
    offset += bytes.write(roll % 13 === 0 ? `${word}\n` : `${word} `, offset);
  }
  return bytes;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function* blocks(data: Uint8Array): AsyncGenerator<Uint8Array> {
  if (data.length === 0) yield data;
  for (let offset = 0; offset < data.length; offset += 1 << 20) yield data.subarray(offset, offset + (1 << 20));
}
