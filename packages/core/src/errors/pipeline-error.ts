import type { PipelineErrorKind } from './pipeline-error-kind.js';

const pipelineErrorMarker = Symbol.for('@adapipe/core/PipelineError');

/** Options accepted by {@link PipelineError}'s constructor. */
export interface PipelineErrorOptions {
  /** The lower-level error that caused this one. */
  readonly cause?: unknown;
  /** The stage parameter the error is about, when it is about one. */
  readonly parameter?: string;
}

/**
 * The one error class of adapipe's domain. `kind` says what went wrong; `message` says what was
 * expected, what was found and how to fix it.
 *
 * Use {@link PipelineError.is} rather than `instanceof`: it also recognises errors thrown by a second
 * installed copy of `@adapipe/core`.
 *
 * @example
 * ```ts
 * try { stage.validate(); } catch (error) {
 *   if (PipelineError.is(error, 'InvalidConfiguration')) console.error(error.message);
 * }
 * ```
 */
export class PipelineError extends Error {
  /** What went wrong, stable across releases. */
  readonly kind: PipelineErrorKind;
  /** The stage parameter the error is about, when it is about one (so a pipeline file can point at it). */
  readonly parameter: string | undefined;

  readonly [pipelineErrorMarker] = true;

  constructor(kind: PipelineErrorKind, message: string, options: PipelineErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PipelineError';
    this.kind = kind;
    this.parameter = options.parameter;
  }

  /**
   * Whether `value` is a `PipelineError` from any installed copy of core, optionally of one `kind`.
   */
  static is(value: unknown, kind?: PipelineErrorKind): value is PipelineError {
    if (typeof value !== 'object' || value === null) {
      return false;
    }
    const candidate = value as { [pipelineErrorMarker]?: unknown; kind?: unknown };
    return candidate[pipelineErrorMarker] === true && (kind === undefined || candidate.kind === kind);
  }
}
