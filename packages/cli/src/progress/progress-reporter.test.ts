import { describe, expect, it } from 'vitest';
import { ProgressReporter } from './progress-reporter.js';

function fakeTerminal(columns?: number) {
  const writes: string[] = [];
  return { writes, stream: { columns, write: (text: string) => writes.push(text) } };
}

function fakeClock(start = 1_000) {
  let time = start;
  return { now: () => time, advance: (ms: number) => (time += ms) };
}

describe('ProgressReporter', () => {
  it('redraws in place at most once per interval', () => {
    const { writes, stream } = fakeTerminal(80);
    const clock = fakeClock();
    const progress = new ProgressReporter(stream, { total: 1000, now: clock.now });
    progress.update(100);
    clock.advance(50);
    progress.update(200);
    clock.advance(49);
    progress.update(300);
    expect(writes).toHaveLength(1);
    clock.advance(1);
    progress.update(400);
    expect(writes).toHaveLength(2);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the bar redraws with a carriage return and the erase-line escape
    for (const write of writes) expect(write).toMatch(/^\r.*\x1b\[K$/);
    expect(writes[0]).toContain(' 10% [');
    expect(writes[1]).toContain(' 40% [');
    expect(writes[1]).toContain('4.00 kB/s');
  });

  it('honours a custom interval and the terminal width', () => {
    const { writes, stream } = fakeTerminal(30);
    const clock = fakeClock();
    const progress = new ProgressReporter(stream, { total: 1000, intervalMs: 1000, now: clock.now });
    progress.update(1);
    clock.advance(999);
    progress.update(2);
    clock.advance(1);
    progress.update(3);
    expect(writes).toHaveLength(2);
    for (const write of writes) expect(write.slice(1, -3).length).toBeLessThan(30);
  });

  it('uses 80 columns when the width is unknown and shows no bar without a total', () => {
    const { writes, stream } = fakeTerminal();
    const clock = fakeClock();
    const progress = new ProgressReporter(stream, { now: clock.now });
    clock.advance(2000);
    progress.update(4096);
    expect(writes).toEqual(['\r4.00 KiB  2.05 kB/s  elapsed 0:02\x1b[K']);
  });

  it('clears the line on finish, once, and ignores later updates', () => {
    const { writes, stream } = fakeTerminal(80);
    const clock = fakeClock();
    const progress = new ProgressReporter(stream, { total: 10, now: clock.now });
    progress.update(5);
    progress.finish();
    progress.finish();
    clock.advance(500);
    progress.update(10);
    expect(writes).toHaveLength(2);
    expect(writes[1]).toBe('\r\x1b[K');
  });

  it('writes nothing on finish when nothing was drawn', () => {
    const { writes, stream } = fakeTerminal(80);
    new ProgressReporter(stream).finish();
    expect(writes).toEqual([]);
  });

  it('rejects a negative total or interval', () => {
    expect(() => new ProgressReporter(fakeTerminal().stream, { total: -1 })).toThrow(RangeError);
    expect(() => new ProgressReporter(fakeTerminal().stream, { intervalMs: Number.NaN })).toThrow(/intervalMs/);
  });
});
