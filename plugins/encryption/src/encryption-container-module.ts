import { StageExecutor } from '@adapipe/core';
import { ContainerModule } from 'inversify';
import { resolveEncryptionOptions, type EncryptionModuleOptions } from './encryption-options.js';
import { EncryptionStageExecutor } from './encryption-stage-executor.js';

/**
 * The plugin's DI module: binds one {@link EncryptionStageExecutor} (aes-256-gcm,
 * chacha20-poly1305, xchacha20-poly1305) to core's `StageExecutor` token. Options are checked here,
 * before the module is built.
 *
 * @throws {TypeError | RangeError} naming the option when `options` is invalid.
 * @example
 * ```ts
 * container.load(coreContainerModule(), encryptionContainerModule({ caps: { argon2id: { memoryKib: 262_144 } } }));
 * ```
 */
export function encryptionContainerModule(options: EncryptionModuleOptions = {}): ContainerModule {
  const resolved = resolveEncryptionOptions(options);
  return new ContainerModule(({ bind }) => {
    bind(StageExecutor).toConstantValue(new EncryptionStageExecutor(resolved));
  });
}
