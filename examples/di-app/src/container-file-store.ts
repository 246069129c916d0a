import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { type ContainerRun, type Pipeline, PipelineRunner, type RunSecret, writeFileAtomically } from '@adapipe/core';
import { inject, injectable } from 'inversify';
import { AppConfig } from './app-config.js';
import { fileNameProblem } from './file-name.js';
import { UploadPipeline } from './upload-pipeline.js';

/** What {@link ContainerFileStore.save} reports about a stored file. */
export interface StoredFile {
  /** The file's name. */
  readonly name: string;
  /** Size of the original, in bytes. */
  readonly bytes: number;
  /** SHA-256 of the original, hex. */
  readonly sha256: string;
  /** Size of the stored container, in bytes. */
  readonly containerBytes: number;
}

/**
 * Stores streams as `.adapipe` containers in the configured directory and streams them back. Every
 * byte goes through the {@link PipelineRunner} chunk by chunk; nothing holds a whole file.
 */
@injectable()
export class ContainerFileStore {
  readonly #secret: RunSecret;

  constructor(
    @inject(AppConfig) private readonly config: AppConfig,
    @inject(PipelineRunner) private readonly runner: PipelineRunner,
    @inject(UploadPipeline) private readonly pipeline: Pipeline,
  ) {
    this.#secret = { kind: 'key', key: config.key };
  }

  /** The path of the container that holds `name`. */
  containerPath(name: string): string {
    const problem = fileNameProblem(name);
    if (problem !== undefined) throw new RangeError(`name: ${problem}`);
    return join(this.config.storageDirectory, `${name}.adapipe`);
  }

  /**
   * Processes `source` into the container of `name`, replacing an older one atomically: readers see
   * the old container or the complete new one, never a part.
   *
   * @throws {RangeError} for an invalid name.
   * @throws {PipelineError} when the run or the write fails (nothing is left behind), or whatever `source` throws.
   */
  async save(name: string, source: AsyncIterable<Uint8Array>): Promise<StoredFile> {
    const path = this.containerPath(name);
    const run = this.runner.process(source, {
      pipeline: this.pipeline,
      secret: this.#secret,
      chunkSize: this.config.chunkSize,
      window: this.config.window,
      name,
    });
    await writeFileAtomically(path, run.output, { overwrite: true });
    const result = await run.result;
    return { name, bytes: result.bytesIn, sha256: result.digest, containerBytes: result.bytesOut };
  }

  /**
   * Starts restoring the original of `name`: consume `output` to read it; the run fails (typed
   * `PipelineError`) as soon as the container turns out truncated or corrupt. `undefined` when no
   * such file is stored.
   *
   * @throws {RangeError} for an invalid name.
   */
  async restore(name: string): Promise<ContainerRun | undefined> {
    const path = this.containerPath(name);
    const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (handle === undefined) return undefined;
    const input = handle.createReadStream({ highWaterMark: 1 << 20 });
    return this.runner.restore(input, { secret: this.#secret, window: this.config.window }, name);
  }
}
