// A transform that reverses the bytes of each chunk, packaged as a third-party plugin.
import { BaseStageExecutor, StageExecutor, StageType } from '@adapipe/core';
import { ContainerModule } from 'inversify';

class ReverseExecutor extends BaseStageExecutor {
  packageName = 'adapipe-plugin-fixture-reverse';
  capabilities = [{ stageType: StageType.Transform, algorithm: 'fixture-reverse', description: 'reverses each chunk' }];
  async execute(_stage, chunk) {
    return chunk.withData(Uint8Array.from(chunk.data).reverse());
  }
  async reverse(stage, chunk) {
    return this.execute(stage, chunk);
  }
}

/** The plugin's DI module, as `adapipe --plugin adapipe-plugin-fixture-reverse` loads it. */
export default new ContainerModule(({ bind }) => {
  bind(StageExecutor).toConstantValue(new ReverseExecutor());
});
