import {
  BaseStageExecutor,
  ContextKey,
  StageType,
  type FileChunk,
  type PipelineStage,
  type ProcessingContext,
  type StageCapability,
  type StageDirection,
} from '@adapipe/core';
import { deltaDecode, deltaEncode } from './delta-coding.js';
import { resolveDeltaModuleOptions, type DeltaModuleOptions } from './delta-module-options.js';
import { deltaParameters } from './delta-parameters.js';

const strideKeys = {
  forward: new ContextKey<number>('adapipe-plugin-example-delta/forward-stride'),
  reverse: new ContextKey<number>('adapipe-plugin-example-delta/reverse-stride'),
} as const;

/**
 * `transform:delta`: byte-wise delta encoding per chunk (see {@link deltaEncode}), with parameter
 * `stride` (1..16, default 1; 2 for 16-bit samples, 4 for 32-bit). The stride a run uses is
 * recorded as a run parameter, so a container restores even where the module default differs.
 * Chunks are independent, so they run in parallel; the executor itself holds no per-run state.
 */
export class DeltaStageExecutor extends BaseStageExecutor {
  readonly packageName = 'adapipe-plugin-example-delta';
  readonly capabilities: readonly StageCapability[] = [
    {
      stageType: StageType.Transform,
      algorithm: 'delta',
      description: 'byte-wise delta encoding, stride 1..16',
      parameters: deltaParameters,
    },
  ];
  protected override readonly throughputBytesPerSecond = 400_000_000;
  readonly #defaultStride: number;

  /** @throws {TypeError | RangeError} naming the option, as {@link resolveDeltaModuleOptions}. */
  constructor(options: DeltaModuleOptions = {}) {
    super();
    this.#defaultStride = resolveDeltaModuleOptions(options).defaultStride;
  }

  async startRun(stage: PipelineStage, context: ProcessingContext, direction: StageDirection): Promise<void> {
    this.#stride(stage, context, direction);
  }

  async execute(stage: PipelineStage, chunk: FileChunk, context: ProcessingContext): Promise<FileChunk> {
    return chunk.withData(deltaEncode(chunk.data, this.#stride(stage, context, 'forward')));
  }

  async reverse(stage: PipelineStage, chunk: FileChunk, context: ProcessingContext): Promise<FileChunk> {
    return chunk.withData(deltaDecode(chunk.data, this.#stride(stage, context, 'reverse')));
  }

  /** This run's stride: the one recorded in the container when restoring, else the stage's; chosen once per run and direction. */
  #stride(stage: PipelineStage, context: ProcessingContext, direction: StageDirection): number {
    return context.stageState(stage.id, strideKeys[direction], () => {
      const recorded = direction === 'reverse' ? context.runParameters(stage.name) : undefined;
      if (recorded !== undefined) return deltaParameters.parseRecorded(stage, recorded).stride ?? this.#defaultStride;
      const stride = deltaParameters.parse(stage).stride ?? this.#defaultStride;
      if (direction === 'forward') context.setRunParameters(stage.name, { stride: String(stride) });
      return stride;
    });
  }
}
