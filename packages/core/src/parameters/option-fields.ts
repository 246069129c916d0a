import { closestName } from '../domain/closest-name.js';
import type {
  FieldCheck,
  FieldProblem,
  FieldSettings,
  FieldValue,
  OptionField,
  ParameterDescription,
  ParameterKind,
  ScalarField,
} from './parameter-field.js';
import { withoutUndefined } from './scalar-fields.js';

/** Settings of {@link listOf}. */
export interface ListSettings<T> extends FieldSettings<readonly T[]> {
  /** The fewest entries accepted. Default 0. */
  readonly minItems?: number;
}

/**
 * A list of values of one field kind, for module options; duplicates are dropped, order kept.
 *
 * @example
 * ```ts
 * const algorithms = listOf(oneOf(['gzip', 'zstd']), { minItems: 1, default: ['gzip', 'zstd'] });
 * ```
 */
export function listOf<T, const S extends ListSettings<T>>(
  item: ScalarField<T>,
  settings: S = {} as S,
): OptionField<readonly T[], S extends { readonly default: readonly T[] } ? true : false> {
  const minItems = settings.minItems ?? 0;
  const expected = `a list of ${minItems > 0 ? `at least ${minItems} ` : ''}values, each ${item.expected}`;
  return Object.freeze({
    kind: 'list' as const,
    expected,
    required: settings.required === true,
    defaultValue: settings.default,
    description: settings.description,
    fromValue(value: unknown): FieldCheck<readonly T[]> {
      if (!Array.isArray(value)) return { problem: 'type' };
      if (value.length < minItems) return { problem: 'range' };
      const values: T[] = [];
      for (const [index, entry] of value.entries()) {
        const check = item.fromValue(entry);
        if (!('value' in check)) return { problem: check.problem, at: `[${index}]`, expected: item.expected, found: entry };
        if (!values.includes(check.value)) values.push(check.value);
      }
      return { value: Object.freeze(values) };
    },
    describe: (name: string) => describeOption(name, 'list', expected, settings),
  });
}

/**
 * Any value `accepts` recognises, for module options that take objects (a metrics registry, a
 * stream). `expected` says what it must be.
 *
 * @example
 * ```ts
 * const registry = instance('a prom-client Registry', (value): value is Registry => value instanceof Registry);
 * ```
 */
export function instance<T>(
  expected: string,
  accepts: (value: unknown) => value is T,
  settings: Omit<FieldSettings<T>, 'default'> = {},
): OptionField<T, false> {
  return Object.freeze({
    kind: 'instance' as const,
    expected,
    required: settings.required === true,
    defaultValue: undefined,
    description: settings.description,
    fromValue: (value: unknown): FieldCheck<T> => (accepts(value) ? { value } : { problem: 'type' }),
    describe: (name: string) => describeOption(name, 'instance', expected, settings),
  });
}

/** The fields of a group or schema, by name. */
export type FieldMap = Readonly<Record<string, OptionField<unknown>>>;

/** The values a group of fields parses to. */
export type GroupValue<F extends FieldMap> = { readonly [K in keyof F]: FieldValue<F[K]> };

/** A group of named fields: module options, or an object inside them. */
export interface FieldGroup<F extends FieldMap> extends OptionField<GroupValue<F>, true> {
  readonly fields: F;
}

/**
 * An object of named fields inside module options (`caps: group({ … })`); a missing group parses
 * as `{}`, so its fields take their defaults. Unknown names are refused (a name set to `undefined`
 * counts as not given).
 *
 * @example
 * ```ts
 * const costs = group({ n: integer({ min: 2, default: 2 ** 17 }), r: integer({ min: 1, default: 8 }) });
 * ```
 */
export function group<const F extends FieldMap>(fields: F, settings: { readonly description?: string } = {}): FieldGroup<F> {
  const names = Object.keys(fields);
  const expected = 'an object';
  const fromValue = (value: unknown): FieldCheck<GroupValue<F>> => {
    const input = value ?? {};
    if (typeof input !== 'object' || Array.isArray(input)) return { problem: 'type' };
    for (const [name, given] of Object.entries(input)) {
      if (given !== undefined && !Object.hasOwn(fields, name)) return { problem: 'unknown', at: `.${name}`, known: names };
    }
    const result: Record<string, unknown> = {};
    for (const [name, field] of Object.entries(fields)) {
      const given = (input as Record<string, unknown>)[name];
      if (given === undefined && field.kind !== 'group') {
        if (field.required) return { problem: 'type', at: `.${name}`, expected: field.expected, found: undefined };
        result[name] = field.defaultValue;
        continue;
      }
      const check = field.fromValue(given);
      if (!('value' in check)) return nested(check, `.${name}`, field.expected, given);
      result[name] = check.value;
    }
    return { value: Object.freeze(result) as GroupValue<F> };
  };
  return Object.freeze({
    kind: 'group' as const,
    expected,
    required: false,
    defaultValue: undefined,
    description: settings.description,
    fields,
    fromValue,
    describe: (name: string) => describeOption(name, 'group', expected, settings),
  });
}

/** A problem found inside a field, re-anchored at that field's place. */
function nested(check: FieldProblem, at: string, expected: string, found: unknown): FieldProblem {
  return {
    problem: check.problem,
    at: `${at}${check.at ?? ''}`,
    expected: check.expected ?? expected,
    found: check.at === undefined && !('found' in check) ? found : check.found,
    known: check.known,
  };
}

/** How a field that only code can set (list, instance, group) describes itself. */
function describeOption(
  name: string,
  kind: ParameterKind,
  expected: string,
  settings: { readonly required?: boolean; readonly description?: string },
): ParameterDescription {
  return withoutUndefined({ name, kind, expected, required: settings.required === true, description: settings.description });
}

/** The "did you mean" and "known" part of a message about an unknown name. */
export function unknownNameHint(name: string, known: readonly string[], noun: string): string {
  if (known.length === 0) return `there are no ${noun}`;
  const close = closestName(name, known);
  return `${close === undefined ? '' : `did you mean '${close}'? `}known ${noun}: ${known.join(', ')}`;
}
