import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

interface Manifest {
  name: string;
  private?: boolean;
  exports?: Record<string, string | Record<string, string>>;
  files?: string[];
  sideEffects?: boolean | string[];
  license?: string;
  description?: string;
  scripts?: Record<string, string>;
}

const publishable = ['packages', 'plugins']
  .flatMap((folder) => (existsSync(join(root, folder)) ? readdirSync(join(root, folder)).map((name) => join(root, folder, name)) : []))
  .filter((dir) => existsSync(join(dir, 'package.json')))
  .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest }))
  .filter(({ manifest }) => !manifest.private);

describe('every publishable package after `pnpm -r build`', () => {
  it('there is at least one', () => {
    expect(publishable.map(({ manifest }) => manifest.name)).toContain('@adapipe/core');
  });

  describe.each(publishable.map(({ dir, manifest }) => [manifest.name, dir, manifest] as const))('%s', (_name, dir, manifest) => {
    it('declares what a published package needs', () => {
      expect(manifest.description).toBeTruthy();
      expect(manifest.license).toBe('BSD-3-Clause');
      expect(manifest.files).toContain('dist');
      expect(manifest.sideEffects).toBeDefined();
      expect(existsSync(join(dir, 'README.md'))).toBe(true);
      expect(manifest.scripts?.build).toMatch(/^tsdown /);
    });

    const entries = Object.entries(manifest.exports ?? {}).filter(([, target]) => typeof target === 'object');
    it.each(entries)(
      'export %s lists types, then default (for import, require(esm) and bundlers), and emits both',
      async (_subpath, target) => {
        const conditions = target as Record<string, string>;
        expect(Object.keys(conditions)).toEqual(['types', 'default']);
        expect(conditions.types).toMatch(/\.d\.ts$/);
        expect(existsSync(join(dir, conditions.types!))).toBe(true);
        expect(existsSync(join(dir, conditions.default!))).toBe(true);
        const module = (await import(pathToFileURL(join(dir, conditions.default!)).href)) as Record<string, unknown>;
        expect(Object.keys(module).length).toBeGreaterThan(0);
      },
    );
  });
});
