import { inspect } from 'node:util';
import {
  BaseStageExecutor,
  ContextKey,
  KeyDerivationScopeKey,
  PipelineError,
  RunSecretKey,
  runRandomBytes,
  StageType,
  ContainerSealing,
  FileChunk,
  type PipelineStage,
  type ProcessingContext,
  type RunSecret,
  type StageCapability,
  type StageConfiguration,
  type StageDirection,
  type StageKernel,
} from '@adapipe/core';
import { AEAD_KEY_LENGTH, aeadAlgorithmInfo, aeadAlgorithms, type AeadAlgorithmInfo } from './aead/aead-algorithm.js';
import { openChunk, sealChunk } from './encryption-chunk.js';
import { resolveEncryptionOptions, type EncryptionModuleOptions, type ResolvedEncryptionOptions } from './encryption-options.js';
import {
  encodeEncryptionRunParameters,
  kdfSaltOf,
  parseEncryptionRunParameters,
  RUN_SALT_LENGTH,
  type EncryptionRunParameters,
} from './encryption-run-parameters.js';
import { deriveMasterKey } from './kdf/derive-master-key.js';
import { markSecret } from './secret-bytes.js';
import { deriveRunKeys } from './kdf/derive-run-keys.js';
import { encryptionParameters, kdfOf } from './encryption-stage-parameters.js';
import type { AeadKernelConfig } from './kernels.js';
import { KDF_COST_PARAMETERS, kdfCostProblem, scryptMemoryBytes, type KdfParameters, type PasswordKdf } from './kdf/kdf-parameters.js';

/** Per-run state of one encryption stage: the chunk key and the copies handed to kernels, wiped by `finishRun`. */
class EncryptionRunState {
  chunkKey: Uint8Array | undefined;
  readonly #copies: Uint8Array[] = [];

  replace(key: Uint8Array | undefined): void {
    this.chunkKey?.fill(0);
    for (const copy of this.#copies.splice(0)) copy.fill(0);
    this.chunkKey = key;
  }

  /** A copy of the chunk key for a kernel's config, wiped with the key. */
  copyForKernel(key: Uint8Array): Uint8Array {
    const copy = new Uint8Array(key);
    this.#copies.push(copy);
    return copy;
  }

  [inspect.custom](): string {
    return `EncryptionRunState { chunkKey: ${this.chunkKey === undefined ? 'none' : '[redacted]'} }`;
  }

  toJSON(): string {
    return this[inspect.custom]();
  }
}

const RunStateKey = new ContextKey<EncryptionRunState>('@adapipe/plugin-encryption/run-state');

const secretLikeName = /pass|secret|key|token|credential/i;

/** Throughput assumed by the estimates, bytes per second: bench/speed.mjs's encrypt figures, rounded down. */
const assumedThroughput: Record<string, number> = {
  'aes-256-gcm': 1_800_000_000,
  'chacha20-poly1305': 1_600_000_000,
  'xchacha20-poly1305': 1_600_000_000,
};

/**
 * Encryption stages (stage type `encryption`): `aes-256-gcm` (aliases `aes256gcm`, `aes-gcm`),
 * `chacha20-poly1305` (`chacha20`) and `xchacha20-poly1305` (`xchacha20`).
 *
 * `startRun` derives the run's keys once, in both directions, from the run's secret
 * (`RunSecretKey`): a password through Argon2id or scrypt, or a raw 32-byte key, then HKDF-SHA-256
 * with a random 32-byte salt into the chunk key and the header authentication key (given to the
 * run's `ContainerSealing`). Forward records the salt and KDF costs as run parameters; reverse
 * reads them back and checks the costs against the caps first. With a `KeyDerivationScope` in the
 * context (`RunOptions.keyScope`), a password's KDF runs over the scope's shared salt (recorded as
 * `kdf_salt`) and once per KDF, costs and KDF salt for all the scope's runs; the per-run salt and
 * HKDF stay as they are, so every container still gets its own keys. Each chunk becomes
 * ciphertext ‖ 16-byte tag under a nonce and associated data made from its sequence number, its
 * final flag and the container's record binding (`ContainerSealing.recordBinding`); reverse releases nothing before the tag is verified.
 *
 * Stage parameters (never secrets): `kdf` (`argon2id` | `scrypt`), `argon2_memory_kib`,
 * `argon2_iterations`, `argon2_parallelism`, `scrypt_n`, `scrypt_r`, `scrypt_p`.
 */
export class EncryptionStageExecutor extends BaseStageExecutor {
  readonly packageName = '@adapipe/plugin-encryption';
  readonly capabilities: readonly StageCapability[];
  readonly #options: ResolvedEncryptionOptions;
  readonly #parameters: ReturnType<typeof encryptionParameters>;

  /** @throws {TypeError | RangeError} naming the option, see {@link resolveEncryptionOptions}. */
  constructor(options: EncryptionModuleOptions = {}) {
    super();
    this.#options = resolveEncryptionOptions(options);
    this.#parameters = encryptionParameters(this.#options);
    this.capabilities = aeadAlgorithms.map((info) => ({
      stageType: StageType.Encryption,
      algorithm: info.algorithm,
      aliases: info.aliases,
      description: info.description,
      parameters: this.#parameters,
    }));
  }

  /** The options in force, defaults filled in. */
  get options(): ResolvedEncryptionOptions {
    return this.#options;
  }

  /**
   * Derives the run's keys (see the class comment).
   *
   * @throws {PipelineError} `InvalidConfiguration` when no usable secret is set or it does not
   * suit the container, `CorruptContainer` or `LimitExceeded` on bad or too costly run parameters
   * (reverse), `EncryptionFailed` when key derivation itself fails.
   */
  async startRun(stage: PipelineStage, context: ProcessingContext, direction: StageDirection): Promise<void> {
    this.validate(stage);
    const info = this.#info(stage);
    const state = context.stageState(stage.id, RunStateKey, () => new EncryptionRunState());
    state.replace(undefined);
    let run: EncryptionRunParameters;
    let secret: RunSecret;
    if (direction === 'forward') {
      secret = this.#secret(stage, info, context);
      const kdf: KdfParameters = secret.kind === 'key' ? { kdf: 'none' } : this.#stageKdf(stage);
      const scope = kdf.kdf === 'none' ? undefined : context.get(KeyDerivationScopeKey);
      const kdfSalt = scope?.sharedSalt(context, RUN_SALT_LENGTH);
      const salt = runRandomBytes(context, RUN_SALT_LENGTH);
      run = kdfSalt === undefined ? { algorithm: info.algorithm, kdf, salt } : { algorithm: info.algorithm, kdf, salt, kdfSalt };
      context.setRunParameters(stage.name, encodeEncryptionRunParameters(run));
    } else {
      run = parseEncryptionRunParameters(stage.name, context.runParameters(stage.name), this.#options.caps);
      if (run.algorithm !== info.algorithm) {
        throw new PipelineError(
          'CorruptContainer',
          `${label(stage, info)}: run parameter 'algorithm' is ${run.algorithm}, but the stage is ${info.algorithm}; the container header is damaged`,
        );
      }
      secret = this.#secret(stage, info, context);
      if ((secret.kind === 'key') !== (run.kdf.kdf === 'none')) {
        throw new PipelineError(
          'InvalidConfiguration',
          run.kdf.kdf === 'none'
            ? `${label(stage, info)}: this data was encrypted with a raw 32-byte key, but a password was provided; provide the key`
            : `${label(stage, info)}: this data was encrypted with a password (${run.kdf.kdf}), but a raw key was provided; provide the password`,
        );
      }
    }
    let master: Uint8Array;
    try {
      master = await this.#masterKey(secret, run, context);
    } catch (error) {
      if (PipelineError.is(error)) throw error;
      throw new PipelineError(
        'EncryptionFailed',
        `${label(stage, info)}: key derivation with ${run.kdf.kdf} failed: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
    try {
      const keys = deriveRunKeys(master, run.salt, info.algorithm);
      ContainerSealing.of(context)?.useHeaderKey(keys.headerAuthenticationKey);
      state.replace(keys.chunkKey);
    } finally {
      master.fill(0);
    }
  }

  /** Wipes the run's chunk key. */
  async finishRun(stage: PipelineStage, context: ProcessingContext): Promise<void> {
    context.stageState(stage.id, RunStateKey, () => new EncryptionRunState()).replace(undefined);
  }

  /**
   * Sealing or opening as a kernel for the chunk engine's worker threads; its config carries a
   * copy of the run's chunk key (and each thread's copy of that), wiped when the run ends.
   */
  kernel(stage: PipelineStage, context: ProcessingContext, _direction: StageDirection): StageKernel {
    const info = this.#info(stage);
    const state = context.stageState(stage.id, RunStateKey, () => new EncryptionRunState());
    const key = this.#chunkKey(stage, info, undefined, context);
    const config: AeadKernelConfig = {
      algorithm: info.algorithm,
      key: state.copyForKernel(key),
      binding: ContainerSealing.bindingOf(context),
      label: label(stage, info),
    };
    return { module: import.meta.resolve('@adapipe/plugin-encryption/kernels'), factory: 'aeadKernel', config };
  }

  /** Encrypts one chunk into ciphertext ‖ 16-byte tag. */
  async execute(stage: PipelineStage, chunk: FileChunk, context: ProcessingContext): Promise<FileChunk> {
    const info = this.#info(stage);
    const sealed = sealChunk(info, this.#chunkKey(stage, info, chunk.sequenceNumber, context), ContainerSealing.bindingOf(context), chunk);
    return new FileChunk(chunk.sequenceNumber, sealed, { offset: chunk.offset, isFinal: chunk.isFinal });
  }

  /**
   * Checks one chunk's tag and decrypts it; nothing is released unless the tag is valid.
   *
   * @throws {PipelineError} `EncryptionFailed` naming the stage, algorithm and chunk when the input
   * is shorter than a tag or authentication fails (wrong key, corrupted, reordered or foreign data).
   */
  async reverse(stage: PipelineStage, chunk: FileChunk, context: ProcessingContext): Promise<FileChunk> {
    const info = this.#info(stage);
    const key = this.#chunkKey(stage, info, chunk.sequenceNumber, context);
    const { metadata, data } = openChunk(info, key, ContainerSealing.bindingOf(context), chunk, label(stage, info));
    return new FileChunk(chunk.sequenceNumber, data, { offset: chunk.offset, isFinal: chunk.isFinal, metadata });
  }

  override async estimateProcessingTime(stage: PipelineStage, dataSize: number): Promise<number> {
    const throughput = assumedThroughput[this.capabilityFor(stage)?.algorithm ?? ''] ?? this.throughputBytesPerSecond;
    return (dataSize / throughput) * 1000;
  }

  /**
   * Checks the stage parameters: no secret-like names, then the schema (known names, `kdf`, costs
   * within the caps), then what crosses parameters: costs of the other KDF, costs invalid for
   * their KDF, scrypt's memory over its cap.
   *
   * @throws {PipelineError} `InvalidConfiguration` naming the stage, the parameter, what was
   * expected and what was found.
   */
  protected override validateParameters(configuration: StageConfiguration, stage: PipelineStage): void {
    for (const name of Object.keys(configuration.parameters)) {
      if (secretLikeName.test(name)) {
        throw this.#parameters.invalid(
          stage,
          name,
          'looks like a secret, and stage parameters are stored in clear (pipeline files, the container header). ' +
            'Remove it and give the password or key to the run instead (RunSecretKey; in the CLI --password-file or --key-file)',
        );
      }
    }
    const values = this.#parameters.parse(stage);
    const other: PasswordKdf = values.kdf === 'argon2id' ? 'scrypt' : 'argon2id';
    for (const [name] of KDF_COST_PARAMETERS[other]) {
      if (name in configuration.parameters)
        throw this.#parameters.invalid(stage, name, `applies only when kdf is ${other}, but kdf is ${values.kdf}`);
    }
    const chosen = kdfOf(values);
    const problem = kdfCostProblem(chosen);
    if (problem !== undefined) {
      const name = KDF_COST_PARAMETERS[values.kdf].find(([, cost]) => cost === problem.field)![0];
      throw this.#parameters.invalid(stage, name, `${problem.reason}, found "${values[name]}"`);
    }
    if (chosen.kdf === 'scrypt' && scryptMemoryBytes(chosen) > this.#options.caps.scrypt.memoryBytes) {
      throw this.#parameters.invalid(
        stage,
        'scrypt_n',
        `with scrypt_r needs 128 x scrypt_n x scrypt_r = ${scryptMemoryBytes(chosen)} bytes, over the restore cap of ${this.#options.caps.scrypt.memoryBytes} bytes; lower scrypt_n or scrypt_r`,
      );
    }
  }

  /**
   * The run's master key: from a password, through the run's `KeyDerivationScope` when it has one
   * (so the runs of a batch with the same KDF, costs and KDF salt derive it once), else directly.
   * The caller wipes the result.
   */
  async #masterKey(secret: RunSecret, run: EncryptionRunParameters, context: ProcessingContext): Promise<Uint8Array> {
    const kdfSalt = kdfSaltOf(run);
    const scope = context.get(KeyDerivationScopeKey);
    if (scope === undefined || secret.kind !== 'password' || run.kdf.kdf === 'none') return deriveMasterKey(secret, kdfSalt, run.kdf);
    const { kdf: name, ...costs } = run.kdf;
    const derivation = { secret: secret.password, kdf: name, costs, salt: kdfSalt };
    return markSecret(await scope.derive(derivation, () => deriveMasterKey(secret, kdfSalt, run.kdf)), 'master key');
  }

  /** The password KDF and costs of a validated stage: its parameters over the module defaults. */
  #stageKdf(stage: PipelineStage): KdfParameters {
    return kdfOf(this.#parameters.parse(stage));
  }

  #info(stage: PipelineStage): AeadAlgorithmInfo {
    const capability = this.capabilityFor(stage);
    if (capability === undefined) this.validate(stage);
    return aeadAlgorithmInfo(capability!.algorithm);
  }

  #secret(stage: PipelineStage, info: AeadAlgorithmInfo, context: ProcessingContext): RunSecret {
    const secret = context.get(RunSecretKey);
    if (secret === undefined || secret === null) {
      throw new PipelineError(
        'InvalidConfiguration',
        `${label(stage, info)}: a password or a 32-byte key must be provided for the run (set RunSecretKey in the context; in the CLI use --password-file or --key-file)`,
      );
    }
    if (secret.kind === 'key') {
      if (!(secret.key instanceof Uint8Array) || secret.key.length !== AEAD_KEY_LENGTH) {
        const found = secret.key instanceof Uint8Array ? `${secret.key.length} bytes` : typeof secret.key;
        throw new PipelineError(
          'InvalidConfiguration',
          `${label(stage, info)}: a raw key must be exactly ${AEAD_KEY_LENGTH} bytes, found ${found}; provide a 32-byte key or use a password`,
        );
      }
      return secret;
    }
    if (secret.kind === 'password') {
      if (!(secret.password instanceof Uint8Array) || secret.password.length === 0) {
        throw new PipelineError('InvalidConfiguration', `${label(stage, info)}: the password must be a non-empty Uint8Array`);
      }
      return secret;
    }
    throw new PipelineError(
      'InvalidConfiguration',
      `${label(stage, info)}: the run secret must be { kind: 'password', password } or { kind: 'key', key }`,
    );
  }

  #chunkKey(stage: PipelineStage, info: AeadAlgorithmInfo, sequenceNumber: number | undefined, context: ProcessingContext): Uint8Array {
    const key = context.stageState(stage.id, RunStateKey, () => new EncryptionRunState()).chunkKey;
    if (key === undefined) {
      throw new PipelineError(
        'InvalidConfiguration',
        `${label(stage, info)}${sequenceNumber === undefined ? '' : ` chunk ${sequenceNumber}`}: the run's key is not derived; call startRun(stage, context, direction) before the first chunk (and not after finishRun)`,
      );
    }
    return key;
  }
}

function label(stage: PipelineStage, info: AeadAlgorithmInfo): string {
  return `Stage '${stage.name}' (encryption:${info.algorithm})`;
}
