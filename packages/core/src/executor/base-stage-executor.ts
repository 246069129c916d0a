import type { FileChunk } from '../domain/file-chunk.js';
import type { PipelineStage } from '../domain/pipeline-stage.js';
import type { ProcessingContext } from '../domain/processing-context.js';
import { ResourceRequirements } from '../domain/resource-requirements.js';
import type { StageConfiguration } from '../domain/stage-configuration.js';
import { PipelineError } from '../errors/pipeline-error.js';
import { capabilityServes, type StageCapability } from './stage-capability.js';
import type { StageExecutor } from './stage-executor.js';

/**
 * A starting point for executors: implement `execute` and `reverse` (and optionally
 * `validateParameters`, `startRun`, `finishRun`); the parallel variants, validation, capability
 * checks and estimates come from here.
 *
 * @example
 * ```ts
 * @injectable()
 * class ReverseBytesExecutor extends BaseStageExecutor {
 *   readonly packageName = 'my-adapipe-plugin';
 *   readonly capabilities = [{ stageType: StageType.Transform, algorithm: 'reverse-bytes' }];
 *   async execute(stage, chunk) { return chunk.withData(chunk.data.slice().reverse()); }
 *   async reverse(stage, chunk) { return chunk.withData(chunk.data.slice().reverse()); }
 * }
 * ```
 */
export abstract class BaseStageExecutor implements StageExecutor {
  abstract readonly packageName: string;
  abstract readonly capabilities: readonly StageCapability[];

  /** Throughput assumed by {@link BaseStageExecutor.estimateProcessingTime}, in bytes per second. */
  protected readonly throughputBytesPerSecond: number = 200_000_000;

  abstract execute(stage: PipelineStage, chunk: FileChunk, context: ProcessingContext): Promise<FileChunk>;

  abstract reverse(stage: PipelineStage, chunk: FileChunk, context: ProcessingContext): Promise<FileChunk>;

  /** Runs `execute` on every chunk concurrently, keeping input order. */
  executeParallel(stage: PipelineStage, chunks: readonly FileChunk[], context: ProcessingContext): Promise<FileChunk[]> {
    return Promise.all(chunks.map((chunk) => this.execute(stage, chunk, context)));
  }

  /** Runs `reverse` on every chunk concurrently, keeping input order. */
  reverseParallel(stage: PipelineStage, chunks: readonly FileChunk[], context: ProcessingContext): Promise<FileChunk[]> {
    return Promise.all(chunks.map((chunk) => this.reverse(stage, chunk, context)));
  }

  /** Checks the stage's type and algorithm against `capabilities`, then its parameters. */
  validate(stage: PipelineStage): void {
    if (this.capabilityFor(stage) === undefined) {
      const served = this.capabilities.map((c) => `${c.stageType}:${c.algorithm}`).join(', ');
      throw new PipelineError(
        'ExecutorNotFound',
        `${this.packageName} cannot run stage '${stage.name}' (${stage.stageType}:${stage.algorithm}); it serves ${served}`,
      );
    }
    this.validateParameters(stage.configuration, stage);
  }

  async canExecute(stage: PipelineStage): Promise<boolean> {
    try {
      this.validate(stage);
      return true;
    } catch (error) {
      if (PipelineError.is(error)) return false;
      throw error;
    }
  }

  supportedStageTypes(): string[] {
    return [...new Set(this.capabilities.map((capability) => capability.stageType))];
  }

  async estimateProcessingTime(_stage: PipelineStage, dataSize: number): Promise<number> {
    return (dataSize / this.throughputBytesPerSecond) * 1000;
  }

  async getResourceRequirements(stage: PipelineStage, dataSize: number): Promise<ResourceRequirements> {
    return ResourceRequirements.default().withDuration(await this.estimateProcessingTime(stage, dataSize));
  }

  /** The capability matching the stage's type and algorithm (aliases included), if any. */
  protected capabilityFor(stage: PipelineStage): StageCapability | undefined {
    return this.capabilities.find((capability) => capabilityServes(capability, stage));
  }

  /**
   * Checks the stage's parameters against its capability's `parameters` schema; without a schema
   * any parameters pass. Override to add checks across parameters (call `super` first).
   *
   * @throws {PipelineError} `InvalidConfiguration` naming the stage, the parameter, what was
   * expected and what was found.
   */
  protected validateParameters(_configuration: StageConfiguration, stage: PipelineStage): void {
    this.capabilityFor(stage)?.parameters?.parse(stage);
  }
}
