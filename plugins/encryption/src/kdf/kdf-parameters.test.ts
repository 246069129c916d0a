import { describe, expect, it } from 'vitest';
import {
  ARGON2ID_DEFAULTS,
  DEFAULT_KDF_CAPS,
  KDF_COST_PARAMETERS,
  kdfCostProblem,
  SCRYPT_DEFAULTS,
  scryptMemoryBytes,
  type KdfParameters,
} from './kdf-parameters.js';

describe('KDF parameters', () => {
  it('has the documented defaults and caps, frozen', () => {
    expect(ARGON2ID_DEFAULTS).toEqual({ memoryKib: 65_536, iterations: 3, parallelism: 4 });
    expect(SCRYPT_DEFAULTS).toEqual({ n: 131_072, r: 8, p: 1 });
    expect(DEFAULT_KDF_CAPS).toEqual({
      argon2id: { memoryKib: 1_048_576, iterations: 64, parallelism: 16 },
      scrypt: { n: 4_194_304, r: 32, p: 16, memoryBytes: 1_073_741_824 },
    });
    expect(Object.isFrozen(DEFAULT_KDF_CAPS.scrypt)).toBe(true);
    expect(KDF_COST_PARAMETERS.argon2id.map(([name]) => name)).toEqual(['argon2_memory_kib', 'argon2_iterations', 'argon2_parallelism']);
    expect(KDF_COST_PARAMETERS.scrypt.map(([name]) => name)).toEqual(['scrypt_n', 'scrypt_r', 'scrypt_p']);
  });

  it('computes scrypt memory as 128 x N x r', () => {
    expect(scryptMemoryBytes(SCRYPT_DEFAULTS)).toBe(128 * 1024 * 1024);
  });

  it.each<[KdfParameters, string | undefined]>([
    [{ kdf: 'none' }, undefined],
    [{ kdf: 'argon2id', ...ARGON2ID_DEFAULTS }, undefined],
    [{ kdf: 'argon2id', memoryKib: 32, iterations: 1, parallelism: 4 }, undefined],
    [{ kdf: 'argon2id', memoryKib: 31, iterations: 1, parallelism: 4 }, 'memoryKib'],
    [{ kdf: 'argon2id', memoryKib: 64, iterations: 0, parallelism: 1 }, 'iterations'],
    [{ kdf: 'argon2id', memoryKib: 64, iterations: 1, parallelism: 0.5 }, 'parallelism'],
    [{ kdf: 'scrypt', ...SCRYPT_DEFAULTS }, undefined],
    [{ kdf: 'scrypt', n: 2 ** 15, r: 1, p: 1 }, undefined],
    [{ kdf: 'scrypt', n: 2 ** 16, r: 1, p: 1 }, 'n'],
    [{ kdf: 'scrypt', n: 3 * 1024, r: 8, p: 1 }, 'n'],
    [{ kdf: 'scrypt', n: 1, r: 8, p: 1 }, 'n'],
    [{ kdf: 'scrypt', n: 1024, r: 0, p: 1 }, 'r'],
    [{ kdf: 'scrypt', n: 1024, r: 2 ** 15, p: 2 ** 15 }, 'p'],
  ])('kdfCostProblem(%o) names %s', (parameters, field) => {
    expect(kdfCostProblem(parameters)?.field).toBe(field);
  });
});
