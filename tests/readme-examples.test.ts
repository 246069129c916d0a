import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The first `ts` block of each package README that starts with `import 'reflect-metadata'`. */
const examples = ['packages', 'plugins', 'examples']
  .flatMap((folder) => (existsSync(join(root, folder)) ? readdirSync(join(root, folder)).map((name) => join(root, folder, name)) : []))
  .filter((dir) => existsSync(join(dir, 'README.md')))
  .map((dir) => {
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    const block = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)]
      .map((match) => match[1]!)
      .find((code) => code.startsWith("import 'reflect-metadata';"));
    return { dir, name: dir.slice(root.length + 1), block };
  })
  .filter((example): example is { dir: string; name: string; block: string } => example.block !== undefined);

const written: string[] = [];
afterAll(() => {
  for (const path of written) rmSync(path, { recursive: true, force: true });
});

describe('README examples run as written', () => {
  it('core has one', () => {
    expect(examples.map((example) => example.name)).toContain('packages/core');
  });

  it.each(examples.map((example) => [example.name, example] as const))('%s', async (_name, { dir, block }) => {
    const folder = join(dir, '.readme-example');
    mkdirSync(folder, { recursive: true });
    written.push(folder);
    const file = join(folder, 'example.ts');
    writeFileSync(file, block);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      await import(pathToFileURL(file).href);
      expect(log).toHaveBeenCalled();
    } finally {
      log.mockRestore();
    }
  });
});
