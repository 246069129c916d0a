import { PipelineError } from '@adapipe/core';
import { aeadAlgorithms, type AeadAlgorithm } from './aead/aead-algorithm.js';
import {
  DEFAULT_KDF_CAPS,
  KDF_COST_PARAMETERS,
  kdfCostProblem,
  scryptMemoryBytes,
  type KdfCaps,
  type KdfParameters,
} from './kdf/kdf-parameters.js';

/** Length of each run's random salt, in bytes. */
export const RUN_SALT_LENGTH = 32;

/** What an encryption stage records about one run: nothing secret, everything restore needs. */
export interface EncryptionRunParameters {
  /** The canonical AEAD algorithm. */
  readonly algorithm: AeadAlgorithm;
  /** The KDF and its costs; `none` for a raw key. */
  readonly kdf: KdfParameters;
  /** The run's own 32-byte salt, used by HKDF (and by the password KDF unless `kdfSalt` is set). */
  readonly salt: Uint8Array;
  /**
   * The password KDF's 32-byte salt when it is not `salt`: a batch's shared salt (see
   * `KeyDerivationScope`). Absent: the KDF runs over `salt`, as in every single-file container.
   */
  readonly kdfSalt?: Uint8Array;
}

/** The password KDF's salt of a run: its `kdfSalt` if recorded, else its `salt`. */
export function kdfSaltOf(parameters: EncryptionRunParameters): Uint8Array {
  return parameters.kdfSalt ?? parameters.salt;
}

/**
 * The run parameters as the string map `ProcessingContext.setRunParameters` stores: `algorithm`,
 * `kdf`, `salt` (64 lowercase hex digits), the KDF's costs (`argon2_memory_kib`,
 * `argon2_iterations`, `argon2_parallelism` or `scrypt_n`, `scrypt_r`, `scrypt_p`) in decimal, and
 * `kdf_salt` (64 lowercase hex digits) only for a password KDF whose salt differs from `salt`.
 *
 * @example
 * ```ts
 * encodeEncryptionRunParameters({ algorithm: 'aes-256-gcm', kdf: { kdf: 'none' }, salt });
 * // { algorithm: 'aes-256-gcm', kdf: 'none', salt: '…64 hex digits…' }
 * ```
 */
export function encodeEncryptionRunParameters(parameters: EncryptionRunParameters): Record<string, string> {
  const record: Record<string, string> = {
    algorithm: parameters.algorithm,
    kdf: parameters.kdf.kdf,
    salt: Buffer.from(parameters.salt).toString('hex'),
  };
  const { kdf } = parameters;
  if (kdf.kdf === 'argon2id') for (const [name, cost] of KDF_COST_PARAMETERS.argon2id) record[name] = String(kdf[cost]);
  if (kdf.kdf === 'scrypt') for (const [name, cost] of KDF_COST_PARAMETERS.scrypt) record[name] = String(kdf[cost]);
  const { kdfSalt, salt } = parameters;
  if (kdf.kdf !== 'none' && kdfSalt !== undefined && Buffer.compare(kdfSalt, salt) !== 0) {
    record.kdf_salt = Buffer.from(kdfSalt).toString('hex');
  }
  return record;
}

/**
 * Reads the run parameters a container recorded for stage `stageName`, checking the KDF costs
 * against `caps` before anything is derived. `kdf_salt` is read only with a password KDF (with
 * `kdf: none` it is an unknown field); the KDF runs over {@link kdfSaltOf} the result.
 *
 * @throws {PipelineError} `CorruptContainer` naming the field when one is missing or malformed,
 * `LimitExceeded` naming the cost and the cap when a KDF cost is over its cap, `UnsupportedFormat`
 * on a field this version does not know.
 * @example
 * ```ts
 * const run = parseEncryptionRunParameters('encrypt', context.runParameters('encrypt'));
 * const master = await deriveMasterKey(secret, kdfSaltOf(run), run.kdf);
 * ```
 */
export function parseEncryptionRunParameters(
  stageName: string,
  record: Readonly<Record<string, string>> | undefined,
  caps: KdfCaps = DEFAULT_KDF_CAPS,
): EncryptionRunParameters {
  const where = `Stage '${stageName}'`;
  const corrupt = (field: string, problem: string) =>
    new PipelineError(
      'CorruptContainer',
      `${where}: run parameter '${field}' ${problem}; the container header is damaged or not from adapipe`,
    );
  if (record === undefined || record === null || typeof record !== 'object') {
    throw new PipelineError(
      'CorruptContainer',
      `${where}: no run parameters recorded (algorithm, kdf, salt); the container header is damaged or the stage names do not match`,
    );
  }
  const field = (name: string): string => {
    const value = record[name];
    if (typeof value !== 'string' || value === '') throw corrupt(name, 'is missing');
    return value;
  };

  const algorithmText = field('algorithm');
  const algorithm = aeadAlgorithms.find((info) => info.algorithm === algorithmText)?.algorithm;
  if (algorithm === undefined) {
    throw corrupt(
      'algorithm',
      `must be one of ${aeadAlgorithms.map((info) => info.algorithm).join(', ')}, found '${printable(algorithmText)}'`,
    );
  }
  const hexSalt = (name: string): Uint8Array => {
    const text = field(name);
    if (!/^[0-9a-f]{64}$/.test(text)) {
      throw corrupt(name, `must be ${RUN_SALT_LENGTH * 2} lowercase hex digits, found ${text.length} characters`);
    }
    return Uint8Array.from(Buffer.from(text, 'hex'));
  };
  const salt = hexSalt('salt');

  const kdfName = field('kdf');
  if (kdfName !== 'argon2id' && kdfName !== 'scrypt' && kdfName !== 'none') {
    throw corrupt('kdf', `must be argon2id, scrypt or none, found '${printable(kdfName)}'`);
  }
  const known = new Set([
    'algorithm',
    'salt',
    'kdf',
    ...(kdfName === 'none' ? [] : ['kdf_salt', ...KDF_COST_PARAMETERS[kdfName].map(([name]) => name)]),
  ]);
  const unknown = Object.keys(record).filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new PipelineError(
      'UnsupportedFormat',
      `${where}: unknown run parameter(s) ${unknown.map((name) => `'${printable(name)}'`).join(', ')} for kdf ${kdfName}; the container may come from a newer @adapipe/plugin-encryption`,
    );
  }

  const kdfSalt = Object.hasOwn(record, 'kdf_salt') ? hexSalt('kdf_salt') : undefined;

  let kdf: KdfParameters;
  if (kdfName === 'none') {
    kdf = { kdf: 'none' };
  } else {
    const costs: Record<string, number> = {};
    for (const [name, cost] of KDF_COST_PARAMETERS[kdfName]) {
      const text = field(name);
      if (!/^[1-9][0-9]{0,14}$/.test(text)) throw corrupt(name, `must be a whole number >= 1, found '${printable(text)}'`);
      const value = Number(text);
      const cap = (caps[kdfName] as unknown as Record<string, number>)[cost]!;
      if (value > cap) {
        throw new PipelineError(
          'LimitExceeded',
          `${where}: ${kdfName} cost ${name} = ${value} is over the restore cap of ${cap}; refusing to derive the key. ` +
            `If you trust this container, raise caps.${kdfName}.${cost} in encryptionContainerModule()`,
        );
      }
      costs[cost] = value;
    }
    kdf = { kdf: kdfName, ...costs } as KdfParameters;
    if (kdf.kdf === 'scrypt' && scryptMemoryBytes(kdf) > caps.scrypt.memoryBytes) {
      throw new PipelineError(
        'LimitExceeded',
        `${where}: scrypt memory 128 x N x r = ${scryptMemoryBytes(kdf)} bytes is over the restore cap of ${caps.scrypt.memoryBytes} bytes; refusing to derive the key. ` +
          'If you trust this container, raise caps.scrypt.memoryBytes in encryptionContainerModule()',
      );
    }
    const problem = kdfCostProblem(kdf);
    if (problem !== undefined) {
      const name = KDF_COST_PARAMETERS[kdfName].find(([, cost]) => cost === problem.field)?.[0] ?? problem.field;
      throw corrupt(name, problem.reason);
    }
  }
  return kdfSalt === undefined ? { algorithm, kdf, salt } : { algorithm, kdf, salt, kdfSalt };
}

function printable(text: string): string {
  const clean = text.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > 40 ? `${clean.slice(0, 40)}…` : clean;
}
