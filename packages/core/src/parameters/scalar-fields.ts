import type { FieldCheck, FieldSettings, Fills, ParameterDescription, ParameterKind, ScalarField } from './parameter-field.js';

/** Settings of {@link integer}. */
export interface IntegerSettings extends FieldSettings<number> {
  readonly min?: number;
  readonly max?: number;
  /** What the number counts, for messages: "milliseconds" reads "a whole number of milliseconds …". */
  readonly unit?: string;
}

/**
 * A whole number within `min`..`max` (each optional). Text is read in decimal digits with an
 * optional `-`, spaces around it ignored.
 *
 * @example
 * ```ts
 * const level = integer({ min: 1, max: 22, default: 3 }); // "a whole number from 1 to 22"
 * ```
 */
export function integer<const S extends IntegerSettings>(settings: S = {} as S): ScalarField<number, Fills<S>> {
  const { min, max, unit } = settings;
  const what = unit === undefined ? 'a whole number' : `a whole number of ${unit}`;
  const expected =
    min !== undefined && max !== undefined
      ? `${what} from ${min} to ${max}`
      : min !== undefined
        ? `${what} >= ${min}`
        : max !== undefined
          ? `${what} <= ${max}`
          : what;
  const check = (value: number): FieldCheck<number> =>
    Number.isSafeInteger(value) && (min === undefined || value >= min) && (max === undefined || value <= max)
      ? { value }
      : { problem: 'range' };
  return scalar('integer', expected, settings, {
    fromText: (text) => (/^\s*-?\d{1,16}\s*$/.test(text) ? check(Number(text)) : { problem: 'range' }),
    fromValue: (value) => (typeof value === 'number' ? check(value) : { problem: 'type' }),
    invalidExamples: [
      'not-a-number',
      '1.5',
      ...(min === undefined ? [] : [String(min - 1)]),
      ...(max === undefined ? [] : [String(max + 1)]),
    ],
    extra: { minimum: min, maximum: max },
  });
}

/** Settings of {@link oneOf}. */
export interface ChoiceSettings<V extends string> extends FieldSettings<V> {
  /** Other accepted spellings and the value each stands for, lowercase: `{ 'sha-256': 'sha256' }`. */
  readonly aliases?: Readonly<Record<string, V>>;
}

/**
 * One of a fixed list of names, matched case-insensitively (aliases included); the parsed value is
 * the listed spelling.
 *
 * @example
 * ```ts
 * const format = oneOf(['binary', 'hex', 'text'], { default: 'binary' });
 * ```
 */
export function oneOf<const V extends string, const S extends ChoiceSettings<V> = ChoiceSettings<V>>(
  values: readonly V[],
  settings: S = {} as S,
): ScalarField<V, Fills<S>> {
  const byName = new Map<string, V>(values.map((value) => [value.toLowerCase(), value]));
  for (const [alias, value] of Object.entries(settings.aliases ?? {})) byName.set(alias.toLowerCase(), value);
  const fromText = (text: string): FieldCheck<V> => {
    const value = byName.get(text.trim().toLowerCase());
    return value === undefined ? { problem: 'range' } : { value };
  };
  const invalid = ['not-a-choice', 'x'].find((text) => !byName.has(text)) ?? '\u0000';
  return scalar('choice', `one of ${values.join(', ')}`, settings, {
    fromText,
    fromValue: (value) => (typeof value === 'string' ? fromText(value) : { problem: 'type' }),
    invalidExamples: [invalid],
    extra: { values: [...values], ...(settings.aliases === undefined ? {} : { aliases: Object.keys(settings.aliases) }) },
  });
}

/**
 * `true` or `false` (text in any case).
 *
 * @example
 * ```ts
 * const enabled = boolean({ default: true });
 * ```
 */
export function boolean<const S extends FieldSettings<boolean>>(settings: S = {} as S): ScalarField<boolean, Fills<S>> {
  return scalar<boolean, Fills<S>>('boolean', 'true or false', settings, {
    fromText: (text) => {
      const word = text.trim().toLowerCase();
      return word === 'true' ? { value: true } : word === 'false' ? { value: false } : { problem: 'range' };
    },
    fromValue: (value) => (typeof value === 'boolean' ? { value } : { problem: 'type' }),
    invalidExamples: ['maybe'],
    extra: {},
  });
}

/** Settings of {@link text}. */
export interface TextSettings extends FieldSettings<string> {
  /** The longest accepted text, in characters. */
  readonly maxLength?: number;
}

/**
 * Text that is not only spaces, at most `maxLength` characters; kept as written.
 *
 * @example
 * ```ts
 * const label = text({ maxLength: 128 }); // "1 to 128 characters, not only spaces"
 * ```
 */
export function text<const S extends TextSettings>(settings: S = {} as S): ScalarField<string, Fills<S>> {
  const { maxLength } = settings;
  const check = (value: string): FieldCheck<string> =>
    value.trim() !== '' && (maxLength === undefined || value.length <= maxLength) ? { value } : { problem: 'range' };
  return scalar('text', maxLength === undefined ? 'text, not only spaces' : `1 to ${maxLength} characters, not only spaces`, settings, {
    fromText: check,
    fromValue: (value) => (typeof value === 'string' ? check(value) : { problem: 'type' }),
    invalidExamples: [' ', ...(maxLength === undefined ? [] : ['x'.repeat(maxLength + 1)])],
    extra: { maxLength },
  });
}

/** Settings of {@link filePath}. */
export interface PathSettings extends FieldSettings<string> {
  /** What the path names, for messages. Default "a file path (not empty, no NUL character)". */
  readonly expected?: string;
}

/**
 * A file or directory path: not only spaces, no NUL character; kept as written (resolve it where
 * it is used).
 *
 * @example
 * ```ts
 * const outputPath = filePath({ required: true });
 * ```
 */
export function filePath<const S extends PathSettings>(settings: S = {} as S): ScalarField<string, Fills<S>> {
  const check = (value: string): FieldCheck<string> => (value.trim() !== '' && !value.includes('\0') ? { value } : { problem: 'range' });
  return scalar('path', settings.expected ?? 'a file path (not empty, no NUL character)', settings, {
    fromText: check,
    fromValue: (value) => (typeof value === 'string' ? check(value) : { problem: 'type' }),
    invalidExamples: ['', 'a\u0000b'],
    extra: {},
  });
}

interface ScalarParts<T> {
  fromText(text: string): FieldCheck<T>;
  fromValue(value: unknown): FieldCheck<T>;
  readonly invalidExamples: readonly string[];
  readonly extra: Partial<ParameterDescription>;
}

function scalar<T extends string | number | boolean, Filled extends boolean>(
  kind: ParameterKind,
  expected: string,
  settings: FieldSettings<T>,
  parts: ScalarParts<T>,
): ScalarField<T, Filled> {
  const defaultValue = settings.default;
  if (defaultValue !== undefined && !('value' in parts.fromValue(defaultValue))) {
    throw new RangeError(`parameter default ${JSON.stringify(defaultValue)} is not ${expected}`);
  }
  return Object.freeze({
    kind,
    expected,
    required: settings.required === true,
    defaultValue,
    description: settings.description,
    fromText: parts.fromText,
    fromValue: parts.fromValue,
    invalidExamples: Object.freeze(parts.invalidExamples),
    describe: (name: string): ParameterDescription =>
      withoutUndefined({
        name,
        kind,
        expected,
        required: settings.required === true,
        default: defaultValue,
        ...parts.extra,
        description: settings.description,
      }),
  });
}

/** A copy without the keys whose value is `undefined`, so descriptions serialise cleanly. */
export function withoutUndefined<T extends object>(value: T): T {
  return Object.freeze(Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined))) as T;
}
