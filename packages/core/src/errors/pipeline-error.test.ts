import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PipelineError } from './pipeline-error.js';

describe('PipelineError', () => {
  it('carries a kind, a message and a cause', () => {
    const cause = new Error('disk on fire');
    const error = new PipelineError('IoError', 'cannot write out.adapipe', { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('PipelineError');
    expect(error.kind).toBe('IoError');
    expect(error.cause).toBe(cause);
    expect(PipelineError.is(error)).toBe(true);
    expect(PipelineError.is(error, 'IoError')).toBe(true);
    expect(PipelineError.is(error, 'WrongKey')).toBe(false);
  });

  it('does not recognise other values', () => {
    for (const value of [new Error('x'), { kind: 'IoError' }, null, undefined, 'PipelineError']) {
      expect(PipelineError.is(value)).toBe(false);
    }
  });

  it('recognises an error thrown by a second installed copy of core', async () => {
    const copyDir = mkdtempSync(join(tmpdir(), 'adapipe-core-copy-'));
    copyFileSync(new URL('./pipeline-error.ts', import.meta.url), join(copyDir, 'pipeline-error.ts'));
    const copy = (await import(join(copyDir, 'pipeline-error.ts'))) as typeof import('./pipeline-error.js');
    const foreign = new copy.PipelineError('WrongKey', 'wrong password');
    expect(copy.PipelineError).not.toBe(PipelineError);
    expect(foreign instanceof PipelineError).toBe(false);
    expect(PipelineError.is(foreign, 'WrongKey')).toBe(true);
    expect(copy.PipelineError.is(new PipelineError('Cancelled', 'stop'))).toBe(true);
  });
});
