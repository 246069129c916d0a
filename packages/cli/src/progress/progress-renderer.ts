import { formatBytes, threeSignificant } from '../byte-size.js';

/** What a progress line shows: bytes done, the total if known, time spent, and the terminal width. */
export interface ProgressState {
  readonly bytesDone: number;
  readonly bytesTotal?: number | undefined;
  readonly elapsedMs: number;
  readonly columns: number;
  /** For a batch: the files finished and the files in it, shown first (`3/10 files`). */
  readonly files?: { readonly done: number; readonly total: number } | undefined;
}

const maxBarWidth = 40;
const minBarWidth = 10;
const rateUnits = ['B/s', 'kB/s', 'MB/s', 'GB/s', 'TB/s'] as const;

/**
 * One line of progress for a terminal `columns` wide. With a total:
 * `" 45% [#########          ] 123 MiB / 270 MiB  85.2 MB/s  ETA 0:02"`; without one:
 * `"123 MiB  85.2 MB/s  elapsed 0:02"`. The bar is up to 40 characters and shrinks with the
 * terminal; below 10 it is left out, then the other parts from the right. The line is at most
 * `columns - 1` characters, so it never wraps. Sizes are binary (MiB), throughput decimal (MB/s).
 * A batch's line starts with the files done (`3/10 files  `), kept while anything else fits.
 *
 * @example
 * ```ts
 * renderProgressLine({ bytesDone: 50 * 2 ** 20, bytesTotal: 100 * 2 ** 20, elapsedMs: 1000, columns: 80 });
 * ```
 */
export function renderProgressLine(state: ProgressState): string {
  const budget = Math.max(0, Math.floor(state.columns) - 1);
  const done = Math.max(0, state.bytesDone);
  const seconds = state.elapsedMs / 1000;
  const perSecond = seconds > 0 ? done / seconds : undefined;
  const rate = perSecond === undefined ? '-- B/s' : formatRate(perSecond);
  let candidates: string[];
  if (state.bytesTotal === undefined) {
    const size = formatBytes(done);
    const elapsed = `elapsed ${formatDuration(seconds)}`;
    candidates = [`${size}  ${rate}  ${elapsed}`, `${size}  ${rate}`, size];
  } else {
    const total = Math.max(0, state.bytesTotal);
    const ratio = total === 0 ? 1 : Math.min(1, done / total);
    const percent = `${String(Math.floor(ratio * 100)).padStart(3)}%`;
    const remaining = Math.max(0, total - done);
    const eta = `ETA ${remaining === 0 ? formatDuration(0) : perSecond ? formatDuration(remaining / perSecond) : '--:--'}`;
    const rest = `${formatBytes(done)} / ${formatBytes(total)}  ${rate}  ${eta}`;
    const barWidth = Math.min(maxBarWidth, budget - percent.length - rest.length - 4);
    candidates = [
      ...(barWidth >= minBarWidth ? [`${percent} [${bar(ratio, barWidth)}] ${rest}`] : []),
      `${percent} ${rest}`,
      `${percent} ${formatBytes(done)} / ${formatBytes(total)}  ${eta}`,
      `${percent} ${eta}`,
      percent,
    ];
  }
  if (state.files !== undefined) {
    const files = `${state.files.done}/${state.files.total} files`;
    candidates = [...candidates.map((line) => `${files}  ${line}`), files];
  }
  return (candidates.find((line) => line.length <= budget) ?? candidates.at(-1)!).slice(0, budget);
}

/** A throughput in decimal units with three significant digits: `512 B/s`, `85.2 MB/s`, `1.20 GB/s`. */
export function formatRate(bytesPerSecond: number): string {
  let unit = 0;
  let value = bytesPerSecond;
  while (value >= 999.5 && unit < rateUnits.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${unit === 0 ? Math.round(value) : threeSignificant(value)} ${rateUnits[unit]}`;
}

/** A duration as `m:ss`, or `h:mm:ss` from one hour; seconds are rounded up. */
export function formatDuration(seconds: number): string {
  const whole = Math.max(0, Math.ceil(seconds));
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const secs = String(whole % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${secs}` : `${minutes}:${secs}`;
}

function bar(ratio: number, width: number): string {
  const filled = Math.floor(ratio * width);
  return '#'.repeat(filled) + ' '.repeat(width - filled);
}
