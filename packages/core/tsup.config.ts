import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'testing/index': 'src/testing/index.ts',
    'kernel/index': 'src/kernel/index.ts',
    'kernel/chunk-worker': 'src/kernel/chunk-worker.ts',
  },
  format: ['esm'],
  target: 'node20',
  dts: true,
  sourcemap: true,
  clean: true,
  splitting: true,
  treeshake: true,
  external: ['inversify', 'reflect-metadata'],
});
