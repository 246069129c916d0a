import { PipelineStage } from '../domain/pipeline-stage.js';
import { StageConfiguration } from '../domain/stage-configuration.js';
import type { StageType } from '../domain/stage-type.js';

/**
 * A stage for tests, in one call: `new PipelineStage(name, type, new StageConfiguration(algorithm, parameters), order)`.
 *
 * @example
 * ```ts
 * const stage = testStage('pack', StageType.Compression, 'zstd', { level: '9' });
 * ```
 */
export function testStage(
  name: string,
  type: StageType,
  algorithm: string,
  parameters: Readonly<Record<string, string>> = {},
  order = 0,
): PipelineStage {
  return new PipelineStage(name, type, new StageConfiguration(algorithm, parameters), order);
}
