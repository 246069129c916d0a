import {
  BaseStageExecutor, ContextKey, PipelineError, StageType,
  type FileChunk, type PipelineStage, type ProcessingContext, type StageCapability, type StageConfiguration, type StageDirection,
} from '@adapipe/core';
import { deltaDecode, deltaEncode } from './delta-coding.js';
import { DELTA_STRIDE_RANGE, resolveDeltaModuleOptions, type DeltaModuleOptions } from './delta-module-options.js';

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
    { stageType: StageType.Transform, algorithm: 'delta', description: 'byte-wise delta encoding, stride 1..16 (default 1)' },
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

  /** @throws {PipelineError} `InvalidConfiguration` for an unknown parameter or a `stride` outside 1..16. */
  protected override validateParameters(configuration: StageConfiguration, stage: PipelineStage): void {
    for (const name of Object.keys(configuration.parameters)) {
      if (name !== 'stride') throw new PipelineError('InvalidConfiguration', `Stage '${stage.name}' (transform:delta): unknown parameter '${name}'; delta accepts only 'stride'`);
    }
    const text = configuration.parameters.stride;
    if (text !== undefined) this.#parseStride(text, `Stage '${stage.name}' (transform:delta): parameter 'stride'`);
  }

  /** This run's stride, chosen once per run and direction and kept in the context. */
  #stride(stage: PipelineStage, context: ProcessingContext, direction: StageDirection): number {
    return context.stageState(stage.id, strideKeys[direction], () => {
      const recorded = direction === 'reverse' ? context.runParameters(stage.name)?.stride : undefined;
      if (recorded !== undefined) return this.#parseStride(recorded, `Stage '${stage.name}' (transform:delta): recorded run parameter 'stride'`);
      this.validateParameters(stage.configuration, stage);
      const configured = stage.configuration.parameters.stride;
      const stride = configured === undefined ? this.#defaultStride : Number(configured);
      if (direction === 'forward') context.setRunParameters(stage.name, { stride: String(stride) });
      return stride;
    });
  }

  #parseStride(text: string, what: string): number {
    const { min, max } = DELTA_STRIDE_RANGE;
    const stride = /^\d{1,2}$/.test(text) ? Number(text) : Number.NaN;
    if (!(stride >= min && stride <= max)) {
      throw new PipelineError('InvalidConfiguration', `${what} must be a whole number from ${min} to ${max} (default ${this.#defaultStride}), found '${text}'`);
    }
    return stride;
  }
}
