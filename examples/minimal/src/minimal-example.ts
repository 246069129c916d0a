import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createAdapipe, Pipeline, PipelineError, PipelineStage, StageConfiguration, StageType } from '@adapipe/core';
import { compressionContainerModule } from '@adapipe/plugin-compression';
import { exampleMissingPluginModule } from './example-missing-plugin.js';

/** What {@link runMinimalExample} did. */
export interface MinimalExampleResult {
  /** Size of the input file, in bytes. */
  readonly originalBytes: number;
  /** Size of the zstd container, in bytes. */
  readonly containerBytes: number;
  /** `originalBytes / containerBytes`. */
  readonly ratio: number;
  /** Whether the restored file has exactly the input's bytes (compared by SHA-256 of both files). */
  readonly identical: boolean;
  /** The error restoring a container whose plugin is not installed gave. */
  readonly missingPlugin: { readonly kind: string; readonly message: string };
}

/**
 * Processes `file` into a zstd container with core + the compression plugin only, restores it,
 * compares the bytes, then shows the `ExecutorNotFound` error a container written with a plugin
 * this app lacks produces. Works in a temporary folder, removed afterwards.
 *
 * @throws {PipelineError} when processing or restoring the zstd container fails.
 */
export async function runMinimalExample(file: string): Promise<MinimalExampleResult> {
  const { runner } = createAdapipe(compressionContainerModule());
  const workDir = await mkdtemp(join(tmpdir(), 'adapipe-minimal-'));
  try {
    const zstd = new PipelineStage('compression', StageType.Compression, new StageConfiguration('zstd'), 0);
    const containerPath = join(workDir, `${basename(file)}.adapipe`);
    const processed = await runner.processFile(file, containerPath, { pipeline: new Pipeline('minimal-zstd', [zstd]) });
    const restored = await runner.restoreFile(containerPath, join(workDir, 'restored'));
    const identical = (await sha256(file)) === (await sha256(restored.outputPath)) && restored.digest === processed.digest;

    const withExtraPlugin = createAdapipe(compressionContainerModule(), exampleMissingPluginModule());
    const invert = new PipelineStage('invert', StageType.Transform, new StageConfiguration('invert'), 0);
    const foreignPath = join(workDir, 'needs-missing-plugin.adapipe');
    await withExtraPlugin.runner.processFile(file, foreignPath, { pipeline: new Pipeline('needs-invert', [invert, zstd]) });
    const missingPlugin = await restoreError(() => runner.restoreFile(foreignPath, join(workDir, 'never-written')));

    return {
      originalBytes: processed.bytesIn,
      containerBytes: processed.bytesOut,
      ratio: processed.bytesIn / processed.bytesOut,
      identical,
      missingPlugin,
    };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

async function restoreError(restore: () => Promise<unknown>): Promise<MinimalExampleResult['missingPlugin']> {
  try {
    await restore();
  } catch (error) {
    if (PipelineError.is(error)) return { kind: error.kind, message: error.message };
    throw error;
  }
  throw new Error('restoring a container that needs a missing plugin unexpectedly succeeded');
}

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const block of createReadStream(path)) hash.update(block as Buffer);
  return hash.digest('hex');
}
