import { group, unknownNameHint, type FieldGroup, type FieldMap, type GroupValue } from './option-fields.js';
import { describeFound } from './describe-found.js';

/** A schema for the options object of a container module or constructor. */
export interface ModuleOptionSchema<F extends FieldMap> {
  /** The top-level fields, by name. */
  readonly fields: F;
  /**
   * Checks `options` and fills in defaults.
   *
   * @throws {TypeError} "`<owner>: option '<name>' must be <expected>, found <value>`" for a value
   * of the wrong type, or "`… option '<name>' is unknown; did you mean …? known options: …`".
   * @throws {RangeError} in the same words for a value of the right type outside its range.
   */
  resolve(options: unknown): GroupValue<F>;
  /** The error for a problem the fields cannot see (two options that contradict each other). */
  invalid(name: string, problem: string, kind?: 'type' | 'range'): TypeError | RangeError;
}

/**
 * Declares the options a module or constructor accepts, with the same field kinds as stage
 * parameters (`integer`, `oneOf`, `boolean`, `text`, `filePath`) plus `listOf`, `group` and `instance`.
 * `owner` names the function in messages.
 *
 * @example
 * ```ts
 * const deltaOptions = defineModuleOptions('deltaContainerModule', {
 *   defaultStride: integer({ min: 1, max: 16, default: 1 }),
 * });
 * deltaOptions.resolve({ defaultStride: 2 }); // { defaultStride: 2 }
 * deltaOptions.resolve({ stride: 2 });
 * // TypeError: deltaContainerModule: option 'stride' is unknown; did you mean 'defaultStride'? known options: defaultStride
 * ```
 */
export function defineModuleOptions<const F extends FieldMap>(owner: string, fields: F): ModuleOptionSchema<F> {
  const schema: FieldGroup<F> = group(fields);
  const invalid = (name: string, problem: string, kind: 'type' | 'range' = 'range'): TypeError | RangeError => {
    const message = `${owner}: option '${name}' ${problem}`;
    return kind === 'type' ? new TypeError(message) : new RangeError(message);
  };
  return Object.freeze({
    fields,
    invalid,
    resolve(options: unknown): GroupValue<F> {
      if (options !== undefined && (options === null || typeof options !== 'object' || Array.isArray(options))) {
        throw new TypeError(`${owner}: options must be an object, found ${describeFound(options)}`);
      }
      const check = schema.fromValue(options);
      if ('value' in check) return check.value;
      const name = (check.at ?? '').replace(/^\./, '');
      if (check.problem === 'unknown') {
        throw new TypeError(
          `${owner}: option '${name}' is unknown; ${unknownNameHint(name.split('.').pop()!, check.known ?? [], 'options')}`,
        );
      }
      throw invalid(name, `must be ${check.expected ?? 'valid'}, found ${describeFound(check.found)}`, check.problem);
    },
  });
}
