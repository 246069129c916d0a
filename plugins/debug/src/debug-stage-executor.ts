import { BaseStageExecutor, type FileChunk, observingCapabilities, type PipelineStage, type StageCapability } from '@adapipe/core';
import { DebugMetrics } from './debug-metrics.js';
import { debugParameters } from './debug-parameters.js';

const description = 'counts bytes and chunks in Prometheus metrics; per-chunk SHA-256 on request';

/**
 * The debug stage (`transform:debug`, or `passthrough:debug`, which may also follow encryption): hands every chunk on unchanged, both ways, and counts it
 * in Prometheus metrics through {@link DebugMetrics} — bytes and chunks per `label` and
 * `direction` (`forward` when processing, `reverse` when restoring) and, if enabled, each chunk's
 * SHA-256 and size. It keeps no per-run state.
 *
 * @example
 * ```ts
 * const executor = new DebugStageExecutor(new DebugMetrics({ registry }));
 * const stage = new PipelineStage('after-compress', StageType.Transform, new StageConfiguration('debug'), 2);
 * ```
 */
export class DebugStageExecutor extends BaseStageExecutor {
  readonly packageName = '@adapipe/plugin-debug';
  readonly capabilities: readonly StageCapability[] = observingCapabilities('debug', description, debugParameters);
  protected override readonly throughputBytesPerSecond: number;

  /** @param metrics where to report; default a {@link DebugMetrics} on a new registry. */
  constructor(readonly metrics: DebugMetrics = new DebugMetrics()) {
    super();
    this.throughputBytesPerSecond = metrics.perChunkMetrics ? 1_500_000_000 : 10_000_000_000;
  }

  /** Counts the chunk (direction `forward`) and returns it unchanged. */
  async execute(stage: PipelineStage, chunk: FileChunk): Promise<FileChunk> {
    this.metrics.record(labelOf(stage), 'forward', chunk);
    return chunk;
  }

  /** Counts the chunk (direction `reverse`) and returns it unchanged. */
  async reverse(stage: PipelineStage, chunk: FileChunk): Promise<FileChunk> {
    this.metrics.record(labelOf(stage), 'reverse', chunk);
    return chunk;
  }
}

function labelOf(stage: PipelineStage): string {
  return debugParameters.parse(stage).label ?? stage.name;
}
