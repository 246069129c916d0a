import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', 'bin/adapipe': 'src/bin/adapipe.ts' },
  format: ['esm'],
  target: 'node20',
  dts: { entry: { index: 'src/index.ts' } },
  sourcemap: true,
  clean: true,
  splitting: true,
  treeshake: true,
  external: [/^@adapipe\//, 'inversify', 'reflect-metadata', 'commander', 'prom-client', 'smol-toml', 'yaml'],
});
