import type { Registry, RegistryContentType } from 'prom-client';

/** The prom-client registry the debug stage reports to (Prometheus or OpenMetrics format). */
export type DebugMetricsRegistry = Registry<RegistryContentType>;

/**
 * The DI token of the {@link DebugMetricsRegistry}: `debugContainerModule` binds it to the
 * registry given in its options, or to a new one. An application resolves it to serve the
 * metrics on its own `/metrics` endpoint.
 *
 * @example
 * ```ts
 * const registry = container.get<DebugMetricsRegistry>(DebugMetricsRegistry);
 * response.type(registry.contentType).send(await registry.metrics());
 * ```
 */
export const DebugMetricsRegistry: unique symbol = Symbol.for('@adapipe/plugin-debug/MetricsRegistry');
