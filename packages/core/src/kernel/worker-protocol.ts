import type { StageDirection } from '../executor/stage-executor.js';
import type { KernelChunk } from './chunk-kernel.js';
import type { KernelSpec, KernelStep } from './kernel-segment.js';

/** Runs one chunk through a segment; `specs` comes with the first task of a segment a worker sees. */
export interface RunTaskMessage {
  readonly type: 'run';
  readonly task: number;
  readonly segment: number;
  readonly specs?: readonly KernelSpec[];
  readonly direction: StageDirection;
  readonly chunk: KernelChunk;
  /** Slots the main thread is done with, for the worker's outputs. */
  readonly spares: readonly ArrayBuffer[];
  /** The run's slot size (see `BufferRecycler`). */
  readonly slotSize: number;
}

/** Drops a segment's kernels (wiping their keys). */
export interface CloseSegmentMessage {
  readonly type: 'close';
  readonly segment: number;
}

/** What the main thread sends a chunk worker. */
export type ChunkWorkerMessage = RunTaskMessage | CloseSegmentMessage;

/** A failed task: which kernel, and the error it threw (kind set when it was a PipelineError). */
export interface TaskFailure {
  readonly stageIndex: number;
  readonly kind?: string;
  readonly message: string;
}

/** A chunk worker's answer to one task: the chunk, the input handed back, timings; or the failure. */
export interface TaskReply {
  readonly task: number;
  /** Spare slots beyond the one the worker keeps for its next output, handed back. */
  readonly returned?: readonly ArrayBuffer[];
  /** The output, unless it lies within the input: then `inInput` says where. */
  readonly data?: Uint8Array;
  /** The output's offset into the input view and its length, when it lies within the input. */
  readonly inInput?: readonly [offset: number, length: number];
  readonly metadata?: ReadonlyMap<string, Uint8Array>;
  /** The input, when it was transferred here (a plain buffer) and so must travel back. */
  readonly input?: Uint8Array;
  readonly steps?: readonly KernelStep[];
  readonly failure?: TaskFailure;
}
