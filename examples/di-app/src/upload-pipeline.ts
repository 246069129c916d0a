import { Pipeline, PipelineStage, StageConfiguration, StageType } from '@adapipe/core';

/** The DI token of the {@link Pipeline} every upload runs through (see {@link createUploadPipeline}). */
export const UploadPipeline: unique symbol = Symbol.for('adapipe-example-di-app/UploadPipeline');

/** The debug label of the upload pipeline's metrics: `debug_stage_bytes_total{label="upload",…}`. */
export const uploadDebugLabel = 'upload';

/**
 * The pipeline uploads are stored with: sha256 of the original → debug (metrics labelled
 * `upload`) → zstd → aes-256-gcm → sha256 of what is stored.
 */
export function createUploadPipeline(): Pipeline {
  const stages = [
    new PipelineStage('input-sha256', StageType.Checksum, new StageConfiguration('sha256'), 0),
    new PipelineStage('upload-metrics', StageType.PassThrough, new StageConfiguration('debug', { label: uploadDebugLabel }), 1),
    new PipelineStage('compress', StageType.Compression, new StageConfiguration('zstd'), 2),
    new PipelineStage('encrypt', StageType.Encryption, new StageConfiguration('aes-256-gcm'), 3),
    new PipelineStage('output-sha256', StageType.Checksum, new StageConfiguration('sha256'), 4),
  ];
  return new Pipeline('di-app-upload', stages);
}
