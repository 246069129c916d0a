/** What one stage did during one run. */
export interface StageMetrics {
  /** Chunks the stage processed. */
  readonly chunks: number;
  /** Bytes the stage was given. */
  readonly bytesIn: number;
  /** Bytes the stage produced. */
  readonly bytesOut: number;
  /** Time spent inside the stage, summed over chunks, in milliseconds. */
  readonly durationMs: number;
}

/** One chunk's worth of {@link StageMetrics}, as passed to `ProcessingContext.recordStage`. */
export interface StageSample {
  readonly bytesIn: number;
  readonly bytesOut: number;
  readonly durationMs: number;
}
