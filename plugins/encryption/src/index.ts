export { decodeSealedBody, encodeSealedBody } from './sealed-chunk-body.js';
export { open, seal } from './aead/aead.js';
export { AEAD_KEY_LENGTH, AEAD_TAG_LENGTH, aeadAlgorithmInfo, aeadAlgorithms } from './aead/aead-algorithm.js';
export type { AeadAlgorithm, AeadAlgorithmInfo } from './aead/aead-algorithm.js';
export { CHUNK_AD_LABEL, chunkAssociatedData } from './aead/chunk-associated-data.js';
export { chunkNonce } from './aead/chunk-nonce.js';
export { encryptionContainerModule } from './encryption-container-module.js';
export { resolveEncryptionOptions } from './encryption-options.js';
export type { EncryptionModuleOptions, ResolvedEncryptionOptions } from './encryption-options.js';
export {
  encodeEncryptionRunParameters,
  parseEncryptionRunParameters,
  RUN_SALT_LENGTH,
} from './encryption-run-parameters.js';
export type { EncryptionRunParameters } from './encryption-run-parameters.js';
export { EncryptionStageExecutor } from './encryption-stage-executor.js';
export { deriveMasterKey, MASTER_KEY_LENGTH } from './kdf/derive-master-key.js';
export { chunkKeyInfo, deriveRunKeys, HEADER_MAC_INFO, hkdfSha256 } from './kdf/derive-run-keys.js';
export type { RunKeys } from './kdf/derive-run-keys.js';
export {
  ARGON2ID_DEFAULTS,
  DEFAULT_KDF_CAPS,
  DEFAULT_PASSWORD_KDF,
  KDF_COST_PARAMETERS,
  SCRYPT_DEFAULTS,
  scryptMemoryBytes,
} from './kdf/kdf-parameters.js';
export type {
  Argon2idCosts,
  KdfCaps,
  KdfName,
  KdfParameters,
  PasswordKdf,
  ScryptCosts,
} from './kdf/kdf-parameters.js';
