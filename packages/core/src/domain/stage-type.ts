import { PipelineError } from '../errors/pipeline-error.js';

/**
 * The five kinds of stage a pipeline can hold. Values are the lowercase display names.
 *
 * @example
 * ```ts
 * StageType.Compression === 'compression';
 * ```
 */
export const StageType = {
  Compression: 'compression',
  Encryption: 'encryption',
  Transform: 'transform',
  Checksum: 'checksum',
  PassThrough: 'passthrough',
} as const;

/** One of the {@link StageType} values. */
export type StageType = (typeof StageType)[keyof typeof StageType];

/** Every stage type, in declaration order. */
export const stageTypes: readonly StageType[] = Object.freeze(Object.values(StageType));

/**
 * Parses a stage type name, ignoring case and surrounding white space.
 *
 * @throws {PipelineError} `InvalidConfiguration` naming the valid types when `text` is none of them.
 * @example
 * ```ts
 * parseStageType('ENCRYPTION') === StageType.Encryption;
 * ```
 */
export function parseStageType(text: string): StageType {
  const normalised = String(text).trim().toLowerCase();
  const found = stageTypes.find((type) => type === normalised);
  if (found === undefined) {
    throw new PipelineError('InvalidConfiguration', `Unknown stage type '${text}': expected one of ${stageTypes.join(', ')}`);
  }
  return found;
}

/** Whether `value` is one of the {@link StageType} values (exact, lowercase). */
export function isStageType(value: unknown): value is StageType {
  return typeof value === 'string' && (stageTypes as readonly string[]).includes(value);
}
