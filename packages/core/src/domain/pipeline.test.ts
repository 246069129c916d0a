import { describe, expect, it } from 'vitest';
import { PipelineError } from '../errors/pipeline-error.js';
import { Pipeline } from './pipeline.js';
import { PipelineStage } from './pipeline-stage.js';
import { StageConfiguration } from './stage-configuration.js';
import { StageType } from './stage-type.js';

const stage = (name: string, type: StageType, algorithm = 'default', order = 0) =>
  new PipelineStage(name, type, new StageConfiguration(algorithm), order);

const secureBackup = () =>
  new Pipeline('secure-backup', [
    stage('input-checksum', StageType.Checksum, 'sha256', 0),
    stage('compress', StageType.Compression, 'zstd', 1),
    stage('encrypt', StageType.Encryption, 'aes-256-gcm', 2),
    stage('output-checksum', StageType.Checksum, 'sha256', 3),
  ]);

const names = (pipeline: Pipeline) => pipeline.stages.map((s) => s.name);

describe('Pipeline', () => {
  it('sorts stages by order and renumbers them densely', () => {
    const pipeline = new Pipeline('p', [stage('b', StageType.Compression, 'zstd', 7), stage('a', StageType.Checksum, 'sha256', 3)]);
    expect(names(pipeline)).toEqual(['a', 'b']);
    expect(pipeline.stages.map((s) => s.order)).toEqual([0, 1]);
  });

  it('rejects incompatible neighbours naming both stages', () => {
    expect(
      () => new Pipeline('bad', [stage('enc', StageType.Encryption, 'aes', 0), stage('zip', StageType.Compression, 'zstd', 1)]),
    ).toThrow(
      expect.objectContaining({
        kind: 'IncompatibleStages',
        message:
          "Pipeline 'bad': stage 'enc' (encryption) cannot be followed by stage 'zip' (compression): cannot compress encrypted data; compress or transform before encrypting",
      }),
    );
  });

  it('sees through checksum and pass-through stages: compress → checksum → compress is double compression', () => {
    expect(
      () =>
        new Pipeline('double', [
          stage('zip1', StageType.Compression, 'zstd'),
          stage('sum', StageType.Checksum, 'sha256', 1),
          stage('zip2', StageType.Compression, 'gzip', 2),
        ]),
    ).toThrow("stage 'zip1' (compression) cannot be followed by stage 'zip2' (compression): double compression is not allowed");
  });

  it('rejects duplicate stage names and empty names', () => {
    expect(() => new Pipeline('p', [stage('x', StageType.Checksum), stage('x', StageType.PassThrough, 'default', 1)])).toThrow(
      "Pipeline 'p' has two stages named 'x'; stage names must be unique",
    );
    expect(() => new Pipeline(' ')).toThrow('Pipeline name cannot be empty');
  });

  it('adds, removes and reorders stages, keeping the order dense', () => {
    const pipeline = secureBackup();
    pipeline.addStage(stage('tap', StageType.PassThrough, 'tee'), 1);
    expect(names(pipeline)).toEqual(['input-checksum', 'tap', 'compress', 'encrypt', 'output-checksum']);
    pipeline.reorderStage('tap', 4);
    expect(names(pipeline)).toEqual(['input-checksum', 'compress', 'encrypt', 'output-checksum', 'tap']);
    expect(pipeline.removeStage('input-checksum').name).toBe('input-checksum');
    expect(pipeline.stages.map((s) => [s.name, s.order])).toEqual([
      ['compress', 0],
      ['encrypt', 1],
      ['output-checksum', 2],
      ['tap', 3],
    ]);
  });

  it('leaves the pipeline unchanged when a change is rejected', () => {
    const pipeline = secureBackup();
    const before = names(pipeline);
    expect(() => pipeline.reorderStage('encrypt', 0)).toThrow(PipelineError);
    expect(() => pipeline.addStage(stage('zip2', StageType.Compression, 'gzip'))).toThrow(/cannot compress encrypted data/);
    expect(() => pipeline.addStage(stage('late', StageType.Checksum), 9)).toThrow('expected 0..4');
    expect(() => pipeline.removeStage('nope')).toThrow(
      "Pipeline 'secure-backup' has no stage 'nope'; its stages are: input-checksum, compress, encrypt, output-checksum",
    );
    expect(names(pipeline)).toEqual(before);
    expect(pipeline.stages.map((s) => s.order)).toEqual([0, 1, 2, 3]);
  });

  it('keeps disabled stages but skips them, in runs and in validation', () => {
    const pipeline = new Pipeline(
      'p',
      [stage('enc', StageType.Encryption, 'aes'), stage('zip', StageType.Compression, 'zstd', 1)].map((s, index) => {
        if (index === 1) s.setEnabled(false);
        return s;
      }),
    );
    expect(pipeline.enabledStages.map((s) => s.name)).toEqual(['enc']);
    expect(pipeline.stages).toHaveLength(2);
    expect(() => pipeline.setStageEnabled('zip', true)).toThrow(expect.objectContaining({ kind: 'IncompatibleStages' }));
    expect(pipeline.findStage('zip')?.enabled).toBe(false);
    pipeline.setStageEnabled('enc', false);
    pipeline.setStageEnabled('zip', true);
    expect(pipeline.enabledStages.map((s) => s.name)).toEqual(['zip']);
  });

  it('round trips through JSON with ids, times, flags and parameters', () => {
    const pipeline = secureBackup();
    pipeline.findStage('compress')!.updateConfiguration(new StageConfiguration('zstd', { level: '3' }, true, 4096));
    pipeline.setStageEnabled('output-checksum', false);
    const json = JSON.parse(JSON.stringify(pipeline));
    const copy = Pipeline.fromJSON(json);
    expect(copy.toJSON()).toEqual(pipeline.toJSON());
    expect(copy.id).toBe(pipeline.id);
    expect(copy.findStage('compress')!.configuration.parameters).toEqual({ level: '3' });
    expect(copy.findStage('compress')!.configuration.chunkSize).toBe(4096);
  });

  it('rejects malformed JSON with a typed error', () => {
    expect(() => Pipeline.fromJSON({ name: 'x' } as never)).toThrow(expect.objectContaining({ kind: 'InvalidConfiguration' }));
    expect(() =>
      Pipeline.fromJSON({ name: 'x', stages: [{ name: 's', stageType: 'zip', configuration: { algorithm: 'a' } }] } as never),
    ).toThrow("Unknown stage type 'zip': expected one of compression, encryption, transform, checksum, passthrough");
  });

  it('reports the latest stage change as its updatedAt, even within the millisecond it was built in', () => {
    // Built and changed 500 times: stages made a millisecond before their pipeline used to give a
    // change stamped no later than the pipeline's own time.
    for (let round = 0; round < 500; round++) {
      const pipeline = secureBackup();
      const before = pipeline.updatedAt.getTime();
      pipeline.findStage('compress')!.updateOrder(1);
      expect(pipeline.updatedAt.getTime()).toBeGreaterThan(before);
    }
  });
});
