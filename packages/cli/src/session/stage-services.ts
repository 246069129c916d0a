import { createAdapipe } from '@adapipe/core';
import type { Registry } from 'prom-client';
import { createCliServices, type NeededStage } from '../cli-services.js';

/** Core and plugins for a command: the `--plugin` modules plus the official plugins a run needs. */
export class StageServices {
  /**
   * @param plugins `--plugin` modules, loaded for every command.
   * @param metricsRegistry the registry the debug plugin reports to, asked for when it loads.
   */
  constructor(
    readonly plugins: readonly string[],
    readonly metricsRegistry: () => Registry,
  ) {}

  /** Core plus `extraPlugins` and the official plugins serving `stages` (all official plugins when not given). */
  load(extraPlugins: readonly string[] = [], stages?: readonly NeededStage[]) {
    return createCliServices({
      plugins: [...this.plugins, ...extraPlugins],
      metricsRegistry: this.metricsRegistry,
      ...(stages === undefined ? {} : { stages }),
    });
  }

  /** A container's header (read with core alone: no plugin is needed to read it), and services holding the plugins its stages need. */
  async forContainer(source: AsyncIterable<Uint8Array>, where: string) {
    const { header, encrypted } = await createAdapipe().runner.readHeader(source, where);
    return { ...(await this.load([], header.stages)), header, encrypted };
  }
}
