/** What kind of value a parameter or option holds, as {@link ParameterDescription} reports it. */
export type ParameterKind = 'integer' | 'choice' | 'boolean' | 'text' | 'path' | 'list' | 'instance' | 'group';

/** The outcome of checking one value: the value, or what is wrong with it. */
export type FieldCheck<T> = { readonly value: T } | FieldProblem;

/**
 * What is wrong with a value: its type, its range, or (in a group) an unknown name. Fields inside
 * lists and groups say where (`at`, appended to the field's name), what they expected and found.
 */
export interface FieldProblem {
  readonly problem: 'type' | 'range' | 'unknown';
  /** Where inside the field: `[2]`, `.memoryKib`. */
  readonly at?: string;
  /** What that inner place expected, when it differs from the field's own `expected`. */
  readonly expected?: string;
  /** The value found there. */
  readonly found?: unknown;
  /** For `unknown`: the names that are known there. */
  readonly known?: readonly string[];
}

/** What a field tells `adapipe plugins --json` and the pipeline-file schema about itself. */
export interface ParameterDescription {
  /** The parameter's name, as written in pipeline files and `--stages`. */
  readonly name: string;
  readonly kind: ParameterKind;
  /** What a valid value looks like, for example "a whole number from 1 to 22". */
  readonly expected: string;
  /** Whether the parameter must be given. */
  readonly required: boolean;
  /** The value used when the parameter is not given, if there is one. */
  readonly default?: string | number | boolean;
  /** The smallest and largest accepted whole numbers of an `integer`. */
  readonly minimum?: number;
  readonly maximum?: number;
  /** The accepted values of a `choice`. */
  readonly values?: readonly string[];
  /** Other accepted spellings of a `choice`'s values. */
  readonly aliases?: readonly string[];
  /** The longest accepted `text`, in characters. */
  readonly maxLength?: number;
  /** One line for people. */
  readonly description?: string;
}

/**
 * One typed field of a parameter or option schema. `Filled` is `true` when a parsed value is never
 * `undefined` (the field has a default or is required). Build fields with `integer`, `oneOf`,
 * `boolean`, `text`, `filePath`, `listOf` and `instance`.
 */
export interface OptionField<T, Filled extends boolean = boolean> {
  readonly kind: ParameterKind;
  /** What a valid value looks like, for messages: "one of binary, hex, text". */
  readonly expected: string;
  readonly required: boolean;
  /** The value used when none is given. */
  readonly defaultValue: T | undefined;
  readonly description: string | undefined;
  /** Checks a value given in code (module options). */
  fromValue(value: unknown): FieldCheck<T>;
  /** Describes the field under `name`. */
  describe(name: string): ParameterDescription;
  /** Type-level only: whether parsed values are always present. */
  readonly filled?: Filled;
}

/** A field that can also be written as text: the kinds stage parameters accept. */
export interface ScalarField<T, Filled extends boolean = boolean> extends OptionField<T, Filled> {
  /** Checks a value written as text (stage parameters, pipeline files). */
  fromText(text: string): FieldCheck<T>;
  /** Texts this field must refuse, for the conformance kit. */
  readonly invalidExamples: readonly string[];
}

/** The parsed value of a field: `T`, or `T | undefined` when it has no default and is optional. */
export type FieldValue<F> = F extends OptionField<infer T, infer Filled> ? (Filled extends true ? T : T | undefined) : never;

/** The settings every field kind accepts. */
export interface FieldSettings<T> {
  /** The value used when none is given. */
  readonly default?: T;
  /** Refuse a missing value (only meaningful without a default). */
  readonly required?: boolean;
  /** One line for people, shown by `adapipe plugins --json`. */
  readonly description?: string;
}

/** `true` when settings `S` guarantee a value: a default that cannot be `undefined`, or `required: true`. */
export type Fills<S> = S extends { readonly required: true }
  ? true
  : S extends { readonly default: infer D }
    ? undefined extends D
      ? false
      : true
    : false;
