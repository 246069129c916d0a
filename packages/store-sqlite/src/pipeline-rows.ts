import { Pipeline, type PipelineJson, type PipelineStageJson, type StageType } from '@adapipe/core';

/** A row of the `pipelines` table. */
export interface PipelineRow {
  readonly id: string;
  readonly name: string;
  readonly created_at: string;
  readonly updated_at: string;
  readonly definition: string;
}

/** A row of the `pipeline_stages` table. */
export interface StageRow {
  readonly pipeline_id: string;
  readonly position: number;
  readonly id: string;
  readonly name: string;
  readonly stage_type: string;
  readonly algorithm: string;
  readonly parameters: string;
  readonly parallel_processing: 0 | 1;
  readonly chunk_size: number | null;
  readonly enabled: 0 | 1;
  readonly created_at: string;
  readonly updated_at: string;
}

/** The rows that store `pipeline`: one in `pipelines` (with its full JSON) and one per stage. */
export function pipelineToRows(pipeline: Pipeline): { pipeline: PipelineRow; stages: StageRow[] } {
  const json = pipeline.toJSON();
  return {
    pipeline: {
      id: json.id,
      name: json.name,
      created_at: json.createdAt,
      updated_at: json.updatedAt,
      definition: JSON.stringify(json),
    },
    stages: json.stages.map((stage) => ({
      pipeline_id: json.id,
      position: stage.order,
      id: stage.id,
      name: stage.name,
      stage_type: stage.stageType,
      algorithm: stage.configuration.algorithm,
      parameters: JSON.stringify(stage.configuration.parameters),
      parallel_processing: stage.configuration.parallelProcessing ? 1 : 0,
      chunk_size: stage.configuration.chunkSize ?? null,
      enabled: stage.enabled ? 1 : 0,
      created_at: stage.createdAt,
      updated_at: stage.updatedAt,
    })),
  };
}

/**
 * Rebuilds a pipeline from its `pipelines` row and its stage rows (in any order): the stage table
 * is the source of truth for stages; `definition` is not read.
 *
 * @throws {PipelineError} `InvalidConfiguration` or `IncompatibleStages` when the rows no longer
 * describe a valid pipeline.
 */
export function pipelineFromRows(row: PipelineRow, stageRows: readonly StageRow[]): Pipeline {
  const stages: PipelineStageJson[] = stageRows.map((stage) => ({
    id: stage.id,
    name: stage.name,
    stageType: stage.stage_type as StageType,
    configuration: {
      algorithm: stage.algorithm,
      parameters: JSON.parse(stage.parameters) as Record<string, string>,
      parallelProcessing: stage.parallel_processing === 1,
      ...(stage.chunk_size === null ? {} : { chunkSize: stage.chunk_size }),
    },
    enabled: stage.enabled === 1,
    order: stage.position,
    createdAt: stage.created_at,
    updatedAt: stage.updated_at,
  }));
  const json: PipelineJson = {
    id: row.id,
    name: row.name,
    stages,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
  return Pipeline.fromJSON(json);
}
