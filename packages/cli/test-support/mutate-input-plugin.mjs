// A test plugin loaded with `--plugin`: a pass-through stage that, when chunk `chunk` goes through
// it while processing, changes the file at `path` the way `action` says, so a test can change an
// input deterministically while adapipe reads it:
//   truncate — cut the file to half its size;
//   rewrite  — overwrite 1 MiB from `offset` (default 1 MiB) with other bytes, keeping the size;
//   append   — add 64 KiB at the end.
// Spec: transform:mutate-input:path=in.bin;chunk=1;action=truncate
import { appendFileSync, openSync, closeSync, statSync, truncateSync, writeSync } from 'node:fs';
import { BaseStageExecutor, StageExecutor, StageType } from '@adapipe/core';
import { ContainerModule } from 'inversify';

const mebibyte = 1 << 20;

const actions = {
  truncate: (path) => truncateSync(path, Math.floor(statSync(path).size / 2)),
  rewrite: (path, parameters) => {
    const descriptor = openSync(path, 'r+');
    try {
      writeSync(descriptor, Buffer.alloc(mebibyte, 0x5a), 0, mebibyte, Number(parameters.offset ?? mebibyte));
    } finally {
      closeSync(descriptor);
    }
  },
  append: (path) => appendFileSync(path, Buffer.alloc(64 * 1024, 0xa5)),
};

class MutateInputExecutor extends BaseStageExecutor {
  packageName = 'adapipe-test-mutate-input';
  capabilities = [{ stageType: StageType.Transform, algorithm: 'mutate-input' }];
  validateParameters(configuration) {
    const { path, chunk, action } = configuration.parameters;
    if (path === undefined || chunk === undefined || !(action in actions)) {
      throw new Error(`mutate-input needs path, chunk and action (${Object.keys(actions).join(', ')})`);
    }
  }
  async execute(stage, chunk) {
    const parameters = stage.configuration.parameters;
    if (chunk.sequenceNumber === Number(parameters.chunk)) actions[parameters.action](parameters.path, parameters);
    return chunk;
  }
  async reverse(_stage, chunk) {
    return chunk;
  }
}

export default new ContainerModule(({ bind }) => {
  bind(StageExecutor).toConstantValue(new MutateInputExecutor());
});
