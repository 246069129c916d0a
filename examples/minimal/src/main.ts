import 'reflect-metadata';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMinimalExample } from './minimal-example.js';

/** Writes about 0.5 MB of log-like text to the temp folder, for runs without a FILE argument. */
async function writeSampleFile(): Promise<string> {
  const path = join(tmpdir(), `adapipe-minimal-sample-${process.pid}.log`);
  const lines = Array.from(
    { length: 16_000 },
    (_, index) => `${index.toString().padStart(6, '0')} GET /items/${(index * 7919) % 1000} 200 ${index % 97}ms`,
  );
  await writeFile(path, `${lines.join('\n')}\n`);
  return path;
}

const given = process.argv[2];
const file = given ?? (await writeSampleFile());
try {
  const result = await runMinimalExample(file);
  console.log(`input      ${file} (${result.originalBytes} bytes)`);
  console.log(`container  ${result.containerBytes} bytes, ratio ${result.ratio.toFixed(2)} (zstd)`);
  console.log(`restored   ${result.identical ? 'identical bytes' : 'DIFFERENT BYTES'}`);
  console.log(`missing plugin -> ${result.missingPlugin.kind}: ${result.missingPlugin.message}`);
  if (!result.identical) process.exitCode = 1;
} finally {
  if (given === undefined) await rm(file, { force: true });
}
