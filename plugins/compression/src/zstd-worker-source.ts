/**
 * The source of a zstd worker thread, run with `eval: true`. It uses only dynamic `import()`, so it
 * runs whether Node evaluates it as CommonJS or, under `--input-type=module`, as an ES module. It
 * loads zstd-napi's binding from `workerData.bindingPath` and answers `{ id, op, data, level | length }`
 * messages with `{ id, data }` or `{ id, error }`, transferring buffers both ways. Mirrors `ZstdCodec`.
 */
export const zstdWorkerSource = `
(async () => {
  const { parentPort, workerData } = await import('node:worker_threads');
  const { pathToFileURL } = await import('node:url');
  const loaded = await import(pathToFileURL(workerData.bindingPath).href);
  const binding = loaded.default ?? loaded;
  const cctx = new binding.CCtx();
  const dctx = new binding.DCtx();
  const compress = (data, level) => {
    cctx.setParameter(binding.CParameter.compressionLevel, level);
    cctx.setParameter(binding.CParameter.checksumFlag, 1);
    const output = Buffer.allocUnsafeSlow(binding.compressBound(data.length));
    const written = cctx.compress2(output, data);
    return written < output.length * 0.75 ? new Uint8Array(output.subarray(0, written)) : output.subarray(0, written);
  };
  const decompress = (data, length) => {
    const output = Buffer.allocUnsafeSlow(length);
    const written = dctx.decompress(output, data);
    return output.subarray(0, written);
  };
  parentPort.on('message', (job) => {
    let result;
    try {
      result = job.op === 'compress' ? compress(job.data, job.level) : decompress(job.data, job.length);
    } catch (error) {
      parentPort.postMessage({ id: job.id, error: error instanceof Error ? error.message : String(error) });
      return;
    }
    parentPort.postMessage({ id: job.id, data: result }, [result.buffer]);
  });
})();
`;
