import type { PipelineErrorKind } from '../errors/pipeline-error-kind.js';
import { PipelineError } from '../errors/pipeline-error.js';

/**
 * The {@link PipelineError} `promise` rejects with, for tests of any framework.
 *
 * @throws {Error} saying what happened instead: the promise resolved, rejected with another error,
 * or with a `PipelineError` of another kind than `kind`.
 * @example
 * ```ts
 * const error = await rejectionOf(executor.reverse(stage, damaged, context), 'IntegrityFailed');
 * ```
 */
export async function rejectionOf(promise: Promise<unknown>, kind?: PipelineErrorKind): Promise<PipelineError> {
  try {
    await promise;
  } catch (error) {
    return checked(error, kind);
  }
  throw new Error(`expected a PipelineError${kind === undefined ? '' : ` (${kind})`}, but the promise resolved`);
}

/**
 * The {@link PipelineError} `action` throws, as {@link rejectionOf} for synchronous code.
 *
 * @example
 * ```ts
 * thrownBy(() => executor.validate(stage), 'InvalidConfiguration').message;
 * ```
 */
export function thrownBy(action: () => unknown, kind?: PipelineErrorKind): PipelineError {
  try {
    action();
  } catch (error) {
    return checked(error, kind);
  }
  throw new Error(`expected a PipelineError${kind === undefined ? '' : ` (${kind})`}, but nothing was thrown`);
}

function checked(error: unknown, kind: PipelineErrorKind | undefined): PipelineError {
  if (!PipelineError.is(error))
    throw new Error(`expected a PipelineError, got ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  if (kind !== undefined && error.kind !== kind)
    throw new Error(`expected a PipelineError of kind ${kind}, got ${error.kind}: ${error.message}`);
  return error;
}
