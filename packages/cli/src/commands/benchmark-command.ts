import { readFile } from 'node:fs/promises';
import { compressibleBytes } from '@adapipe/core/testing';
import type { CliContext } from '../cli-context.js';
import { CliError, ExitCode } from '../exit-code.js';
import { parseByteSize } from '../byte-size.js';
import { type PipelineChoice, resolvePipeline } from './resolve-pipeline.js';
import { openStore } from './open-store.js';

/** Options of `adapipe benchmark`. */
export interface BenchmarkCommandOptions extends PipelineChoice {
  readonly size?: string;
  readonly file?: string;
  readonly chunkSize?: string;
}

/**
 * `adapipe benchmark`: runs the real pipeline (process, then restore) over generated text-like data
 * or a file, in memory, and reports throughput both ways.
 */
export async function benchmarkCommand(context: CliContext, options: BenchmarkCommandOptions): Promise<void> {
  const sizeMb = options.size === undefined ? 64 : Number(options.size);
  if (!Number.isFinite(sizeMb) || sizeMb <= 0 || sizeMb > 4096) throw new CliError(`--size ${options.size}: expected megabytes from 1 to 4096`, ExitCode.Usage);
  const data = options.file === undefined ? compressibleBytes(Math.round(sizeMb * 1_000_000)) : new Uint8Array(await readFile(options.file));
  const chosen = await resolvePipeline(options, () => openStore(context.options.db));
  const chunkSize = options.chunkSize === undefined ? chosen.chunkSize : parseByteSize(options.chunkSize, '--chunk-size');
  const { runner } = await context.services(chosen.plugins);
  const secret = { kind: 'key', key: new Uint8Array(32).fill(42) } as const;
  const started = performance.now();
  const processed = runner.process(blocks(data), { pipeline: chosen.pipeline, secret, ...(chunkSize === undefined ? {} : { chunkSize }) });
  const parts: Uint8Array[] = [];
  for await (const part of processed.output) parts.push(part);
  const processMs = performance.now() - started;
  const restoreStarted = performance.now();
  const restored = runner.restore(blocks(Buffer.concat(parts)), { secret });
  let restoredBytes = 0;
  for await (const part of restored.output) restoredBytes += part.length;
  const restoreMs = performance.now() - restoreStarted;
  const result = await processed.result;
  const report = {
    command: 'benchmark',
    pipeline: chosen.pipeline.name,
    bytes: data.length,
    chunkSize: result.chunkSize,
    containerBytes: result.bytesOut,
    processMBps: Math.round((data.length / 1e6 / (processMs / 1000)) * 10) / 10,
    restoreMBps: Math.round((restoredBytes / 1e6 / (restoreMs / 1000)) * 10) / 10,
  };
  context.result(report, [
    `pipeline ${report.pipeline}, ${report.bytes} bytes in ${report.chunkSize}-byte chunks`,
    `process: ${report.processMBps} MB/s   restore: ${report.restoreMBps} MB/s   ratio: ${(report.containerBytes / report.bytes).toFixed(3)}`,
  ]);
}

async function* blocks(data: Uint8Array): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < data.length || offset === 0; offset += 1 << 20) {
    yield data.subarray(offset, offset + (1 << 20));
    if (data.length === 0) return;
  }
}
