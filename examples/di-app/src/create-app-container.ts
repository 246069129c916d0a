import { coreContainerModule } from '@adapipe/core';
import { checksumContainerModule } from '@adapipe/plugin-checksum';
import { compressionContainerModule } from '@adapipe/plugin-compression';
import { debugContainerModule } from '@adapipe/plugin-debug';
import { encryptionContainerModule } from '@adapipe/plugin-encryption';
import { Container } from 'inversify';
import { Registry } from 'prom-client';
import type { AppConfigInput } from './app-config.js';
import type { AppLogger } from './app-logger.js';
import { appModule } from './app-module.js';

/** Options of {@link createAppContainer}. */
export interface AppContainerOptions {
  /** The application's settings. */
  readonly config: AppConfigInput;
  /** Default: `console`. */
  readonly logger?: AppLogger;
}

/**
 * The composition root: one container with core, the four plugins the upload pipeline needs, and
 * the application. The application's registry goes to the debug plugin too, so the pipeline's
 * metrics appear on the application's `/metrics`.
 *
 * @throws {TypeError} or {RangeError} naming the setting when the config is invalid.
 */
export function createAppContainer(options: AppContainerOptions): Container {
  const registry = new Registry();
  const container = new Container();
  container.load(
    coreContainerModule(),
    compressionContainerModule(),
    encryptionContainerModule(),
    checksumContainerModule(),
    debugContainerModule({ registry }),
    appModule({ config: options.config, registry, ...(options.logger === undefined ? {} : { logger: options.logger }) }),
  );
  return container;
}
