import { BaseStageExecutor, StageExecutor, StageType, type FileChunk, type PipelineStage } from '@adapipe/core';
import { ContainerModule } from 'inversify';

/** The package name the missing plugin's executor claims; containers record it for restore. */
export const MISSING_PLUGIN_PACKAGE = 'adapipe-plugin-example-missing';

/** `transform:invert`: flips every bit. Stands in for a plugin this app does not install. */
class InvertStageExecutor extends BaseStageExecutor {
  readonly packageName = MISSING_PLUGIN_PACKAGE;
  readonly capabilities = [{ stageType: StageType.Transform, algorithm: 'invert' }];

  async execute(_stage: PipelineStage, chunk: FileChunk): Promise<FileChunk> {
    return chunk.withData(chunk.data.map((byte) => byte ^ 0xff));
  }

  async reverse(stage: PipelineStage, chunk: FileChunk): Promise<FileChunk> {
    return this.execute(stage, chunk);
  }
}

/**
 * A tiny plugin module defined in the app itself, loaded only into a second services container so
 * the app can write a container that its own (core + compression) services cannot restore.
 */
export function exampleMissingPluginModule(): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(StageExecutor).toConstantValue(new InvertStageExecutor());
  });
}
