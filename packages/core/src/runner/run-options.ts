import type { KeyDerivationScope } from '../domain/key-derivation-scope.js';
import type { Pipeline } from '../domain/pipeline.js';
import type { FileAttributes } from '../domain/file-attributes.js';
import type { RunSecret } from '../domain/run-context-keys.js';
import type { AtomicWriteOptions } from './atomic-file-writer.js';
import type { KernelBuffers } from '../kernel/chunk-kernel.js';
import type { ReadFileOptions } from './file-input.js';

/** Options shared by every run. */
export interface RunOptions {
  /** The password or key, when a stage encrypts or the container is encrypted. */
  readonly secret?: RunSecret;
  /** Chunks processed at once; default: the workers plus two. Memory ≈ (2 × window + workers) × chunk size. */
  readonly window?: number;
  /**
   * Worker threads for stages that offer a kernel (all official ones), 0–256; default: the
   * available cores. 0 runs everything on the calling thread. More than the cores is allowed.
   */
  readonly workers?: number;
  /**
   * Whether the consumer of the run's `output` is done with each buffer once it asks for the next
   * one (it awaits each write, as `writeFileAtomically` does): the run then yields its recycled
   * buffers themselves instead of copies. Default false: every yielded buffer is the consumer's.
   */
  readonly recycleOutput?: boolean;
  /** Cancels the run; it then fails with `Cancelled` and leaves nothing behind. */
  readonly signal?: AbortSignal;
  /** Called as input is consumed, with the bytes read so far (for progress bars and metrics). */
  readonly onProgress?: (bytesRead: number) => void;
  /**
   * The input's size in bytes, when known (a file's): it sets the adaptive chunk size of a process
   * run, and lets a run of several chunks boot its worker threads while its stages start.
   */
  readonly sizeHint?: number;
  /** The run's source of random bytes; only for re-deriving test vectors (see `RandomSourceKey`). */
  readonly random?: (length: number) => Uint8Array;
  /**
   * Shares one password derivation among the runs of a batch (see {@link KeyDerivationScope}):
   * the same scope for every file, closed by the caller after the last run.
   */
  readonly keyScope?: KeyDerivationScope;
}

/** Options for processing input into a container. */
export interface ProcessOptions extends RunOptions {
  /** The stages to run; disabled stages are skipped. */
  readonly pipeline: Pipeline;
  /** Chunk size in bytes (1 KiB–100 MiB); default: a stage's configured size, else the adaptive policy. */
  readonly chunkSize?: number;
  /** The original's base name, stored in the (encrypted) trailer. */
  readonly name?: string | null;
  /**
   * The original's mode and modification time, stored in the (encrypted) trailer for a restore
   * to give back. `process` records what it is given (default: none). `processFile` records the
   * input's own from its `stat` by default (a regular file's; none for a FIFO or device); `null`
   * records none.
   *
   * @throws {PipelineError} `InvalidConfiguration` when `mode` is outside 0–0o777 or `mtimeMs` is
   * not a finite number from 0 to 8.64e15.
   */
  readonly attributes?: FileAttributes | null;
}

/** Options for restoring or verifying a container. */
export type RestoreOptions = RunOptions;

/** Options for processing a file into a container file. */
export interface ProcessFileOptions extends Omit<ProcessOptions, 'sizeHint'>, AtomicWriteOptions, ReadFileOptions {}

/** Options for restoring a container file. */
export interface RestoreFileOptions extends RestoreOptions, AtomicWriteOptions, ReadFileOptions {
  /**
   * Give the restored file the mode and modification time its trailer records (see
   * `WriteFileAtomicallyOptions.attributes`: exact mode, mtime to about a microsecond, atime = now).
   * Default true; a container without them (a stream's, an older one) leaves the defaults either way.
   */
  readonly restoreAttributes?: boolean;
}

/** Where a restore writes: a file path, or a directory where the stored (sanitised) name is used. */
export type RestoreDestination = string | { readonly directory: string };

/**
 * What a process run reads: bytes, or a function that gets the run's buffers to read into (so
 * they are recycled, as `readFileBlocks(path, size, options, buffers)` does) and returns the bytes.
 */
export type ProcessSource = AsyncIterable<Uint8Array> | ((buffers: KernelBuffers) => AsyncIterable<Uint8Array>);
