import { type AdapipeServices, createAdapipe } from '@adapipe/core';
import type { Registry } from 'prom-client';
import { createCliServices, type NeededStage } from '../cli-services.js';

/**
 * Core and plugins for a command: the `--plugin` modules plus the official plugins a run needs.
 * Services are built once per set of needs and shared by every file of a batch (one worker pool).
 */
export class StageServices {
  readonly #built = new Map<string, Promise<AdapipeServices>>();
  #core: AdapipeServices | undefined;

  /**
   * @param plugins `--plugin` modules, loaded for every command.
   * @param metricsRegistry the registry the debug plugin reports to, asked for when it loads.
   */
  constructor(
    readonly plugins: readonly string[],
    readonly metricsRegistry: () => Registry,
  ) {}

  /** Core plus `extraPlugins` and the official plugins serving `stages` (all official plugins when not given). */
  load(extraPlugins: readonly string[] = [], stages?: readonly NeededStage[]): Promise<AdapipeServices> {
    const key = JSON.stringify([extraPlugins, stages?.map((stage) => `${stage.type}:${stage.algorithm}`).sort() ?? null]);
    let services = this.#built.get(key);
    if (services === undefined) {
      services = createCliServices({
        plugins: [...this.plugins, ...extraPlugins],
        metricsRegistry: this.metricsRegistry,
        ...(stages === undefined ? {} : { stages }),
      });
      this.#built.set(key, services);
      services.catch(() => this.#built.delete(key));
    }
    return services;
  }

  /** A container's header (read with core alone: no plugin is needed to read it), and services holding the plugins its stages need. */
  async forContainer(source: AsyncIterable<Uint8Array>, where: string) {
    this.#core ??= createAdapipe();
    const { header, encrypted } = await this.#core.runner.readHeader(source, where);
    return { ...(await this.load([], header.stages)), header, encrypted };
  }
}
