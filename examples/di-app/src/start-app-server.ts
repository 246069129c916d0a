import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Container } from 'inversify';
import { AppRequestHandler } from './app-request-handler.js';

/** A running server: its address and how to stop it. */
export interface RunningAppServer {
  readonly server: Server;
  /** The base URL, for example `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Stops accepting connections, ends open ones, and resolves when the server is closed. */
  close(): Promise<void>;
}

/**
 * Serves the container's {@link AppRequestHandler} on `host:port` (port 0: any free port).
 *
 * @throws whatever `listen` fails with (for example `EADDRINUSE`).
 */
export async function startAppServer(container: Container, { host = '127.0.0.1', port = 0 } = {}): Promise<RunningAppServer> {
  const handler = container.get(AppRequestHandler);
  const server = createServer((request, response) => void handler.handle(request, response));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  return {
    server,
    url,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
