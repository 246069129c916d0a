import { injectable } from 'inversify';
import type { FileChunk } from '../domain/file-chunk.js';
import { StageType } from '../domain/stage-type.js';
import { BaseStageExecutor } from './base-stage-executor.js';
import { defineStageParameters } from '../parameters/stage-parameters.js';
import type { StageCapability } from './stage-capability.js';

/** The built-in pass-through stage: hands every chunk on unchanged, both ways. */
@injectable()
export class PassthroughStageExecutor extends BaseStageExecutor {
  readonly packageName = '@adapipe/core';
  readonly capabilities: readonly StageCapability[] = [
    {
      stageType: StageType.PassThrough,
      algorithm: 'passthrough',
      aliases: ['default', 'identity'],
      description: 'hands data on unchanged',
      parameters: defineStageParameters({}),
    },
  ];
  protected override readonly throughputBytesPerSecond = 10_000_000_000;

  async execute(_stage: unknown, chunk: FileChunk): Promise<FileChunk> {
    return chunk;
  }

  async reverse(_stage: unknown, chunk: FileChunk): Promise<FileChunk> {
    return chunk;
  }
}
