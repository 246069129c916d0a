import { type AdapipeServices, createAdapipe, type StageType } from '@adapipe/core';
import type { ContainerModule } from 'inversify';
import type { Registry } from 'prom-client';
import { loadPluginModule } from './plugin-loader.js';

/** A stage a run needs: its type and algorithm (or alias). */
export interface NeededStage {
  readonly type: StageType;
  readonly algorithm: string;
}

/** What the CLI builds its container from. */
export interface CliServiceOptions {
  /** Third-party plugin modules (`--plugin`, a pipeline file's `plugins`). */
  readonly plugins?: readonly string[];
  /** The Prometheus registry the debug plugin reports to; asked for only when that plugin loads. */
  readonly metricsRegistry?: () => Registry;
  /**
   * The stages the run needs: only the official plugins serving their types are loaded, so a
   * command starts faster; when one of them is still missing, every official plugin is loaded, so
   * the error lists everything installed. Default: every official plugin (for `plugins`,
   * `validate`, `benchmark`, …).
   */
  readonly stages?: readonly NeededStage[];
}

interface OfficialPlugin {
  /** The stage types the package serves. */
  readonly stageTypes: readonly StageType[];
  readonly load: (options: CliServiceOptions) => Promise<ContainerModule>;
}

/** The official plugins, each imported only when a run needs one of its stage types. */
const officialPlugins: readonly OfficialPlugin[] = [
  {
    stageTypes: ['compression'],
    load: async () => (await import('@adapipe/plugin-compression')).compressionContainerModule(),
  },
  { stageTypes: ['encryption'], load: async () => (await import('@adapipe/plugin-encryption')).encryptionContainerModule() },
  { stageTypes: ['checksum'], load: async () => (await import('@adapipe/plugin-checksum')).checksumContainerModule() },
  { stageTypes: ['transform', 'passthrough'], load: async () => (await import('@adapipe/plugin-tee')).teeContainerModule() },
  {
    stageTypes: ['transform', 'passthrough'],
    load: async ({ metricsRegistry }) =>
      (await import('@adapipe/plugin-debug')).debugContainerModule(metricsRegistry === undefined ? {} : { registry: metricsRegistry() }),
  },
];

/**
 * Core, the official plugins the run needs (all by default, and all when the needed ones do not
 * serve every stage), and the requested third-party plugins.
 */
export async function createCliServices(options: CliServiceOptions = {}): Promise<AdapipeServices> {
  const extra: ContainerModule[] = [];
  for (const specifier of options.plugins ?? []) extra.push(await loadPluginModule(specifier));
  const build = async (official: readonly OfficialPlugin[]) =>
    createAdapipe(...(await Promise.all(official.map((plugin) => plugin.load(options)))), ...extra);
  const { stages } = options;
  if (stages === undefined) return build(officialPlugins);
  const services = await build(officialPlugins.filter((plugin) => stages.some((stage) => plugin.stageTypes.includes(stage.type))));
  return stages.every((stage) => services.registry.has(stage.type, stage.algorithm)) ? services : build(officialPlugins);
}
