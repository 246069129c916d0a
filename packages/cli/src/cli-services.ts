import { type AdapipeServices, createAdapipe } from '@adapipe/core';
import type { ContainerModule } from 'inversify';
import type { Registry } from 'prom-client';
import { loadPluginModule } from './plugin-loader.js';

/** What the CLI builds its container from. */
export interface CliServiceOptions {
  /** Third-party plugin modules (`--plugin`, a pipeline file's `plugins`). */
  readonly plugins?: readonly string[];
  /** The Prometheus registry the debug plugin reports to; asked for only when that plugin loads. */
  readonly metricsRegistry?: () => Registry;
  /** Worker threads for zstd; default: the compression plugin's choice. */
  readonly workers?: number;
  /**
   * The stage types the run needs: only the official plugins serving them are loaded, so a command
   * starts faster. Default: every official plugin (for `plugins`, `validate`, `benchmark`, …).
   */
  readonly stageTypes?: readonly string[];
}

interface OfficialPlugin {
  /** The stage types the package serves. */
  readonly stageTypes: readonly string[];
  readonly load: (options: CliServiceOptions) => Promise<ContainerModule>;
}

/** The official plugins, each imported only when a run needs one of its stage types. */
const officialPlugins: readonly OfficialPlugin[] = [
  {
    stageTypes: ['compression'],
    load: async ({ workers }) =>
      (await import('@adapipe/plugin-compression')).compressionContainerModule(workers === undefined ? {} : { zstdWorkers: workers }),
  },
  { stageTypes: ['encryption'], load: async () => (await import('@adapipe/plugin-encryption')).encryptionContainerModule() },
  { stageTypes: ['checksum'], load: async () => (await import('@adapipe/plugin-checksum')).checksumContainerModule() },
  { stageTypes: ['passthrough'], load: async () => (await import('@adapipe/plugin-tee')).teeContainerModule() },
  {
    stageTypes: ['passthrough'],
    load: async ({ metricsRegistry }) =>
      (await import('@adapipe/plugin-debug')).debugContainerModule(metricsRegistry === undefined ? {} : { registry: metricsRegistry() }),
  },
];

/** Core, the official plugins the run needs (all by default), and the requested third-party plugins. */
export async function createCliServices(options: CliServiceOptions = {}): Promise<AdapipeServices> {
  const needed = officialPlugins.filter(
    (plugin) => options.stageTypes === undefined || plugin.stageTypes.some((type) => options.stageTypes!.includes(type)),
  );
  const official = await Promise.all(needed.map((plugin) => plugin.load(options)));
  const extra: ContainerModule[] = [];
  for (const specifier of options.plugins ?? []) extra.push(await loadPluginModule(specifier));
  return createAdapipe(...official, ...extra);
}
