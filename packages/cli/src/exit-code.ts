import { PipelineError, type PipelineErrorKind } from '@adapipe/core';

/** The `adapipe` command's exit codes; stable across releases and documented in the README. */
export const ExitCode = {
  Ok: 0,
  Internal: 1,
  Usage: 2,
  Input: 3,
  Output: 4,
  Differ: 5,
  InputChanged: 6,
  Unsupported: 10,
  Corrupt: 11,
  WrongKey: 12,
  LimitExceeded: 13,
  Interrupted: 130,
  BrokenPipe: 141,
  Terminated: 143,
} as const;

/** One of the {@link ExitCode} values. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

const byKind: Partial<Record<PipelineErrorKind, ExitCode>> = {
  InvalidConfiguration: ExitCode.Usage,
  IncompatibleStages: ExitCode.Usage,
  ValidationError: ExitCode.Usage,
  DuplicateExecutor: ExitCode.Usage,
  ExecutorNotFound: ExitCode.Unsupported,
  InputError: ExitCode.Input,
  InputChanged: ExitCode.InputChanged,
  OutputError: ExitCode.Output,
  IoError: ExitCode.Output,
  NotAContainer: ExitCode.Unsupported,
  UnsupportedFormat: ExitCode.Unsupported,
  CorruptContainer: ExitCode.Corrupt,
  IntegrityFailed: ExitCode.Corrupt,
  EncryptionFailed: ExitCode.Corrupt,
  CompressionFailed: ExitCode.Corrupt,
  WrongKey: ExitCode.WrongKey,
  LimitExceeded: ExitCode.LimitExceeded,
  ResourceExhaustion: ExitCode.LimitExceeded,
};

/**
 * Exit codes from the most to the least severe, for a batch that ends with several: a signal
 * first, then a failure of adapipe itself, then damaged or foreign data, then what the user can
 * fix (a wrong key, limits, missing plugins, paths), then a difference found.
 */
const bySeverity: readonly ExitCode[] = [
  ExitCode.Terminated,
  ExitCode.Interrupted,
  ExitCode.BrokenPipe,
  ExitCode.Internal,
  ExitCode.Corrupt,
  ExitCode.WrongKey,
  ExitCode.InputChanged,
  ExitCode.LimitExceeded,
  ExitCode.Unsupported,
  ExitCode.Output,
  ExitCode.Input,
  ExitCode.Usage,
  ExitCode.Differ,
  ExitCode.Ok,
];

/** The most severe of `codes` (see the README's exit-code table); `Ok` for none. */
export function mostSevereExitCode(codes: Iterable<ExitCode>): ExitCode {
  let worst = bySeverity.length - 1;
  for (const code of codes) worst = Math.min(worst, bySeverity.indexOf(code));
  return bySeverity[worst]!;
}

/** The exit code for an error: a {@link CliError}'s own, a `PipelineError`'s by kind, else internal. */
export function exitCodeOf(error: unknown): ExitCode {
  if (error instanceof CliError) return error.exitCode;
  if (PipelineError.is(error)) return byKind[error.kind] ?? ExitCode.Internal;
  return ExitCode.Internal;
}

/** An error of the command line itself (usage, secrets, files), with the exit code to leave with. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'CliError';
  }
}
