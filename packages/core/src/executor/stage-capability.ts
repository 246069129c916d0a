import type { ContainerDigestAlgorithm } from '../format/container-header.js';
import type { PipelineStage } from '../domain/pipeline-stage.js';
import type { StageType } from '../domain/stage-type.js';
import type { StageParameterSchema } from '../parameters/stage-parameters.js';

/** One (stage type, algorithm) pair an executor serves. */
export interface StageCapability {
  /** The stage type served. */
  readonly stageType: StageType;
  /** The canonical algorithm name, lowercase, recorded in containers. */
  readonly algorithm: string;
  /** Other accepted spellings, for example `"aes256gcm"` for `"aes-256-gcm"`. */
  readonly aliases?: readonly string[];
  /** One line for `adapipe plugins` and error messages. */
  readonly description?: string;
  /**
   * Set when the executor records, in `finishRun`, `context.setChecksum(stage.name, digest)` with
   * this algorithm's digest of every byte it was given, in chunk order. A runner whose first stage
   * has it reuses that digest for the container trailer instead of hashing the input again (and
   * records its algorithm as the header's `digestAlgorithm`).
   */
  readonly wholeStreamDigest?: ContainerDigestAlgorithm;
  /**
   * The parameters the stage accepts ({@link defineStageParameters}). `BaseStageExecutor.validate`
   * checks stages against it, `adapipe plugins --json` shows it and the conformance kit tries bad
   * values on it. Unset: the executor checks parameters itself.
   */
  readonly parameters?: StageParameterSchema;
}

/** Whether `capability` serves `stage`: same stage type, and the algorithm or one of its aliases (any case). */
export function capabilityServes(capability: StageCapability, stage: PipelineStage): boolean {
  const algorithm = stage.algorithm.toLowerCase();
  return capability.stageType === stage.stageType && (capability.algorithm === algorithm || (capability.aliases ?? []).includes(algorithm));
}

/**
 * The two capabilities of a stage that only looks at the data: `transform:<algorithm>` and
 * `passthrough:<algorithm>`, which may also follow an encryption stage.
 *
 * @example
 * ```ts
 * readonly capabilities = observingCapabilities('tee', 'copies the data to a file', teeParameters);
 * ```
 */
export function observingCapabilities(
  algorithm: string,
  description: string,
  parameters?: StageParameterSchema,
): readonly StageCapability[] {
  const shared = parameters === undefined ? {} : { parameters };
  return Object.freeze([
    Object.freeze({ stageType: 'transform' as const, algorithm, description, ...shared }),
    Object.freeze({
      stageType: 'passthrough' as const,
      algorithm,
      description: `the same as transform:${algorithm}, and allowed after an encryption stage`,
      ...shared,
    }),
  ]);
}
