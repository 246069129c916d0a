import { describe, expect, it } from 'vitest';
import { ContextKey } from './context-key.js';
import { ProcessingContext } from './processing-context.js';

const Counter = new ContextKey<{ count: number }>('@test/counter');

describe('ProcessingContext', () => {
  it('accumulates per-stage metrics', () => {
    const context = new ProcessingContext('p1');
    context.recordStage('zip', { bytesIn: 100, bytesOut: 40, durationMs: 2 });
    context.recordStage('zip', { bytesIn: 50, bytesOut: 10, durationMs: 1 });
    expect(context.stageMetrics.get('zip')).toEqual({ chunks: 2, bytesIn: 150, bytesOut: 50, durationMs: 3 });
  });

  it('stores named checksums and typed run values', () => {
    const context = new ProcessingContext('p1');
    context.setChecksum('input-checksum', Uint8Array.of(1));
    expect([...context.checksums.get('input-checksum')!]).toEqual([1]);
    expect(context.get(Counter)).toBeUndefined();
    expect(() => context.require(Counter)).toThrow(`has no value for '@test/counter'`);
    context.set(Counter, { count: 1 });
    expect(context.require(Counter).count).toBe(1);
    expect(context.getOrCreate(Counter, () => ({ count: 9 })).count).toBe(1);
  });

  it('keeps one state per stage for the same key', () => {
    const context = new ProcessingContext('p1');
    context.stageState('stage-a', Counter, () => ({ count: 0 })).count++;
    context.stageState('stage-a', Counter, () => ({ count: 0 })).count++;
    expect(context.stageState('stage-a', Counter, () => ({ count: 0 })).count).toBe(2);
    expect(context.stageState('stage-b', Counter, () => ({ count: 0 })).count).toBe(0);
  });

  it('gives every run its own id, and reports cancellation as a typed error', () => {
    const controller = new AbortController();
    const context = new ProcessingContext('p1', { signal: controller.signal });
    expect(context.runId).not.toBe(new ProcessingContext('p1').runId);
    expect(() => context.throwIfAborted()).not.toThrow();
    controller.abort(new Error('user pressed ^C'));
    expect(() => context.throwIfAborted()).toThrow(expect.objectContaining({ kind: 'Cancelled' }));
  });
});

describe('ProcessingContext run parameters', () => {
  it('keeps a frozen copy per stage', () => {
    const context = new ProcessingContext('p1');
    const parameters = { salt: 'abcd' };
    context.setRunParameters('encrypt', parameters);
    parameters.salt = 'changed';
    expect(context.runParameters('encrypt')).toEqual({ salt: 'abcd' });
    expect(Object.isFrozen(context.runParameters('encrypt'))).toBe(true);
    expect(context.runParameters('other')).toBeUndefined();
    expect([...context.allRunParameters.keys()]).toEqual(['encrypt']);
  });
});
