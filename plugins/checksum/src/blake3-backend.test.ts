import { describe, expect, it } from 'vitest';
import { loadBlake3, loadNativeBlake3, loadWasmBlake3 } from '@adapipe/core/kernel';
import { blake3Vectors } from './test-support/blake3-vectors.js';
import { patternBytes, split, toHex } from './test-support/pattern-bytes.js';

describe.each([
  ['native', loadNativeBlake3],
  ['WebAssembly (fallback)', loadWasmBlake3],
])('the %s BLAKE3', (_name, load) => {
  it.each(blake3Vectors.map((vector) => [vector.name, vector] as const))(
    'equals b3sum on %s, in one call and streamed',
    async (_vector, vector) => {
      const backend = await load();
      const data = patternBytes(vector.length);
      expect(toHex(backend.digest(data))).toBe(vector.digest);
      const hasher = await backend.createHasher();
      for (const piece of split(data, 777)) hasher.update(piece);
      expect(toHex(hasher.digest())).toBe(vector.digest);
    },
  );

  it('digests bytes in a SharedArrayBuffer (the chunk engine’s slots) in place', async () => {
    const backend = await load();
    const vector = blake3Vectors.find((each) => each.length > 4096)!;
    const shared = new Uint8Array(new SharedArrayBuffer(vector.length + 8), 8);
    shared.set(patternBytes(vector.length));
    expect(toHex(backend.digest(shared))).toBe(vector.digest);
  });
});

describe('loadBlake3', () => {
  it('picks the native implementation where it has a binary (linux-x64 here), once per thread', async () => {
    const backend = await loadBlake3();
    expect(backend.name).toBe('native (@napi-rs/blake-hash)');
    expect(await loadBlake3()).toBe(backend);
  });
});
