import { MAX_CHUNK_SIZE, MIN_CHUNK_SIZE } from '../domain/chunk-size-limits.js';
import { isStageType, type StageType } from '../domain/stage-type.js';
import { PipelineError } from '../errors/pipeline-error.js';

/** One stage as a container header records it: enough to rebuild and reverse it, no secrets. */
export interface ContainerStageRecord {
  /** The stage's name, unique in the pipeline; chunk metadata is keyed by it. */
  readonly name: string;
  /** The stage type. */
  readonly type: StageType;
  /** The canonical algorithm name. */
  readonly algorithm: string;
  /** The stage's configured parameters. */
  readonly parameters: Readonly<Record<string, string>>;
  /** Whether the stage's chunks may run concurrently. */
  readonly parallelProcessing: boolean;
  /** Values the stage chose for this run (salts, KDF costs). */
  readonly runParameters: Readonly<Record<string, string>>;
  /** The npm package whose executor wrote this stage, named when it is missing at restore. */
  readonly package: string;
}

/**
 * The algorithm of a container's whole-file digest: the first stage's when it records one (a
 * `checksum:sha256` or `checksum:blake3` stage), else BLAKE3 computed by core; format version 1
 * knows only SHA-256.
 */
export type ContainerDigestAlgorithm = 'sha256' | 'blake3';

/** The self-describing part of a container: everything restore needs, and no secret. */
export interface ContainerHeader {
  /** 16 random bytes (hex) that make every container's header, and so its chunk binding, unique. */
  readonly fileId: string;
  /** The name of the pipeline that wrote the container. */
  readonly pipeline: string;
  /** Every chunk but the last holds exactly this many bytes of the original. */
  readonly chunkSize: number;
  /** The algorithm of the whole-file digest in the trailer. */
  readonly digestAlgorithm: ContainerDigestAlgorithm;
  /** The enabled stages in processing order. */
  readonly stages: readonly ContainerStageRecord[];
}

const MAX_STAGES = 64;

/**
 * Validates parsed header JSON of a container of format `version` field by field.
 *
 * @throws {PipelineError} `CorruptContainer` naming the field, `UnsupportedFormat` for a stage
 * type this release does not know, `LimitExceeded` for a chunk size or stage count over the limits.
 */
export function parseContainerHeader(json: unknown, version: number, where: string): ContainerHeader {
  const fail = (field: string, reason: string): never => {
    throw new PipelineError('CorruptContainer', `${where}: header field '${field}' ${reason}`);
  };
  const header = requireObject(json, 'header', fail);
  const fileId = requireString(header.fileId, 'fileId', fail);
  if (!/^[0-9a-f]{32}$/.test(fileId)) fail('fileId', 'must be 32 lowercase hex digits');
  const pipeline = requireString(header.pipeline, 'pipeline', fail);
  const chunkSize = header.chunkSize;
  if (typeof chunkSize !== 'number' || !Number.isInteger(chunkSize)) fail('chunkSize', 'must be a whole number');
  if ((chunkSize as number) < MIN_CHUNK_SIZE || (chunkSize as number) > MAX_CHUNK_SIZE) {
    throw new PipelineError(
      'LimitExceeded',
      `${where}: header chunk size ${chunkSize} is outside ${MIN_CHUNK_SIZE}..${MAX_CHUNK_SIZE} bytes`,
    );
  }
  const digestAlgorithm = header.digestAlgorithm;
  if (digestAlgorithm !== 'sha256' && (version < 2 || digestAlgorithm !== 'blake3')) {
    fail('digestAlgorithm', version < 2 ? `must be 'sha256' in format version ${version}` : `must be 'sha256' or 'blake3'`);
  }
  if (!Array.isArray(header.stages)) fail('stages', 'must be an array');
  const rawStages = header.stages as unknown[];
  if (rawStages.length > MAX_STAGES) {
    throw new PipelineError('LimitExceeded', `${where}: header lists ${rawStages.length} stages; at most ${MAX_STAGES} are allowed`);
  }
  const names = new Set<string>();
  const stages = rawStages.map((raw, index): ContainerStageRecord => {
    const field = `stages[${index}]`;
    const stage = requireObject(raw, field, fail);
    const name = requireString(stage.name, `${field}.name`, fail);
    if (names.has(name)) fail(`${field}.name`, `repeats '${name}'`);
    names.add(name);
    const type = requireString(stage.type, `${field}.type`, fail);
    if (!isStageType(type)) {
      throw new PipelineError('UnsupportedFormat', `${where}: stage '${name}' has type '${type}', which this release does not know`);
    }
    if (typeof stage.parallelProcessing !== 'boolean') fail(`${field}.parallelProcessing`, 'must be true or false');
    return {
      name,
      type,
      algorithm: requireString(stage.algorithm, `${field}.algorithm`, fail),
      parameters: requireStringMap(stage.parameters, `${field}.parameters`, fail),
      parallelProcessing: stage.parallelProcessing as boolean,
      runParameters: requireStringMap(stage.runParameters, `${field}.runParameters`, fail),
      package: requireString(stage.package, `${field}.package`, fail),
    };
  });
  return { fileId, pipeline, chunkSize: chunkSize as number, digestAlgorithm: digestAlgorithm as ContainerDigestAlgorithm, stages };
}

type Fail = (field: string, reason: string) => never;

function requireObject(value: unknown, field: string, fail: Fail): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(field, 'must be an object');
  return value as Record<string, unknown>;
}

function requireString(value: unknown, field: string, fail: Fail): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 4096) fail(field, 'must be a non-empty string');
  return value as string;
}

function requireStringMap(value: unknown, field: string, fail: Fail): Record<string, string> {
  const map = requireObject(value, field, fail);
  const result: Record<string, string> = {};
  for (const [key, entry] of Object.entries(map)) {
    if (typeof entry !== 'string') fail(`${field}.${key}`, 'must be a string');
    result[key] = entry as string;
  }
  return result;
}
