/** The password KDFs a stage may choose with its `kdf` parameter. */
export type PasswordKdf = 'argon2id' | 'scrypt';

/** Every KDF a run may record: a password KDF, or `none` when the secret is a raw key. */
export type KdfName = PasswordKdf | 'none';

/** Argon2id costs (RFC 9106). */
export interface Argon2idCosts {
  /** Memory in KiB (`m`); at least 8 × parallelism. */
  readonly memoryKib: number;
  /** Passes over memory (`t`); at least 1. */
  readonly iterations: number;
  /** Lanes (`p`); at least 1. */
  readonly parallelism: number;
}

/** scrypt costs (RFC 7914). */
export interface ScryptCosts {
  /** CPU/memory cost `N`; a power of two ≥ 2, below 2^(16·r). */
  readonly n: number;
  /** Block size `r`; at least 1. */
  readonly r: number;
  /** Parallelisation `p`; at least 1, with r·p < 2^30. */
  readonly p: number;
}

/** Which KDF turns the run's secret into the master key, and at what cost. */
export type KdfParameters =
  | ({ readonly kdf: 'argon2id' } & Argon2idCosts)
  | ({ readonly kdf: 'scrypt' } & ScryptCosts)
  | { readonly kdf: 'none' };

/** The most a restore will spend on key derivation; a container asking for more is refused. */
export interface KdfCaps {
  /** Largest Argon2id memory, passes and lanes accepted. */
  readonly argon2id: Argon2idCosts;
  /** Largest scrypt N, r and p accepted, and the largest memory 128·N·r in bytes. */
  readonly scrypt: ScryptCosts & { readonly memoryBytes: number };
}

/** The password KDF used when neither the stage nor the module options name one. */
export const DEFAULT_PASSWORD_KDF: PasswordKdf = 'argon2id';

/** Argon2id defaults: m = 64 MiB, t = 3, p = 4 (RFC 9106 §4's second recommended option). */
export const ARGON2ID_DEFAULTS: Argon2idCosts = Object.freeze({ memoryKib: 65_536, iterations: 3, parallelism: 4 });

/** scrypt defaults: N = 2^17, r = 8, p = 1 (128 MiB). */
export const SCRYPT_DEFAULTS: ScryptCosts = Object.freeze({ n: 2 ** 17, r: 8, p: 1 });

/**
 * Restore caps: Argon2id memory ≤ 1 GiB, passes ≤ 64, lanes ≤ 16; scrypt N ≤ 2^22, r ≤ 32, p ≤ 16
 * and memory 128·N·r ≤ 1 GiB.
 */
export const DEFAULT_KDF_CAPS: KdfCaps = Object.freeze({
  argon2id: Object.freeze({ memoryKib: 1_048_576, iterations: 64, parallelism: 16 }),
  scrypt: Object.freeze({ n: 2 ** 22, r: 32, p: 16, memoryBytes: 2 ** 30 }),
});

/** The memory scrypt needs for its large array, 128·N·r bytes. */
export function scryptMemoryBytes(costs: ScryptCosts): number {
  return 128 * costs.n * costs.r;
}

/**
 * Why these costs are not valid for their KDF (whatever the caps), or `undefined` when they are.
 * Internal: callers turn the reason into their own error kind.
 */
export function kdfCostProblem(parameters: KdfParameters): { readonly field: string; readonly reason: string } | undefined {
  switch (parameters.kdf) {
    case 'none':
      return undefined;
    case 'argon2id': {
      const { memoryKib, iterations, parallelism } = parameters;
      if (!isWhole(parallelism, 1, 2 ** 24 - 1)) return { field: 'parallelism', reason: 'must be a whole number from 1 to 16777215' };
      if (!isWhole(iterations, 1, 2 ** 32 - 1)) return { field: 'iterations', reason: 'must be a whole number >= 1' };
      if (!isWhole(memoryKib, 8 * parallelism, 2 ** 32 - 1)) {
        return { field: 'memoryKib', reason: `must be a whole number >= 8 x parallelism (${8 * parallelism})` };
      }
      return undefined;
    }
    case 'scrypt': {
      const { n, r, p } = parameters;
      if (!isWhole(r, 1, 2 ** 30 - 1)) return { field: 'r', reason: 'must be a whole number >= 1' };
      if (!isWhole(p, 1, 2 ** 30 - 1) || r * p >= 2 ** 30) return { field: 'p', reason: 'must be a whole number >= 1 with r x p < 2^30' };
      if (!isWhole(n, 2, 2 ** 52) || !isPowerOfTwo(n)) return { field: 'n', reason: 'must be a power of two >= 2' };
      if (16 * r < 53 && n >= 2 ** (16 * r)) return { field: 'n', reason: `must be below 2^(16 x r) = ${2 ** (16 * r)}` };
      return undefined;
    }
  }
}

function isWhole(value: number, min: number, max: number): boolean {
  return Number.isSafeInteger(value) && value >= min && value <= max;
}

function isPowerOfTwo(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 1 && Math.log2(value) % 1 === 0;
}

/**
 * The stage and run parameter names of each password KDF's costs, with the cost each sets:
 * `argon2_memory_kib`, `argon2_iterations`, `argon2_parallelism`; `scrypt_n`, `scrypt_r`, `scrypt_p`.
 */
export const KDF_COST_PARAMETERS = Object.freeze({
  argon2id: Object.freeze([
    ['argon2_memory_kib', 'memoryKib'],
    ['argon2_iterations', 'iterations'],
    ['argon2_parallelism', 'parallelism'],
  ] as const),
  scrypt: Object.freeze([
    ['scrypt_n', 'n'],
    ['scrypt_r', 'r'],
    ['scrypt_p', 'p'],
  ] as const),
});
