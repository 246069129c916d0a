export { decodeSealedBody, encodeSealedBody } from './sealed-chunk-body.js';
export { open, seal } from './aead/aead.js';
export {
  AEAD_KEY_LENGTH,
  AEAD_TAG_LENGTH,
  aeadAlgorithmInfo,
  aeadAlgorithms,
  type AeadAlgorithm,
  type AeadAlgorithmInfo,
} from './aead/aead-algorithm.js';
export { CHUNK_AD_LABEL, chunkAssociatedData } from './aead/chunk-associated-data.js';
export { chunkNonce } from './aead/chunk-nonce.js';
export { encryptionContainerModule } from './encryption-container-module.js';
export { resolveEncryptionOptions, type EncryptionModuleOptions, type ResolvedEncryptionOptions } from './encryption-options.js';
export {
  encodeEncryptionRunParameters,
  kdfSaltOf,
  parseEncryptionRunParameters,
  RUN_SALT_LENGTH,
  type EncryptionRunParameters,
} from './encryption-run-parameters.js';
export { EncryptionStageExecutor } from './encryption-stage-executor.js';
export { deriveMasterKey, MASTER_KEY_LENGTH } from './kdf/derive-master-key.js';
export { chunkKeyInfo, deriveRunKeys, HEADER_MAC_INFO, hkdfSha256, type RunKeys } from './kdf/derive-run-keys.js';
export {
  ARGON2ID_DEFAULTS,
  DEFAULT_KDF_CAPS,
  DEFAULT_PASSWORD_KDF,
  KDF_COST_PARAMETERS,
  SCRYPT_DEFAULTS,
  scryptMemoryBytes,
  type Argon2idCosts,
  type KdfCaps,
  type KdfName,
  type KdfParameters,
  type PasswordKdf,
  type ScryptCosts,
} from './kdf/kdf-parameters.js';
