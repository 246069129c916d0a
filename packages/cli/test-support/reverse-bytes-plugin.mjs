// A third-party plugin as `--plugin` loads it: a transform that reverses the bytes of each chunk.
import { BaseStageExecutor, StageExecutor, StageType } from '@adapipe/core';
import { ContainerModule } from 'inversify';

class ReverseBytesExecutor extends BaseStageExecutor {
  packageName = 'adapipe-test-reverse-bytes';
  capabilities = [{ stageType: StageType.Transform, algorithm: 'reverse-bytes' }];
  async execute(_stage, chunk) {
    return chunk.withData(Uint8Array.from(chunk.data).reverse());
  }
  async reverse(stage, chunk) {
    return this.execute(stage, chunk);
  }
}

export default new ContainerModule(({ bind }) => {
  bind(StageExecutor).toConstantValue(new ReverseBytesExecutor());
});
