import { CliError, ExitCode } from './exit-code.js';

const multipliers: Readonly<Record<string, number>> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };
/** What {@link parseByteSize} accepts (after trimming), as regex source without flags, for the pipeline-file schema too. */
export const BYTE_SIZE_SYNTAX = String.raw`(\d+(?:\.\d*)?|\.\d+)\s*(?:([kKmMgG])(?:[iI]?[bB])?|[bB])?`;
const sizePattern = new RegExp(`^${BYTE_SIZE_SYNTAX}$`);
const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/**
 * Parses a size given by a user: a number of bytes (`65536`) or a number with a binary suffix
 * `K`, `M` or `G` (1024-based; `64k`, `64K`, `64KiB`, `64kb`, `4M`, `1GiB`). Decimals are allowed
 * and rounded to whole bytes (`1.5M` is 1572864).
 *
 * @param what names the option or field in the error message, e.g. `--chunk-size`.
 * @throws {CliError} usage error when `text` is not such a size.
 * @example
 * ```ts
 * parseByteSize('4M', '--chunk-size') === 4194304;
 * ```
 */
export function parseByteSize(text: string, what: string): number {
  const match = sizePattern.exec(String(text).trim());
  const bytes = match === null ? Number.NaN : Math.round(Number(match[1]) * multipliers[(match[2] ?? '').toLowerCase()]!);
  if (!Number.isSafeInteger(bytes)) {
    throw new CliError(`${what}: '${text}' is not a size; use a number of bytes or a suffix K, M, G (e.g. 4M)`, ExitCode.Usage);
  }
  return bytes;
}

/**
 * Formats a byte count for people with binary units and three significant digits:
 * `0 B`, `1023 B`, `1.00 KiB`, `12.3 MiB`, `270 MiB`, `1.50 GiB`.
 *
 * @throws {RangeError} when `bytes` is negative or not finite.
 */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) {
    throw new RangeError(`formatBytes: bytes must be a finite number >= 0, found ${bytes}`);
  }
  if (bytes < 1024) return `${Math.round(bytes)} B`;
  let unit = 0;
  let value = bytes;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  let text = threeSignificant(value);
  if (Number(text) >= 1024 && unit < units.length - 1) {
    unit += 1;
    text = threeSignificant(value / 1024);
  }
  return `${text} ${units[unit]}`;
}

/** `value` with three significant digits, never in exponent notation: `1.23`, `12.3`, `123`, `1023`. */
export function threeSignificant(value: number): string {
  const decimals = value < 9.995 ? 2 : value < 99.95 ? 1 : 0;
  return value.toFixed(decimals);
}
