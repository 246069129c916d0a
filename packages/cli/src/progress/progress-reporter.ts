import { renderProgressLine } from './progress-renderer.js';

/** Where progress is drawn: a terminal stream, or anything with `write` and optionally `columns`. */
export interface ProgressStream {
  write(text: string): unknown;
  readonly columns?: number | undefined;
}

/** Options of a {@link ProgressReporter}. */
export interface ProgressReporterOptions {
  /** The number of bytes the work will take, when known; without it, no bar, percentage or ETA. */
  readonly total?: number | undefined;
  /** The least time between two redraws, in milliseconds; default 100. */
  readonly intervalMs?: number;
  /** The clock, in milliseconds; default `Date.now`. */
  readonly now?: () => number;
}

/**
 * Draws a progress line on a terminal, in place: each redraw is `\r`, the line and clear-to-end
 * (`\x1b[K`), at most once per interval; `finish` clears the line. Create it only when the stream
 * is a TTY; the width follows `stream.columns` (80 when unknown) as the terminal is resized.
 *
 * @example
 * ```ts
 * const progress = new ProgressReporter(process.stderr, { total: size });
 * for await (const block of blocks) progress.update((done += block.length));
 * progress.finish();
 * ```
 */
export class ProgressReporter {
  readonly #stream: ProgressStream;
  readonly #total: number | undefined;
  readonly #intervalMs: number;
  readonly #now: () => number;
  readonly #startedAt: number;
  #lastDrawAt = Number.NEGATIVE_INFINITY;
  #drawn = false;
  #finished = false;

  /** @throws {RangeError} when `total` or `intervalMs` is negative or not a number. */
  constructor(stream: ProgressStream, options: ProgressReporterOptions = {}) {
    const { total, intervalMs = 100, now = Date.now } = options;
    if (total !== undefined && !(Number.isFinite(total) && total >= 0)) {
      throw new RangeError(`ProgressReporter: total must be a number of bytes >= 0, found ${total}`);
    }
    if (!(Number.isFinite(intervalMs) && intervalMs >= 0)) {
      throw new RangeError(`ProgressReporter: intervalMs must be a number >= 0, found ${intervalMs}`);
    }
    this.#stream = stream;
    this.#total = total;
    this.#intervalMs = intervalMs;
    this.#now = now;
    this.#startedAt = now();
  }

  /**
   * Records the bytes done so far (and for a batch the files done of how many); redraws unless
   * the last redraw was less than an interval ago.
   */
  update(bytesDone: number, files?: { readonly done: number; readonly total: number }): void {
    if (this.#finished) return;
    const now = this.#now();
    if (now - this.#lastDrawAt < this.#intervalMs) return;
    this.#lastDrawAt = now;
    const line = renderProgressLine({
      bytesDone,
      bytesTotal: this.#total,
      elapsedMs: now - this.#startedAt,
      columns: this.#stream.columns || 80,
      files,
    });
    this.#stream.write(`\r${line}\x1b[K`);
    this.#drawn = true;
  }

  /** Clears the progress line for a moment: the next update draws it again. */
  clear(): void {
    if (this.#drawn) this.#stream.write('\r\x1b[K');
    this.#drawn = false;
    this.#lastDrawAt = Number.NEGATIVE_INFINITY;
  }

  /** Writes `line` where the progress line is (clearing it first); the next update draws it again below. */
  printAbove(line: string): void {
    this.clear();
    this.#stream.write(`${line}\n`);
  }

  /** Clears the progress line; later updates are ignored. Safe to call more than once. */
  finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    if (this.#drawn) this.#stream.write('\r\x1b[K');
  }
}
