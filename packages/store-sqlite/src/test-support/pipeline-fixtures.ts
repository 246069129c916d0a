import { Pipeline, PipelineStage, StageConfiguration, StageType } from '@adapipe/core';

/**
 * A pipeline exercising every stored field: parameters, a fixed chunk size, serial processing and
 * a disabled stage. It is only valid while that stage stays disabled (a transform may not follow
 * encryption), so losing the flag fails the rebuild.
 */
export function richPipeline(name = 'secure-backup'): Pipeline {
  const debug = new PipelineStage('debug', StageType.Transform, new StageConfiguration('debug', { label: 'it\'s "quoted" ✓' }), 3);
  debug.setEnabled(false);
  return new Pipeline(name, [
    new PipelineStage('input-checksum', StageType.Checksum, new StageConfiguration('sha256'), 0),
    new PipelineStage(
      'compression',
      StageType.Compression,
      new StageConfiguration('zstd', { level: '9', window: '23' }, false, 4 * 1024 * 1024),
      1,
    ),
    new PipelineStage('encryption', StageType.Encryption, new StageConfiguration('aes-256-gcm', { kdf: 'argon2id' }), 2),
    debug,
    new PipelineStage('output-checksum', StageType.Checksum, new StageConfiguration('blake3'), 4),
  ]);
}

/** A pipeline of `stageCount` checksum stages (0 to 4). */
export function checksumPipeline(name: string, stageCount = 2): Pipeline {
  const algorithms = ['sha256', 'sha512', 'blake3', 'sha256'];
  return new Pipeline(
    name,
    algorithms
      .slice(0, stageCount)
      .map((algorithm, index) => new PipelineStage(`checksum-${index}`, StageType.Checksum, new StageConfiguration(algorithm), index)),
  );
}
