import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from '@adapipe/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { formatHexdump, HexdumpFormatter } from './hexdump-formatter.js';

const hexdumpMissing = spawnSync('hexdump', ['-C'], { input: '' }).status !== 0;
const scratch = mkdtempSync(join(tmpdir(), 'adapipe-hexdump-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** What the installed `hexdump -C` prints, in the C locale. */
function realHexdump(input: Uint8Array, args: readonly string[] = []): string {
  const result = spawnSync('hexdump', ['-C', ...args], { input, env: { ...process.env, LC_ALL: 'C' }, maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`hexdump failed: ${result.stderr.toString()}`);
  return result.stdout.toString('latin1');
}

/** Formats `data` pushed in the given piece sizes (the rest in one last piece). */
function formatInPieces(data: Uint8Array, pieces: readonly number[], startOffset = 0): string {
  const formatter = new HexdumpFormatter({ startOffset });
  const out: Uint8Array[] = [];
  let at = 0;
  for (const size of pieces) {
    out.push(formatter.push(data.subarray(at, at + size)));
    at += size;
  }
  out.push(formatter.push(data.subarray(at)), formatter.end());
  return Buffer.concat(out).toString('latin1');
}

function concat(...parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

const text = (value: string) => new TextEncoder().encode(value);

/** The input of the committed fixture: every byte value, squeezed runs, text and a partial line. */
function fixtureInput(): Uint8Array {
  return concat(
    Uint8Array.from({ length: 256 }, (_, index) => index),
    new Uint8Array(64).fill(0x41),
    text('Hello, adapipe!\n'),
    new Uint8Array(40),
    text('tail'),
  );
}

/** Inputs that exercise lines, groups, squeezing and partial lines. */
const cases: ReadonlyArray<readonly [string, Uint8Array]> = [
  ...Array.from({ length: 35 }, (_, size) => [`random ${size} bytes`, randomBytes(size, size + 7)] as const),
  ...[16, 31, 32, 33, 47, 48, 49, 64, 80, 100].map((size) => [`zeros ${size} bytes`, new Uint8Array(size)] as const),
  [
    'every byte value twice',
    concat(
      Uint8Array.from({ length: 256 }, (_, i) => i),
      Uint8Array.from({ length: 256 }, (_, i) => i),
    ),
  ],
  [
    'lines A A A B B A then a partial A',
    concat(...'AAABBA'.split('').map((c) => new Uint8Array(16).fill(c.charCodeAt(0))), new Uint8Array(5).fill(0x41)),
  ],
  ['a run, a different line, the same run again', concat(new Uint8Array(48), text('0123456789abcdef'), new Uint8Array(48))],
  ['a partial line equal to the start of the previous line', concat(new Uint8Array(32).fill(7), new Uint8Array(8).fill(7))],
  ['the fixture input', fixtureInput()],
  ['64 KiB mixed', concat(randomBytes(20_000, 3), new Uint8Array(30_000), randomBytes(15_536, 4))],
];

describe('HexdumpFormatter', () => {
  it('matches the committed `hexdump -C` fixture byte for byte', () => {
    const expected = readFileSync(new URL('./test-support/sample.hexdump-c.txt', import.meta.url), 'latin1');
    expect(formatHexdump(fixtureInput())).toBe(expected);
    expect(formatInPieces(fixtureInput(), [1, 15, 7, 0, 300, 3])).toBe(expected);
  });

  it('prints nothing for empty input, as hexdump does for an empty file', () => {
    expect(formatHexdump(new Uint8Array(0))).toBe('');
  });

  it('lays out one line exactly', () => {
    expect(formatHexdump(text('Hello, World!\n'))).toBe(
      '00000000  48 65 6c 6c 6f 2c 20 57  6f 72 6c 64 21 0a        |Hello, World!.|\n0000000e\n',
    );
  });

  it('rejects a bad start offset and use after end', () => {
    expect(() => new HexdumpFormatter({ startOffset: -1 })).toThrow(RangeError);
    expect(() => new HexdumpFormatter({ startOffset: 1.5 })).toThrow('startOffset must be a whole number >= 0, found 1.5');
    const formatter = new HexdumpFormatter();
    formatter.end();
    expect(() => formatter.push(Uint8Array.of(1))).toThrow(TypeError);
    expect(() => formatter.end()).toThrow(TypeError);
  });

  describe.skipIf(hexdumpMissing)('against the installed hexdump -C', () => {
    it.each(cases)('%s, in one piece', (_name, input) => {
      expect(formatHexdump(input)).toBe(realHexdump(input));
    });

    it.each(cases)('%s, split at awkward places', (_name, input) => {
      const expected = realHexdump(input);
      const splits = Array.from(randomBytes(64, input.length + 1), (byte) => byte % 40);
      expect(formatInPieces(input, splits)).toBe(expected);
      expect(
        formatInPieces(
          input,
          Array.from({ length: input.length }, () => 1),
        ),
      ).toBe(expected);
    });

    it('matches hexdump -C -s, also past 4 GiB where the offset column widens', async () => {
      const small = join(scratch, 'small.bin');
      writeFileSync(small, text('abcdef'));
      expect(formatHexdump(text('def'), { startOffset: 3 })).toBe(realHexdump(new Uint8Array(0), ['-s', '3', small]));
      expect(formatHexdump(new Uint8Array(0), { startOffset: 6 })).toBe(realHexdump(new Uint8Array(0), ['-s', '6', small]));

      const sparse = join(scratch, 'sparse.bin');
      const start = 2 ** 32 - 16;
      const tail = concat(new Uint8Array(20), text('abc'), new Uint8Array(29));
      const handle = await open(sparse, 'w');
      await handle.truncate(start + tail.length);
      await handle.write(tail, 0, tail.length, start);
      await handle.close();
      const expected = realHexdump(new Uint8Array(0), ['-s', String(start), sparse]);
      expect(expected).toContain('100000000  ');
      expect(formatHexdump(tail, { startOffset: start })).toBe(expected);
      expect(formatInPieces(tail, [5, 20, 1], start)).toBe(expected);
    });
  });
});
