import type { ContainerHeader } from '../format/container-header.js';
import type { ContainerTrailer } from '../format/container-trailer.js';
import type { ProcessingContext } from '../domain/processing-context.js';
import type { StageMetrics } from '../domain/stage-metrics.js';

/** What a finished process or restore run reports. */
export interface RunResult {
  /** Bytes read: the original when processing, the container when restoring. */
  readonly bytesIn: number;
  /** Bytes written: the container when processing, the original when restoring. */
  readonly bytesOut: number;
  /** Chunks processed. */
  readonly chunkCount: number;
  /** The chunk size used. */
  readonly chunkSize: number;
  /** The digest of the original, hex, in the header's `digestAlgorithm` (SHA-256 or BLAKE3). */
  readonly digest: string;
  /** Wall time of the run, in milliseconds. */
  readonly durationMs: number;
  /** Per-stage chunks, bytes and time. */
  readonly stageMetrics: ReadonlyMap<string, StageMetrics>;
  /** Whole-stream digests of checksum stages, hex, by stage name. */
  readonly checksums: ReadonlyMap<string, string>;
  /** The container's header. */
  readonly header: ContainerHeader;
  /** The container's trailer. */
  readonly trailer: ContainerTrailer;
  /** The run's context, for anything else a stage recorded. */
  readonly context: ProcessingContext;
}

/** A run in progress: consume `output` to drive it; `result` settles when it ends. */
export interface ContainerRun {
  /** The bytes the run produces, in order. */
  readonly output: AsyncIterable<Uint8Array>;
  /** The run's result, or its error. */
  readonly result: Promise<RunResult>;
}
