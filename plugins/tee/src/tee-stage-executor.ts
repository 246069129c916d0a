import {
  BaseStageExecutor,
  observingCapabilities,
  ContextKey,
  type FileChunk,
  type PipelineStage,
  type ProcessingContext,
  ResourceRequirements,
  type StageCapability,
  type StageDirection,
  MiB,
  stageLabel,
} from '@adapipe/core';
import { OrderedTeeWriter } from './ordered-tee-writer.js';
import type { TeeFormat } from './tee-format.js';
import { resolveTeeOptions, type ResolvedTeeOptions, type TeeOptions } from './tee-options.js';
import { resolveTeeOutputPath } from './tee-output-path.js';
import { teeParameters, type TeeParameters } from './tee-parameters.js';

interface TeeRun {
  writer?: Promise<OrderedTeeWriter>;
}

const TeeRunKey = new ContextKey<TeeRun>('@adapipe/plugin-tee/run');

const bytesPerSecond: Readonly<Record<TeeFormat, number>> = { binary: 1_000_000_000, hex: 150_000_000, text: 400_000_000 };
const outputBytesPerInputByte: Readonly<Record<TeeFormat, number>> = { binary: 1, hex: 79 / 16, text: 3 };

const description = 'copies the data at its position to a file: binary, hex (hexdump -C) or text';

/**
 * The tee stage (`transform:tee`, the seed's type, or `passthrough:tee`, which may also follow an
 * encryption stage): hands every chunk on unchanged and, when processing, writes a
 * copy of the data at its position in the pipeline to `output_path` as raw bytes, `hexdump -C`
 * text or lossy UTF-8 text, in chunk order even when chunks are processed in parallel.
 *
 * `startRun` (forward) opens the file, so an unwritable path fails before any chunk; the file is
 * finished after the final chunk or by `finishRun`. Restoring never opens or writes anything: a
 * path stored in a container is never written on restore.
 *
 * @example
 * ```ts
 * const executor = new TeeStageExecutor({ baseDirectory: '/var/tmp/adapipe' });
 * const stage = new PipelineStage('peek', StageType.Transform,
 *   new StageConfiguration('tee', { output_path: 'peek.hex', format: 'hex' }), 1);
 * ```
 */
export class TeeStageExecutor extends BaseStageExecutor {
  readonly packageName = '@adapipe/plugin-tee';
  readonly capabilities: readonly StageCapability[] = observingCapabilities('tee', description, teeParameters);
  readonly #options: ResolvedTeeOptions;

  /** @throws {TypeError} naming the option when `options` is invalid. */
  constructor(options: TeeOptions = {}) {
    super();
    this.#options = resolveTeeOptions(options);
  }

  /** The validated options, `baseDirectory` absolute. */
  get options(): ResolvedTeeOptions {
    return this.#options;
  }

  /**
   * Forward: opens (creates or truncates) the output file. Reverse: does nothing.
   *
   * @throws {PipelineError} `IoError` naming the path and the cause when it cannot be opened;
   * `InvalidConfiguration` when it leads outside the base directory.
   */
  async startRun(stage: PipelineStage, context: ProcessingContext, direction: StageDirection): Promise<void> {
    if (direction !== 'forward') return;
    const parameters = teeParameters.parse(stage);
    if (!parameters.enabled) return;
    await this.#writer(stage, context, parameters);
  }

  /**
   * Forward: writes what the output still holds back and closes it. Reverse: does nothing.
   *
   * @throws {PipelineError} `IoError` when the file cannot be finished; `ProcessingFailed` when
   * a chunk never arrived.
   */
  async finishRun(stage: PipelineStage, context: ProcessingContext, direction: StageDirection): Promise<void> {
    if (direction !== 'forward') return;
    const run = context.stageState(stage.id, TeeRunKey, (): TeeRun => ({}));
    if (run.writer === undefined) return;
    let writer: OrderedTeeWriter;
    try {
      writer = await run.writer;
    } catch {
      return;
    }
    await writer.finish();
  }

  /**
   * Writes the chunk to the output (after every earlier chunk) and returns it unchanged.
   *
   * @throws {PipelineError} `IoError` naming the chunk, the path and the cause.
   */
  async execute(stage: PipelineStage, chunk: FileChunk, context: ProcessingContext): Promise<FileChunk> {
    const parameters = teeParameters.parse(stage);
    if (!parameters.enabled) return chunk;
    const writer = await this.#writer(stage, context, parameters);
    await writer.write(chunk);
    return chunk;
  }

  /** Returns the chunk unchanged; restoring never writes a tee output. */
  async reverse(_stage: PipelineStage, chunk: FileChunk): Promise<FileChunk> {
    return chunk;
  }

  override async estimateProcessingTime(stage: PipelineStage, dataSize: number): Promise<number> {
    return (dataSize / bytesPerSecond[this.#formatOf(stage)]) * 1000;
  }

  override async getResourceRequirements(stage: PipelineStage, dataSize: number): Promise<ResourceRequirements> {
    const disk = Math.ceil(dataSize * outputBytesPerInputByte[this.#formatOf(stage)]);
    return new ResourceRequirements(16 * MiB, 1, disk).withDuration(await this.estimateProcessingTime(stage, dataSize));
  }

  #formatOf(stage: PipelineStage): TeeFormat {
    try {
      return teeParameters.parse(stage).format;
    } catch {
      return 'binary';
    }
  }

  #writer(stage: PipelineStage, context: ProcessingContext, parameters: TeeParameters): Promise<OrderedTeeWriter> {
    const run = context.stageState(stage.id, TeeRunKey, (): TeeRun => ({}));
    run.writer ??= this.#open(stage, context, parameters);
    return run.writer;
  }

  async #open(stage: PipelineStage, context: ProcessingContext, parameters: TeeParameters): Promise<OrderedTeeWriter> {
    const where = stageLabel(stage);
    const { baseDirectory } = this.#options;
    const path = await resolveTeeOutputPath(parameters.output_path, baseDirectory, where);
    return OrderedTeeWriter.open(path, {
      format: parameters.format,
      where,
      noFollow: baseDirectory !== undefined,
      signal: context.signal,
    });
  }
}
