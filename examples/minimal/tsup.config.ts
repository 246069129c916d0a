import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/main.ts'],
  format: ['esm'],
  target: 'node20',
  sourcemap: true,
  clean: true,
  treeshake: true,
  external: ['@adapipe/core', '@adapipe/plugin-compression', 'inversify', 'reflect-metadata'],
});
