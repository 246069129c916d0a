// The 2-core limits of bench/RESULTS.md: measures, on one thread, each algorithm the pipelines use
// (BLAKE3, SHA-256, AES-256-GCM, zstd level 3 both ways) over a file cut in chunks of --chunk MiB, then
// computes how fast each pipeline could go if every CPU-second of its work were spread perfectly over
// --cores cores with nothing else to do (no I/O, no start-up, no scheduling): the ceiling each row
// of the peer comparison is compared with.
//
//   node bench/limits.mjs FILE [--chunk 4] [--cores 2]
import { createCipheriv, createHash } from 'node:crypto';
import { openSync, readSync, fstatSync, closeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

const require = createRequire(new URL('../plugins/compression/package.json', import.meta.url));
const zstd = require('zstd-napi/binding');
const { blake3 } = createRequire(new URL('../plugins/checksum/package.json', import.meta.url))('@napi-rs/blake-hash');
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { chunk: { type: 'string', default: '4' }, cores: { type: 'string', default: '2' } },
});
if (positionals.length !== 1) {
  console.error('usage: node bench/limits.mjs FILE [--chunk MiB] [--cores N]');
  process.exit(2);
}
const chunkSize = Number(values.chunk) * 2 ** 20;
const cores = Number(values.cores);

const chunks = readChunks(positionals[0]);
const bytes = chunks.reduce((sum, chunk) => sum + chunk.length, 0);

/** Seconds of one thread for `work` over all chunks, the best of three runs. */
function seconds(work, inputs = chunks) {
  let best = Number.POSITIVE_INFINITY;
  for (let run = 0; run < 3; run++) {
    const started = performance.now();
    inputs.forEach(work);
    best = Math.min(best, (performance.now() - started) / 1000);
  }
  return best;
}

const cctx = new zstd.CCtx();
cctx.setParameter(zstd.CParameter.compressionLevel, 3);
cctx.setParameter(zstd.CParameter.checksumFlag, 1);
const scratch = Buffer.allocUnsafeSlow(zstd.compressBound(chunkSize));
const compressed = chunks.map((chunk) => Buffer.from(scratch.subarray(0, cctx.compress2(scratch, chunk))));
const compressedBytes = compressed.reduce((sum, chunk) => sum + chunk.length, 0);
const dctx = new zstd.DCtx();
const key = Buffer.alloc(32, 1);
let counter = 0;
const seal = (chunk) => {
  const nonce = Buffer.alloc(12);
  nonce.writeUInt32BE(counter++, 8);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.update(chunk);
  cipher.final();
  cipher.getAuthTag();
};

const t = {
  zstdCompress: seconds((chunk) => cctx.compress2(scratch, chunk)),
  zstdDecompress: seconds((chunk) => dctx.decompress(scratch, chunk), compressed),
  sha256Original: seconds((chunk) => createHash('sha256').update(chunk).digest()),
  sha256Compressed: seconds((chunk) => createHash('sha256').update(chunk).digest(), compressed),
  blake3Original: seconds((chunk) => blake3(chunk)),
  blake3Compressed: seconds((chunk) => blake3(chunk), compressed),
  aesCompressed: seconds(seal, compressed),
};
const mb = (secondsTaken, size = bytes) => (size / 1e6 / secondsTaken).toFixed(0);
console.log(
  `${positionals[0]}: ${bytes} bytes in ${chunks.length} chunks of ${values.chunk} MiB, zstd 3 ratio ${(bytes / compressedBytes).toFixed(2)}; one thread:`,
);
console.log(`  zstd 3 compress ${mb(t.zstdCompress)} MB/s, decompress ${mb(t.zstdDecompress)} MB/s (of original bytes)`);
console.log(
  `  blake3 ${mb(t.blake3Original)} MB/s, sha256 ${mb(t.sha256Original)} MB/s, aes-256-gcm ${mb(t.aesCompressed, compressedBytes)} MB/s`,
);

// CPU-seconds of each pipeline's work: every digest a checksum stage records is one pass (a chunk
// digest and a whole-stream digest, of the input and of the output).
const blake3Digests = 2 * (t.blake3Original + t.blake3Compressed);
const sha256Digests = 2 * (t.sha256Original + t.sha256Compressed);
const rows = [
  ['zstd → aes-256-gcm (the work of zstd | age)', t.zstdCompress + t.aesCompressed],
  ['blake3 → zstd → aes-256-gcm → blake3 (the default)', t.zstdCompress + t.aesCompressed + blake3Digests],
  ["sha256 → zstd → aes-256-gcm → sha256 (the chapter's)", t.zstdCompress + t.aesCompressed + sha256Digests],
  ['restore of the default, every digest verified', t.zstdDecompress + t.aesCompressed + blake3Digests],
  ["restore of the chapter's, every digest verified", t.zstdDecompress + t.aesCompressed + sha256Digests],
];
console.log(`\n${cores}-core limits (CPU-seconds / ${cores}, nothing else counted):`);
for (const [name, cpu] of rows)
  console.log(`  ${name}: ${cpu.toFixed(2)} CPU-s, at best ${(cpu / cores).toFixed(2)} s = ${mb(cpu / cores)} MB/s`);

function readChunks(path) {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const result = [];
    for (let offset = 0; offset < size; offset += chunkSize) {
      const chunk = Buffer.allocUnsafe(Math.min(chunkSize, size - offset));
      readSync(fd, chunk, 0, chunk.length, offset);
      result.push(chunk);
    }
    return result;
  } finally {
    closeSync(fd);
  }
}
