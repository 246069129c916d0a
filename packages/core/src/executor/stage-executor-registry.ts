import { injectable, multiInject } from 'inversify';
import { closestName } from '../domain/closest-name.js';
import type { StageType } from '../domain/stage-type.js';
import { PipelineError } from '../errors/pipeline-error.js';
import type { StageCapability } from './stage-capability.js';
import { StageExecutor } from './stage-executor.js';

/** One installed (stage type, algorithm) pair and the package that serves it. */
export interface RegisteredCapability extends StageCapability {
  readonly packageName: string;
}

/**
 * Every installed executor, keyed by (stage type, algorithm), aliases included. Filled by DI from
 * all bindings of the {@link StageExecutor} token.
 *
 * @example
 * ```ts
 * const registry = container.get(StageExecutorRegistry);
 * const executor = registry.resolve('compression', 'zstd');
 * ```
 */
@injectable()
export class StageExecutorRegistry {
  readonly #byKey = new Map<string, { executor: StageExecutor; capability: StageCapability }>();
  readonly #capabilities: RegisteredCapability[] = [];

  /**
   * @throws {PipelineError} `DuplicateExecutor` naming both packages when two executors claim the
   * same (stage type, algorithm) or alias.
   */
  constructor(@multiInject(StageExecutor) executors: readonly StageExecutor[]) {
    for (const executor of executors) {
      for (const capability of executor.capabilities) {
        this.#register(executor, capability);
      }
    }
  }

  /** Every installed capability, sorted by stage type then algorithm. */
  get capabilities(): readonly RegisteredCapability[] {
    return [...this.#capabilities].sort((a, b) => a.stageType.localeCompare(b.stageType) || a.algorithm.localeCompare(b.algorithm));
  }

  /** The executor for a stage type and algorithm (or alias), if installed. */
  find(stageType: StageType, algorithm: string): StageExecutor | undefined {
    return this.#byKey.get(keyOf(stageType, algorithm))?.executor;
  }

  /** Whether an executor is installed for this stage type and algorithm (or alias). */
  has(stageType: StageType, algorithm: string): boolean {
    return this.#byKey.has(keyOf(stageType, algorithm));
  }

  /**
   * The executor for a stage type and algorithm (or alias).
   *
   * @throws {PipelineError} `ExecutorNotFound` listing what is installed and suggesting the closest
   * name for a typo.
   */
  resolve(stageType: StageType, algorithm: string): StageExecutor {
    const entry = this.#byKey.get(keyOf(stageType, algorithm));
    if (entry === undefined) {
      const wanted = `${stageType}:${algorithm}`;
      const close = closestName(wanted, this.#byKey.keys());
      throw new PipelineError(
        'ExecutorNotFound',
        `No executor for ${wanted}${close === undefined ? '' : ` (did you mean ${close}?)`}; installed: ${this.describeInstalled()}. Install and load the plugin that provides it`,
      );
    }
    return entry.executor;
  }

  /** The capability registered for a stage type and algorithm (or alias), if installed. */
  findCapability(stageType: StageType, algorithm: string): StageCapability | undefined {
    return this.#byKey.get(keyOf(stageType, algorithm))?.capability;
  }

  /**
   * The canonical algorithm name for an algorithm or alias, as recorded in containers.
   *
   * @throws {PipelineError} `ExecutorNotFound` listing what is installed.
   */
  canonicalAlgorithm(stageType: StageType, algorithm: string): string {
    this.resolve(stageType, algorithm);
    return this.#byKey.get(keyOf(stageType, algorithm))!.capability.algorithm;
  }

  /** A one-line list of installed `type:algorithm` pairs, for messages. */
  describeInstalled(): string {
    const list = this.capabilities.map((c) => `${c.stageType}:${c.algorithm}`);
    return list.length === 0 ? '(none)' : list.join(', ');
  }

  #register(executor: StageExecutor, capability: StageCapability): void {
    const names = [capability.algorithm, ...(capability.aliases ?? [])];
    for (const name of names) {
      const key = keyOf(capability.stageType, name);
      const existing = this.#byKey.get(key);
      if (existing !== undefined) {
        throw new PipelineError(
          'DuplicateExecutor',
          `Two executors claim ${capability.stageType}:${name}: ${existing.executor.packageName} and ${executor.packageName}; load only one of them`,
        );
      }
      this.#byKey.set(key, { executor, capability });
    }
    this.#capabilities.push({ ...capability, packageName: executor.packageName });
  }
}

function keyOf(stageType: StageType, algorithm: string): string {
  return `${stageType}:${algorithm.trim().toLowerCase()}`;
}
