import { createRequire } from 'node:module';
import type { Counter, Registry } from 'prom-client';
import { startMetricsServer } from '../metrics/metrics-server.js';

/**
 * The invocation's Prometheus metrics: a registry (the debug plugin's metrics, the input counter)
 * created on first use, so commands without metrics do not load prom-client, and the
 * `--metrics-port` server.
 */
export class CliMetrics {
  #state: { registry: Registry; inputBytes: Counter } | undefined;

  /** @param port `--metrics-port` (0 picks a free port), or `undefined` when nothing is served. */
  constructor(
    readonly port: number | undefined,
    readonly info: (line: string) => void,
  ) {}

  /** The registry of this invocation. */
  get registry(): Registry {
    return this.#metrics().registry;
  }

  /** Counts input bytes in `adapipe_input_bytes_total{command}` when metrics are served. */
  inputCounter(): Counter | undefined {
    return this.port === undefined ? undefined : this.#metrics().inputBytes;
  }

  /** Serves `/metrics` on 127.0.0.1 during `body` when `--metrics-port` is set. */
  async serveDuring<T>(body: () => Promise<T>): Promise<T> {
    if (this.port === undefined) return body();
    promClient().collectDefaultMetrics({ register: this.registry });
    const server = await startMetricsServer(this.registry, this.port);
    this.info(`metrics: ${server.url}`);
    try {
      return await body();
    } finally {
      await server.close();
    }
  }

  #metrics(): { registry: Registry; inputBytes: Counter } {
    if (this.#state === undefined) {
      const { Counter, Registry } = promClient();
      const registry = new Registry();
      const inputBytes = new Counter({
        name: 'adapipe_input_bytes_total',
        help: 'Bytes of input consumed by the current command',
        labelNames: ['command'],
        registers: [registry],
      });
      this.#state = { registry, inputBytes };
    }
    return this.#state;
  }
}

/** prom-client (CommonJS), loaded on first use. */
function promClient(): typeof import('prom-client') {
  return createRequire(import.meta.url)('prom-client') as typeof import('prom-client');
}
