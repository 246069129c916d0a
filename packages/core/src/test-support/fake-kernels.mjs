// Chunk kernels for the engine's tests, in plain JavaScript so worker threads load them as they are.
import { isMainThread, threadId } from 'node:worker_threads';
import { PipelineError } from '@adapipe/core/kernel';

const u32 = (value) => {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value);
  return bytes;
};

/** XORs every byte with `config.key`; records the thread it ran on under `config.stageName`. */
export function xorKernel(config) {
  return {
    run(chunk, buffers) {
      const data = buffers.take(chunk.data.length);
      for (let index = 0; index < data.length; index++) data[index] = chunk.data[index] ^ config.key;
      const metadata = new Map(chunk.metadata);
      metadata.set(config.stageName, u32(isMainThread ? 0 : threadId));
      return { ...chunk, data, metadata };
    },
  };
}

/** Fails on chunk `config.failAt`: a PipelineError when `config.typed`, else a plain Error. */
export function failingKernel(config) {
  return {
    run(chunk) {
      if (chunk.sequenceNumber !== config.failAt) return chunk;
      if (config.typed) throw new PipelineError('IntegrityFailed', `fake kernel rejected chunk ${chunk.sequenceNumber}`);
      throw new Error('the fake kernel broke');
    },
  };
}

/** Blocks its thread for `config.milliseconds` per chunk, as long native work would. */
export function slowKernel(config) {
  const cell = new Int32Array(new SharedArrayBuffer(4));
  return {
    run(chunk) {
      Atomics.wait(cell, 0, 0, config.milliseconds);
      return chunk;
    },
  };
}
