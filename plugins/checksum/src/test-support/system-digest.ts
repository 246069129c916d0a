import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The hex digest `sha256sum` or `sha512sum` prints for `data`, written to a temp file first. */
export function systemDigest(tool: 'sha256sum' | 'sha512sum', data: Uint8Array): string {
  const folder = mkdtempSync(join(tmpdir(), 'adapipe-checksum-'));
  try {
    const file = join(folder, 'input.bin');
    writeFileSync(file, data);
    const result = spawnSync(tool, [file], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${tool} failed: ${result.error?.message ?? result.stderr}`);
    return result.stdout.split(' ')[0]!;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** The tool that prints the same digest as `algorithm`. */
export function systemTool(algorithm: 'sha256' | 'sha512'): 'sha256sum' | 'sha512sum' {
  return `${algorithm}sum`;
}
