import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { CliError, ExitCode } from '../exit-code.js';

/** A running metrics endpoint. */
export interface MetricsServer {
  /** Where Prometheus scrapes, e.g. `http://127.0.0.1:9464/metrics`, with the real port. */
  readonly url: string;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

/**
 * Serves `registry` for Prometheus on 127.0.0.1 only: `GET /metrics` (and `HEAD`) answers with
 * `registry.metrics()` in `registry.contentType`; any other request gets 404. Port 0 picks a free
 * port, which `url` reports. Call `close` when the run ends, or the server keeps the process alive.
 *
 * @throws {CliError} usage error naming `--metrics-port` when the port is not 0–65535, is in use
 * or may not be opened.
 * @example
 * ```ts
 * const metrics = await startMetricsServer(registry, 9464);
 * console.error(`metrics at ${metrics.url}`);
 * await metrics.close();
 * ```
 */
export async function startMetricsServer(registry: Registry, port: number): Promise<MetricsServer> {
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new CliError(`--metrics-port ${port}: expected a port number from 0 to 65535 (0 picks a free one)`, ExitCode.Usage);
  }
  const server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== '/metrics' || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found; metrics are at GET /metrics\n');
      return;
    }
    registry.metrics().then(
      (body) => response.writeHead(200, { 'content-type': registry.contentType }).end(body),
      (error: unknown) =>
        response
          .writeHead(500, { 'content-type': 'text/plain; charset=utf-8' })
          .end(`cannot collect metrics: ${(error as Error).message}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new CliError(`--metrics-port ${port}: ${listenFailure(error, port)}`, ExitCode.Usage)),
    );
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: actualPort } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${actualPort}/metrics`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };
}

function listenFailure(error: NodeJS.ErrnoException, port: number): string {
  if (error.code === 'EADDRINUSE') return `port ${port} is already in use on 127.0.0.1; choose another port, or 0 for a free one`;
  if (error.code === 'EACCES') return `not allowed to listen on port ${port}; choose a port above 1023, or 0 for a free one`;
  return `cannot listen on 127.0.0.1:${port}: ${error.message}`;
}
