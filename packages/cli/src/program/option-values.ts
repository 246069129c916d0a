import { InvalidArgumentError } from 'commander';
import { parseByteSize } from '../byte-size.js';
import { CliError, ExitCode } from '../exit-code.js';

/** Parses an option's text into its value; throws a usage error naming the option. */
export type OptionValue<T> = (text: string, previous: T | undefined) => T;

/**
 * An option that may be given once, parsed by `parse`: a second value is a usage error instead of
 * silently replacing the first.
 */
export function once<T = string>(parse: (text: string) => T = (text) => text as T): OptionValue<T> {
  return (text, previous) => {
    if (previous !== undefined) throw new InvalidArgumentError(`it was already given as '${String(previous)}'; give it once per call`);
    return parse(text);
  };
}

/** A whole number from `min` to `max`, for option `name`. */
export function wholeNumber(name: string, min: number, max: number): (text: string) => number {
  return (text) => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new CliError(`${name} ${text}: expected a whole number from ${min} to ${max}`, ExitCode.Usage);
    }
    return value;
  };
}

/** A byte size (`4M`, `64K`, `1048576`) for option `name`. */
export function byteSize(name: string): (text: string) => number {
  return (text) => parseByteSize(text, name);
}

/** A comma-separated list, each entry parsed by `parse`. */
export function listOf<T>(parse: (text: string) => T): (text: string) => T[] {
  return (text) => text.split(',').map((entry) => parse(entry.trim()));
}
