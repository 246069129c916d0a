import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AdapipeServices, createAdapipe, FileChunk, Pipeline, ProcessingContext, StageExecutor, StageType } from '@adapipe/core';
import { randomBytes, stageExecutorConformanceChecks, testStage } from '@adapipe/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { formatHexdump } from './hexdump-formatter.js';
import { teeContainerModule } from './tee-container-module.js';
import { TeeStageExecutor } from './tee-stage-executor.js';

const scratch = mkdtempSync(join(tmpdir(), 'adapipe-tee-int-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function services(options?: Parameters<typeof teeContainerModule>[0]): AdapipeServices {
  return createAdapipe(teeContainerModule(options));
}

const teeStage = (name: string, parameters: Record<string, string>) => testStage(name, StageType.PassThrough, 'tee', parameters);

describe('teeContainerModule', () => {
  const { executor, registry, container } = services();
  const stages = [
    teeStage('tee-binary', { output_path: join(scratch, 'conformance.bin') }),
    teeStage('tee-hex', { output_path: join(scratch, 'conformance.hex'), format: 'hex' }),
    teeStage('tee-text', { output_path: join(scratch, 'conformance.txt'), format: 'text' }),
    teeStage('tee-disabled', { output_path: join(scratch, 'never-written.bin'), enabled: 'false' }),
  ];

  describe('conformance through DI', () => {
    for (const check of stageExecutorConformanceChecks({ executor, stages, chunkSize: 16 * 1024, detects: [] })) {
      it(check.name, check.run);
    }
    it('wrote the outputs of the enabled stages only', () => {
      expect(readFileSync(join(scratch, 'conformance.bin')).length).toBeGreaterThan(0);
      expect(readFileSync(join(scratch, 'conformance.hex'), 'latin1')).toMatch(/^00000000 {2}/);
      expect(existsSync(join(scratch, 'never-written.bin'))).toBe(false);
    });
  });

  it('registers passthrough:tee from @adapipe/plugin-tee next to core', () => {
    expect(registry.resolve(StageType.PassThrough, 'TEE')).toBeInstanceOf(TeeStageExecutor);
    expect(registry.capabilities.find((c) => c.algorithm === 'tee')?.packageName).toBe('@adapipe/plugin-tee');
    expect(container.getAll(StageExecutor)).toHaveLength(2);
  });

  it('runs through the dispatcher, which records the stage metrics', async () => {
    const path = join(scratch, 'dispatched.bin');
    const stage = teeStage('copy', { output_path: path });
    const context = new ProcessingContext('int');
    await executor.startRun(stage, context, 'forward');
    const out = await executor.execute(stage, new FileChunk(0, Uint8Array.of(1, 2, 3), { isFinal: true }), context);
    await executor.finishRun(stage, context, 'forward');
    expect([...out.data]).toEqual([1, 2, 3]);
    expect([...readFileSync(path)]).toEqual([1, 2, 3]);
    expect(context.stageMetrics.get('copy')).toMatchObject({ chunks: 1, bytesIn: 3, bytesOut: 3 });
  });

  it('copies the data at several positions of a real run, and writes nothing on restore', async () => {
    const runner = services().runner;
    const data = new Uint8Array(Buffer.concat([randomBytes(300_000, 1), new Uint8Array(70_000), randomBytes(1_234, 2)]));
    const input = join(scratch, 'run-input.bin');
    writeFileSync(input, data);
    const [hexCopy, binaryCopy] = [join(scratch, 'run-copy.hex'), join(scratch, 'run-copy.bin')];
    const pipeline = new Pipeline('tee-run', [
      teeStage('tee-first', { output_path: hexCopy, format: 'hex' }),
      testStage('nothing', StageType.PassThrough, 'passthrough', {}, 1),
      testStage('tee-last', StageType.PassThrough, 'tee', { output_path: binaryCopy }, 2),
    ]);
    await runner.processFile(input, join(scratch, 'run.adapipe'), { pipeline, chunkSize: 64 * 1024, window: 8 });
    expect(readFileSync(hexCopy, 'latin1')).toBe(formatHexdump(data));
    expect(new Uint8Array(readFileSync(binaryCopy))).toEqual(data);

    rmSync(hexCopy);
    rmSync(binaryCopy);
    await runner.restoreFile(join(scratch, 'run.adapipe'), join(scratch, 'run-restored.bin'));
    expect(new Uint8Array(readFileSync(join(scratch, 'run-restored.bin')))).toEqual(data);
    expect(existsSync(hexCopy) || existsSync(binaryCopy)).toBe(false);
  });

  it('passes the base directory option to the executor', async () => {
    const confined = services({ baseDirectory: scratch }).executor;
    const inside = teeStage('inside', { output_path: 'inside.bin' });
    const context = new ProcessingContext('b');
    await confined.startRun(inside, context, 'forward');
    await confined.finishRun(inside, context, 'forward');
    expect(existsSync(join(scratch, 'inside.bin'))).toBe(true);
    await expect(
      confined.startRun(teeStage('outside', { output_path: '../outside.bin' }), new ProcessingContext('b'), 'forward'),
    ).rejects.toThrow('leads outside the base directory');
  });

  it('validates its options before building the module', () => {
    expect(() => teeContainerModule({ baseDirectory: '' })).toThrow(RangeError);
    expect(() => teeContainerModule({ basedir: scratch } as never)).toThrow("option 'basedir' is unknown");
  });
});
