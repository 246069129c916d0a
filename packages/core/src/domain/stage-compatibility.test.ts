import { describe, expect, it } from 'vitest';
import { PipelineStage } from './pipeline-stage.js';
import { StageConfiguration } from './stage-configuration.js';
import { StageType } from './stage-type.js';

const { Compression: C, Encryption: E, Checksum: K, PassThrough: P, Transform: T } = StageType;

/** The seed's matrix, row by row: from → [compression, encryption, checksum, passthrough, transform]. */
const matrix: ReadonlyArray<readonly [StageType, readonly boolean[]]> = [
  [C, [false, true, true, true, true]],
  [E, [false, false, true, true, false]],
  [K, [true, true, true, true, true]],
  [P, [true, true, true, true, true]],
  [T, [true, true, true, true, true]],
];
const columns = [C, E, K, P, T] as const;

const stage = (type: StageType, order: number) => new PipelineStage(`${type}-${order}`, type, StageConfiguration.default(), order);

describe('PipelineStage.isCompatibleWith follows the seed matrix', () => {
  const cases = matrix.flatMap(([from, row]) => columns.map((to, index) => [from, to, row[index]!] as const));
  it.each(cases)('%s → %s is %s', (from, to, expected) => {
    expect(stage(from, 0).isCompatibleWith(stage(to, 1))).toBe(expected);
  });
});
