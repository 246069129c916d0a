import {
  ARGON2ID_DEFAULTS,
  DEFAULT_KDF_CAPS,
  DEFAULT_PASSWORD_KDF,
  kdfCostProblem,
  SCRYPT_DEFAULTS,
  scryptMemoryBytes,
  type Argon2idCosts,
  type KdfCaps,
  type PasswordKdf,
  type ScryptCosts,
} from './kdf/kdf-parameters.js';

/** Options of {@link encryptionContainerModule}. Every field is optional. */
export interface EncryptionModuleOptions {
  /** The password KDF of stages that name none. Default `'argon2id'`. */
  readonly kdf?: PasswordKdf;
  /** Argon2id costs of stages that set none. Default m = 65536 KiB, t = 3, p = 4. */
  readonly argon2id?: Partial<Argon2idCosts>;
  /** scrypt costs of stages that set none. Default N = 131072, r = 8, p = 1. */
  readonly scrypt?: Partial<ScryptCosts>;
  /**
   * The most key derivation may cost. Restore refuses containers above them with `LimitExceeded`;
   * processing refuses stage parameters above them, so whatever is written can be restored.
   * Default {@link DEFAULT_KDF_CAPS}.
   */
  readonly caps?: {
    readonly argon2id?: Partial<Argon2idCosts>;
    readonly scrypt?: Partial<KdfCaps['scrypt']>;
  };
}

/** {@link EncryptionModuleOptions} with every default filled in and checked. */
export interface ResolvedEncryptionOptions {
  /** The password KDF of stages that name none. */
  readonly kdf: PasswordKdf;
  /** Argon2id costs of stages that set none. */
  readonly argon2id: Argon2idCosts;
  /** scrypt costs of stages that set none. */
  readonly scrypt: ScryptCosts;
  /** The most key derivation may cost, in both directions. */
  readonly caps: KdfCaps;
}

const topLevel = ['kdf', 'argon2id', 'scrypt', 'caps'];

/**
 * Fills in and checks the module options.
 *
 * @throws {TypeError} naming the option when it has the wrong type or is unknown.
 * @throws {RangeError} naming the option when a cost is invalid for its KDF, a cap is below the
 * smallest valid cost, or a default cost is over its cap.
 */
export function resolveEncryptionOptions(options: EncryptionModuleOptions = {}): ResolvedEncryptionOptions {
  requirePlainObject(options, 'options', topLevel);
  if (options.kdf !== undefined && options.kdf !== 'argon2id' && options.kdf !== 'scrypt') {
    throw new RangeError(`options.kdf must be 'argon2id' or 'scrypt', found ${JSON.stringify(options.kdf)}`);
  }
  const capsInput = options.caps ?? {};
  requirePlainObject(capsInput, 'options.caps', ['argon2id', 'scrypt']);
  const argon2Caps = costs('options.caps.argon2id', capsInput.argon2id, DEFAULT_KDF_CAPS.argon2id);
  const scryptCaps = costs('options.caps.scrypt', capsInput.scrypt, DEFAULT_KDF_CAPS.scrypt);
  requireAtLeast('options.caps.argon2id.memoryKib', argon2Caps.memoryKib, 8);
  requireAtLeast('options.caps.scrypt.n', scryptCaps.n, 2);
  requireAtLeast('options.caps.scrypt.memoryBytes', scryptCaps.memoryBytes, 256);
  const caps: KdfCaps = Object.freeze({ argon2id: Object.freeze(argon2Caps), scrypt: Object.freeze(scryptCaps) });

  const argon2id = costs('options.argon2id', options.argon2id, ARGON2ID_DEFAULTS);
  const scrypt = costs('options.scrypt', options.scrypt, SCRYPT_DEFAULTS);
  for (const [kdf, chosen] of [['argon2id', argon2id], ['scrypt', scrypt]] as const) {
    const problem = kdfCostProblem({ kdf, ...chosen } as never);
    if (problem !== undefined) throw new RangeError(`options.${kdf}.${problem.field} ${problem.reason}`);
    for (const [cost, value] of Object.entries(chosen)) {
      const cap = (caps[kdf] as unknown as Record<string, number>)[cost]!;
      if (value > cap) throw new RangeError(`options.${kdf}.${cost} (${value}) is over options.caps.${kdf}.${cost} (${cap}); raise the cap or lower the cost`);
    }
  }
  if (scryptMemoryBytes(scrypt) > caps.scrypt.memoryBytes) {
    throw new RangeError(
      `options.scrypt needs ${scryptMemoryBytes(scrypt)} bytes (128 x N x r), over options.caps.scrypt.memoryBytes (${caps.scrypt.memoryBytes})`,
    );
  }
  return Object.freeze({
    kdf: options.kdf ?? DEFAULT_PASSWORD_KDF,
    argon2id: Object.freeze(argon2id),
    scrypt: Object.freeze(scrypt),
    caps,
  });
}

function costs<T extends object>(path: string, input: Partial<T> | undefined, defaults: T): T {
  const names = Object.keys(defaults);
  requirePlainObject(input ?? {}, path, names);
  const result: Record<string, number> = { ...(defaults as Record<string, number>) };
  for (const name of names) {
    const value = (input as Record<string, unknown> | undefined)?.[name];
    if (value === undefined) continue;
    if (typeof value !== 'number') throw new TypeError(`${path}.${name} must be a number, found ${typeof value}`);
    requireAtLeast(`${path}.${name}`, value, 1);
    result[name] = value;
  }
  return result as T;
}

function requireAtLeast(path: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) throw new RangeError(`${path} must be a whole number >= ${min}, found ${value}`);
}

function requirePlainObject(value: unknown, path: string, allowed: readonly string[]): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`${path} must be an object, found ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`);
  }
  const unknown = Object.keys(value).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) {
    throw new TypeError(`${path} has unknown option(s) ${unknown.join(', ')}; known: ${allowed.join(', ')}`);
  }
}
