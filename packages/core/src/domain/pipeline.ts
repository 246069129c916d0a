import { randomUUID } from 'node:crypto';
import { PipelineError } from '../errors/pipeline-error.js';
import { PipelineStage, type PipelineStageJson } from './pipeline-stage.js';
import { incompatibilityReason } from './stage-compatibility.js';
import { StageType } from './stage-type.js';
import { changeTime } from './change-clock.js';

/** The JSON form of a {@link Pipeline}. */
export interface PipelineJson {
  readonly id: string;
  readonly name: string;
  readonly stages: readonly PipelineStageJson[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** Stage types whose output bytes equal their input bytes. */
const dataPreservingTypes: ReadonlySet<StageType> = new Set([StageType.Checksum, StageType.PassThrough]);

/**
 * A named, ordered list of stages: the aggregate that keeps stage order dense (0, 1, 2, …),
 * stage names unique, and neighbours compatible. Every change is validated before it is applied,
 * so a rejected change leaves the pipeline as it was.
 *
 * Compatibility is checked between each enabled stage and the next enabled stage that changes the
 * data: checksum and pass-through stages leave bytes as they are, so `compress → checksum → compress`
 * is still double compression. Disabled stages are kept but skipped.
 *
 * @example
 * ```ts
 * const pipeline = new Pipeline('secure-backup', [checksumIn, compression, encryption, checksumOut]);
 * pipeline.enabledStages.map((stage) => stage.name);
 * ```
 */
export class Pipeline {
  /** The name users refer to the pipeline by. */
  readonly name: string;
  #id: string;
  #stages: PipelineStage[];
  #createdAt: Date;
  #updatedAt: Date;

  /**
   * @param stages stages in any order; they are sorted by `order` and renumbered 0, 1, 2, …
   * @throws {PipelineError} `InvalidConfiguration` on an empty name or duplicate stage names,
   * `IncompatibleStages` naming both stages of an incompatible pair.
   */
  constructor(name: string, stages: readonly PipelineStage[] = []) {
    if (typeof name !== 'string' || name.trim() === '') {
      throw new PipelineError('InvalidConfiguration', 'Pipeline name cannot be empty');
    }
    this.name = name;
    const sorted = [...stages].sort((a, b) => a.order - b.order);
    validateStages(name, sorted);
    this.#stages = sorted;
    this.#renumber();
    this.#id = randomUUID();
    this.#createdAt = changeTime();
    this.#updatedAt = this.#createdAt;
  }

  /** A unique id. */
  get id(): string {
    return this.#id;
  }

  /** All stages in execution order, disabled ones included. */
  get stages(): readonly PipelineStage[] {
    return [...this.#stages];
  }

  /** The stages the runner executes, in order. */
  get enabledStages(): readonly PipelineStage[] {
    return this.#stages.filter((stage) => stage.enabled);
  }

  /** When the pipeline was created. */
  get createdAt(): Date {
    return this.#createdAt;
  }

  /** When the pipeline or one of its stages last changed. */
  get updatedAt(): Date {
    const latestStage = Math.max(0, ...this.#stages.map((stage) => stage.updatedAt.getTime()));
    return latestStage > this.#updatedAt.getTime() ? new Date(latestStage) : this.#updatedAt;
  }

  /** The stage with this name or id. */
  findStage(nameOrId: string): PipelineStage | undefined {
    return this.#stages.find((stage) => stage.name === nameOrId || stage.id === nameOrId);
  }

  /**
   * Inserts a stage at `position` (default: the end).
   *
   * @throws {PipelineError} as the constructor, and `InvalidConfiguration` for a bad position.
   */
  addStage(stage: PipelineStage, position = this.#stages.length): void {
    if (!Number.isInteger(position) || position < 0 || position > this.#stages.length) {
      throw new PipelineError(
        'InvalidConfiguration',
        `Cannot add stage '${stage.name}' to pipeline '${this.name}' at position ${position}: expected 0..${this.#stages.length}`,
      );
    }
    const next = [...this.#stages];
    next.splice(position, 0, stage);
    this.#commit(next);
  }

  /**
   * Removes a stage by name or id and returns it.
   *
   * @throws {PipelineError} `InvalidConfiguration` when there is no such stage, `IncompatibleStages`
   * when removing it would make its neighbours incompatible.
   */
  removeStage(nameOrId: string): PipelineStage {
    const stage = this.#require(nameOrId);
    this.#commit(this.#stages.filter((candidate) => candidate !== stage));
    return stage;
  }

  /**
   * Moves a stage to another 0-based position.
   *
   * @throws {PipelineError} `InvalidConfiguration` for an unknown stage or a bad position,
   * `IncompatibleStages` when the new order is incompatible.
   */
  reorderStage(nameOrId: string, position: number): void {
    const stage = this.#require(nameOrId);
    if (!Number.isInteger(position) || position < 0 || position >= this.#stages.length) {
      throw new PipelineError(
        'InvalidConfiguration',
        `Cannot move stage '${stage.name}' to position ${position}: expected 0..${this.#stages.length - 1}`,
      );
    }
    const next = this.#stages.filter((candidate) => candidate !== stage);
    next.splice(position, 0, stage);
    this.#commit(next);
  }

  /**
   * Enables or disables a stage by name or id.
   *
   * @throws {PipelineError} `InvalidConfiguration` for an unknown stage, `IncompatibleStages` when
   * the stages that would then run are incompatible.
   */
  setStageEnabled(nameOrId: string, enabled: boolean): void {
    const stage = this.#require(nameOrId);
    const enabledNames = new Set(this.enabledStages.map((candidate) => candidate.name));
    if (enabled) enabledNames.add(stage.name);
    else enabledNames.delete(stage.name);
    validateStages(this.name, this.#stages, enabledNames);
    stage.setEnabled(enabled);
    this.#updatedAt = changeTime(this.#updatedAt);
  }

  /**
   * Re-checks every invariant; useful after stages were changed directly.
   *
   * @throws {PipelineError} `InvalidConfiguration` or `IncompatibleStages`.
   */
  validate(): void {
    for (const stage of this.#stages) stage.validate();
    validateStages(this.name, this.#stages);
  }

  /** The JSON form, stages in order. */
  toJSON(): PipelineJson {
    return {
      id: this.#id,
      name: this.name,
      stages: this.#stages.map((stage) => stage.toJSON()),
      createdAt: this.#createdAt.toISOString(),
      updatedAt: this.updatedAt.toISOString(),
    };
  }

  /**
   * Rebuilds a pipeline, ids and times included, from its JSON form.
   *
   * @throws {PipelineError} as the constructor, or `InvalidConfiguration` on a malformed value.
   */
  static fromJSON(json: PipelineJson): Pipeline {
    if (typeof json !== 'object' || json === null || !Array.isArray(json.stages)) {
      throw new PipelineError('InvalidConfiguration', 'Pipeline JSON must be an object with a stages array');
    }
    const pipeline = new Pipeline(
      json.name,
      json.stages.map((stage) => PipelineStage.fromJSON(stage)),
    );
    if (json.id !== undefined) pipeline.#id = String(json.id);
    if (json.createdAt !== undefined) pipeline.#createdAt = new Date(json.createdAt);
    pipeline.#updatedAt = json.updatedAt === undefined ? pipeline.#createdAt : new Date(json.updatedAt);
    return pipeline;
  }

  #require(nameOrId: string): PipelineStage {
    const stage = this.findStage(nameOrId);
    if (stage === undefined) {
      throw new PipelineError(
        'InvalidConfiguration',
        `Pipeline '${this.name}' has no stage '${nameOrId}'; its stages are: ${this.#stages.map((s) => s.name).join(', ') || '(none)'}`,
      );
    }
    return stage;
  }

  #commit(next: PipelineStage[]): void {
    validateStages(this.name, next);
    this.#stages = next;
    this.#renumber();
    this.#updatedAt = changeTime(this.#updatedAt);
  }

  #renumber(): void {
    this.#stages.forEach((stage, index) => {
      if (stage.order !== index) stage.updateOrder(index);
    });
  }
}

function validateStages(
  pipelineName: string,
  stages: readonly PipelineStage[],
  enabledNames: ReadonlySet<string> = new Set(stages.filter((s) => s.enabled).map((s) => s.name)),
): void {
  const seen = new Set<string>();
  for (const stage of stages) {
    if (seen.has(stage.name)) {
      throw new PipelineError(
        'InvalidConfiguration',
        `Pipeline '${pipelineName}' has two stages named '${stage.name}'; stage names must be unique`,
      );
    }
    seen.add(stage.name);
  }
  let previous: PipelineStage | undefined;
  for (const stage of stages) {
    if (!enabledNames.has(stage.name) || dataPreservingTypes.has(stage.stageType)) continue;
    if (previous !== undefined && !previous.isCompatibleWith(stage)) {
      throw new PipelineError(
        'IncompatibleStages',
        `Pipeline '${pipelineName}': stage '${previous.name}' (${previous.stageType}) cannot be followed by stage '${stage.name}' (${stage.stageType}): ${incompatibilityReason(previous.stageType, stage.stageType)}`,
      );
    }
    previous = stage;
  }
}
