import { readFile, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import type { AdapipeServices, Pipeline } from '@adapipe/core';
import { formatBytes, parseByteSize } from '../byte-size.js';
import type { CliContext } from '../cli-context.js';
import { CliError, ExitCode } from '../exit-code.js';
import { openStore } from './open-store.js';
import { formatStageSpec } from '../stage-spec.js';
import { saveTuning, tuningPath } from '../tuning.js';
import { type PipelineChoice, resolvePipeline } from './resolve-pipeline.js';

/** Options of `adapipe benchmark`. */
export interface BenchmarkCommandOptions extends PipelineChoice {
  readonly size?: string;
  readonly file?: string;
  readonly iterations?: string;
  readonly chunkSizes?: string;
  readonly workers?: string;
  readonly report?: string;
  /** False with `--no-save`: do not save the recommendation for `process`. */
  readonly save?: boolean;
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
export async function benchmarkCommand(context: CliContext, options: BenchmarkCommandOptions): Promise<void> {
  const sizeMb = options.size === undefined ? 64 : Number(options.size);
  if (!Number.isFinite(sizeMb) || sizeMb <= 0 || sizeMb > 4096)
    throw new CliError(`--size ${options.size}: expected megabytes from 1 to 4096`, ExitCode.Usage);
  const iterations = options.iterations === undefined ? 3 : Number(options.iterations);
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > 50)
    throw new CliError(`--iterations ${options.iterations}: expected a whole number from 1 to 50`, ExitCode.Usage);
  const chunkSizes = (options.chunkSizes ?? '1M,4M,16M').split(',').map((text) => parseByteSize(text.trim(), '--chunk-sizes'));
  const workerCounts = (options.workers ?? [...new Set([1, availableParallelism()])].join(',')).split(',').map((text) => {
    const workers = Number(text);
    if (!Number.isInteger(workers) || workers < 1 || workers > 64)
      throw new CliError(`--workers ${text}: expected whole numbers from 1 to 64`, ExitCode.Usage);
    return workers;
  });
  const data = options.file === undefined ? textLikeBytes(Math.round(sizeMb * 1_000_000)) : new Uint8Array(await readFile(options.file));
  const chosen = await resolvePipeline(options, () => openStore(context.options.db));
  const rows: BenchmarkRow[] = [];
  for (const workers of workerCounts) {
    const services = await context.services(chosen.plugins);
    for (const chunkSize of chunkSizes) {
      rows.push(await measure(services, chosen.pipeline, data, chunkSize, workers, iterations));
      context.info(rowLine(rows.at(-1)!));
    }
  }
  const best = [...rows].sort((a, b) => b.processMBps - a.processMBps)[0]!;
  const reportPath = options.report;
  if (reportPath !== undefined) await writeFile(reportPath, markdownReport(chosen.pipeline, data.length, iterations, rows, best));
  const saved = options.save === false ? undefined : await tuningPath(context.options.db);
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
  context.result(
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
