import type { Counter } from 'prom-client';
import { ProgressReporter } from './progress-reporter.js';

/** What a run reports its input through. */
export interface RunProgress {
  /** `bytes` of input consumed so far. */
  update(bytes: number): void;
  /** The run is over: the bar, if any, is finished. */
  finish(): void;
}

/**
 * Tracks a run's input: counts it in `counter` (labelled with `command`) and draws a progress bar
 * on stderr when `drawBar` (a person is watching a terminal).
 */
export function runProgress(command: string, total: number | undefined, drawBar: boolean, counter: Counter | undefined): RunProgress {
  const bar = drawBar ? new ProgressReporter(process.stderr, total === undefined ? {} : { total }) : undefined;
  let counted = 0;
  return {
    update: (bytes) => {
      counter?.inc({ command }, bytes - counted);
      counted = bytes;
      bar?.update(bytes);
    },
    finish: () => bar?.finish(),
  };
}
