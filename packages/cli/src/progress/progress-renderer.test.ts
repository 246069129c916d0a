import { describe, expect, it } from 'vitest';
import { formatDuration, formatRate, renderProgressLine } from './progress-renderer.js';

const MiB = 1024 * 1024;
const done = 123 * MiB;
const total = 270 * MiB;
const elapsedMs = (done / 85.2e6) * 1000;

describe('renderProgressLine', () => {
  it('draws percentage, bar, sizes, throughput and ETA', () => {
    expect(renderProgressLine({ bytesDone: done, bytesTotal: total, elapsedMs, columns: 67 })).toBe(
      ' 45% [#########           ] 123 MiB / 270 MiB  85.2 MB/s  ETA 0:02',
    );
  });

  it('adapts the bar to the terminal and never fills the last column', () => {
    for (let columns = 1; columns <= 200; columns += 1) {
      const line = renderProgressLine({ bytesDone: done, bytesTotal: total, elapsedMs, columns });
      expect(line.length).toBeLessThan(columns);
    }
    const wide = renderProgressLine({ bytesDone: done, bytesTotal: total, elapsedMs, columns: 200 });
    expect(wide).toMatch(/^ 45% \[#{18} {22}\] /);
    const narrow = renderProgressLine({ bytesDone: done, bytesTotal: total, elapsedMs, columns: 57 });
    expect(narrow).toBe(' 45% [####      ] 123 MiB / 270 MiB  85.2 MB/s  ETA 0:02');
  });

  it('drops the bar, then the throughput, on narrow terminals', () => {
    expect(renderProgressLine({ bytesDone: done, bytesTotal: total, elapsedMs, columns: 50 })).toBe(
      ' 45% 123 MiB / 270 MiB  85.2 MB/s  ETA 0:02',
    );
    expect(renderProgressLine({ bytesDone: done, bytesTotal: total, elapsedMs, columns: 40 })).toBe(' 45% 123 MiB / 270 MiB  ETA 0:02');
    expect(renderProgressLine({ bytesDone: done, bytesTotal: total, elapsedMs, columns: 20 })).toBe(' 45% ETA 0:02');
    expect(renderProgressLine({ bytesDone: done, bytesTotal: total, elapsedMs, columns: 8 })).toBe(' 45%');
    expect(renderProgressLine({ bytesDone: done, bytesTotal: total, elapsedMs, columns: 3 })).toBe(' 4');
  });

  it('shows an unknown ETA before any time has passed and a full bar when done', () => {
    expect(renderProgressLine({ bytesDone: 0, bytesTotal: total, elapsedMs: 0, columns: 80 })).toMatch(
      /^ {2}0% \[ +\] 0 B \/ 270 MiB {2}-- B\/s {2}ETA --:--$/,
    );
    expect(renderProgressLine({ bytesDone: total, bytesTotal: total, elapsedMs: 4000, columns: 80 })).toMatch(
      /^100% \[#+\] 270 MiB \/ 270 MiB {2}70.8 MB\/s {2}ETA 0:00$/,
    );
    expect(renderProgressLine({ bytesDone: 0, bytesTotal: 0, elapsedMs: 10, columns: 80 })).toMatch(/^100% \[#+\] 0 B \/ 0 B/);
  });

  it('shows bytes, throughput and elapsed time without a total', () => {
    expect(renderProgressLine({ bytesDone: done, elapsedMs: 62_500, columns: 80 })).toBe('123 MiB  2.06 MB/s  elapsed 1:03');
    expect(renderProgressLine({ bytesDone: done, elapsedMs: 62_500, columns: 20 })).toBe('123 MiB  2.06 MB/s');
  });
});

describe('formatRate', () => {
  it.each([
    [0, '0 B/s'],
    [512, '512 B/s'],
    [999.4, '999 B/s'],
    [999.6, '1.00 kB/s'],
    [85.2e6, '85.2 MB/s'],
    [1.2e9, '1.20 GB/s'],
  ])('formats %d bytes per second as %s', (rate, text) => expect(formatRate(rate)).toBe(text));
});

describe('formatDuration', () => {
  it.each([
    [0, '0:00'],
    [1.2, '0:02'],
    [59, '0:59'],
    [61, '1:01'],
    [3600, '1:00:00'],
    [3725, '1:02:05'],
  ])('formats %d s as %s', (seconds, text) => expect(formatDuration(seconds)).toBe(text));
});
