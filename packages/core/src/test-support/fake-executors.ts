import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';
import { ContextKey } from '../domain/context-key.js';
import type { FileChunk } from '../domain/file-chunk.js';
import type { PipelineStage } from '../domain/pipeline-stage.js';
import type { ProcessingContext } from '../domain/processing-context.js';
import { ContainerSealing } from '../format/container-sealing.js';
import { RestoreChunkLimitKey, RunSecretKey } from '../domain/run-context-keys.js';
import { StageType } from '../domain/stage-type.js';
import { PipelineError } from '../errors/pipeline-error.js';
import { BaseStageExecutor } from '../executor/base-stage-executor.js';
import type { StageDirection } from '../executor/stage-executor.js';

/** Test double: CRC-32 per chunk in metadata, verified on reverse; whole-stream value on finish. */
export class FakeChecksumExecutor extends BaseStageExecutor {
  readonly packageName = 'fake-checksum';
  readonly capabilities = [{ stageType: StageType.Checksum, algorithm: 'crc' }];
  async execute(stage: PipelineStage, chunk: FileChunk, context: ProcessingContext) {
    this.#count(stage, chunk, context);
    return chunk.withMetadata(stage.name, u32(crc32(chunk.data)));
  }
  async reverse(stage: PipelineStage, chunk: FileChunk, context: ProcessingContext) {
    const recorded = chunk.metadata.get(stage.name);
    if (recorded === undefined || Buffer.compare(recorded, u32(crc32(chunk.data))) !== 0) {
      throw new PipelineError('IntegrityFailed', `stage '${stage.name}' chunk ${chunk.sequenceNumber}: CRC mismatch`);
    }
    this.#count(stage, chunk, context);
    return chunk;
  }
  async finishRun(stage: PipelineStage, context: ProcessingContext, _direction?: StageDirection) {
    context.setChecksum(stage.name, u32(context.stageState(stage.id, totalKey, () => ({ value: 0 })).value));
  }
  #count(stage: PipelineStage, chunk: FileChunk, context: ProcessingContext) {
    context.stageState(stage.id, totalKey, () => ({ value: 0 })).value += chunk.size;
  }
}

/** Test double: raw deflate with the original length in metadata and a bounded inflate. */
export class FakeCompressionExecutor extends BaseStageExecutor {
  readonly packageName = 'fake-compression';
  readonly capabilities = [{ stageType: StageType.Compression, algorithm: 'deflate' }];
  async execute(stage: PipelineStage, chunk: FileChunk) {
    return chunk.withData(deflateRawSync(chunk.data)).withMetadata(stage.name, u32(chunk.size));
  }
  async reverse(stage: PipelineStage, chunk: FileChunk, context: ProcessingContext) {
    const declared = chunk.metadata.get(stage.name);
    if (declared?.length !== 4) throw new PipelineError('CompressionFailed', `chunk ${chunk.sequenceNumber}: no length`);
    const length = Buffer.from(declared).readUInt32BE(0);
    if (length > (context.get(RestoreChunkLimitKey) ?? Number.MAX_SAFE_INTEGER)) throw new PipelineError('LimitExceeded', 'too big');
    try {
      const data = inflateRawSync(chunk.data, { maxOutputLength: Math.max(1, length) });
      if (data.length !== length) throw new Error('length mismatch');
      return chunk.withData(data);
    } catch (error) {
      throw new PipelineError('CompressionFailed', `chunk ${chunk.sequenceNumber}: ${(error as Error).message}`);
    }
  }
}

/** Test double: AES-256-GCM keyed by SHA-256(salt ‖ secret), nonce from index and final flag. */
export class FakeAeadExecutor extends BaseStageExecutor {
  readonly packageName = 'fake-aead';
  readonly capabilities = [{ stageType: StageType.Encryption, algorithm: 'fake-aead' }];
  async startRun(stage: PipelineStage, context: ProcessingContext, direction: StageDirection) {
    const secret = context.require(RunSecretKey);
    const material = secret.kind === 'key' ? secret.key : secret.password;
    const salt = direction === 'forward' ? randomBytes(16).toString('hex') : context.runParameters(stage.name)?.salt;
    if (salt === undefined) throw new PipelineError('CorruptContainer', 'no salt');
    if (direction === 'forward') context.setRunParameters(stage.name, { salt });
    const key = createHash('sha256').update(salt).update(material).digest();
    context.stageState(stage.id, keyKey, () => ({ key })).key = key;
    ContainerSealing.of(context)?.useHeaderKey(createHmac('sha256', key).update('header').digest());
  }
  async execute(stage: PipelineStage, chunk: FileChunk, context: ProcessingContext) {
    const cipher = createCipheriv('aes-256-gcm', this.#key(stage, context), nonce(chunk));
    cipher.setAAD(ContainerSealing.bindingOf(context));
    const body = Buffer.concat([cipher.update(chunk.data), cipher.final(), cipher.getAuthTag()]);
    return chunk.withData(body);
  }
  async reverse(stage: PipelineStage, chunk: FileChunk, context: ProcessingContext) {
    if (chunk.size < 16) throw new PipelineError('EncryptionFailed', `chunk ${chunk.sequenceNumber}: too short`);
    const decipher = createDecipheriv('aes-256-gcm', this.#key(stage, context), nonce(chunk));
    decipher.setAAD(ContainerSealing.bindingOf(context));
    decipher.setAuthTag(chunk.data.subarray(chunk.size - 16));
    try {
      return chunk.withData(Buffer.concat([decipher.update(chunk.data.subarray(0, chunk.size - 16)), decipher.final()]));
    } catch {
      throw new PipelineError('EncryptionFailed', `chunk ${chunk.sequenceNumber}: authentication failed`);
    }
  }
  #key(stage: PipelineStage, context: ProcessingContext): Buffer {
    return context.stageState(stage.id, keyKey, () => ({ key: Buffer.alloc(0) })).key;
  }
}

const totalKey = new ContextKey<{ value: number }>('fake/total');
const keyKey = new ContextKey<{ key: Buffer }>('fake/key');

function nonce(chunk: FileChunk): Buffer {
  const bytes = Buffer.alloc(12);
  bytes.writeUInt32BE(chunk.sequenceNumber, 7);
  bytes[11] = chunk.isFinal ? 1 : 0;
  return bytes;
}

function u32(value: number): Uint8Array {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value >>> 0);
  return bytes;
}
