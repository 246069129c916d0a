import type { Pipeline } from '../domain/pipeline.js';

/** A stored pipeline's name and when it was stored. */
export interface PipelineSummary {
  readonly name: string;
  readonly stageCount: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/**
 * Where named pipelines are kept (the CLI's embedded default is SQLite, `@adapipe/store-sqlite`).
 * Names are unique among stored pipelines; a deleted name can be used again.
 */
export interface PipelineRepository {
  /**
   * Stores a new pipeline.
   *
   * @throws {PipelineError} `InvalidConfiguration` when a pipeline of that name exists.
   */
  create(pipeline: Pipeline): Promise<void>;
  /** Stores a pipeline, replacing one of the same name. */
  save(pipeline: Pipeline): Promise<void>;
  /** The pipeline of that name, or `undefined`. */
  findByName(name: string): Promise<Pipeline | undefined>;
  /** Every stored pipeline, by name. */
  list(): Promise<PipelineSummary[]>;
  /** Deletes the pipeline of that name; returns whether there was one. */
  delete(name: string): Promise<boolean>;
}

/** The DI token of the {@link PipelineRepository}. */
export const PipelineRepository: unique symbol = Symbol.for('@adapipe/core/PipelineRepository');
