import type { Pipeline } from '@adapipe/core';
import { parseStageSpec } from './stage-spec.js';

/**
 * The pipeline `process` uses without `-p` or `--stages`: blake3 → zstd 3 → aes-256-gcm → blake3.
 * BLAKE3 (native, ~5 GB/s a core) costs a quarter of SHA-256 here, with the same 256-bit strength;
 * the chapter's SHA-256 pipeline is `--stages checksum:sha256,compression:zstd,encryption:aes-256-gcm,checksum:sha256`.
 */
export const DEFAULT_STAGES = 'checksum:blake3,compression:zstd:level=3,encryption:aes-256-gcm,checksum:blake3';

/** The pipelines seeded into a new store, by name. */
export const defaultPipelineSpecs: Readonly<Record<string, string>> = {
  'secure-backup': DEFAULT_STAGES,
  'compress-only': 'checksum:sha256,compression:zstd:level=3,checksum:sha256',
  fast: 'compression:lz4,checksum:blake3',
  archive: 'checksum:sha256,compression:brotli:level=9,checksum:sha256',
  integrity: 'checksum:sha256',
};

/** The seeded pipelines as `Pipeline`s. */
export function defaultPipelines(): Pipeline[] {
  return Object.entries(defaultPipelineSpecs).map(([name, spec]) => parseStageSpec(spec, name));
}
