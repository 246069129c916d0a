import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/kernels.ts'],
  format: ['esm'],
  target: 'node20',
  dts: true,
  sourcemap: true,
  clean: true,
  splitting: true,
  treeshake: true,
  external: ['@adapipe/core', 'inversify', 'reflect-metadata', 'hash-wasm', '@napi-rs/blake-hash'],
});
