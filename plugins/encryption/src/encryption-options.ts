import { defineModuleOptions, group, integer, oneOf } from '@adapipe/core';
import {
  ARGON2ID_DEFAULTS,
  DEFAULT_KDF_CAPS,
  DEFAULT_PASSWORD_KDF,
  kdfCostProblem,
  SCRYPT_DEFAULTS,
  scryptMemoryBytes,
  type Argon2idCosts,
  type KdfCaps,
  type KdfParameters,
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

const atLeast = (min: number, value: number) => integer({ min, default: value });

const encryptionOptions = defineModuleOptions('encryptionContainerModule', {
  kdf: oneOf(['argon2id', 'scrypt'], { default: DEFAULT_PASSWORD_KDF }),
  argon2id: group({
    memoryKib: atLeast(1, ARGON2ID_DEFAULTS.memoryKib),
    iterations: atLeast(1, ARGON2ID_DEFAULTS.iterations),
    parallelism: atLeast(1, ARGON2ID_DEFAULTS.parallelism),
  }),
  scrypt: group({ n: atLeast(1, SCRYPT_DEFAULTS.n), r: atLeast(1, SCRYPT_DEFAULTS.r), p: atLeast(1, SCRYPT_DEFAULTS.p) }),
  caps: group({
    argon2id: group({
      memoryKib: atLeast(8, DEFAULT_KDF_CAPS.argon2id.memoryKib),
      iterations: atLeast(1, DEFAULT_KDF_CAPS.argon2id.iterations),
      parallelism: atLeast(1, DEFAULT_KDF_CAPS.argon2id.parallelism),
    }),
    scrypt: group({
      n: atLeast(2, DEFAULT_KDF_CAPS.scrypt.n),
      r: atLeast(1, DEFAULT_KDF_CAPS.scrypt.r),
      p: atLeast(1, DEFAULT_KDF_CAPS.scrypt.p),
      memoryBytes: atLeast(256, DEFAULT_KDF_CAPS.scrypt.memoryBytes),
    }),
  }),
});

/**
 * Fills in and checks the module options.
 *
 * @throws {TypeError | RangeError} naming the option, as `defineModuleOptions` words it; a
 * `RangeError` also when a cost is invalid for its KDF or a default cost is over its cap.
 */
export function resolveEncryptionOptions(options: EncryptionModuleOptions = {}): ResolvedEncryptionOptions {
  const { kdf, argon2id, scrypt, caps } = encryptionOptions.resolve(options);
  for (const [name, chosen] of [
    ['argon2id', argon2id],
    ['scrypt', scrypt],
  ] as const) {
    const problem = kdfCostProblem({ kdf: name, ...chosen } as KdfParameters);
    if (problem !== undefined) throw encryptionOptions.invalid(`${name}.${problem.field}`, problem.reason);
    for (const [cost, value] of Object.entries(chosen)) {
      const cap = (caps[name] as Readonly<Record<string, number>>)[cost]!;
      if (value > cap)
        throw encryptionOptions.invalid(
          `${name}.${cost}`,
          `(${value}) is over caps.${name}.${cost} (${cap}); raise the cap or lower the cost`,
        );
    }
  }
  if (scryptMemoryBytes(scrypt) > caps.scrypt.memoryBytes) {
    throw encryptionOptions.invalid(
      'scrypt',
      `needs ${scryptMemoryBytes(scrypt)} bytes (128 x N x r), over caps.scrypt.memoryBytes (${caps.scrypt.memoryBytes})`,
    );
  }
  return { kdf, argon2id, scrypt, caps };
}
