import { describe, expect, it } from 'vitest';
import type { FileChunk } from '../domain/file-chunk.js';
import { PipelineStage } from '../domain/pipeline-stage.js';
import { StageConfiguration } from '../domain/stage-configuration.js';
import { StageType } from '../domain/stage-type.js';
import { PipelineError } from '../errors/pipeline-error.js';
import { BaseStageExecutor } from '../executor/base-stage-executor.js';
import { PassthroughStageExecutor } from '../executor/passthrough-stage-executor.js';
import type { StageCapability } from '../executor/stage-capability.js';
import { integer } from '../parameters/scalar-fields.js';
import { defineStageParameters } from '../parameters/stage-parameters.js';
import { assertStageExecutorConformance, stageExecutorConformanceChecks } from './conformance-kit.js';

/** A checked transform: appends a one-byte sum and verifies it on the way back. */
class SumCheckedExecutor extends BaseStageExecutor {
  readonly packageName = 'sum-plugin';
  readonly capabilities: readonly StageCapability[] = [
    {
      stageType: StageType.Transform,
      algorithm: 'sum8',
      parameters: defineStageParameters({ seed: integer({ min: 0, max: 255, default: 0 }) }),
    },
  ];
  async execute(_stage: PipelineStage, chunk: FileChunk) {
    const out = new Uint8Array(chunk.size + 1);
    out.set(chunk.data);
    out[chunk.size] = sum(chunk.data);
    return chunk.withData(out);
  }
  async reverse(stage: PipelineStage, chunk: FileChunk) {
    const body = chunk.data.subarray(0, -1);
    if (chunk.size === 0 || sum(body) !== chunk.data[chunk.size - 1]) {
      throw new PipelineError('IntegrityFailed', `Stage '${stage.name}' chunk ${chunk.sequenceNumber}: sum mismatch`);
    }
    return chunk.withData(body);
  }
}

/** Drops the last byte of every chunk: a broken round trip. */
class LossyExecutor extends SumCheckedExecutor {
  override async reverse(_stage: PipelineStage, chunk: FileChunk) {
    return chunk.withData(chunk.data.subarray(0, Math.max(0, chunk.size - 2)));
  }
}

/** Reverses the order of parallel results. */
class ShufflingExecutor extends SumCheckedExecutor {
  override async executeParallel(stage: PipelineStage, chunks: readonly FileChunk[]) {
    return Promise.all([...chunks].reverse().map((chunk) => this.execute(stage, chunk)));
  }
}

/** Declares no parameters, so accepts any. */
class LaxExecutor extends SumCheckedExecutor {
  override readonly capabilities: readonly StageCapability[] = [{ stageType: StageType.Transform, algorithm: 'sum8' }];
}

/** Declares a range but checks nothing: `validateParameters` overridden away. */
class UncheckedExecutor extends SumCheckedExecutor {
  protected override validateParameters(): void {}
}

/** Throws a plain Error on corrupt input. */
class UntypedErrorExecutor extends SumCheckedExecutor {
  override async reverse(stage: PipelineStage, chunk: FileChunk) {
    try {
      return await super.reverse(stage, chunk);
    } catch {
      throw new Error('bad');
    }
  }
}

function sum(bytes: Uint8Array): number {
  return bytes.reduce((acc, byte) => (acc + byte) & 0xff, 0);
}

const sumStage = new PipelineStage('sum', StageType.Transform, new StageConfiguration('sum8'), 0);

describe('stage executor conformance kit', () => {
  it('passes a correct checked executor', async () => {
    await assertStageExecutorConformance({ executor: new SumCheckedExecutor(), stages: [sumStage], chunkSize: 4096 });
  });

  it('passes the built-in pass-through, which detects no corruption', async () => {
    const stage = new PipelineStage('tap', StageType.PassThrough, StageConfiguration.default(), 0);
    await assertStageExecutorConformance({ executor: new PassthroughStageExecutor(), stages: [stage], detects: [] });
  });

  it('covers sizes 0, 1, chunk-1, chunk, chunk+1 and a random size on two kinds of data', () => {
    const names = stageExecutorConformanceChecks({ executor: new SumCheckedExecutor(), stages: [sumStage], chunkSize: 1024 }).map(
      (check) => check.name,
    );
    for (const size of ['(0 bytes)', '(1 bytes)', '(1023 bytes)', '(1024 bytes)', '(1025 bytes)']) {
      expect(names.filter((name) => name.endsWith(size))).toHaveLength(2);
    }
    expect(names.filter((name) => name.includes('a random size'))).toHaveLength(2);
    expect(names).toContain("transform:sum8 'sum' keeps chunk order under parallel execution");
    expect(names).toContain("transform:sum8 'sum' rejects bit-flip input");
    expect(names).toContain("transform:sum8 'sum' rejects bad parameters at validation");
  });

  it.each([
    ['a lossy round trip', new LossyExecutor(), /restored \d+ bytes differ/],
    ['shuffled parallel results', new ShufflingExecutor(), /executeParallel put chunk 5 at position 0/],
    ['an untyped error on corrupt input', new UntypedErrorExecutor(), /threw Error: bad instead of a PipelineError/],
    ['a pass-through that claims to detect corruption', new PassthroughStageExecutor(), /reverse accepted garbage input/],
    ['an executor without a parameter schema', new LaxExecutor(), /validate accepted parameter not_a_parameter="1"/],
    ['an executor that ignores its schema', new UncheckedExecutor(), /validate accepted parameter not_a_parameter="1"/],
  ])('fails %s', async (_name, executor, message) => {
    const stage =
      executor instanceof PassthroughStageExecutor
        ? new PipelineStage('tap', StageType.PassThrough, StageConfiguration.default(), 0)
        : sumStage;
    await expect(assertStageExecutorConformance({ executor, stages: [stage], chunkSize: 2048 })).rejects.toThrow(message);
  });

  it('fails an executor that does not serve the stage', async () => {
    const stage = new PipelineStage('zip', StageType.Compression, new StageConfiguration('zstd'), 0);
    await expect(assertStageExecutorConformance({ executor: new SumCheckedExecutor(), stages: [stage], chunkSize: 1024 })).rejects.toThrow(
      /sum-plugin cannot run stage 'zip' \(compression:zstd\); it serves transform:sum8/,
    );
  });
});
