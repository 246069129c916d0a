import { checksumContainerModule } from '@adapipe/plugin-checksum';
import { compressionContainerModule } from '@adapipe/plugin-compression';
import { encryptionContainerModule } from '@adapipe/plugin-encryption';
import {
  type AdapipeServices,
  createAdapipe,
  Pipeline,
  PipelineStage,
  type RunSecret,
  StageConfiguration,
  type StageType,
} from '@adapipe/core';

/** Core with the compression, encryption and checksum plugins, as the CLI loads them. */
export function officialServices(): AdapipeServices {
  return createAdapipe(compressionContainerModule(), encryptionContainerModule(), checksumContainerModule());
}

/** A stage spec: type, algorithm and optional parameters. */
export type StageSpec = readonly [StageType, string, Readonly<Record<string, string>>?];

/** A pipeline from specs, stage names derived from position and type. */
export function pipelineOf(name: string, specs: readonly StageSpec[]): Pipeline {
  return new Pipeline(
    name,
    specs.map(
      ([type, algorithm, parameters], index) =>
        new PipelineStage(`${index}-${type}`, type, new StageConfiguration(algorithm, parameters ?? {}), index),
    ),
  );
}

/** The default pipeline: sha256 → zstd 3 → aes-256-gcm → sha256. */
export function defaultPipeline(): Pipeline {
  return pipelineOf('secure-backup', [
    ['checksum', 'sha256'],
    ['compression', 'zstd', { level: '3' }],
    ['encryption', 'aes-256-gcm'],
    ['checksum', 'sha256'],
  ]);
}

/** A raw 32-byte key. */
export const testKey: RunSecret = { kind: 'key', key: Uint8Array.from({ length: 32 }, (_, index) => index + 1) };

/** All bytes of an async iterable. */
export async function collect(iterable: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const part of iterable) parts.push(part);
  return Buffer.concat(parts);
}

/** `bytes` as a stream of pieces of `size` bytes. */
export async function* pieces(bytes: Uint8Array, size = 65_536): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}
