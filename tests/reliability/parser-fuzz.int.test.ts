import { describe, expect, it } from 'vitest';
import { officialServices } from '../test-support/official-services.js';
import { FUZZ_FAMILIES, FUZZ_OPERATIONS, type FuzzFailure, fuzz } from './test-support/parser-fuzz.mjs';

const { runner } = officialServices();
const seconds = Number(process.env.ADAPIPE_FUZZ_SECONDS ?? 15);
const seed =
  process.env.ADAPIPE_FUZZ_SEED === undefined ? (Date.now() ^ (process.pid << 16)) >>> 0 : Number(process.env.ADAPIPE_FUZZ_SEED) >>> 0;
const MiB = 2 ** 20;

function describeFailure(failure: FuzzFailure): string {
  return [
    `${failure.operation}: ${failure.problem}`,
    `${failure.family}: ${failure.detail}`,
    `replay: node scripts/fuzz-parser.mjs --seed ${failure.seed} --input-seed ${failure.inputSeed}`,
    `input (${failure.hex.length / 2} bytes): ${failure.hex.slice(0, 400)}${failure.hex.length > 400 ? '…' : ''}`,
  ].join('\n');
}

describe('the header and chunk parsers under fuzzing', () => {
  it(
    `settle every input with a PipelineError or success, in time and bounded memory (${seconds} s, seed ${seed})`,
    async () => {
      const report = await fuzz({ runner, seconds, seed, timeoutMs: 5000 });
      const summary = Object.entries(report.outcomes)
        .map(([operation, counts]) => `${operation}: ${JSON.stringify(counts)}`)
        .join('\n');
      console.info(
        `fuzz seed ${seed}: ${report.inputs} inputs, ${report.perSecond.toFixed(0)}/s, live memory growth ${(report.liveGrowthBytes / MiB).toFixed(1)} MiB, RSS growth ${(report.rssGrowthBytes / MiB).toFixed(1)} MiB, largest jump ${(report.rssMaxJumpBytes / MiB).toFixed(1)} MiB\n${summary}`,
      );

      expect(report.failures.map(describeFailure)).toEqual([]);
      expect(report.liveGrowthBytes, 'live memory growth after warm-up (after a full GC)').toBeLessThan(16 * MiB);
      expect(report.rssMaxJumpBytes, 'RSS growth over one input').toBeLessThan(64 * MiB);
      for (const family of FUZZ_FAMILIES) expect(report.families[family], family).toBeGreaterThan(0);
      for (const operation of FUZZ_OPERATIONS) expect(Object.keys(report.outcomes[operation]).length, operation).toBeGreaterThan(0);
      const restored = report.outcomes.restore;
      for (const kind of ['NotAContainer', 'UnsupportedFormat', 'CorruptContainer', 'LimitExceeded']) {
        expect(restored[kind] ?? 0, `no input reached a ${kind}`).toBeGreaterThan(0);
      }
      expect(report.outcomes.readHeader.ok ?? 0, 'no input got past the header parser').toBeGreaterThan(0);
    },
    (seconds + 30) * 1000,
  );
});
