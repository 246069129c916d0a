import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { type FileChunk, PipelineError, SequenceGate } from '@adapipe/core';
import { createTeeEncoder, type TeeEncoder } from './tee-encoder.js';
import type { TeeFormat } from './tee-format.js';

/** Options of {@link OrderedTeeWriter.open}. */
export interface OrderedTeeWriterOptions {
  /** The layout of the output. */
  readonly format: TeeFormat;
  /** Names the stage in error messages, for example `Stage 'copy' (passthrough:tee)`. */
  readonly where: string;
  /** Refuse to open the file when its last path component is a symbolic link. */
  readonly noFollow?: boolean;
  /** Cancels the run: waiting chunks are rejected with `Cancelled` and the file is closed. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * One run's tee output: an open file that receives chunks in sequence order (0, 1, 2, …) whatever
 * order they arrive in. A chunk that arrives early waits in a {@link SequenceGate}; every
 * {@link OrderedTeeWriter.write} resolves once its own chunk is written, so no more chunks wait
 * than a runner has in flight. The file is finished (encoder flushed, file closed) after
 * the final chunk, or by {@link OrderedTeeWriter.finish}.
 */
export class OrderedTeeWriter {
  readonly #handle: FileHandle;
  readonly #encoder: TeeEncoder;
  readonly #path: string;
  readonly #where: string;
  readonly #signal: AbortSignal | undefined;
  readonly #onAbort = () => this.#cancel();
  readonly #gate = new SequenceGate();
  #finished = false;
  #failure: PipelineError | undefined;
  #closed: Promise<void> | undefined;

  private constructor(handle: FileHandle, path: string, options: OrderedTeeWriterOptions) {
    this.#handle = handle;
    this.#path = path;
    this.#encoder = createTeeEncoder(options.format);
    this.#where = options.where;
    this.#signal = options.signal;
    this.#signal?.addEventListener('abort', this.#onAbort, { once: true });
    if (this.#signal?.aborted) this.#cancel();
  }

  /**
   * Creates (or truncates) `path` and returns a writer for it.
   *
   * @throws {PipelineError} `IoError` naming the path and the cause when it cannot be opened.
   */
  static async open(path: string, options: OrderedTeeWriterOptions): Promise<OrderedTeeWriter> {
    const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | (options.noFollow ? constants.O_NOFOLLOW : 0);
    let handle: FileHandle;
    try {
      handle = await open(path, flags, 0o666);
    } catch (error) {
      throw new PipelineError('IoError', `${options.where}: cannot open output_path '${path}' for writing: ${messageOf(error)}`, {
        cause: error,
      });
    }
    return new OrderedTeeWriter(handle, path, options);
  }

  /** The file being written. */
  get path(): string {
    return this.#path;
  }

  /**
   * Writes `chunk` once every chunk before it has been written.
   *
   * @throws {PipelineError} `IoError` when writing fails, `Cancelled` when the run is cancelled,
   * `ProcessingFailed` when the chunk arrives twice or after the output was finished.
   */
  write(chunk: FileChunk): Promise<void> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    const sequence = chunk.sequenceNumber;
    if (this.#finished) {
      return Promise.reject(this.#error('ProcessingFailed', `received chunk ${sequence} after the output was finished`));
    }
    if (this.#gate.has(sequence)) {
      return Promise.reject(this.#error('ProcessingFailed', `received chunk ${sequence} twice`));
    }
    return this.#gate.run(sequence, () => this.#write(chunk));
  }

  /**
   * Flushes the encoder and closes the file, unless the final chunk already did. Chunks still
   * waiting for an earlier one that never came are rejected.
   *
   * @throws {PipelineError} `ProcessingFailed` naming the missing chunk; `IoError` when the last
   * bytes cannot be written or the file cannot be closed.
   */
  async finish(): Promise<void> {
    await this.#gate.idle();
    if (this.#failure !== undefined || this.#finished) {
      await this.#close().catch(() => {});
      return;
    }
    const waiting = this.#gate.waitingSequenceNumbers;
    if (waiting.length > 0) {
      const failure = this.#error(
        'ProcessingFailed',
        `the run finished before chunk ${this.#gate.nextSequenceNumber} arrived; chunks ${waiting.join(', ')} were not written to '${this.#path}'`,
      );
      this.#fail(failure);
      await this.#close().catch(() => {});
      throw failure;
    }
    try {
      await this.#complete();
    } catch (error) {
      const failure = this.#ioError(error, undefined);
      this.#fail(failure);
      throw failure;
    }
  }

  async #write(chunk: FileChunk): Promise<void> {
    try {
      await this.#writeAll(this.#encoder.encode(chunk.data));
      if (chunk.isFinal) await this.#complete();
    } catch (error) {
      const failure = this.#ioError(error, chunk.sequenceNumber);
      this.#fail(failure);
      throw failure;
    }
    if (chunk.isFinal) {
      this.#gate.cancel((sequence) => this.#error('ProcessingFailed', `received chunk ${sequence} after the final chunk`));
    }
  }

  async #complete(): Promise<void> {
    this.#finished = true;
    await this.#writeAll(this.#encoder.end());
    await this.#close();
  }

  async #writeAll(bytes: Uint8Array): Promise<void> {
    for (let offset = 0; offset < bytes.length; ) {
      const { bytesWritten } = await this.#handle.write(bytes, offset, bytes.length - offset);
      offset += bytesWritten;
    }
  }

  #close(): Promise<void> {
    this.#closed ??= (async () => {
      this.#signal?.removeEventListener('abort', this.#onAbort);
      await this.#handle.close();
    })();
    return this.#closed;
  }

  #cancel(): void {
    if (this.#failure !== undefined || this.#closed !== undefined) return;
    this.#fail(
      new PipelineError('Cancelled', `${this.#where}: the run was cancelled; '${this.#path}' is incomplete`, {
        cause: this.#signal?.reason,
      }),
    );
  }

  #fail(failure: PipelineError): void {
    this.#failure ??= failure;
    this.#gate.cancel(() => failure);
    this.#close().catch(() => {});
  }

  #ioError(error: unknown, sequence: number | undefined): PipelineError {
    if (PipelineError.is(error)) return error;
    const what = sequence === undefined ? 'finish' : `write chunk ${sequence} to`;
    return this.#error('IoError', `cannot ${what} '${this.#path}': ${messageOf(error)}`, error);
  }

  #error(kind: 'IoError' | 'ProcessingFailed', message: string, cause?: unknown): PipelineError {
    return new PipelineError(kind, `${this.#where}: ${message}`, cause === undefined ? {} : { cause });
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
