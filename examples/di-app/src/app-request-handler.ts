import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { PipelineError } from '@adapipe/core';
import { inject, injectable } from 'inversify';
import { AppLogger } from './app-logger.js';
import { AppMetricsRegistry } from './app-metrics-registry.js';
import { ContainerFileStore } from './container-file-store.js';
import { fileNameProblem } from './file-name.js';
import { HttpRequestMetrics } from './http-request-metrics.js';

const knownMethods = new Set(['GET', 'HEAD', 'PUT', 'POST', 'DELETE', 'PATCH', 'OPTIONS']);

/**
 * The HTTP API: `PUT /files/:name` stores the request body, `GET /files/:name` streams the original
 * back, `GET /metrics` serves the application's registry. Bodies stream both ways, chunk by chunk.
 */
@injectable()
export class AppRequestHandler {
  constructor(
    @inject(ContainerFileStore) private readonly files: ContainerFileStore,
    @inject(AppMetricsRegistry) private readonly registry: AppMetricsRegistry,
    @inject(HttpRequestMetrics) private readonly metrics: HttpRequestMetrics,
    @inject(AppLogger) private readonly logger: AppLogger,
  ) {}

  /** Answers one request; never rejects. */
  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = request.method ?? 'GET';
    const path = (request.url ?? '/').split('?', 1)[0]!;
    const route = path === '/metrics' ? '/metrics' : path.startsWith('/files/') ? '/files/:name' : 'other';
    response.once('close', () => this.metrics.observe(knownMethods.has(method) ? method : 'other', route, response.statusCode));
    try {
      if (route === '/metrics') {
        if (method !== 'GET') return sendMethodNotAllowed(response, 'GET');
        const body = await this.registry.metrics();
        response.writeHead(200, { 'content-type': this.registry.contentType }).end(body);
        return;
      }
      if (route === 'other') return sendJson(response, 404, { error: 'NotFound', message: `no route for ${path}` });
      const name = decodeName(path.slice('/files/'.length));
      const problem = name === undefined ? 'the name is not valid percent-encoded UTF-8' : fileNameProblem(name);
      if (name === undefined || problem !== undefined) return sendJson(response, 400, { error: 'InvalidName', message: problem });
      if (method === 'PUT') return await this.#upload(name, request, response);
      if (method === 'GET') return await this.#download(name, response);
      return sendMethodNotAllowed(response, 'GET, PUT');
    } catch (error) {
      this.logger.error(`${method} ${path}: ${describe(error)}`);
      if (!response.headersSent) sendJson(response, 500, { error: 'InternalError', message: 'the request failed; see the server log' });
      else response.destroy();
    }
  }

  async #upload(name: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
    const stored = await this.files.save(name, request);
    response.setHeader('location', `/files/${encodeURIComponent(name)}`);
    sendJson(response, 201, stored);
  }

  async #download(name: string, response: ServerResponse): Promise<void> {
    const run = await this.files.restore(name);
    if (run === undefined) return sendJson(response, 404, { error: 'NotFound', message: `no file named ${JSON.stringify(name)}` });
    const iterator = run.output[Symbol.asyncIterator]();
    let first: IteratorResult<Uint8Array>;
    try {
      first = await iterator.next();
    } catch (error) {
      this.logger.error(`GET /files/${name}: ${describe(error)}`);
      return sendJson(response, 500, {
        error: 'StoredFileUnreadable',
        message: `the stored container of ${JSON.stringify(name)} cannot be restored`,
      });
    }
    response.writeHead(200, { 'content-type': 'application/octet-stream', ...(first.done ? { 'content-length': '0' } : {}) });
    try {
      await pipeline(resume(first, iterator), response);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE') return;
      this.logger.error(`GET /files/${name}: download aborted: ${describe(error)}`);
      response.destroy();
    }
  }
}

async function* resume(first: IteratorResult<Uint8Array>, iterator: AsyncIterator<Uint8Array>): AsyncGenerator<Uint8Array> {
  try {
    for (let next = first; !next.done; next = await iterator.next()) yield next.value;
  } finally {
    await iterator.return?.();
  }
}

function decodeName(encoded: string): string | undefined {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) }).end(text);
}

function sendMethodNotAllowed(response: ServerResponse, allow: string): void {
  response.setHeader('allow', allow);
  sendJson(response, 405, { error: 'MethodNotAllowed', message: `use ${allow}` });
}

function describe(error: unknown): string {
  if (PipelineError.is(error)) return `${error.kind}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
