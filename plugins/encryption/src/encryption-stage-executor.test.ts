import { rejectionOf } from '@adapipe/core/testing';
import { encodeSealedBody } from './sealed-chunk-body.js';
import { randomBytes } from 'node:crypto';
import * as nodeCrypto from 'node:crypto';
import { inspect } from 'node:util';
import {
  ChunkRole,
  ContainerSealing,
  ContainerSealingKey,
  FileChunk,
  type PipelineError,
  PipelineStage,
  ProcessingContext,
  RunSecretKey,
  StageConfiguration,
  StageType,
  type RunSecret,
  type StageDirection,
} from '@adapipe/core';
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import * as hashWasm from 'hash-wasm';
import { describe, expect, it, vi } from 'vitest';
import { seal } from './aead/aead.js';
import { chunkAssociatedData } from './aead/chunk-associated-data.js';
import { chunkNonce } from './aead/chunk-nonce.js';
import { EncryptionStageExecutor } from './encryption-stage-executor.js';
import { deriveRunKeys } from './kdf/derive-run-keys.js';

vi.mock('hash-wasm', async (importOriginal) => {
  const actual = await importOriginal<typeof import('hash-wasm')>();
  return { ...actual, argon2id: vi.fn(actual.argon2id) };
});
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, scrypt: vi.fn(actual.scrypt) };
});

const executor = new EncryptionStageExecutor();
const algorithms = ['aes-256-gcm', 'chacha20-poly1305', 'xchacha20-poly1305'] as const;
const lowArgon = { kdf: 'argon2id', argon2_memory_kib: '64', argon2_iterations: '1', argon2_parallelism: '1' };
const lowScrypt = { kdf: 'scrypt', scrypt_n: '1024', scrypt_r: '8', scrypt_p: '1' };
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const keySecret = (key: Uint8Array = randomBytes(32)): RunSecret => ({ kind: 'key', key });
const passwordSecret = (password: string): RunSecret => ({ kind: 'password', password: new TextEncoder().encode(password) });

function stageOf(algorithm: string = 'aes-256-gcm', parameters: Record<string, string> = {}): PipelineStage {
  return new PipelineStage('encrypt', StageType.Encryption, new StageConfiguration(algorithm, parameters), 0);
}

/** A run's context inside a container: a sealing whose records are bound to `headerDigest` when given. */
function contextOf(secret?: RunSecret, runParameters?: Readonly<Record<string, string>>, headerDigest?: Uint8Array): ProcessingContext {
  const context = new ProcessingContext('test');
  const sealing = new ContainerSealing();
  context.set(ContainerSealingKey, sealing);
  if (secret !== undefined) context.set(RunSecretKey, secret);
  if (runParameters !== undefined) context.setRunParameters('encrypt', runParameters);
  if (headerDigest !== undefined) sealing.bindRecords(headerDigest, ChunkRole.Data);
  return context;
}

/** The header key the stage gave the context's sealing (captured as it is given). */
function capturingHeaderKey(context: ProcessingContext): () => Uint8Array | undefined {
  let key: Uint8Array | undefined;
  const sealing = ContainerSealing.of(context)!;
  const give = sealing.useHeaderKey.bind(sealing);
  sealing.useHeaderKey = (given) => {
    key = given;
    give(given);
  };
  return () => key;
}

function chunksOf(...sizes: number[]): FileChunk[] {
  let offset = 0;
  return sizes.map((size, index) => {
    const chunk = new FileChunk(index, randomBytes(size), { offset, isFinal: index === sizes.length - 1 });
    offset += size;
    return chunk;
  });
}

async function run(
  direction: StageDirection,
  stage: PipelineStage,
  context: ProcessingContext,
  chunks: readonly FileChunk[],
  on: EncryptionStageExecutor = executor,
): Promise<FileChunk[]> {
  await on.startRun(stage, context, direction);
  const out = direction === 'forward' ? await on.executeParallel(stage, chunks, context) : await on.reverseParallel(stage, chunks, context);
  await on.finishRun(stage, context);
  return out;
}

describe('EncryptionStageExecutor parameters', () => {
  it.each(['password', 'key', 'secret', 'api_token', 'passphrase', 'master_key'])(
    'refuses a parameter named %s and explains why',
    async (name) => {
      const stage = stageOf('aes-256-gcm', { [name]: 'hunter2' });
      const error = (() => {
        try {
          executor.validate(stage);
        } catch (caught) {
          return caught as PipelineError;
        }
        throw new Error('accepted');
      })();
      expect(error.kind).toBe('InvalidConfiguration');
      expect(error.message).toContain(`parameter '${name}' looks like a secret`);
      expect(error.message).toContain('give the password or key to the run instead');
      expect(error.message).not.toContain('hunter2');
      expect(await executor.canExecute(stage)).toBe(false);
    },
  );

  it.each<[Record<string, string>, string]>([
    [
      { level: '3' },
      "parameter 'level' is unknown; known parameters: kdf, argon2_memory_kib, argon2_iterations, argon2_parallelism, scrypt_n, scrypt_r, scrypt_p",
    ],
    [{ kdf: 'pbkdf2' }, `parameter 'kdf' must be one of argon2id, scrypt (default argon2id), found "pbkdf2"`],
    [{ argon2_memory_kib: 'lots' }, `parameter 'argon2_memory_kib' must be a whole number from 8 to 1048576 (default 65536), found "lots"`],
    [{ argon2_iterations: '65' }, "parameter 'argon2_iterations' must be a whole number from 1 to 64"],
    [
      { argon2_memory_kib: '16', argon2_parallelism: '4' },
      `parameter 'argon2_memory_kib' must be a whole number >= 8 x parallelism (32), found "16"`,
    ],
    [{ kdf: 'argon2id', scrypt_n: '1024' }, "parameter 'scrypt_n' applies only when kdf is scrypt, but kdf is argon2id"],
    [{ kdf: 'scrypt', argon2_iterations: '2' }, "parameter 'argon2_iterations' applies only when kdf is argon2id, but kdf is scrypt"],
    [{ kdf: 'scrypt', scrypt_n: '1000' }, `parameter 'scrypt_n' must be a power of two >= 2, found "1000"`],
    [
      { kdf: 'scrypt', scrypt_n: String(2 ** 22), scrypt_r: '8' },
      "parameter 'scrypt_n' with scrypt_r needs 128 x scrypt_n x scrypt_r = 4294967296 bytes, over the restore cap of 1073741824 bytes",
    ],
  ])('refuses %o with InvalidConfiguration naming the stage, parameter, range and value', (parameters, message) => {
    expect(() => executor.validate(stageOf('chacha20', parameters))).toThrow(`Stage 'encrypt' (encryption:chacha20): ${message}`);
  });

  it('accepts the documented parameters, aliases and case', async () => {
    for (const stage of [stageOf('AES-GCM', lowArgon), stageOf('xchacha20', lowScrypt), stageOf('aes256gcm', { kdf: ' Scrypt ' })]) {
      expect(await executor.canExecute(stage)).toBe(true);
    }
  });

  it('serves the encryption stage type only', () => {
    expect(executor.supportedStageTypes()).toEqual(['encryption']);
    expect(executor.capabilities.map((c) => [c.algorithm, c.aliases])).toEqual([
      ['aes-256-gcm', ['aes256gcm', 'aes-gcm']],
      ['chacha20-poly1305', ['chacha20']],
      ['xchacha20-poly1305', ['xchacha20']],
    ]);
  });
});

describe('EncryptionStageExecutor secrets', () => {
  it.each<StageDirection>(['forward', 'reverse'])('refuses to %s without a secret, asking for a password or key', async (direction) => {
    const runParameters = { algorithm: 'aes-256-gcm', kdf: 'none', salt: '00'.repeat(32) };
    const error = await rejectionOf(executor.startRun(stageOf(), contextOf(undefined, runParameters), direction));
    expect(error.kind).toBe('InvalidConfiguration');
    expect(error.message).toContain("Stage 'encrypt' (encryption:aes-256-gcm): a password or a 32-byte key must be provided");
  });

  it.each([31, 33, 0])('refuses a raw key of %i bytes', async (length) => {
    const error = await rejectionOf(executor.startRun(stageOf(), contextOf(keySecret(randomBytes(length))), 'forward'));
    expect(error.kind).toBe('InvalidConfiguration');
    expect(error.message).toContain(`a raw key must be exactly 32 bytes, found ${length} bytes`);
  });

  it('refuses an empty password and a malformed secret', async () => {
    expect((await rejectionOf(executor.startRun(stageOf(), contextOf(passwordSecret('')), 'forward'))).message).toContain(
      'the password must be a non-empty',
    );
    const odd = { kind: 'token', token: 'x' } as unknown as RunSecret;
    expect((await rejectionOf(executor.startRun(stageOf(), contextOf(odd), 'forward'))).kind).toBe('InvalidConfiguration');
  });

  it('refuses the wrong kind of secret for the container', async () => {
    const keyed = contextOf(keySecret());
    await executor.startRun(stageOf(), keyed, 'forward');
    const withPassword = await rejectionOf(
      executor.startRun(stageOf(), contextOf(passwordSecret('pw'), keyed.runParameters('encrypt')), 'reverse'),
    );
    expect(withPassword.message).toContain('encrypted with a raw 32-byte key, but a password was provided; provide the key');

    const passworded = contextOf(passwordSecret('pw'));
    await executor.startRun(stageOf('aes-256-gcm', lowArgon), passworded, 'forward');
    const withKey = await rejectionOf(
      executor.startRun(stageOf('aes-256-gcm', lowArgon), contextOf(keySecret(), passworded.runParameters('encrypt')), 'reverse'),
    );
    expect(withKey.message).toContain('encrypted with a password (argon2id), but a raw key was provided; provide the password');
  });

  it('never shows the password, the key or the derived keys in errors, context values or inspect output', async () => {
    const password = 'correct horse battery staple';
    const key = randomBytes(32);
    const secretTexts = [password, Buffer.from(password).toString('hex'), hex(key), [...key.subarray(0, 6)].join(', ')];
    const shown: string[] = [];
    for (const secret of [passwordSecret(password), keySecret(key)]) {
      const stage = stageOf('xchacha20', secret.kind === 'password' ? lowScrypt : {});
      const forward = contextOf(secret);
      const givenHeaderKey = capturingHeaderKey(forward);
      const [sealed] = await run('forward', stage, forward, chunksOf(100));
      const headerKey = givenHeaderKey()!;
      secretTexts.push(hex(headerKey));
      const wrong = secret.kind === 'password' ? passwordSecret('wrong') : keySecret();
      const error = await rejectionOf(run('reverse', stage, contextOf(wrong, forward.runParameters('encrypt')), [sealed!]));
      await executor.startRun(stage, forward, 'forward');
      shown.push(
        inspect(forward, { depth: Infinity, showHidden: true }),
        inspect(headerKey),
        String(headerKey),
        JSON.stringify({ headerKey }),
        inspect([...forward.allRunParameters]),
        inspect(error, { depth: Infinity }),
        error.message,
        String(error.stack),
        inspect(executor, { depth: Infinity, showHidden: true }),
      );
    }
    for (const text of shown) for (const secretText of secretTexts) expect(text).not.toContain(secretText);
  });
});

describe('EncryptionStageExecutor key schedule and run parameters', () => {
  it('records algorithm, kdf and a fresh salt as strings, and nothing secret', async () => {
    const key = randomBytes(32);
    const salts = new Set<string>();
    for (let index = 0; index < 3; index++) {
      const context = contextOf(keySecret(key));
      await executor.startRun(stageOf('chacha20', lowArgon), context, 'forward');
      const recorded = context.runParameters('encrypt')!;
      expect(Object.keys(recorded).sort()).toEqual(['algorithm', 'kdf', 'salt']);
      expect(recorded).toMatchObject({ algorithm: 'chacha20-poly1305', kdf: 'none' });
      expect(recorded.salt).toMatch(/^[0-9a-f]{64}$/);
      expect(Object.values(recorded).join()).not.toContain(hex(key));
      salts.add(recorded.salt!);
    }
    expect(salts.size).toBe(3);
  });

  it('records the password KDF and its costs, from the stage or the module defaults', async () => {
    const context = contextOf(passwordSecret('pw'));
    await executor.startRun(stageOf('aes-256-gcm', lowArgon), context, 'forward');
    expect(context.runParameters('encrypt')).toMatchObject({
      kdf: 'argon2id',
      argon2_memory_kib: '64',
      argon2_iterations: '1',
      argon2_parallelism: '1',
    });

    const scryptByDefault = new EncryptionStageExecutor({ kdf: 'scrypt', scrypt: { n: 1024, r: 2, p: 3 } });
    const other = contextOf(passwordSecret('pw'));
    await scryptByDefault.startRun(stageOf(), other, 'forward');
    expect(context.runParameters('encrypt')!.salt).not.toBe(other.runParameters('encrypt')!.salt);
    expect(other.runParameters('encrypt')).toMatchObject({ kdf: 'scrypt', scrypt_n: '1024', scrypt_r: '2', scrypt_p: '3' });
  });

  it.each(algorithms)(
    '%s: output is seal(chunk key, chunkNonce, chunkAssociatedData, sealed body) of the documented key schedule',
    async (algorithm) => {
      const key = randomBytes(32);
      const binding = randomBytes(32);
      const context = contextOf(keySecret(key), undefined, binding);
      const givenHeaderKey = capturingHeaderKey(context);
      const inputs = chunksOf(1000, 0, 77);
      const out = await run('forward', stageOf(algorithm), context, inputs);
      const salt = Buffer.from(context.runParameters('encrypt')!.salt!, 'hex');
      const keys = deriveRunKeys(key, salt, algorithm);
      expect(hex(givenHeaderKey()!)).toBe(hex(keys.headerAuthenticationKey));
      const nonceLength = algorithm === 'xchacha20-poly1305' ? 24 : 12;
      inputs.forEach((input, index) => {
        const nonce = chunkNonce(nonceLength, input.sequenceNumber, input.isFinal);
        const ad = chunkAssociatedData(input.sequenceNumber, input.isFinal, Buffer.concat([binding, Uint8Array.of(ChunkRole.Data)]));
        const body = encodeSealedBody(input.metadata, input.data);
        const expected = seal(algorithm, keys.chunkKey, nonce, body, ad);
        expect(hex(out[index]!.data)).toBe(hex(expected));
        if (algorithm === 'xchacha20-poly1305') {
          expect(hex(out[index]!.data)).toBe(hex(xchacha20poly1305(keys.chunkKey, nonce, ad).encrypt(body)));
        }
      });
    },
  );

  it('derives the same header key when restoring with the right secret, and another with a wrong one', async () => {
    const stage = stageOf('aes-256-gcm', lowArgon);
    const forward = contextOf(passwordSecret('right'));
    await executor.startRun(stage, forward, 'forward');
    const right = contextOf(passwordSecret('right'), forward.runParameters('encrypt'));
    await executor.startRun(stage, right, 'reverse');
    const wrong = contextOf(passwordSecret('wrong'), forward.runParameters('encrypt'));
    await executor.startRun(stage, wrong, 'reverse');
    const header = randomBytes(64);
    const mac = ContainerSealing.of(forward)!.headerMac(header);
    expect(ContainerSealing.of(right)!.verifyHeaderMac(header, mac)).toBe(true);
    expect(ContainerSealing.of(wrong)!.verifyHeaderMac(header, mac)).toBe(false);
  });

  it('needs startRun before the first chunk and forgets the key in finishRun', async () => {
    const stage = stageOf();
    const context = contextOf(keySecret());
    const [chunk] = chunksOf(10);
    const before = await rejectionOf(executor.execute(stage, chunk!, context));
    expect(before.message).toContain("the run's key is not derived; call startRun");
    await executor.startRun(stage, context, 'forward');
    await executor.execute(stage, chunk!, context);
    await executor.finishRun(stage, context);
    expect((await rejectionOf(executor.execute(stage, chunk!, context))).kind).toBe('InvalidConfiguration');
  });
});

describe('EncryptionStageExecutor restore', () => {
  it.each(algorithms)('%s: a wrong key fails with EncryptionFailed naming stage, algorithm and chunk', async (algorithm) => {
    const stage = stageOf(algorithm);
    const forward = contextOf(keySecret());
    const sealed = await run('forward', stage, forward, chunksOf(50, 60));
    const error = await rejectionOf(run('reverse', stage, contextOf(keySecret(), forward.runParameters('encrypt')), sealed));
    expect(error.kind).toBe('EncryptionFailed');
    expect(error.message).toMatch(
      new RegExp(`^Stage 'encrypt' \\(encryption:${algorithm}\\) chunk [01]: authentication failed: wrong key or corrupted data$`),
    );
  });

  it.each([
    ['argon2id', lowArgon],
    ['scrypt', lowScrypt],
  ])('a wrong password (%s) fails with EncryptionFailed', async (_kdf, parameters) => {
    const stage = stageOf('chacha20', parameters);
    const forward = contextOf(passwordSecret('right'));
    const sealed = await run('forward', stage, forward, chunksOf(10));
    expect(
      hex((await run('reverse', stage, contextOf(passwordSecret('right'), forward.runParameters('encrypt')), sealed))[0]!.data),
    ).not.toBe('');
    const error = await rejectionOf(run('reverse', stage, contextOf(passwordSecret('wrong'), forward.runParameters('encrypt')), sealed));
    expect(error.kind).toBe('EncryptionFailed');
  });

  it('detects reordering, a changed final flag and a chunk from another container', async () => {
    const stage = stageOf('aes-gcm');
    const secret = keySecret();
    const binding = randomBytes(32);
    const forward = contextOf(secret, undefined, binding);
    const [first, second] = await run('forward', stage, forward, chunksOf(40, 40));
    const restore = (chunks: FileChunk[], bindingBytes = binding) =>
      run('reverse', stage, contextOf(secret, forward.runParameters('encrypt'), bindingBytes), chunks);
    expect((await restore([first!, second!])).map((chunk) => chunk.size)).toEqual([40, 40]);
    const swapped = [new FileChunk(0, second!.data, { isFinal: false }), new FileChunk(1, first!.data, { isFinal: true })];
    expect((await rejectionOf(restore(swapped))).kind).toBe('EncryptionFailed');
    const notFinal = new FileChunk(1, second!.data, { offset: 40, isFinal: false });
    expect((await rejectionOf(restore([first!, notFinal]))).message).toContain('chunk 1: authentication failed');
    expect((await rejectionOf(restore([first!, second!], randomBytes(32)))).kind).toBe('EncryptionFailed');
  });

  it('refuses input shorter than a tag with EncryptionFailed', async () => {
    const stage = stageOf('xchacha20');
    const forward = contextOf(keySecret());
    await run('forward', stage, forward, chunksOf(0));
    const error = await rejectionOf(
      run('reverse', stage, contextOf(keySecret(), forward.runParameters('encrypt')), [new FileChunk(3, new Uint8Array(15))]),
    );
    expect(error.kind).toBe('EncryptionFailed');
    expect(error.message).toBe(
      "Stage 'encrypt' (encryption:xchacha20-poly1305) chunk 3: input of 15 bytes is shorter than the 16-byte authentication tag: truncated or corrupted data",
    );
  });

  it('refuses missing or mismatched run parameters with CorruptContainer', async () => {
    const missing = await rejectionOf(executor.startRun(stageOf(), contextOf(keySecret()), 'reverse'));
    expect(missing.kind).toBe('CorruptContainer');
    const forward = contextOf(keySecret());
    await executor.startRun(stageOf('chacha20'), forward, 'forward');
    const mismatch = await rejectionOf(
      executor.startRun(stageOf('aes-256-gcm'), contextOf(keySecret(), forward.runParameters('encrypt')), 'reverse'),
    );
    expect(mismatch.kind).toBe('CorruptContainer');
    expect(mismatch.message).toContain("run parameter 'algorithm' is chacha20-poly1305, but the stage is aes-256-gcm");
  });

  it.each([
    [
      'argon2id',
      { ...lowArgon, argon2_memory_kib: '128' },
      { argon2id: { memoryKib: 64 } },
      'argon2id cost argon2_memory_kib = 128 is over the restore cap of 64',
      () => vi.mocked(hashWasm.argon2id),
    ],
    [
      'scrypt',
      { ...lowScrypt, scrypt_n: '2048' },
      { scrypt: { n: 1024 } },
      'scrypt cost scrypt_n = 2048 is over the restore cap of 1024',
      () => vi.mocked(nodeCrypto.scrypt),
    ],
  ] as const)('%s: costs over the caps fail with LimitExceeded before any derivation', async (_kdf, parameters, caps, message, spy) => {
    const stage = stageOf('aes-256-gcm', parameters);
    const forward = contextOf(passwordSecret('pw'));
    await executor.startRun(stage, forward, 'forward');
    const capped = new EncryptionStageExecutor({ caps, argon2id: { memoryKib: 64 }, scrypt: { n: 1024 } });
    const callsBefore = spy().mock.calls.length;
    expect(callsBefore).toBeGreaterThan(0);
    const error = await rejectionOf(
      capped.startRun(stageOf(), contextOf(passwordSecret('pw'), forward.runParameters('encrypt')), 'reverse'),
    );
    expect(error.kind).toBe('LimitExceeded');
    expect(error.message).toContain(message);
    expect(spy().mock.calls.length).toBe(callsBefore);
  });

  it('wraps a failing key derivation in EncryptionFailed', async () => {
    vi.mocked(hashWasm.argon2id).mockRejectedValueOnce(new Error('WebAssembly.Memory(): could not allocate memory'));
    const error = await rejectionOf(executor.startRun(stageOf('aes-256-gcm', lowArgon), contextOf(passwordSecret('pw')), 'forward'));
    expect(error.kind).toBe('EncryptionFailed');
    expect(error.message).toBe(
      "Stage 'encrypt' (encryption:aes-256-gcm): key derivation with argon2id failed: WebAssembly.Memory(): could not allocate memory",
    );
  });
});
