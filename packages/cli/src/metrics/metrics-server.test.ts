import { Counter, Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { CliError, ExitCode } from '../exit-code.js';
import { type MetricsServer, startMetricsServer } from './metrics-server.js';

const open: MetricsServer[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((server) => server.close()));
});

async function start(registry: Registry, port = 0): Promise<MetricsServer> {
  const server = await startMetricsServer(registry, port);
  open.push(server);
  return server;
}

function registryWithCounter(): Registry {
  const registry = new Registry();
  new Counter({ name: 'adapipe_test_bytes_total', help: 'bytes seen', registers: [registry] }).inc(42);
  return registry;
}

describe('startMetricsServer', () => {
  it('serves the registry at GET /metrics on a random local port', async () => {
    const registry = registryWithCounter();
    const server = await start(registry);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect(server.url).not.toMatch(/:0\//);
    const response = await fetch(server.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(registry.contentType);
    expect(await response.text()).toContain('adapipe_test_bytes_total 42');
    const withQuery = await fetch(`${server.url}?name[]=x`);
    expect(withQuery.status).toBe(200);
    await withQuery.text();
  });

  it('answers anything else with 404', async () => {
    const server = await start(registryWithCounter());
    const root = await fetch(server.url.replace('/metrics', '/'));
    expect(root.status).toBe(404);
    await root.text();
    const post = await fetch(server.url, { method: 'POST', body: 'x' });
    expect(post.status).toBe(404);
    await post.text();
  });

  it('answers 500 when the registry fails', async () => {
    const registry = new Registry();
    registry.metrics = () => Promise.reject(new Error('collector broke'));
    const server = await start(registry);
    const response = await fetch(server.url);
    expect(response.status).toBe(500);
    expect(await response.text()).toContain('collector broke');
  });

  it('reports a port in use as a usage error naming --metrics-port', async () => {
    const first = await start(new Registry());
    const port = Number(new URL(first.url).port);
    const error = await startMetricsServer(new Registry(), port).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(CliError);
    expect(error).toMatchObject({
      exitCode: ExitCode.Usage,
      message: `--metrics-port ${port}: port ${port} is already in use on 127.0.0.1; choose another port, or 0 for a free one`,
    });
  });

  it.each([-1, 65536, 1.5, Number.NaN])('rejects port %d', async (port) => {
    await expect(startMetricsServer(new Registry(), port)).rejects.toMatchObject({ exitCode: ExitCode.Usage });
  });

  it('stops listening on close, even with a keep-alive connection open', async () => {
    const server = await startMetricsServer(registryWithCounter(), 0);
    await (await fetch(server.url)).text();
    await server.close();
    await expect(fetch(server.url)).rejects.toThrow();
  });
});
