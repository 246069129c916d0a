import { PipelineError } from '../errors/pipeline-error.js';
import { requireChunkSize } from './chunk-size-limits.js';

/** Stage parameters as accepted from callers: a plain object or a `Map`, string values. */
export type StageParametersInput = Readonly<Record<string, string>> | ReadonlyMap<string, string>;

/** The JSON form of a {@link StageConfiguration}. */
export interface StageConfigurationJson {
  readonly algorithm: string;
  readonly parameters: Readonly<Record<string, string>>;
  readonly parallelProcessing: boolean;
  readonly chunkSize?: number;
}

/**
 * How one stage transforms data: its algorithm, algorithm parameters, whether its chunks may run
 * in parallel, and an optional chunk size. Immutable; build a new one to change it.
 *
 * @example
 * ```ts
 * const config = new StageConfiguration('zstd', { level: '9' }, true);
 * config.parameters.level === '9';
 * ```
 */
export class StageConfiguration {
  /** The algorithm name, for example `"brotli"` or `"aes256gcm"`. */
  readonly algorithm: string;
  /** Algorithm-specific parameters; a frozen plain object. */
  readonly parameters: Readonly<Record<string, string>>;
  /** Whether chunks of this stage may be processed concurrently. */
  readonly parallelProcessing: boolean;
  /** The chunk size this stage asks for, in bytes, or `undefined` for the adaptive default. */
  readonly chunkSize: number | undefined;

  /**
   * @throws {PipelineError} `InvalidConfiguration` when the algorithm is empty, a parameter is not
   * a string, or `chunkSize` is not a whole number between 1 KiB and 100 MiB.
   */
  constructor(algorithm: string, parameters: StageParametersInput = {}, parallelProcessing = true, chunkSize?: number) {
    if (typeof algorithm !== 'string' || algorithm.trim() === '') {
      throw new PipelineError('InvalidConfiguration', 'Stage algorithm cannot be empty');
    }
    this.algorithm = algorithm;
    this.parameters = Object.freeze(toParameterRecord(parameters));
    this.parallelProcessing = parallelProcessing;
    this.chunkSize = chunkSize === undefined ? undefined : requireChunkSize(chunkSize);
    Object.freeze(this);
  }

  /** The seed's default: algorithm `"default"`, no parameters, parallel, adaptive chunk size. */
  static default(): StageConfiguration {
    return new StageConfiguration('default', {}, true);
  }

  /** A copy with some fields replaced. */
  with(changes: Partial<StageConfigurationJson>): StageConfiguration {
    return new StageConfiguration(
      changes.algorithm ?? this.algorithm,
      changes.parameters ?? this.parameters,
      changes.parallelProcessing ?? this.parallelProcessing,
      'chunkSize' in changes ? changes.chunkSize : this.chunkSize,
    );
  }

  /** The parameters as a `Map`. */
  parameterMap(): Map<string, string> {
    return new Map(Object.entries(this.parameters));
  }

  /** The JSON form; `chunkSize` is left out when unset. */
  toJSON(): StageConfigurationJson {
    return {
      algorithm: this.algorithm,
      parameters: { ...this.parameters },
      parallelProcessing: this.parallelProcessing,
      ...(this.chunkSize === undefined ? {} : { chunkSize: this.chunkSize }),
    };
  }

  /**
   * Rebuilds a configuration from its JSON form.
   *
   * @throws {PipelineError} `InvalidConfiguration` on a malformed value.
   */
  static fromJSON(json: StageConfigurationJson): StageConfiguration {
    if (typeof json !== 'object' || json === null) {
      throw new PipelineError('InvalidConfiguration', 'Stage configuration must be an object');
    }
    return new StageConfiguration(json.algorithm, json.parameters ?? {}, json.parallelProcessing ?? true, json.chunkSize);
  }
}

function toParameterRecord(parameters: StageParametersInput): Record<string, string> {
  const entries = parameters instanceof Map ? [...parameters.entries()] : Object.entries(parameters ?? {});
  const record: Record<string, string> = {};
  for (const [key, value] of entries) {
    if (typeof value !== 'string') {
      throw new PipelineError('InvalidConfiguration', `Stage parameter '${key}' must be a string, found ${typeof value}`);
    }
    record[key] = value;
  }
  return record;
}
