import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/main.ts'],
  format: ['esm'],
  target: 'node20',
  dts: false,
  sourcemap: true,
  clean: true,
  treeshake: true,
  external: [
    '@adapipe/core',
    '@adapipe/plugin-checksum',
    '@adapipe/plugin-compression',
    '@adapipe/plugin-debug',
    '@adapipe/plugin-encryption',
    'inversify',
    'prom-client',
    'reflect-metadata',
  ],
});
