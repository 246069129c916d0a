import { type AdapipeServices, createAdapipe } from '@adapipe/core';
import { checksumContainerModule } from '@adapipe/plugin-checksum';
import { compressionContainerModule } from '@adapipe/plugin-compression';
import { debugContainerModule } from '@adapipe/plugin-debug';
import { encryptionContainerModule } from '@adapipe/plugin-encryption';
import { teeContainerModule } from '@adapipe/plugin-tee';
import type { ContainerModule } from 'inversify';
import type { Registry } from 'prom-client';
import { loadPluginModule } from './plugin-loader.js';

/** What the CLI builds its container from. */
export interface CliServiceOptions {
  /** Third-party plugin modules (`--plugin`, a pipeline file's `plugins`). */
  readonly plugins?: readonly string[];
  /** The Prometheus registry the debug plugin reports to. */
  readonly metricsRegistry?: Registry;
  /** Worker threads for zstd; default: the compression plugin's choice. */
  readonly workers?: number;
}

/** Core, every official plugin, and the requested third-party plugins. */
export async function createCliServices(options: CliServiceOptions = {}): Promise<AdapipeServices> {
  const extra: ContainerModule[] = [];
  for (const specifier of options.plugins ?? []) extra.push(await loadPluginModule(specifier));
  return createAdapipe(
    compressionContainerModule(options.workers === undefined ? {} : { zstdWorkers: options.workers }),
    encryptionContainerModule(),
    checksumContainerModule(),
    teeContainerModule(),
    debugContainerModule(options.metricsRegistry === undefined ? {} : { registry: options.metricsRegistry }),
    ...extra,
  );
}
