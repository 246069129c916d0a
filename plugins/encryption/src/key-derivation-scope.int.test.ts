import {
  createAdapipe,
  KeyDerivationScope,
  Pipeline,
  PipelineError,
  PipelineStage,
  ProcessingContext,
  KeyDerivationScopeKey,
  RunSecretKey,
  StageConfiguration,
  StageType,
  type RunSecret,
} from '@adapipe/core';
import { rejectionOf } from '@adapipe/core/testing';
import * as hashWasm from 'hash-wasm';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { encryptionContainerModule } from './encryption-container-module.js';
import { EncryptionStageExecutor } from './encryption-stage-executor.js';
import { parseEncryptionRunParameters } from './encryption-run-parameters.js';
import { deriveMasterKey } from './kdf/derive-master-key.js';
import { deriveRunKeys } from './kdf/derive-run-keys.js';

vi.mock('hash-wasm', async (importOriginal) => {
  const actual = await importOriginal<typeof import('hash-wasm')>();
  return { ...actual, argon2id: vi.fn(actual.argon2id) };
});

const lowArgon = { kdf: 'argon2id', argon2_memory_kib: '64', argon2_iterations: '1', argon2_parallelism: '1' };
const password = (text: string): RunSecret => ({ kind: 'password', password: new TextEncoder().encode(text) });
const rawKey: RunSecret = { kind: 'key', key: Uint8Array.from({ length: 32 }, (_, index) => index + 1) };
const input = new TextEncoder().encode('the same input, twice. '.repeat(200));
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

const { runner } = createAdapipe(encryptionContainerModule());
const pipeline = (parameters: Record<string, string> = lowArgon) =>
  new Pipeline('batch', [new PipelineStage('encrypt', StageType.Encryption, new StageConfiguration('aes-256-gcm', parameters), 0)]);

const kdfCalls = () => vi.mocked(hashWasm.argon2id).mock.calls.length;

async function runParameters(container: Uint8Array): Promise<Readonly<Record<string, string>>> {
  const { header } = await runner.readHeader(oneBlock(container));
  return header.stages[0]!.runParameters;
}

async function* oneBlock(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

/** `count` containers of `input`, all processed in `keyScope`, the first two concurrently. */
async function batch(keyScope: KeyDerivationScope, secret: RunSecret, count: number): Promise<Uint8Array[]> {
  const options = { pipeline: pipeline(), secret, keyScope, chunkSize: 1024, workers: 0 };
  const first = await Promise.all([runner.processBuffer(input, options), runner.processBuffer(input, options)]);
  const rest = [];
  for (let index = 2; index < count; index += 1) rest.push(await runner.processBuffer(input, options));
  return [...first, ...rest];
}

describe('encryption in a KeyDerivationScope', () => {
  beforeEach(() => {
    vi.mocked(hashWasm.argon2id).mockClear();
  });

  it('shares the KDF salt and one derivation, while every container gets its own salt and keys', async () => {
    const secret = password('correct horse battery staple');
    const keyScope = new KeyDerivationScope();
    const containers = await batch(keyScope, secret, 4);
    expect(kdfCalls()).toBe(1);
    expect(keyScope.derivations).toBe(1);

    const records = await Promise.all(containers.map(runParameters));
    const kdfSalts = new Set(records.map((record) => record.kdf_salt));
    expect(kdfSalts.size).toBe(1);
    expect([...kdfSalts][0]).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(records.map((record) => record.salt)).size).toBe(4);
    for (const record of records) expect(record.salt).not.toBe(record.kdf_salt);

    const parsed = records.map((record) => parseEncryptionRunParameters('encrypt', record));
    const master = await deriveMasterKey(secret, parsed[0]!.kdfSalt!, parsed[0]!.kdf);
    const chunkKeys = parsed.map((run) => hex(deriveRunKeys(master, run.salt, 'aes-256-gcm').chunkKey));
    expect(new Set(chunkKeys).size).toBe(4);
    const payloads = new Set(containers.map((container) => hex(container.subarray(-600))));
    expect(payloads.size).toBe(4);
    keyScope.close();
  });

  it('restores each container without a scope, and in a fresh scope with one derivation', async () => {
    const secret = password('tr0ub4dor&3');
    const making = new KeyDerivationScope();
    const containers = await batch(making, secret, 3);
    making.close();
    for (const container of containers) {
      expect(Buffer.from(await runner.restoreBuffer(container, { secret, workers: 0 })).equals(input)).toBe(true);
    }
    vi.mocked(hashWasm.argon2id).mockClear();
    const restoring = new KeyDerivationScope();
    const restored = await Promise.all(containers.map((container) => runner.restoreBuffer(container, { secret, keyScope: restoring })));
    for (const bytes of restored) expect(Buffer.from(bytes).equals(input)).toBe(true);
    expect(kdfCalls()).toBe(1);
    expect(restoring.derivations).toBe(1);
    restoring.close();
  });

  it('never hands a scope’s key to another password', async () => {
    const keyScope = new KeyDerivationScope();
    const [first] = await batch(keyScope, password('first password'), 2);
    const wrong = await rejectionOf(runner.restoreBuffer(first!, { secret: password('second password'), keyScope }));
    expect(wrong.kind).toBe('WrongKey');
    const [second] = await batch(keyScope, password('second password'), 2);
    expect(keyScope.derivations).toBe(3);
    expect((await runParameters(second!)).kdf_salt).toBe((await runParameters(first!)).kdf_salt);
    expect((await rejectionOf(runner.restoreBuffer(second!, { secret: password('first password') }))).kind).toBe('WrongKey');
    expect(Buffer.from(await runner.restoreBuffer(second!, { secret: password('second password'), keyScope })).equals(input)).toBe(true);
    keyScope.close();
  });

  it('writes containers as before without a scope, and with a raw key', async () => {
    const secret = password('pw');
    const alone = await runner.processBuffer(input, { pipeline: pipeline(), secret, chunkSize: 1024 });
    expect(Object.keys(await runParameters(alone))).not.toContain('kdf_salt');
    const keyScope = new KeyDerivationScope();
    const keyed = await runner.processBuffer(input, { pipeline: pipeline({}), secret: rawKey, keyScope, chunkSize: 1024 });
    expect(await runParameters(keyed)).not.toHaveProperty('kdf_salt');
    expect(keyScope.derivations).toBe(0);
    expect(Buffer.from(await runner.restoreBuffer(keyed, { secret: rawKey, keyScope })).equals(input)).toBe(true);
    keyScope.close();
  });

  it('checks the restore caps before any derivation in a scope', async () => {
    const secret = password('pw');
    const keyScope = new KeyDerivationScope();
    const cheap = createAdapipe(encryptionContainerModule({ argon2id: { memoryKib: 64, iterations: 1, parallelism: 1 } })).runner;
    const container = await cheap.processBuffer(input, { pipeline: pipeline({}), secret, keyScope });
    keyScope.close();
    const capped = createAdapipe(encryptionContainerModule({ caps: { argon2id: { memoryKib: 32 } }, argon2id: { memoryKib: 32 } })).runner;
    vi.mocked(hashWasm.argon2id).mockClear();
    const restoring = new KeyDerivationScope();
    const error = await rejectionOf(capped.restoreBuffer(container, { secret, keyScope: restoring }));
    expect(error.kind).toBe('LimitExceeded');
    expect(error.message).toContain('argon2_memory_kib = 64 is over the restore cap of 32');
    expect(kdfCalls()).toBe(0);
    expect(restoring.derivations).toBe(0);
  });

  it('refuses a malformed kdf_salt with CorruptContainer before deriving', async () => {
    const executor = new EncryptionStageExecutor();
    const stage = pipeline().stages[0]!;
    const keyScope = new KeyDerivationScope();
    const contextOf = () => {
      const context = new ProcessingContext('kdf-salt');
      context.set(RunSecretKey, password('pw'));
      context.set(KeyDerivationScopeKey, keyScope);
      return context;
    };
    const forward = contextOf();
    await executor.startRun(stage, forward, 'forward');
    const recorded = forward.runParameters('encrypt')!;
    expect(recorded.kdf_salt).toMatch(/^[0-9a-f]{64}$/);
    const reverse = contextOf();
    reverse.setRunParameters('encrypt', { ...recorded, kdf_salt: `${recorded.kdf_salt!.slice(0, 62)}zz` });
    const before = kdfCalls();
    const error = await rejectionOf(executor.startRun(stage, reverse, 'reverse'));
    expect(error.kind).toBe('CorruptContainer');
    expect(error.message).toContain("run parameter 'kdf_salt' must be 64 lowercase hex digits");
    expect(kdfCalls()).toBe(before);
    expect(keyScope.derivations).toBe(1);
    keyScope.close();
  });

  it('refuses a closed scope', async () => {
    const keyScope = new KeyDerivationScope();
    keyScope.close();
    const error = await rejectionOf(runner.processBuffer(input, { pipeline: pipeline(), secret: password('pw'), keyScope }));
    expect(PipelineError.is(error, 'InvalidConfiguration')).toBe(true);
    expect(error.message).toContain('KeyDerivationScope is closed');
  });
});
