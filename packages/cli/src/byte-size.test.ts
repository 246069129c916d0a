import { describe, expect, it } from 'vitest';
import { formatBytes, parseByteSize } from './byte-size.js';
import { CliError, ExitCode } from './exit-code.js';

describe('parseByteSize', () => {
  it.each([
    ['65536', 65536],
    ['0', 0],
    ['512B', 512],
    ['64k', 64 * 1024],
    ['64K', 64 * 1024],
    ['64KiB', 64 * 1024],
    ['64kb', 64 * 1024],
    ['64 KB', 64 * 1024],
    ['4M', 4 * 1024 ** 2],
    ['4MiB', 4 * 1024 ** 2],
    ['1G', 1024 ** 3],
    ['1GiB', 1024 ** 3],
    ['1.5M', 1572864],
    ['0.5k', 512],
    ['1.0001k', 1024],
    [' 8m ', 8 * 1024 ** 2],
  ])('reads %j as %d bytes', (text, bytes) => {
    expect(parseByteSize(text, '--chunk-size')).toBe(bytes);
  });

  it.each(['', 'abc', '-1', '4X', '4MM', '1e3', 'k', '4 M B', '9999999999999G'])(
    'rejects %j as a usage error naming the option',
    (text) => {
      const error = catchError(() => parseByteSize(text, '--chunk-size'));
      expect(error).toBeInstanceOf(CliError);
      expect((error as CliError).exitCode).toBe(ExitCode.Usage);
      expect((error as CliError).message).toBe(
        `--chunk-size: '${text}' is not a size; use a number of bytes or a suffix K, M, G (e.g. 4M)`,
      );
    },
  );
});

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [1, '1 B'],
    [1023, '1023 B'],
    [1024, '1.00 KiB'],
    [1536, '1.50 KiB'],
    [12.3 * 1024 ** 2, '12.3 MiB'],
    [123 * 1024 ** 2, '123 MiB'],
    [270 * 1024 ** 2, '270 MiB'],
    [1023 * 1024, '1023 KiB'],
    [1024 ** 2 - 1, '1.00 MiB'],
    [1.5 * 1024 ** 3, '1.50 GiB'],
    [2 * 1024 ** 4, '2.00 TiB'],
  ])('formats %d as %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('rejects %d', (bytes) => {
    expect(() => formatBytes(bytes)).toThrow(RangeError);
  });
});

function catchError(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
