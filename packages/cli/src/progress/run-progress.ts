import type { Counter } from 'prom-client';
import { ProgressReporter } from './progress-reporter.js';

/** What a run reports its input through. */
export interface RunProgress {
  /** `bytes` of input consumed so far (for a batch, of all its files), and the files finished. */
  update(bytes: number, filesDone?: number): void;
  /** Writes a line to stderr above the bar (or just the line when there is none). */
  printAbove(line: string): void;
  /** Clears the bar until the next update, so a line can be written to stdout on the same terminal. */
  clear(): void;
  /** The run is over: the bar, if any, is finished. */
  finish(): void;
}

/** What a {@link runProgress} tracks: the input bytes expected, and for a batch its number of files. */
export interface ProgressTotals {
  readonly bytes?: number | undefined;
  readonly files?: number | undefined;
}

/**
 * Tracks a run's input: counts it in `counter` (labelled with `command`) and draws a progress bar
 * on stderr when `drawBar` (a person is watching a terminal).
 */
export function runProgress(command: string, totals: ProgressTotals, drawBar: boolean, counter: Counter | undefined): RunProgress {
  const bar = drawBar ? new ProgressReporter(process.stderr, totals.bytes === undefined ? {} : { total: totals.bytes }) : undefined;
  let counted = 0;
  let files = 0;
  return {
    update: (bytes, filesDone) => {
      counter?.inc({ command }, bytes - counted);
      counted = bytes;
      files = filesDone ?? files;
      bar?.update(bytes, totals.files === undefined ? undefined : { done: files, total: totals.files });
    },
    clear: () => bar?.clear(),
    printAbove: (line) => (bar === undefined ? process.stderr.write(`${line}\n`) : bar.printAbove(line)),
    finish: () => bar?.finish(),
  };
}
