import { spawn } from 'node:child_process';
import { appendFileSync, chmodSync, existsSync, mkdtempSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PipelineError } from '../errors/pipeline-error.js';
import { readFileBlocks, sanitizeFileName } from './file-input.js';

const dir = mkdtempSync(join(tmpdir(), 'adapipe-file-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const bytesOf = (text: string) => Buffer.byteLength(text);

describe('sanitizeFileName', () => {
  it('keeps the last path segment without control characters, and falls back for empty, . and ..', () => {
    expect(sanitizeFileName('../../etc/pass\u0000wd')).toBe('passwd');
    expect(sanitizeFileName('C:\\Users\\me\\notes.txt')).toBe('notes.txt');
    for (const name of ['', '.', '..', ' \u0007 ', null, undefined]) expect(sanitizeFileName(name)).toBe('restored');
  });

  it('leaves a name of up to 255 bytes alone', () => {
    expect(sanitizeFileName(`${'é'.repeat(127)}x`)).toBe(`${'é'.repeat(127)}x`);
  });

  it('cuts 200 × é (400 bytes, 200 characters) to 127 × é: the limit is 255 bytes, and no character is split', () => {
    expect(sanitizeFileName('é'.repeat(200))).toBe('é'.repeat(127));
    expect(sanitizeFileName('a'.repeat(300))).toBe('a'.repeat(255));
  });

  it('keeps a short extension (.tar.gz, .jpg) and drops a long one with the rest', () => {
    expect(sanitizeFileName(`${'é'.repeat(200)}.tar.gz`)).toBe(`${'é'.repeat(124)}.tar.gz`);
    expect(sanitizeFileName(`${'ü'.repeat(150)}.jpg`)).toBe(`${'ü'.repeat(125)}.jpg`);
    const long = sanitizeFileName(`${'a'.repeat(300)}.averyveryverylongextension`);
    expect(long).toBe('a'.repeat(255));
  });

  it('cuts between graphemes: a combining accent stays with its letter, an emoji family is not split', () => {
    const decomposed = sanitizeFileName('e\u0301'.repeat(100));
    expect(decomposed).toBe('e\u0301'.repeat(85));
    const family = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}';
    expect(sanitizeFileName(family.repeat(20))).toBe(family.repeat(14));
  });

  it('cuts between code points when a single grapheme is longer than 255 bytes', () => {
    const cut = sanitizeFileName(`a${'\u0301'.repeat(200)}`);
    expect(cut).toBe(`a${'\u0301'.repeat(127)}`);
    expect(bytesOf(cut)).toBe(255);
  });

  it('always gives at most 255 bytes of well-formed UTF-8', () => {
    for (const name of ['日本語'.repeat(40), '\u{1F600}'.repeat(70), `x${'é'.repeat(300)}.tar.gz`, `${'\u{10FFFF}'.repeat(64)}.z`]) {
      const cut = sanitizeFileName(name);
      expect(bytesOf(cut)).toBeLessThanOrEqual(255);
      expect(Buffer.from(cut).toString('utf8')).toBe(cut);
    }
  });
});

describe('readFileBlocks', () => {
  const block = 4096;
  const content = Buffer.from(Array.from({ length: 5 * block + 100 }, (_, index) => (index * 7) % 251));
  let count = 0;
  const inputFile = () => {
    const path = join(dir, `input-${count++}.bin`);
    writeFileSync(path, content);
    utimesSync(path, new Date('2020-01-01T00:00:00Z'), new Date('2020-01-01T00:00:00Z'));
    return path;
  };

  /** Reads `path`, calling `change` after the first block; returns the bytes and the warnings. */
  async function readChanging(path: string, change: () => void): Promise<{ bytes: Buffer; warnings: string[] }> {
    const warnings: string[] = [];
    const parts: Uint8Array[] = [];
    for await (const part of readFileBlocks(path, block, { onWarning: (message) => warnings.push(message) })) {
      if (parts.length === 0) change();
      parts.push(part);
    }
    return { bytes: Buffer.concat(parts), warnings };
  }

  async function expectChanged(path: string, change: () => void, cause: RegExp): Promise<void> {
    const error = await readChanging(path, change).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(PipelineError.is(error, 'InputChanged'), String(error)).toBe(true);
    expect((error as Error).message).toMatch(
      new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: the input changed while it was read \\(`),
    );
    expect((error as Error).message).toMatch(cause);
  }

  it('reads a file in blocks of the given size, the last shorter, with no warning', async () => {
    const warnings: string[] = [];
    const parts: Uint8Array[] = [];
    for await (const part of readFileBlocks(inputFile(), block, { onWarning: (message) => warnings.push(message) })) parts.push(part);
    expect(parts.map((part) => part.length)).toEqual([block, block, block, block, block, 100]);
    expect(Buffer.concat(parts).equals(content)).toBe(true);
    expect(warnings).toEqual([]);
  });

  it('a file that shrank → InputChanged naming both sizes', async () => {
    const path = inputFile();
    await expectChanged(path, () => truncateSync(path, 2 * block), new RegExp(`\\(size ${content.length} at open, ${2 * block} now\\)`));
  });

  it('a file rewritten in place (same size, new mtime) → InputChanged naming the mtimes', async () => {
    const path = inputFile();
    const rewrite = () => {
      writeFileSync(path, Buffer.alloc(content.length, 1));
      utimesSync(path, new Date('2021-06-01T12:00:00Z'), new Date('2021-06-01T12:00:00Z'));
    };
    await expectChanged(
      path,
      rewrite,
      /size 20580 unchanged, but modified: mtime 2020-01-01T00:00:00\.000000000Z at open, 2021-06-01T12:00:00\.000000000Z now/,
    );
  });

  it('a file rewritten with its mtime put back (as touch -r or rsync -t do) → InputChanged by its ctime', async () => {
    const path = inputFile();
    await new Promise((resolve) => setTimeout(resolve, 30));
    const rewrite = () => {
      writeFileSync(path, Buffer.alloc(content.length, 2));
      utimesSync(path, new Date('2020-01-01T00:00:00Z'), new Date('2020-01-01T00:00:00Z'));
    };
    await expectChanged(path, rewrite, /unchanged, but modified: ctime .* at open, .* now/);
  });

  it('a change of status only (chmod) counts as a change too', async () => {
    const path = inputFile();
    await new Promise((resolve) => setTimeout(resolve, 30));
    await expectChanged(path, () => chmodSync(path, 0o600), /ctime/);
  });

  it('a file that grew is read up to its size at open, with one warning', async () => {
    const path = inputFile();
    const { bytes, warnings } = await readChanging(path, () => appendFileSync(path, Buffer.alloc(3 * block, 9)));
    expect(bytes.equals(content)).toBe(true);
    expect(warnings).toEqual([
      `${path}: the input grew while it was read (size ${content.length} at open, ${content.length + 3 * block} now); only its first ${content.length} bytes were read`,
    ]);
  });

  it('an empty file gives nothing', async () => {
    const path = join(dir, 'empty');
    writeFileSync(path, '');
    const parts: Uint8Array[] = [];
    for await (const part of readFileBlocks(path, block)) parts.push(part);
    expect(parts).toEqual([]);
  });

  it.skipIf(!existsSync('/proc/self/status'))('a regular file of size 0 when opened (as in /proc) is read to its end', async () => {
    const parts: Uint8Array[] = [];
    for await (const part of readFileBlocks('/proc/self/status', block)) parts.push(part);
    expect(Buffer.concat(parts).toString()).toMatch(/^Name:/);
  });

  it('a FIFO (size 0 when opened) is read to its end, unchecked', async () => {
    const fifo = join(dir, 'input.fifo');
    await new Promise<void>((resolve, reject) =>
      spawn('mkfifo', [fifo]).once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`mkfifo: ${code}`)))),
    );
    expect(statSync(fifo).isFIFO()).toBe(true);
    const writer = spawn('sh', ['-c', `head -c ${3 * block + 5} /dev/zero > "$0"`, fifo]);
    const parts: Uint8Array[] = [];
    for await (const part of readFileBlocks(fifo, block)) parts.push(part);
    writer.kill();
    expect(Buffer.concat(parts).length).toBe(3 * block + 5);
  });
});
