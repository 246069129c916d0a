import type { RunResult } from '@adapipe/core';
import { formatBytes } from '../byte-size.js';

/** One human line about a finished run: sizes, ratio, throughput. */
export function summaryLine(verb: string, from: string, to: string, result: RunResult): string {
  const seconds = Math.max(result.durationMs, 1) / 1000;
  const original = verb === 'processed' ? result.bytesIn : result.bytesOut;
  const ratio = result.bytesIn === 0 ? 1 : result.bytesOut / result.bytesIn;
  return `${from} -> ${to}: ${verb} ${formatBytes(result.bytesIn)} -> ${formatBytes(result.bytesOut)} (${(ratio * 100).toFixed(1)}%) in ${result.chunkCount} chunks, ${(original / 1e6 / seconds).toFixed(1)} MB/s`;
}

/** The JSON fields of a finished run. */
export function runResultJson(result: RunResult): Record<string, unknown> {
  return {
    bytesIn: result.bytesIn,
    bytesOut: result.bytesOut,
    chunkCount: result.chunkCount,
    chunkSize: result.chunkSize,
    digestAlgorithm: result.header.digestAlgorithm,
    digest: result.digest,
    durationMs: Math.round(result.durationMs),
    pipeline: result.header.pipeline,
    stages: Object.fromEntries(
      [...result.stageMetrics].map(([name, metrics]) => [name, { ...metrics, durationMs: Math.round(metrics.durationMs * 100) / 100 }]),
    ),
    checksums: Object.fromEntries(result.checksums),
  };
}
