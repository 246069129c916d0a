import type { Registry } from 'prom-client';

/** The application's prom-client registry: served on `/metrics`, shared with the debug plugin. */
export type AppMetricsRegistry = Registry;

/** The DI token of the {@link AppMetricsRegistry}. */
export const AppMetricsRegistry: unique symbol = Symbol.for('adapipe-example-di-app/AppMetricsRegistry');
