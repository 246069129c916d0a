import { randomUUID } from 'node:crypto';
import { PipelineError } from '../errors/pipeline-error.js';
import { changeTime } from './change-clock.js';
import { areStageTypesCompatible } from './stage-compatibility.js';
import { StageConfiguration, type StageConfigurationJson } from './stage-configuration.js';
import { parseStageType, type StageType } from './stage-type.js';

/** The JSON form of a {@link PipelineStage}. */
export interface PipelineStageJson {
  readonly id: string;
  readonly name: string;
  readonly stageType: StageType;
  readonly configuration: StageConfigurationJson;
  readonly enabled: boolean;
  readonly order: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A stage's id and creation time, given when rebuilding a stage that already exists. */
export interface StageIdentity {
  readonly id?: string | undefined;
  readonly createdAt?: Date | undefined;
}

/**
 * One processing step of a pipeline: an entity with a stable id, a name, a type, a configuration,
 * an enabled flag, a 0-based order and creation/modification times. Every change moves `updatedAt`.
 *
 * @example
 * ```ts
 * const stage = new PipelineStage('compression', StageType.Compression,
 *   new StageConfiguration('brotli', { level: '6' }, true), 0);
 * stage.algorithm === 'brotli';
 * ```
 */
export class PipelineStage {
  /** A human-readable name, kebab-case recommended; never empty. */
  readonly name: string;
  /** What kind of operation this stage performs. */
  readonly stageType: StageType;
  /** A unique id that survives configuration changes. */
  readonly id: string;
  /** When the stage was created. */
  readonly createdAt: Date;
  #configuration: StageConfiguration;
  #enabled = true;
  #order: number;
  #updatedAt: Date;

  /**
   * `identity` keeps a known id and creation time (as {@link PipelineStage.fromJSON} does); a new
   * stage gets a random id and the current time.
   *
   * @throws {PipelineError} `InvalidConfiguration` when the name is empty or the order is not a
   * whole number ≥ 0.
   */
  constructor(name: string, stageType: StageType, configuration: StageConfiguration, order: number, identity?: StageIdentity) {
    if (typeof name !== 'string' || name.trim() === '') {
      throw new PipelineError('InvalidConfiguration', 'Stage name cannot be empty');
    }
    this.id = identity?.id ?? randomUUID();
    this.name = name;
    this.stageType = parseStageType(stageType);
    this.#configuration = configuration;
    this.#order = validateOrder(order);
    this.createdAt = identity?.createdAt ?? changeTime();
    this.#updatedAt = this.createdAt;
  }

  /** The stage's configuration. */
  get configuration(): StageConfiguration {
    return this.#configuration;
  }

  /** The configured algorithm, a shortcut for `configuration.algorithm`. */
  get algorithm(): string {
    return this.#configuration.algorithm;
  }

  /** Whether the runner executes this stage; disabled stages are kept but skipped. */
  get enabled(): boolean {
    return this.#enabled;
  }

  /** The 0-based execution position. */
  get order(): number {
    return this.#order;
  }

  /** When the stage last changed. */
  get updatedAt(): Date {
    return this.#updatedAt;
  }

  /** Enables or disables the stage. */
  setEnabled(enabled: boolean): void {
    this.#enabled = enabled;
    this.#touch();
  }

  /** Replaces the configuration. */
  updateConfiguration(configuration: StageConfiguration): void {
    this.#configuration = configuration;
    this.#touch();
  }

  /**
   * Moves the stage to another execution position.
   *
   * @throws {PipelineError} `InvalidConfiguration` when `order` is not a whole number ≥ 0.
   */
  updateOrder(order: number): void {
    this.#order = validateOrder(order);
    this.#touch();
  }

  /**
   * Checks the stage's own invariants.
   *
   * @throws {PipelineError} `InvalidConfiguration` naming the stage and the broken rule.
   */
  validate(): void {
    if (this.name.trim() === '') {
      throw new PipelineError('InvalidConfiguration', 'Stage name cannot be empty');
    }
    if (this.#configuration.algorithm.trim() === '') {
      throw new PipelineError('InvalidConfiguration', `Stage '${this.name}' has an empty algorithm`);
    }
  }

  /** Whether this stage's output may feed `next`, by the seed's compatibility matrix. */
  isCompatibleWith(next: PipelineStage): boolean {
    return areStageTypesCompatible(this.stageType, next.stageType);
  }

  /** The JSON form. */
  toJSON(): PipelineStageJson {
    return {
      id: this.id,
      name: this.name,
      stageType: this.stageType,
      configuration: this.#configuration.toJSON(),
      enabled: this.#enabled,
      order: this.#order,
      createdAt: this.createdAt.toISOString(),
      updatedAt: this.#updatedAt.toISOString(),
    };
  }

  /**
   * Rebuilds a stage, id and times included, from its JSON form.
   *
   * @throws {PipelineError} `InvalidConfiguration` on a malformed value.
   */
  static fromJSON(json: PipelineStageJson): PipelineStage {
    const identity = {
      id: json.id === undefined ? undefined : String(json.id),
      createdAt: json.createdAt === undefined ? undefined : parseDate(json.createdAt, 'createdAt'),
    };
    const configuration = StageConfiguration.fromJSON(json.configuration);
    const stage = new PipelineStage(json.name, parseStageType(json.stageType), configuration, json.order, identity);
    stage.#enabled = json.enabled ?? true;
    stage.#updatedAt = json.updatedAt === undefined ? stage.createdAt : parseDate(json.updatedAt, 'updatedAt');
    return stage;
  }

  #touch(): void {
    this.#updatedAt = changeTime(this.#updatedAt);
  }
}

function validateOrder(order: number): number {
  if (!Number.isInteger(order) || order < 0) {
    throw new PipelineError('InvalidConfiguration', `Stage order must be a whole number >= 0, found ${order}`);
  }
  return order;
}

function parseDate(text: string, field: string): Date {
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) {
    throw new PipelineError('InvalidConfiguration', `Stage ${field} '${text}' is not an ISO date`);
  }
  return date;
}
