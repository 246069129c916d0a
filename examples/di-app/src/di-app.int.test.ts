import { createHash, randomFillSync } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PipelineRunner } from '@adapipe/core';
import { DebugMetricsRegistry } from '@adapipe/plugin-debug';
import type { Container } from 'inversify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppMetricsRegistry } from './app-metrics-registry.js';
import { createAppContainer } from './create-app-container.js';
import { type RunningAppServer, startAppServer } from './start-app-server.js';

const MiB = 1 << 20;

/** `size` pseudo-random bytes in blocks of at most 1 MiB, half of each block compressible; hashes what it yields. */
function generated(size: number, seed: number): { blocks: AsyncIterable<Uint8Array>; sha256: () => string } {
  const hash = createHash('sha256');
  async function* blocks() {
    for (let offset = 0; offset < size; offset += MiB) {
      const block = new Uint8Array(Math.min(MiB, size - offset));
      randomFillSync(block, 0, block.length >> 1);
      block.fill((seed + offset / MiB) & 0xff, block.length >> 1);
      hash.update(block);
      yield block;
    }
  }
  return { blocks: blocks(), sha256: () => hash.digest('hex') };
}

async function put(url: string, body: AsyncIterable<Uint8Array> | Uint8Array): Promise<Response> {
  return fetch(url, { method: 'PUT', body: body as unknown as Uint8Array, duplex: 'half' } as RequestInit);
}

/** Reads a response body to the end without keeping it: its size and SHA-256. */
async function drain(response: Response): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const part of response.body ?? []) {
    hash.update(part);
    bytes += part.length;
  }
  return { bytes, sha256: hash.digest('hex') };
}

/** GET with the path sent exactly as given (fetch would normalise `..` away). */
function rawGetStatus(base: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${base}/`, { path, method: 'GET' }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', reject).end();
  });
}

describe('di-app over real HTTP', () => {
  let storage: string;
  let container: Container;
  let server: RunningAppServer;
  const logged: string[] = [];
  let uploadedBytes = 0;

  const fileUrl = (name: string) => `${server.url}/files/${encodeURIComponent(name)}`;

  async function upload(name: string, size: number, seed = size): Promise<{ sha256: string; body: Record<string, unknown> }> {
    const data = generated(size, seed);
    const response = await put(fileUrl(name), data.blocks);
    const body = (await response.json()) as Record<string, unknown>;
    expect(response.status, JSON.stringify(body)).toBe(201);
    uploadedBytes += size;
    return { sha256: data.sha256(), body };
  }

  beforeAll(async () => {
    storage = await mkdtemp(join(tmpdir(), 'adapipe-di-app-test-'));
    container = createAppContainer({
      config: { storageDirectory: storage, key: new Uint8Array(32).fill(7) },
      logger: { error: (message) => logged.push(message) },
    });
    server = await startAppServer(container);
  });

  afterAll(async () => {
    await server?.close();
    await rm(storage, { recursive: true, force: true });
  });

  it('composes one container: the runner comes from it and the debug plugin reports to the app registry', () => {
    expect(container.get(PipelineRunner)).toBe(container.get(PipelineRunner));
    expect(container.get(DebugMetricsRegistry)).toBe(container.get(AppMetricsRegistry));
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it.each([
    ['empty', 0],
    ['one-byte', 1],
    ['chunk-and-a-bit.bin', MiB + 1],
  ])('round-trips %s (%i bytes)', async (name, size) => {
    const { sha256, body } = await upload(name, size);
    expect(body).toMatchObject({ name, bytes: size, sha256 });
    const containerBytes = (await stat(join(storage, `${name}.adapipe`))).size;
    expect(body.containerBytes).toBe(containerBytes);

    const response = await fetch(fileUrl(name));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    expect(await drain(response)).toEqual({ bytes: size, sha256 });
  });

  it('streams a 64 MiB body both ways, hashed on both sides', async () => {
    const size = 64 * MiB;
    const { sha256, body } = await upload('large.bin', size, 3);
    expect(body).toMatchObject({ name: 'large.bin', bytes: size, sha256 });
    expect(body.containerBytes as number).toBeLessThan(size);
    const response = await fetch(fileUrl('large.bin'));
    expect(response.status).toBe(200);
    expect(await drain(response)).toEqual({ bytes: size, sha256 });
  });

  it('replaces a file on a second PUT, leaving no temporary file behind', async () => {
    await upload('replaced', 1000, 1);
    const second = await upload('replaced', 2000, 2);
    expect(await drain(await fetch(fileUrl('replaced')))).toEqual({ bytes: 2000, sha256: second.sha256 });
    expect((await readdir(storage)).filter((entry) => entry.endsWith('.tmp'))).toEqual([]);
  });

  it('fails a download of a truncated container after the headers: the connection breaks, no clean end', async () => {
    const size = 12 * MiB + 123;
    await upload('truncated.bin', size, 9);
    const path = join(storage, 'truncated.bin.adapipe');
    await truncate(path, Math.floor((await stat(path)).size * 0.75));
    logged.length = 0;

    const response = await fetch(fileUrl('truncated.bin'));
    expect(response.status).toBe(200);
    await expect(drain(response)).rejects.toThrow();
    expect(logged.join('\n')).toMatch(/truncated\.bin: download aborted: CorruptContainer/);
  });

  it('answers 500 before any byte when the first chunk of a container is corrupt', async () => {
    await upload('flipped.bin', 300_000, 5);
    const path = join(storage, 'flipped.bin.adapipe');
    const bytes = await readFile(path);
    bytes[bytes.length >> 1]! ^= 0x01;
    await writeFile(path, bytes);
    logged.length = 0;

    const response = await fetch(fileUrl('flipped.bin'));
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ error: 'StoredFileUnreadable' });
    expect(logged.join('\n')).toMatch(/flipped\.bin: (EncryptionFailed|CorruptContainer|IntegrityFailed)/);
  });

  it('answers 500 with a JSON error when the container header is damaged', async () => {
    await upload('header.bin', 10, 1);
    const path = join(storage, 'header.bin.adapipe');
    const bytes = await readFile(path);
    bytes[0]! ^= 0xff;
    await writeFile(path, bytes);
    const response = await fetch(fileUrl('header.bin'));
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ error: 'StoredFileUnreadable' });
  });

  it('answers 404 for an unknown name and an unknown route', async () => {
    const missing = await fetch(fileUrl('never-stored'));
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: 'NotFound' });
    expect((await fetch(`${server.url}/elsewhere`)).status).toBe(404);
  });

  it.each([
    ['a path separator', 'dir%2Fescape'],
    ['a backslash', 'dir%5Cescape'],
    ['an encoded parent path', '%2E%2E%2Fescape'],
    ['a leading dot', '.hidden'],
    ['an empty name', ''],
    ['invalid percent-encoding', '%E0%A4%A'],
  ])('answers 400 for %s, on GET and PUT, storing nothing', async (_what, encoded) => {
    const before = await readdir(storage);
    const url = `${server.url}/files/${encoded}`;
    const got = await fetch(url);
    expect(got.status).toBe(400);
    expect(await got.json()).toMatchObject({ error: 'InvalidName' });
    const putResponse = await put(url, new Uint8Array(10));
    expect(putResponse.status).toBe(400);
    await putResponse.body?.cancel();
    const after = await readdir(storage);
    expect(after).toEqual(before);
  });

  it.each(['/files/..', '/files/../x', '/files/a/b', '/files/a\\b'])(
    'answers 400 for the raw path %s (sent unnormalised)',
    async (path) => {
      expect(await rawGetStatus(server.url, path)).toBe(400);
    },
  );

  it('answers 405 for other methods', async () => {
    const response = await fetch(fileUrl('x'), { method: 'DELETE' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, PUT');
  });

  it('serves the app registry on /metrics with the debug counters of every uploaded byte', async () => {
    const response = await fetch(`${server.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toContain(`debug_stage_bytes_total{label="upload",direction="forward"} ${uploadedBytes}`);
    expect(text).toMatch(/debug_stage_bytes_total\{label="upload",direction="reverse"\} [1-9]/);
    expect(text).toMatch(/di_app_http_requests_total\{method="PUT",route="\/files\/:name",status="201"\} [1-9]/);
  });
});
