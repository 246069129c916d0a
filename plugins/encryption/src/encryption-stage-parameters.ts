import { defineStageParameters, integer, oneOf, type StageParameterValues } from '@adapipe/core';
import type { ResolvedEncryptionOptions } from './encryption-options.js';
import { KDF_COST_PARAMETERS, type KdfParameters } from './kdf/kdf-parameters.js';

/**
 * The stage parameters of an encryption executor: `kdf` and the KDF costs, defaults from its
 * module options, maxima from its restore caps (so whatever is written can be restored).
 */
export function encryptionParameters({ kdf, argon2id, scrypt, caps }: ResolvedEncryptionOptions) {
  const cost = (min: number, max: number, value: number, description: string) => integer({ min, max, default: value, description });
  return defineStageParameters({
    kdf: oneOf(['argon2id', 'scrypt'], { default: kdf, description: 'the password KDF (a raw key needs none)' }),
    argon2_memory_kib: cost(8, caps.argon2id.memoryKib, argon2id.memoryKib, 'Argon2id memory in KiB, at least 8 x parallelism'),
    argon2_iterations: cost(1, caps.argon2id.iterations, argon2id.iterations, 'Argon2id passes'),
    argon2_parallelism: cost(1, caps.argon2id.parallelism, argon2id.parallelism, 'Argon2id lanes'),
    scrypt_n: cost(2, caps.scrypt.n, scrypt.n, 'scrypt CPU/memory cost N, a power of two'),
    scrypt_r: cost(1, caps.scrypt.r, scrypt.r, 'scrypt block size r'),
    scrypt_p: cost(1, caps.scrypt.p, scrypt.p, 'scrypt parallelisation p'),
  });
}

/** An encryption stage's parameters, parsed by {@link encryptionParameters}. */
export type EncryptionParameters = StageParameterValues<ReturnType<typeof encryptionParameters>['fields']>;

/** The KDF and costs the parsed parameters choose. */
export function kdfOf(values: EncryptionParameters): KdfParameters {
  const costs = Object.fromEntries(KDF_COST_PARAMETERS[values.kdf].map(([name, cost]) => [cost, values[name]]));
  return { kdf: values.kdf, ...costs } as KdfParameters;
}
