const bytesPerLine = 16;
const lineLength = 79;
/** The ASCII bytes of the layout. */
const ascii = Object.freeze({ space: 0x20, dot: 0x2e, bar: 0x7c, newline: 0x0a, star: 0x2a });
const hexDigits = new TextEncoder().encode('0123456789abcdef');
const emptyOutput = new Uint8Array(0);

/** Options of {@link HexdumpFormatter}. */
export interface HexdumpFormatterOptions {
  /** The offset of the first byte (as `hexdump -s`). Default 0. */
  readonly startOffset?: number;
}

/**
 * A streaming formatter that writes exactly what `hexdump -C` prints for the same bytes, however
 * they are split: the offset column (at least eight hex digits), two groups of eight bytes, the
 * `|ascii|` column (bytes 0x20–0x7e as themselves, others as `.`), a single `*` line for a run of
 * lines identical to the one before, and a last line holding the end offset. Empty input at
 * offset 0 gives no output at all, as `hexdump -C` prints nothing for an empty file.
 *
 * Feed the bytes in order with {@link HexdumpFormatter.push} and finish with
 * {@link HexdumpFormatter.end}; each returns the output bytes (ASCII) produced so far.
 *
 * @example
 * ```ts
 * const formatter = new HexdumpFormatter();
 * const text = Buffer.concat([formatter.push(Buffer.from('Hello, ')), formatter.push(Buffer.from('World!\n')), formatter.end()]);
 * // 00000000  48 65 6c 6c 6f 2c 20 57  6f 72 6c 64 21 0a        |Hello, World!.|
 * // 0000000e
 * ```
 */
export class HexdumpFormatter {
  readonly #state: LineState;
  readonly #carry = new Uint8Array(bytesPerLine);
  #carryLength = 0;
  #ended = false;

  /**
   * @param options.startOffset the offset of the first byte, as `hexdump -C -s OFFSET` shows a
   * file from that offset on. Default 0.
   * @throws {RangeError} when `startOffset` is not a whole number >= 0.
   */
  constructor(options: HexdumpFormatterOptions = {}) {
    const startOffset = options.startOffset ?? 0;
    if (!Number.isSafeInteger(startOffset) || startOffset < 0) {
      throw new RangeError(`HexdumpFormatter: startOffset must be a whole number >= 0, found ${startOffset}`);
    }
    this.#state = { address: startOffset, hasPrevious: false, squeezing: false, previous: new Uint8Array(bytesPerLine) };
  }

  /** The offset the next byte will have. */
  get offset(): number {
    return this.#state.address + this.#carryLength;
  }

  /**
   * Formats the next bytes; returns the complete lines they finish (a partial last line is held
   * back until more bytes or {@link HexdumpFormatter.end} arrive).
   *
   * @throws {TypeError} when `data` is not a `Uint8Array` or the formatter has ended.
   */
  push(data: Uint8Array): Uint8Array {
    if (!(data instanceof Uint8Array)) throw new TypeError('HexdumpFormatter.push: data must be a Uint8Array');
    if (this.#ended) throw new TypeError('HexdumpFormatter.push: the formatter has ended');
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    const lines = Math.floor((this.#carryLength + bytes.length) / bytesPerLine);
    if (lines === 0) {
      this.#carry.set(bytes, this.#carryLength);
      this.#carryLength += bytes.length;
      return emptyOutput;
    }
    const output = new Uint8Array(lines * lineLengthFrom(this.#state.address + lines * bytesPerLine));
    let position = 0;
    let index = 0;
    if (this.#carryLength > 0) {
      index = bytesPerLine - this.#carryLength;
      this.#carry.set(bytes.subarray(0, index), this.#carryLength);
      this.#carryLength = 0;
      position = formatLines(this.#carry, 0, bytesPerLine, output, position, this.#state);
    }
    const whole = index + Math.floor((bytes.length - index) / bytesPerLine) * bytesPerLine;
    position = formatLines(bytes, index, whole, output, position, this.#state);
    this.#carry.set(bytes.subarray(whole));
    this.#carryLength = bytes.length - whole;
    return output.subarray(0, position);
  }

  /**
   * Formats the held-back partial line, if any, and the final offset line. Call once, last.
   *
   * @throws {TypeError} when the formatter has already ended.
   */
  end(): Uint8Array {
    if (this.#ended) throw new TypeError('HexdumpFormatter.end: the formatter has already ended');
    this.#ended = true;
    const total = this.offset;
    if (total === 0) return emptyOutput;
    const output = new Uint8Array(2 * lineLengthFrom(total));
    let position = 0;
    if (this.#carryLength > 0) {
      position = formatPartialLine(this.#carry, this.#carryLength, this.#state.address, output, position);
      this.#state.address = total;
      this.#carryLength = 0;
    }
    position = writeOffset(output, position, total);
    output[position++] = ascii.newline;
    return output.subarray(0, position);
  }
}

interface LineState {
  address: number;
  hasPrevious: boolean;
  squeezing: boolean;
  readonly previous: Uint8Array;
}

const hexPairs = new Uint8Array(512);
const printable = new Uint8Array(256);
for (let byte = 0; byte < 256; byte++) {
  hexPairs[2 * byte] = hexDigits[byte >>> 4]!;
  hexPairs[2 * byte + 1] = hexDigits[byte & 0x0f]!;
  printable[byte] = byte >= 0x20 && byte <= 0x7e ? byte : ascii.dot;
}

function lineLengthFrom(lastAddress: number): number {
  return lineLength + (lastAddress <= 0xffffffff ? 0 : lastAddress.toString(16).length - 8);
}

/** Formats the whole lines of `source[start, end)`, squeezing repeats; returns the new position. */
function formatLines(source: Uint8Array, start: number, end: number, output: Uint8Array, position: number, state: LineState): number {
  let { address, hasPrevious, squeezing } = state;
  let previous = state.previous;
  let previousAt = 0;
  let at = position;
  for (let line = start; line < end; line += bytesPerLine) {
    if (hasPrevious) {
      let same = true;
      for (let column = 0; column < bytesPerLine; column++) {
        if (source[line + column] !== previous[previousAt + column]) {
          same = false;
          break;
        }
      }
      if (same) {
        address += bytesPerLine;
        if (!squeezing) {
          squeezing = true;
          output[at++] = ascii.star;
          output[at++] = ascii.newline;
        }
        continue;
      }
    }
    squeezing = false;
    hasPrevious = true;
    previous = source;
    previousAt = line;
    if (address <= 0xffffffff) {
      for (let shift = 28; shift >= 0; shift -= 4) output[at++] = hexDigits[(address >>> shift) & 0x0f]!;
    } else {
      at = writeOffset(output, at, address);
    }
    address += bytesPerLine;
    output[at++] = ascii.space;
    output[at++] = ascii.space;
    for (let column = 0; column < bytesPerLine; column++) {
      if (column === 8) output[at++] = ascii.space;
      const pair = 2 * source[line + column]!;
      output[at++] = hexPairs[pair]!;
      output[at++] = hexPairs[pair + 1]!;
      output[at++] = ascii.space;
    }
    output[at++] = ascii.space;
    output[at++] = ascii.bar;
    for (let column = 0; column < bytesPerLine; column++) output[at++] = printable[source[line + column]!]!;
    output[at++] = ascii.bar;
    output[at++] = ascii.newline;
  }
  if (previous !== state.previous) state.previous.set(previous.subarray(previousAt, previousAt + bytesPerLine));
  state.address = address;
  state.hasPrevious = hasPrevious;
  state.squeezing = squeezing;
  return at;
}

/** Formats a last line of `length` (< 16) bytes, padded like hexdump; returns the new position. */
function formatPartialLine(source: Uint8Array, length: number, address: number, output: Uint8Array, position: number): number {
  let at = writeOffset(output, position, address);
  output[at++] = ascii.space;
  output[at++] = ascii.space;
  for (let column = 0; column < bytesPerLine; column++) {
    if (column === 8) output[at++] = ascii.space;
    if (column < length) {
      const pair = 2 * source[column]!;
      output[at++] = hexPairs[pair]!;
      output[at++] = hexPairs[pair + 1]!;
    } else {
      output[at++] = ascii.space;
      output[at++] = ascii.space;
    }
    output[at++] = ascii.space;
  }
  output[at++] = ascii.space;
  output[at++] = ascii.bar;
  for (let column = 0; column < length; column++) output[at++] = printable[source[column]!]!;
  output[at++] = ascii.bar;
  output[at++] = ascii.newline;
  return at;
}

/**
 * The whole `hexdump -C` output for `data`, as a string.
 *
 * @throws {RangeError} when `options.startOffset` is not a whole number >= 0.
 *
 * @example
 * ```ts
 * formatHexdump(new TextEncoder().encode('abc'));
 * // '00000000  61 62 63                                          |abc|\n00000003\n'
 * ```
 */
export function formatHexdump(data: Uint8Array, options: HexdumpFormatterOptions = {}): string {
  const formatter = new HexdumpFormatter(options);
  const decoder = new TextDecoder('latin1');
  return decoder.decode(formatter.push(data)) + decoder.decode(formatter.end());
}

function writeOffset(output: Uint8Array, position: number, address: number): number {
  if (address > 0xffffffff) {
    const digits = address.toString(16);
    for (let index = 0; index < digits.length; index++) output[position + index] = digits.charCodeAt(index);
    return position + digits.length;
  }
  for (let shift = 28, at = position; shift >= 0; shift -= 4, at++) {
    output[at] = hexDigits[(address >>> shift) & 0x0f]!;
  }
  return position + 8;
}
