import { once } from 'node:events';
import { constants, createBrotliCompress, createGzip, type BrotliCompress, type Gzip } from 'node:zlib';
import { FileChunk, KiB, MiB, PipelineError, PipelineStage, ProcessingContext, StageConfiguration, StageType } from '@adapipe/core';
import { compressibleBytes } from '@adapipe/core/testing';
import lz4 from 'lz4-napi';
import { describe, expect, it } from 'vitest';
import { BrotliStageExecutor } from './brotli-stage-executor.js';
import type { CompressionStageExecutor } from './compression-stage-executor.js';
import { GzipStageExecutor } from './gzip-stage-executor.js';
import { Lz4StageExecutor } from './lz4-stage-executor.js';
import { encodeUncompressedLength } from './uncompressed-length.js';
import { zstdBinding } from './zstd-codec.js';
import { zstdKernel, type ZstdKernelConfig } from './kernels.js';
import { ZstdStageExecutor } from './zstd-stage-executor.js';

const bombSize = 100 * MiB;
const declared = KiB;
const zeros = new Uint8Array(MiB);

/** Streams `bombSize` zero bytes through a node:zlib compressor without ever holding them. */
async function zlibBomb(compressor: Gzip | BrotliCompress): Promise<Uint8Array> {
  const parts: Buffer[] = [];
  compressor.on('data', (part: Buffer) => parts.push(part));
  for (let written = 0; written < bombSize; written += zeros.length) {
    if (!compressor.write(zeros)) await once(compressor, 'drain');
  }
  compressor.end();
  await once(compressor, 'end');
  return Buffer.concat(parts);
}

/** 100 zstd frames of 1 MiB of zeros each, without a content size in their headers. */
function zstdBombWithoutContentSize(): Uint8Array {
  const { CCtx, CParameter, compressBound } = zstdBinding();
  const cctx = new CCtx();
  cctx.setParameter(CParameter.contentSizeFlag, 0);
  const frame = Buffer.alloc(compressBound(zeros.length));
  const frameLength = cctx.compress2(frame, zeros);
  return Buffer.concat(Array.from({ length: bombSize / MiB }, () => frame.subarray(0, frameLength)));
}

/** One LZ4 frame of `blocks` copies of a block that expands to 64 KiB of zeros. */
async function lz4Bomb(blocks: number): Promise<Uint8Array> {
  const frame = await lz4.compressFrame(new Uint8Array(64 * KiB), { contentChecksum: false });
  const header = frame.subarray(0, 7);
  const block = frame.subarray(7, frame.length - 4);
  expect(block.readUInt32LE(0) + 4).toBe(block.length);
  return Buffer.concat([header, ...Array.from({ length: blocks }, () => block), Buffer.alloc(4)]);
}

/** Peak resident memory of this process, threads included, in bytes. */
function peakMemory(): number {
  return process.resourceUsage().maxRSS * 1024;
}

const zstd = new ZstdStageExecutor();

const stage = (algorithm: string) => new PipelineStage('pack', StageType.Compression, new StageConfiguration(algorithm), 0);

/** Fails unless `reverse` rejects the bomb with a typed error and peak memory grows by far less than the bomb. */
async function expectRefused(executor: CompressionStageExecutor, payload: Uint8Array): Promise<PipelineError> {
  const algorithmStage = stage(executor.algorithm);
  const warm = await executor.execute(algorithmStage, new FileChunk(0, compressibleBytes(256 * KiB)), new ProcessingContext('warm'));
  await executor.reverse(algorithmStage, warm, new ProcessingContext('warm'));
  expect(payload.length).toBeLessThan(MiB);
  const chunk = new FileChunk(5, payload).withMetadata('pack', encodeUncompressedLength(declared));
  const before = peakMemory();
  let failure: unknown;
  try {
    await executor.reverse(algorithmStage, chunk, new ProcessingContext('bomb'));
  } catch (error) {
    failure = error;
  }
  const grown = peakMemory() - before;
  expect(PipelineError.is(failure, 'CompressionFailed') || PipelineError.is(failure, 'LimitExceeded'), String(failure)).toBe(true);
  expect((failure as Error).message).toMatch(
    new RegExp(`^Stage 'pack' \\(compression:${executor.algorithm}\\) chunk 5: decompression failed: `),
  );
  expect(grown, `peak memory grew by ${grown} bytes`).toBeLessThan(32 * MiB);
  return failure as PipelineError;
}

describe('decompression bombs (1 KiB declared, 100 MiB inside) fail without allocating', () => {
  it('zstd: a frame whose header declares more than the chunk is refused before decompressing', async () => {
    const frame = Buffer.alloc(zstdBinding().compressBound(MiB));
    const length = zstdBinding().compress(frame, zeros, 3);
    expect(zstdBinding().getFrameContentSize(frame.subarray(0, length))).toBe(MiB);
    const error = await expectRefused(zstd, frame.subarray(0, length));
    expect(error.message).toContain(`the zstd frame declares ${MiB} bytes, not the declared ${declared}`);
  });

  it('zstd: frames without a content size stop at the declared length', async () => {
    const error = await expectRefused(zstd, zstdBombWithoutContentSize());
    expect(error.kind).toBe('CompressionFailed');
    expect(error.message).toMatch(/Destination buffer is too small/);
  });

  it('zstd kernel (what worker threads run): frames without a content size stop at the declared length, in a recycled buffer', async () => {
    const kernel = await zstdKernel({ stageName: 'pack', level: 3, limit: declared } satisfies ZstdKernelConfig, 'reverse');
    const taken: number[] = [];
    const buffers = {
      take: (size: number) => {
        taken.push(size);
        return new Uint8Array(size);
      },
    };
    const payload = zstdBombWithoutContentSize();
    const before = peakMemory();
    const chunk = {
      sequenceNumber: 5,
      offset: 0,
      isFinal: false,
      data: payload,
      metadata: new Map([['pack', encodeUncompressedLength(declared)]]),
    };
    await expect(Promise.resolve().then(() => kernel.run(chunk, buffers))).rejects.toMatchObject({
      kind: 'CompressionFailed',
      message: expect.stringMatching(/Destination buffer is too small/),
    });
    expect(taken).toEqual([declared]);
    expect(peakMemory() - before).toBeLessThan(16 * MiB);
  });

  it('gzip: the trailer size is checked before inflating', async () => {
    const payload = await zlibBomb(createGzip());
    const error = await expectRefused(new GzipStageExecutor(), payload);
    expect(error.message).toContain(`the gzip trailer declares ${bombSize} bytes, not the declared ${declared}`);
  });

  it('gzip: with a forged trailer, inflating stops at the declared length', async () => {
    const payload = Buffer.from(await zlibBomb(createGzip()));
    payload.writeUInt32LE(declared, payload.length - 4);
    const error = await expectRefused(new GzipStageExecutor(), payload);
    expect(error.message).toContain(`the data expands beyond its declared ${declared} bytes`);
  });

  it('brotli: decompression stops at the declared length', async () => {
    const payload = await zlibBomb(createBrotliCompress({ params: { [constants.BROTLI_PARAM_QUALITY]: 4 } }));
    const error = await expectRefused(new BrotliStageExecutor(), payload);
    expect(error.message).toContain(`the data expands beyond its declared ${declared} bytes`);
  });

  it('lz4: a frame whose blocks can expand beyond the declared length is refused before decompressing', async () => {
    const small = await lz4Bomb(3);
    expect((await lz4.decompressFrame(small)).length).toBe(3 * 64 * KiB);
    const error = await expectRefused(new Lz4StageExecutor(), await lz4Bomb(bombSize / (64 * KiB)));
    expect(error.message).toContain(`the LZ4 frame can expand to ${bombSize} bytes, beyond its declared ${declared}`);
  });
});
