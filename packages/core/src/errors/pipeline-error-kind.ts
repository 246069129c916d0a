/**
 * Every kind of failure adapipe reports. The first group comes from the seed's domain; the rest
 * name the runner, container and CLI failures that need their own exit code or handling.
 */
export const PipelineErrorKind = {
  InvalidConfiguration: 'InvalidConfiguration',
  IncompatibleStages: 'IncompatibleStages',
  ValidationError: 'ValidationError',
  ResourceExhaustion: 'ResourceExhaustion',
  ExecutorNotFound: 'ExecutorNotFound',
  DuplicateExecutor: 'DuplicateExecutor',
  CompressionFailed: 'CompressionFailed',
  EncryptionFailed: 'EncryptionFailed',
  IntegrityFailed: 'IntegrityFailed',
  ProcessingFailed: 'ProcessingFailed',
  IoError: 'IoError',
  InputError: 'InputError',
  InputChanged: 'InputChanged',
  OutputError: 'OutputError',
  NotAContainer: 'NotAContainer',
  UnsupportedFormat: 'UnsupportedFormat',
  CorruptContainer: 'CorruptContainer',
  WrongKey: 'WrongKey',
  LimitExceeded: 'LimitExceeded',
  Cancelled: 'Cancelled',
  Internal: 'Internal',
} as const;

/** One of the {@link PipelineErrorKind} values. */
export type PipelineErrorKind = (typeof PipelineErrorKind)[keyof typeof PipelineErrorKind];
