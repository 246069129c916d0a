import { ContainerModule } from 'inversify';
import { AppConfig, type AppConfigInput, resolveAppConfig } from './app-config.js';
import { AppLogger } from './app-logger.js';
import { AppMetricsRegistry } from './app-metrics-registry.js';
import { AppRequestHandler } from './app-request-handler.js';
import { ContainerFileStore } from './container-file-store.js';
import { HttpRequestMetrics } from './http-request-metrics.js';
import { createUploadPipeline, UploadPipeline } from './upload-pipeline.js';

/** Options of {@link appModule}. */
export interface AppModuleOptions {
  /** The application's settings; checked before the module is built. */
  readonly config: AppConfigInput;
  /** The registry `/metrics` serves; give the same one to `debugContainerModule`. */
  readonly registry: AppMetricsRegistry;
  /** Default: `console`. */
  readonly logger?: AppLogger;
}

/**
 * The application's own bindings: its config, registry, logger and upload pipeline as constants,
 * its services as singletons. Load it after core and the plugins it uses.
 *
 * @throws {TypeError} or {RangeError} naming the setting when the config is invalid.
 */
export function appModule(options: AppModuleOptions): ContainerModule {
  const config = resolveAppConfig(options.config);
  const logger = options.logger ?? { error: (message: string) => console.error(message) };
  const uploadPipeline = createUploadPipeline();
  return new ContainerModule(({ bind }) => {
    bind(AppConfig).toConstantValue(config);
    bind(AppMetricsRegistry).toConstantValue(options.registry);
    bind(AppLogger).toConstantValue(logger);
    bind(UploadPipeline).toConstantValue(uploadPipeline);
    bind(ContainerFileStore).toSelf().inSingletonScope();
    bind(HttpRequestMetrics).toSelf().inSingletonScope();
    bind(AppRequestHandler).toSelf().inSingletonScope();
  });
}
