import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAppContainer } from './create-app-container.js';
import { startAppServer } from './start-app-server.js';

const storageDirectory = process.env.ADAPIPE_DI_APP_STORAGE ?? mkdtempSync(join(tmpdir(), 'adapipe-di-app-'));
mkdirSync(storageDirectory, { recursive: true });

const keyHex = process.env.ADAPIPE_DI_APP_KEY;
if (keyHex !== undefined && !/^[0-9a-fA-F]{64}$/.test(keyHex)) {
  console.error('ADAPIPE_DI_APP_KEY must be 64 hexadecimal digits (a 32-byte key)');
  process.exit(2);
}
const key = keyHex === undefined ? randomBytes(32) : Buffer.from(keyHex, 'hex');
if (keyHex === undefined)
  console.error('ADAPIPE_DI_APP_KEY is not set: using a random key, so stored files cannot be read after a restart');

const port = Number(process.env.PORT ?? 0);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT must be a whole number from 0 to 65535, found ${process.env.PORT}`);
  process.exit(2);
}

const container = createAppContainer({ config: { storageDirectory, key } });
key.fill(0);
const server = await startAppServer(container, { host: '127.0.0.1', port });
console.log(`adapipe-example-di-app listening on ${server.url} (storage: ${storageDirectory})`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void server.close().then(() => process.exit(0));
  });
}
