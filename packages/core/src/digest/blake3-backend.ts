import type { RunningHash } from './running-hash.js';

/** One BLAKE3 implementation (256-bit digests). */
export interface Blake3Backend {
  /** Which library computes BLAKE3. */
  readonly name: string;
  /** The digest of `data`, in one call. */
  digest(data: Uint8Array): Uint8Array;
  /** A new running hasher. */
  createHasher(): Promise<RunningHash>;
}

let loading: Promise<Blake3Backend> | undefined;

/**
 * The fastest BLAKE3 this platform has: the native `@napi-rs/blake-hash` (SIMD, ~5 GB/s per core),
 * else hash-wasm's WebAssembly build (~0.5 GB/s) where no native binary exists for the platform.
 * Loaded once per thread, on first use. Both give the same digests (checked against `b3sum`).
 */
export function loadBlake3(): Promise<Blake3Backend> {
  loading ??= loadNativeBlake3().catch(loadWasmBlake3);
  return loading;
}

/**
 * The native BLAKE3 of `@napi-rs/blake-hash`.
 *
 * @throws {Error} when the package has no binary for this platform.
 */
export async function loadNativeBlake3(): Promise<Blake3Backend> {
  const native = await import('@napi-rs/blake-hash');
  return {
    name: 'native (@napi-rs/blake-hash)',
    digest: (data) => toBytes(native.blake3(data)),
    async createHasher() {
      const hasher = new native.Blake3Hasher();
      return { update: (data) => void hasher.update(data), digest: () => toBytes(hasher.digestBuffer()) };
    },
  };
}

/** hash-wasm's WebAssembly BLAKE3: the fallback, on every platform. */
export async function loadWasmBlake3(): Promise<Blake3Backend> {
  const { createBLAKE3 } = await import('hash-wasm');
  const oneShot = await createBLAKE3(256);
  return {
    name: 'hash-wasm (WebAssembly)',
    digest: (data) => oneShot.init().update(data).digest('binary'),
    async createHasher() {
      const hasher = await createBLAKE3(256);
      return { update: (data) => void hasher.update(data), digest: () => hasher.digest('binary') };
    },
  };
}

function toBytes(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
