import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileChunk, Pipeline, PipelineError, PipelineStage, ProcessingContext, StageConfiguration, StageType } from '@adapipe/core';
import { randomBytes, thrownBy } from '@adapipe/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { formatHexdump } from './hexdump-formatter.js';
import { TeeStageExecutor } from './tee-stage-executor.js';

const scratch = mkdtempSync(join(tmpdir(), 'adapipe-tee-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let fileCount = 0;
const freshPath = (name = 'out') => join(scratch, `${name}-${++fileCount}`);
const hexdumpMissing = spawnSync('hexdump', ['-C'], { input: '' }).status !== 0;

function teeStage(parameters: Record<string, string>, name = 'peek'): PipelineStage {
  return new PipelineStage(name, StageType.PassThrough, new StageConfiguration('tee', parameters), 0);
}

/** Splits `data` into chunks of the given sizes (the rest in a last chunk), the last marked final. */
function chunksOf(data: Uint8Array, sizes: readonly number[]): FileChunk[] {
  const pieces: Uint8Array[] = [];
  let at = 0;
  for (const size of sizes) {
    pieces.push(data.subarray(at, at + size));
    at += size;
  }
  pieces.push(data.subarray(at));
  let offset = 0;
  return pieces.map((piece, index) => {
    const chunk = new FileChunk(index, piece, { offset, isFinal: index === pieces.length - 1 });
    offset += piece.length;
    return chunk;
  });
}

async function runForward(executor: TeeStageExecutor, stage: PipelineStage, chunks: readonly FileChunk[]): Promise<FileChunk[]> {
  const context = new ProcessingContext('tee-test');
  await executor.startRun(stage, context, 'forward');
  const out = await executor.executeParallel(stage, chunks, context);
  await executor.finishRun(stage, context, 'forward');
  return out;
}

const settledSoon = async (promise: Promise<unknown>): Promise<boolean> => {
  let settled = false;
  void promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await new Promise((resolve) => setTimeout(resolve, 30));
  return settled;
};

describe('TeeStageExecutor', () => {
  const executor = new TeeStageExecutor();
  const data = randomBytes(100_000, 5);

  it('writes the raw bytes in binary format and passes the same chunks on', async () => {
    const path = freshPath();
    const chunks = chunksOf(data, [30_000, 1, 0, 40_000]);
    const out = await runForward(executor, teeStage({ output_path: path }), chunks);
    expect(out).toEqual(chunks);
    for (const [index, chunk] of out.entries()) expect(chunk).toBe(chunks[index]);
    expect(new Uint8Array(readFileSync(path))).toEqual(data);
  });

  it('writes hexdump -C output across chunk boundaries', async () => {
    const path = freshPath();
    const input = new Uint8Array(Buffer.concat([randomBytes(1000, 9), new Uint8Array(200), Buffer.from('the end\n')]));
    await runForward(executor, teeStage({ output_path: path, format: 'hex' }), chunksOf(input, [7, 500, 16, 3, 600]));
    const written = readFileSync(path, 'latin1');
    expect(written).toBe(formatHexdump(input));
    if (!hexdumpMissing) {
      expect(written).toBe(spawnSync('hexdump', ['-C'], { input, env: { ...process.env, LC_ALL: 'C' } }).stdout.toString('latin1'));
    }
  });

  it('writes text with a multi-byte character split across chunks, invalid bytes as U+FFFD', async () => {
    const path = freshPath();
    const input = Buffer.concat([Buffer.from('prix: 5 € 😀 '), Buffer.of(0xff), Buffer.from(' ok')]);
    const euro = input.indexOf(Buffer.from('€'));
    const emoji = input.indexOf(Buffer.from('😀'));
    const chunks = chunksOf(input, [euro + 1, 1, emoji + 2 - (euro + 2), 1]);
    await runForward(executor, teeStage({ output_path: path, format: 'TEXT' }), chunks);
    expect(readFileSync(path, 'utf8')).toBe('prix: 5 € 😀 \uFFFD ok');
  });

  it('writes chunks in sequence order when they arrive out of order in parallel', async () => {
    const path = freshPath();
    const chunks = chunksOf(data, [10_000, 20_000, 5, 30_000, 1]);
    const shuffled = [chunks[3]!, chunks[1]!, chunks[5]!, chunks[0]!, chunks[4]!, chunks[2]!];
    const stage = teeStage({ output_path: path, format: 'hex' });
    const context = new ProcessingContext('tee-order');
    await executor.startRun(stage, context, 'forward');
    const out = await executor.executeParallel(stage, shuffled, context);
    await executor.finishRun(stage, context, 'forward');
    expect(out.map((chunk) => chunk.sequenceNumber)).toEqual([3, 1, 5, 0, 4, 2]);
    expect(readFileSync(path, 'latin1')).toBe(formatHexdump(data));
  });

  it('holds an early chunk until the chunks before it are written', async () => {
    const path = freshPath();
    const chunks = chunksOf(text('abcdef'), [2, 2]);
    const stage = teeStage({ output_path: path });
    const context = new ProcessingContext('tee-wait');
    await executor.startRun(stage, context, 'forward');
    const second = executor.execute(stage, chunks[1]!, context);
    expect(await settledSoon(second)).toBe(false);
    expect(readFileSync(path, 'utf8')).toBe('');
    await executor.execute(stage, chunks[0]!, context);
    await second;
    expect(readFileSync(path, 'utf8')).toBe('abcd');
    await executor.execute(stage, chunks[2]!, context);
    await executor.finishRun(stage, context, 'forward');
    expect(readFileSync(path, 'utf8')).toBe('abcdef');
  });

  it('fails in startRun, before any chunk, when the output cannot be opened', async () => {
    const missing = join(scratch, 'no-such-directory', 'out.bin');
    const stage = teeStage({ output_path: missing });
    const failure = executor.startRun(stage, new ProcessingContext('tee-fail'), 'forward');
    await expect(failure).rejects.toSatisfy((error) => PipelineError.is(error, 'IoError'));
    await expect(failure).rejects.toThrow(
      new RegExp(`^Stage 'peek' \\(passthrough:tee\\): cannot open output_path '${missing}' for writing: ENOENT`),
    );
    const directory = freshPath('directory');
    mkdirSync(directory);
    await expect(executor.startRun(teeStage({ output_path: directory }), new ProcessingContext('d'), 'forward')).rejects.toThrow(
      /cannot open output_path '.*' for writing: EISDIR/,
    );
  });

  it.skipIf(!existsSync('/dev/full'))('reports a failed write as IoError naming the chunk', async () => {
    const stage = teeStage({ output_path: '/dev/full' });
    const context = new ProcessingContext('tee-full');
    await executor.startRun(stage, context, 'forward');
    const chunks = chunksOf(text('abc'), [1, 1]);
    const first = executor.execute(stage, chunks[0]!, context);
    await expect(first).rejects.toSatisfy((error) => PipelineError.is(error, 'IoError'));
    await expect(first).rejects.toThrow(/^Stage 'peek' \(passthrough:tee\): cannot write chunk 0 to '\/dev\/full': ENOSPC/);
    await expect(executor.execute(stage, chunks[1]!, context)).rejects.toThrow(/chunk 0/);
    await executor.finishRun(stage, context, 'forward');
  });

  it('never opens or writes anything when restoring', async () => {
    const path = freshPath();
    const stage = teeStage({ output_path: path, format: 'hex' });
    const context = new ProcessingContext('tee-restore');
    await executor.startRun(stage, context, 'reverse');
    const chunks = chunksOf(data, [50_000]);
    const out = await executor.reverseParallel(stage, chunks, context);
    await executor.finishRun(stage, context, 'reverse');
    for (const [index, chunk] of out.entries()) expect(chunk).toBe(chunks[index]);
    expect(existsSync(path)).toBe(false);
  });

  it('passes data on without writing when enabled=false', async () => {
    const path = freshPath();
    const chunks = chunksOf(data, [1000]);
    const out = await runForward(executor, teeStage({ output_path: path, enabled: 'false' }), chunks);
    expect(out).toEqual(chunks);
    expect(existsSync(path)).toBe(false);
  });

  it('opens on the first chunk and closes after the final one when no run hooks are called', async () => {
    const path = freshPath();
    const stage = teeStage({ output_path: path, format: 'hex' });
    const context = new ProcessingContext('tee-lazy');
    for (const chunk of chunksOf(text('0123456789abcdefXYZ'), [16])) await executor.execute(stage, chunk, context);
    expect(readFileSync(path, 'latin1')).toBe(formatHexdump(text('0123456789abcdefXYZ')));
    await executor.finishRun(stage, context, 'forward');
  });

  it('keeps two tee stages of one run apart', async () => {
    const [pathA, pathB] = [freshPath(), freshPath()];
    const stageA = teeStage({ output_path: pathA }, 'tee-a');
    const stageB = teeStage({ output_path: pathB, format: 'hex' }, 'tee-b');
    const context = new ProcessingContext('tee-two');
    await executor.startRun(stageA, context, 'forward');
    await executor.startRun(stageB, context, 'forward');
    const chunks = chunksOf(text('two tees'), [3]);
    await Promise.all(chunks.flatMap((chunk) => [executor.execute(stageA, chunk, context), executor.execute(stageB, chunk, context)]));
    await executor.finishRun(stageA, context, 'forward');
    await executor.finishRun(stageB, context, 'forward');
    expect(readFileSync(pathA, 'utf8')).toBe('two tees');
    expect(readFileSync(pathB, 'latin1')).toBe(formatHexdump(text('two tees')));
  });

  it('rejects chunks still waiting when the run finishes without the chunk before them', async () => {
    const stage = teeStage({ output_path: freshPath() });
    const context = new ProcessingContext('tee-gap');
    await executor.startRun(stage, context, 'forward');
    const chunks = chunksOf(text('abc'), [1, 1]);
    const orphan = executor.execute(stage, chunks[2]!, context);
    orphan.catch(() => {});
    const finish = executor.finishRun(stage, context, 'forward');
    await expect(finish).rejects.toSatisfy((error) => PipelineError.is(error, 'ProcessingFailed'));
    await expect(finish).rejects.toThrow(/the run finished before chunk 0 arrived; chunks 2 were not written/);
    await expect(orphan).rejects.toSatisfy((error) => PipelineError.is(error, 'ProcessingFailed'));
  });

  it('rejects a chunk seen twice', async () => {
    const stage = teeStage({ output_path: freshPath() });
    const context = new ProcessingContext('tee-twice');
    const [first] = chunksOf(text('abc'), [1]);
    await executor.execute(stage, first!, context);
    await expect(executor.execute(stage, first!, context)).rejects.toThrow('received chunk 0 twice');
    await executor.finishRun(stage, context, 'forward');
  });

  it('rejects waiting chunks with Cancelled when the run is aborted', async () => {
    const controller = new AbortController();
    const stage = teeStage({ output_path: freshPath() });
    const context = new ProcessingContext('tee-cancel', { signal: controller.signal });
    await executor.startRun(stage, context, 'forward');
    const waiting = executor.execute(stage, chunksOf(text('abc'), [1])[1]!, context);
    controller.abort(new Error('user pressed Ctrl-C'));
    await expect(waiting).rejects.toSatisfy((error) => PipelineError.is(error, 'Cancelled'));
    await executor.finishRun(stage, context, 'forward');
  });

  it('is accepted at any position of a pipeline', () => {
    const stage = (name: string, type: StageType, algorithm: string, order: number) =>
      new PipelineStage(name, type, new StageConfiguration(algorithm, algorithm === 'tee' ? { output_path: `${name}.bin` } : {}), order);
    const pipeline = new Pipeline('tees-everywhere', [
      stage('tee-first', StageType.PassThrough, 'tee', 0),
      stage('compress', StageType.Compression, 'zstd', 1),
      stage('tee-middle', StageType.PassThrough, 'tee', 2),
      stage('encrypt', StageType.Encryption, 'aes-256-gcm', 3),
      stage('tee-last', StageType.PassThrough, 'tee', 4),
    ]);
    expect(pipeline.stages.map((s) => s.name)).toContain('tee-last');
  });

  describe('parameters', () => {
    const invalid: ReadonlyArray<readonly [Record<string, string>, RegExp]> = [
      [{}, /parameter 'output_path' must be a file path \(not empty, no NUL character\) \(required\), found none$/],
      [{ output_path: '  ' }, /parameter 'output_path' must be a file path .*found " {2}"/],
      [{ output_path: 'x', format: 'yaml' }, /parameter 'format' must be one of binary, hex, text \(default binary\), found "yaml"/],
      [{ output_path: 'x', enabled: 'yes' }, /parameter 'enabled' must be true or false \(default true\), found "yes"/],
      [
        { output_path: 'x', fromat: 'hex' },
        /parameter 'fromat' is unknown; did you mean 'format'\? known parameters: output_path, format, enabled$/,
      ],
    ];
    it.each(invalid)('rejects %o', async (parameters, message) => {
      const stage = teeStage(parameters);
      expect(() => executor.validate(stage)).toThrow(message);
      expect(() => executor.validate(stage)).toThrow(/^Stage 'peek' \(passthrough:tee\): /);
      expect(await executor.canExecute(stage)).toBe(false);
      thrownBy(() => executor.validate(stage), 'InvalidConfiguration');
    });

    it('estimates hex as slower and larger than binary', async () => {
      const hex = teeStage({ output_path: 'x', format: 'hex' });
      const binary = teeStage({ output_path: 'x' });
      expect(await executor.estimateProcessingTime(hex, 1e6)).toBeGreaterThan(await executor.estimateProcessingTime(binary, 1e6));
      expect((await executor.getResourceRequirements(hex, 1600)).diskSpaceBytes).toBe(7900);
    });
  });

  describe('baseDirectory option', () => {
    const base = join(scratch, 'base');
    mkdirSync(join(base, 'inner'), { recursive: true });
    const confined = new TeeStageExecutor({ baseDirectory: base });

    it('resolves relative paths inside the base directory', async () => {
      await runForward(confined, teeStage({ output_path: 'inner/copy.bin' }), chunksOf(text('inside'), []));
      expect(readFileSync(join(base, 'inner', 'copy.bin'), 'utf8')).toBe('inside');
    });

    it.each(['../escape.bin', '/etc/adapipe-escape.bin', 'inner/../../escape.bin', '.'])('refuses %s', async (outputPath) => {
      const failure = confined.startRun(teeStage({ output_path: outputPath }), new ProcessingContext('b'), 'forward');
      await expect(failure).rejects.toSatisfy((error) => PipelineError.is(error, 'InvalidConfiguration'));
      await expect(failure).rejects.toThrow(`leads outside the base directory '${base}'`);
    });

    it('refuses a symbolic link that leads out, in a directory or as the file', async () => {
      symlinkSync(scratch, join(base, 'link-out'));
      const viaDirectory = confined.startRun(teeStage({ output_path: 'link-out/x.bin' }), new ProcessingContext('b'), 'forward');
      await expect(viaDirectory).rejects.toThrow('leads outside the base directory');
      symlinkSync(join(scratch, 'target.bin'), join(base, 'file-link'));
      const viaFile = confined.startRun(teeStage({ output_path: 'file-link' }), new ProcessingContext('b'), 'forward');
      await expect(viaFile).rejects.toSatisfy((error) => PipelineError.is(error, 'IoError'));
      expect(existsSync(join(scratch, 'target.bin'))).toBe(false);
    });

    it('still restores a stage whose path lies outside the base directory', async () => {
      const stage = teeStage({ output_path: '/etc/passwd' });
      const context = new ProcessingContext('b');
      await confined.startRun(stage, context, 'reverse');
      const [chunk] = chunksOf(text('x'), []);
      expect(await confined.reverse(stage, chunk!)).toBe(chunk);
    });

    it('validates the options', () => {
      expect(() => new TeeStageExecutor({ baseDirectory: '' })).toThrow(
        new RangeError(`teeContainerModule: option 'baseDirectory' must be a directory path (not empty, no NUL character), found ""`),
      );
      expect(() => new TeeStageExecutor({ baseDirectory: 42 as unknown as string })).toThrow(TypeError);
      expect(() => new TeeStageExecutor({ baseDir: '/tmp' } as never)).toThrow(
        "teeContainerModule: option 'baseDir' is unknown; known options: baseDirectory",
      );
      expect(() => new TeeStageExecutor(null as never)).toThrow('teeContainerModule: options must be an object, found null');
      expect(new TeeStageExecutor({ baseDirectory: 'relative/dir' }).options.baseDirectory).toBe(join(process.cwd(), 'relative/dir'));
    });
  });
});

function text(value: string): Uint8Array {
  return new TextEncoder().encode(value);
}
