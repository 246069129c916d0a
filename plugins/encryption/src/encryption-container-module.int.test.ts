import { randomBytes } from 'node:crypto';
import {
  ChunkRole,
  ContainerSealing,
  ContainerSealingKey,
  coreContainerModule,
  DispatchingStageExecutor,
  FileChunk,
  PipelineError,
  type PipelineStage,
  ProcessingContext,
  RunSecretKey,
  StageExecutor,
  StageExecutorRegistry,
  StageType,
  type RunSecret,
  type StageDirection,
} from '@adapipe/core';
import { stageExecutorConformanceChecks, testStage } from '@adapipe/core/testing';
import { Container } from 'inversify';
import { describe, expect, it } from 'vitest';
import { encryptionContainerModule } from './encryption-container-module.js';
import { EncryptionStageExecutor } from './encryption-stage-executor.js';

function loaded(): Container {
  const container = new Container();
  container.load(coreContainerModule(), encryptionContainerModule());
  return container;
}

const stage = (name: string, algorithm: string, parameters: Record<string, string> = {}) =>
  testStage(name, StageType.Encryption, algorithm, parameters);

const key: RunSecret = { kind: 'key', key: randomBytes(32) };
const password: RunSecret = { kind: 'password', password: new TextEncoder().encode('correct horse battery staple') };
const binding = randomBytes(32);

/** Raw-key stages for every algorithm (fast), and one cheap argon2id and one cheap scrypt password stage. */
const cases: ReadonlyArray<readonly [PipelineStage, RunSecret]> = [
  [stage('encrypt-aes', 'aes-256-gcm'), key],
  [stage('encrypt-chacha', 'chacha20-poly1305'), key],
  [stage('encrypt-xchacha', 'xchacha20-poly1305'), key],
  [stage('encrypt-alias', 'aes-gcm'), key],
  [
    stage('encrypt-argon2id', 'xchacha20', { kdf: 'argon2id', argon2_memory_kib: '256', argon2_iterations: '1', argon2_parallelism: '2' }),
    password,
  ],
  [stage('encrypt-scrypt', 'chacha20', { kdf: 'scrypt', scrypt_n: '1024', scrypt_r: '8', scrypt_p: '1' }), password],
];

/**
 * Forward and reverse get separate contexts, as a process and a later restore would; the restore
 * context carries what the container would: the run parameters of the last forward run, the
 * binding, and the secret the user gives again.
 */
function contextFactory() {
  const lastForward = new Map<string, ProcessingContext>();
  return (stageToRun: PipelineStage, direction: StageDirection): ProcessingContext => {
    const secret = cases.find(([candidate]) => candidate === stageToRun)![1];
    const context = new ProcessingContext(`int-${stageToRun.name}`);
    context.set(RunSecretKey, secret);
    const sealing = new ContainerSealing();
    sealing.bindRecords(binding, ChunkRole.Data);
    context.set(ContainerSealingKey, sealing);
    if (direction === 'forward') {
      lastForward.set(stageToRun.id, context);
    } else {
      const recorded = lastForward.get(stageToRun.id)?.runParameters(stageToRun.name);
      if (recorded !== undefined) context.setRunParameters(stageToRun.name, recorded);
    }
    return context;
  };
}

describe('encryptionContainerModule', () => {
  const executor = loaded().get(DispatchingStageExecutor);
  const checks = stageExecutorConformanceChecks({
    executor,
    stages: cases.map(([candidate]) => candidate),
    chunkSize: 16 * 1024,
    createContext: contextFactory(),
  });
  for (const check of checks) it(check.name, check.run);

  it('binds one executor to the core token and resolves every name and alias', () => {
    const container = loaded();
    const bound = container.getAll<StageExecutor>(StageExecutor).filter((candidate) => candidate instanceof EncryptionStageExecutor);
    expect(bound).toHaveLength(1);
    const registry = container.get(StageExecutorRegistry);
    for (const [name, canonical] of [
      ['aes-256-gcm', 'aes-256-gcm'],
      ['aes256gcm', 'aes-256-gcm'],
      ['AES-GCM', 'aes-256-gcm'],
      ['chacha20', 'chacha20-poly1305'],
      ['xchacha20', 'xchacha20-poly1305'],
    ]) {
      expect(registry.canonicalAlgorithm(StageType.Encryption, name!)).toBe(canonical);
      expect(registry.resolve(StageType.Encryption, name!)).toBe(bound[0]);
    }
  });

  it('validates its options before building the module', () => {
    expect(() => encryptionContainerModule({ kdf: 'md5' as never })).toThrow(
      new RangeError(`encryptionContainerModule: option 'kdf' must be one of argon2id, scrypt, found "md5"`),
    );
    expect(() => encryptionContainerModule({ caps: { argon2id: { memoryKib: 1024 } } })).toThrow(
      "option 'argon2id.memoryKib' (65536) is over caps.argon2id.memoryKib (1024)",
    );
  });

  it('passes its caps to the executor it binds', async () => {
    const container = new Container();
    container.load(
      coreContainerModule(),
      encryptionContainerModule({ argon2id: { memoryKib: 64, iterations: 1, parallelism: 1 }, caps: { argon2id: { memoryKib: 64 } } }),
    );
    const dispatcher = container.get(DispatchingStageExecutor);
    const forward = new ProcessingContext('caps');
    forward.set(RunSecretKey, password);
    const stageToRun = stage('encrypt', 'aes-256-gcm');
    await dispatcher.startRun(stageToRun, forward, 'forward');
    expect(forward.runParameters('encrypt')).toMatchObject({ kdf: 'argon2id', argon2_memory_kib: '64' });
    const tooCostly = stage('encrypt', 'aes-256-gcm', { argon2_memory_kib: '128' });
    expect(() => dispatcher.validate(tooCostly)).toThrow(PipelineError);
  });

  it('round trips through the dispatcher with metrics, and a wrong key fails with EncryptionFailed', async () => {
    const dispatcher = loaded().get(DispatchingStageExecutor);
    const stageToRun = stage('encrypt', 'chacha20-poly1305');
    const forward = new ProcessingContext('p');
    forward.set(RunSecretKey, key);
    await dispatcher.startRun(stageToRun, forward, 'forward');
    const sealed = await dispatcher.execute(stageToRun, new FileChunk(0, Uint8Array.of(1, 2, 3), { isFinal: true }), forward);
    await dispatcher.finishRun(stageToRun, forward, 'forward');
    // 3 bytes + 4-byte metadata length + 2-byte empty metadata + 16-byte tag
    expect(forward.stageMetrics.get('encrypt')).toMatchObject({ chunks: 1, bytesIn: 3, bytesOut: 25 });

    const restore = new ProcessingContext('p');
    restore.set(RunSecretKey, { kind: 'key', key: randomBytes(32) });
    restore.setRunParameters('encrypt', forward.runParameters('encrypt')!);
    await dispatcher.startRun(stageToRun, restore, 'reverse');
    await expect(dispatcher.reverse(stageToRun, sealed, restore)).rejects.toSatisfy((error) => PipelineError.is(error, 'EncryptionFailed'));
  });
});
