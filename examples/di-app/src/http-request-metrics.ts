import { Counter } from 'prom-client';
import { inject, injectable } from 'inversify';
import { AppMetricsRegistry } from './app-metrics-registry.js';

/** The application's own metric, next to the debug plugin's in the same registry. */
@injectable()
export class HttpRequestMetrics {
  readonly #requests: Counter<'method' | 'route' | 'status'>;

  constructor(@inject(AppMetricsRegistry) registry: AppMetricsRegistry) {
    const name = 'di_app_http_requests_total';
    this.#requests =
      (registry.getSingleMetric(name) as Counter<'method' | 'route' | 'status'> | undefined) ??
      new Counter({
        name,
        help: 'HTTP requests answered, by method, route and status',
        labelNames: ['method', 'route', 'status'],
        registers: [registry],
      });
  }

  /** Counts one answered request; `route` is a pattern (`/files/:name`), never a raw path. */
  observe(method: string, route: string, status: number): void {
    this.#requests.inc({ method, route, status: String(status) });
  }
}
