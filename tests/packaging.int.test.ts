import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkPackage, createPackageFromTarballData } from '@arethetypeswrong/core';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * "Install only the plugins you need", proven outside the monorepo: the built packages are packed
 * with `pnpm pack` (which rewrites `workspace:^` to real ranges) and installed with plain npm into
 * empty projects under the system temp folder, where no workspace link can help.
 */

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PNPM_FALLBACK = ['npx', ['--yes', 'pnpm@10.34.8']] as const;
const INSTALL_TIMEOUT = 10 * 60_000;
const PASSWORD = 'correct horse battery staple';

/** Publishable packages by name, with their folders. */
const packages = ['packages', 'plugins']
  .flatMap((folder) => readdirSync(join(root, folder)).map((name) => join(root, folder, name)))
  .filter((dir) => existsSync(join(dir, 'package.json')))
  .map((dir) => ({
    dir,
    manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; version: string; private?: boolean },
  }))
  .filter(({ manifest }) => !manifest.private);

/** npm settings worth passing on to a child npm; everything else `npm_*`/`pnpm_*` is the parent's lifecycle state. */
const KEPT_NPM_SETTINGS = new Set([
  'registry',
  'cafile',
  'ca',
  'cache',
  'userconfig',
  'proxy',
  'https_proxy',
  'noproxy',
  'strict_ssl',
  'nodedir',
  'globalconfig',
]);

/** The environment of every child: no lifecycle variables of the runner that started vitest, Node headers for node-gyp. */
function childEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    const setting = /^npm_config_(.+)$/i.exec(key)?.[1]?.toLowerCase();
    if (/^(npm|pnpm)_/i.test(key) && (setting === undefined || !KEPT_NPM_SETTINGS.has(setting))) continue;
    env[key] = value;
  }
  // The headers of the Node that runs the tests: the caller's nodedir (another Node line), else the system copy.
  if (env.npm_config_nodedir === undefined && existsSync('/usr/include/node')) env.npm_config_nodedir = '/usr';
  env.ADAPIPE_PASSWORD = PASSWORD;
  return env;
}

interface Outcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to its end; never throws for a non-zero exit. */
function run(command: string, args: readonly string[], cwd: string, timeout = INSTALL_TIMEOUT): Promise<Outcome> {
  return new Promise((done) => {
    execFile(command, args, { cwd, env: childEnvironment(), timeout, maxBuffer: 64 << 20, encoding: 'utf8' }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      done({ code, stdout, stderr: error !== null && code === null ? `${error.message}\n${stderr}` : stderr });
    });
  });
}

/** Runs a command and fails with its output unless it exits 0. */
async function succeed(command: string, args: readonly string[], cwd: string): Promise<string> {
  const outcome = await run(command, args, cwd);
  if (outcome.code !== 0) {
    throw new Error(`${command} ${args.join(' ')} (in ${cwd}) exited ${outcome.code}\n${outcome.stdout}\n${outcome.stderr}`);
  }
  return outcome.stdout;
}

/** pnpm as the runner that started vitest (`npm_execpath`) when that is pnpm, else pinned through npx. */
function pnpm(): readonly [string, readonly string[]] {
  const execPath = process.env.npm_execpath;
  if (execPath !== undefined && /pnpm/i.test(basename(execPath)) && existsSync(execPath)) {
    return /\.[cm]?js$/.test(execPath) ? [process.execPath, [execPath]] : [execPath, []];
  }
  return PNPM_FALLBACK;
}

/** An empty ESM npm project. */
async function emptyProject(dir: string): Promise<void> {
  mkdirSync(dir);
  await succeed('npm', ['init', '-y'], dir);
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ ...manifest, type: 'module' }, null, 2));
}

/** Installs `specs` with plain npm into the project `dir`. */
function npmInstall(dir: string, specs: readonly string[]): Promise<string> {
  return succeed('npm', ['install', '--no-audit', '--no-fund', ...specs], dir);
}

/** The `@adapipe/*` entries anywhere in the lockfile, by path, with their version and where npm took them from. */
function installedAdapipe(dir: string): Map<string, { version: string; resolved: string | undefined }> {
  const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version: string; resolved?: string }>;
  };
  return new Map(
    Object.entries(lock.packages)
      .filter(([path]) => path.includes('node_modules/@adapipe/'))
      .map(([path, entry]) => [path, { version: entry.version, resolved: entry.resolved }]),
  );
}

/** Case A's program: zstd through the runner, file to container to file, bytes compared. */
const CASE_A_SCRIPT = `
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { createReadStream, readFileSync, writeFileSync } from 'node:fs';
import { createAdapipe, Pipeline, PipelineStage, StageConfiguration } from '@adapipe/core';
import { compressionContainerModule } from '@adapipe/plugin-compression';

const original = Buffer.concat([Buffer.from('install only the plugins you need. '.repeat(60000)), randomBytes(200000)]);
writeFileSync('input.bin', original);
const { runner } = createAdapipe(compressionContainerModule());
const pipeline = new Pipeline('zip', [new PipelineStage('zstd', 'compression', new StageConfiguration('zstd', { level: '3' }), 0)]);
await runner.processFile('input.bin', 'input.bin.adapipe', { pipeline, chunkSize: 1 << 20 });
await runner.restoreFile('input.bin.adapipe', 'restored.bin');
const { header } = await runner.readHeader(createReadStream('input.bin.adapipe'));
console.log(JSON.stringify({
  core: import.meta.resolve('@adapipe/core'),
  plugin: import.meta.resolve('@adapipe/plugin-compression'),
  algorithms: header.stages.map((stage) => stage.algorithm),
  original: original.length,
  container: readFileSync('input.bin.adapipe').length,
  identical: readFileSync('restored.bin').equals(original),
}));
`;

/** Case A again from CommonJS: `require` of core and a plugin (Node's require(esm)), a file round-tripped. */
const CASE_A_COMMONJS_SCRIPT = `
require('reflect-metadata');
const { readFileSync, writeFileSync } = require('node:fs');
const { createAdapipe, Pipeline, PipelineStage, StageConfiguration } = require('@adapipe/core');
const { compressionContainerModule } = require('@adapipe/plugin-compression');

const original = Buffer.from('required, not imported. '.repeat(100000));
writeFileSync('cjs-input.bin', original);
const { runner } = createAdapipe(compressionContainerModule());
const pipeline = new Pipeline('zip', [new PipelineStage('zstd', 'compression', new StageConfiguration('zstd', {}), 0)]);
runner
  .processFile('cjs-input.bin', 'cjs-input.bin.adapipe', { pipeline })
  .then(() => runner.restoreFile('cjs-input.bin.adapipe', 'cjs-restored.bin'))
  .then(() => {
    const container = readFileSync('cjs-input.bin.adapipe').length;
    console.log(JSON.stringify({ container, identical: readFileSync('cjs-restored.bin').equals(original) }));
  });
`;

/**
 * A third-party plugin packaged as users publish one, with the `exports` shape our packages had
 * before (`types` and `import` only): the CLI's reverse-bytes test plugin as its `index.js`.
 */
const THIRD_PARTY_MANIFEST = {
  name: 'adapipe-test-reverse-bytes',
  version: '1.2.3',
  description: 'A transform that reverses the bytes of each chunk, as a third-party adapipe plugin',
  license: 'BSD-3-Clause',
  type: 'module',
  exports: { '.': { types: './index.d.ts', import: './index.js' }, './package.json': './package.json' },
  files: ['index.js', 'index.d.ts'],
  peerDependencies: { '@adapipe/core': '>=0.1.0', inversify: '^8.2.3' },
};

/** Writes the third-party plugin package into `dir`. */
function writeThirdPartyPlugin(dir: string): void {
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify(THIRD_PARTY_MANIFEST, null, 2));
  copyFileSync(join(root, 'packages', 'cli', 'test-support', 'reverse-bytes-plugin.mjs'), join(dir, 'index.js'));
  writeFileSync(
    join(dir, 'index.d.ts'),
    "import type { ContainerModule } from 'inversify';\ndeclare const plugin: ContainerModule;\nexport default plugin;\n",
  );
}

/**
 * The "are the types wrong" problems of a tarball for an ESM-only package: CommonJS resolution
 * modes (`node10`, `node16-cjs`) are not offered, since CommonJS users load the packages through
 * Node's require(esm); every ESM resolution (node16 from ESM, bundler) must be clean.
 */
async function typeProblems(file: string): Promise<string[]> {
  const result = await checkPackage(createPackageFromTarballData(new Uint8Array(readFileSync(file))));
  if (!('problems' in result)) return [`no types found in ${basename(file)}`];
  return result.problems
    .filter((problem) => !('resolutionKind' in problem) || !['node10', 'node16-cjs'].includes(problem.resolutionKind))
    .map((problem) => JSON.stringify(problem));
}

/** Every publint message about a tarball, suggestions included, in publint's words. */
async function publintMessages(file: string): Promise<string[]> {
  const bytes = readFileSync(file);
  const tarball = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const { messages, pkg } = await publint({ pack: { tarball }, level: 'suggestion', strict: true });
  return messages.map((message) => `${message.type}: ${formatMessage(message, pkg, { color: false }) ?? message.code}`);
}

const workspace = mkdtempSync(join(tmpdir(), 'adapipe-packaging-'));
const tarballs = join(workspace, 'tarballs');
const consumerA = join(workspace, 'consumer-a');
const consumerB = join(workspace, 'consumer-b');
const tarball = new Map<string, string>();
const timings: Record<string, number> = {};

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    timings[label] = Math.round(performance.now() - started) / 1000;
  }
}

beforeAll(async () => {
  mkdirSync(tarballs);
  const [command, prefix] = pnpm();
  await timed('pack', async () => {
    const packed = await Promise.all(
      packages.map(
        async ({ dir }) =>
          JSON.parse(await succeed(command, [...prefix, 'pack', '--json', '--pack-destination', tarballs], dir)) as {
            name: string;
            filename: string;
          },
      ),
    );
    for (const { name, filename } of packed) tarball.set(name, filename);
  });
  const thirdPartyPlugin = join(workspace, 'third-party-plugin');
  writeThirdPartyPlugin(thirdPartyPlugin);
  const packedPlugin = JSON.parse(await succeed('npm', ['pack', '--json', '--pack-destination', tarballs], thirdPartyPlugin)) as {
    filename: string;
  }[];
  const pluginTarball = join(tarballs, packedPlugin[0]!.filename);
  const tarballOf = (name: string): string => tarball.get(name) ?? expect.fail(`no tarball for ${name}`);
  await Promise.all([
    timed('case A install', async () => {
      await emptyProject(consumerA);
      await npmInstall(consumerA, [
        tarballOf('@adapipe/core'),
        tarballOf('@adapipe/plugin-compression'),
        'inversify@^8.2.3',
        'reflect-metadata@^0.2.2',
      ]);
    }),
    timed('case B install', async () => {
      await emptyProject(consumerB);
      await npmInstall(consumerB, [...tarball.values(), pluginTarball]);
    }),
  ]);
}, INSTALL_TIMEOUT + 60_000);

afterAll(() => {
  rmSync(workspace, { recursive: true, force: true });
  console.log(`packaging timings (s): ${JSON.stringify(timings)}`);
});

describe('packed packages outside the monorepo', () => {
  it('packs every publishable package with real version ranges instead of workspace:', () => {
    expect([...tarball.keys()].sort()).toEqual(packages.map(({ manifest }) => manifest.name).sort());
    for (const { manifest } of packages) {
      const installed = readFileSync(join(consumerB, 'node_modules', manifest.name, 'package.json'), 'utf8');
      expect(installed, manifest.name).not.toContain('workspace:');
      expect((JSON.parse(installed) as { version: string }).version).toBe(manifest.version);
    }
  });

  it.each(packages.map(({ manifest }) => manifest.name))(
    '%s: publint reports nothing, and the types resolve in every ESM mode',
    async (name) => {
      const file = tarball.get(name)!;
      expect(await publintMessages(file)).toEqual([]);
      expect(await typeProblems(file)).toEqual([]);
    },
  );

  describe('A: core + plugin-compression only, from tarballs with plain npm', () => {
    it('installs no other @adapipe package, and those two from the tarballs', () => {
      expect(readdirSync(join(consumerA, 'node_modules', '@adapipe')).sort()).toEqual(['core', 'plugin-compression']);
      const installed = installedAdapipe(consumerA);
      expect([...installed.keys()].sort()).toEqual(['node_modules/@adapipe/core', 'node_modules/@adapipe/plugin-compression']);
      for (const { resolved } of installed.values()) expect(resolved).toMatch(/^file:.*\.tgz$/);
    });

    it('compiles no native addon the two do not need: better-sqlite3 (the SQLite store) is absent', () => {
      expect(existsSync(join(consumerA, 'node_modules', 'better-sqlite3'))).toBe(false);
      expect(existsSync(join(consumerA, 'node_modules', '@adapipe', 'store-sqlite'))).toBe(false);
    });

    it('round-trips a file from a CommonJS script that requires core and the plugin', async () => {
      writeFileSync(join(consumerA, 'round-trip.cjs'), CASE_A_COMMONJS_SCRIPT);
      const outcome = await run(process.execPath, ['round-trip.cjs'], consumerA, 60_000);
      expect(outcome.code, outcome.stderr).toBe(0);
      const result = JSON.parse(outcome.stdout) as { container: number; identical: boolean };
      expect(result.identical).toBe(true);
      expect(result.container).toBeLessThan(100_000);
    }, 60_000);

    it('runs the README tour as written: as tour.mjs, and as tour.ts where Node strips types (22.18+)', async () => {
      const readme = readFileSync(join(root, 'README.md'), 'utf8');
      const tour = /```ts\n(import 'reflect-metadata';[\s\S]*?)```/.exec(readme.slice(readme.indexOf('## A 30-second tour')))?.[1];
      expect(tour, 'the ts block of the README tour').toBeDefined();
      writeFileSync(join(consumerA, 'notes.txt'), 'notes for the tour\n'.repeat(1000));
      const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
      const files = major > 22 || (major === 22 && minor >= 18) ? ['tour.mjs', 'tour.ts'] : ['tour.mjs'];
      for (const file of files) {
        rmSync(join(consumerA, 'notes.txt.adapipe'), { force: true });
        rmSync(join(consumerA, 'notes.copy.txt'), { force: true });
        writeFileSync(join(consumerA, file), tour!);
        const outcome = await run(process.execPath, [file], consumerA, 60_000);
        expect(outcome.code, `${file}: ${outcome.stderr}`).toBe(0);
        expect(readFileSync(join(consumerA, 'notes.copy.txt'), 'utf8')).toBe(readFileSync(join(consumerA, 'notes.txt'), 'utf8'));
      }
    }, 120_000);

    it('processes and restores a file with zstd through createAdapipe, bit for bit', async () => {
      writeFileSync(join(consumerA, 'round-trip.mjs'), CASE_A_SCRIPT);
      const outcome = await run(process.execPath, ['round-trip.mjs'], consumerA, 60_000);
      expect(outcome.code, outcome.stderr).toBe(0);
      const result = JSON.parse(outcome.stdout) as {
        core: string;
        plugin: string;
        algorithms: string[];
        original: number;
        container: number;
        identical: boolean;
      };
      expect(fileURLToPath(result.core).startsWith(join(consumerA, 'node_modules', '@adapipe', 'core'))).toBe(true);
      expect(fileURLToPath(result.plugin).startsWith(join(consumerA, 'node_modules', '@adapipe', 'plugin-compression'))).toBe(true);
      expect(result.algorithms).toEqual(['zstd']);
      expect(result.container).toBeLessThan(result.original / 2);
      expect(result.identical).toBe(true);
    }, 60_000);
  });

  describe('B: the CLI with every plugin and the SQLite store, from tarballs in one npm install', () => {
    const adapipe = (...args: string[]) =>
      run(join(consumerB, 'node_modules', '.bin', 'adapipe'), ['--db', join(consumerB, 'pipelines.db'), ...args], consumerB, 60_000);

    it('takes every @adapipe package from the tarballs, none from the registry', () => {
      const installed = installedAdapipe(consumerB);
      expect([...installed.keys()].sort()).toEqual(packages.map(({ manifest }) => `node_modules/${manifest.name}`).sort());
      for (const { resolved } of installed.values()) expect(resolved).toMatch(/^file:.*\.tgz$/);
    });

    it('prints its version', async () => {
      const outcome = await adapipe('--version');
      expect(outcome.code, outcome.stderr).toBe(0);
      expect(outcome.stdout.trim()).toBe(packages.find(({ manifest }) => manifest.name === '@adapipe/cli')!.manifest.version);
    });

    it('processes with the default pipeline, restores, and compares', async () => {
      const original = Buffer.concat([
        Buffer.from('adapipe from a tarball. '.repeat(50000)),
        Buffer.from(Array.from({ length: 300000 }, (_, i) => (i * 7919) % 256)),
      ]);
      writeFileSync(join(consumerB, 'data.bin'), original);

      const processed = await adapipe('--json', 'process', '-i', 'data.bin', '-o', 'data.bin.adapipe');
      expect(processed.code, processed.stderr).toBe(0);
      expect(JSON.parse(processed.stdout)).toMatchObject({ command: 'process', bytesIn: original.length });

      const restored = await adapipe('restore', '-i', 'data.bin.adapipe', '-o', 'restored.bin');
      expect(restored.code, restored.stderr).toBe(0);
      expect(readFileSync(join(consumerB, 'restored.bin')).equals(original)).toBe(true);

      const same = await adapipe('--json', 'compare', '--original', 'data.bin', '--adapipe', 'data.bin.adapipe');
      expect(same.code, same.stderr).toBe(0);
      expect(JSON.parse(same.stdout)).toMatchObject({ identical: true, bytes: original.length });

      const changed = Buffer.from(original);
      changed[12345] = changed[12345]! ^ 1;
      writeFileSync(join(consumerB, 'changed.bin'), changed);
      const differs = await adapipe('compare', '--original', 'changed.bin', '--adapipe', 'data.bin.adapipe');
      expect(differs.code, differs.stderr).toBe(5);
    }, 60_000);

    it('loads a third-party plugin by package name with --plugin, shows its version, and round-trips with it', async () => {
      const withPlugin = ['--plugin', THIRD_PARTY_MANIFEST.name];
      const listed = await adapipe(...withPlugin, '--json', 'plugins');
      expect(listed.code, listed.stderr).toBe(0);
      const { executors } = JSON.parse(listed.stdout) as { executors: { algorithm: string; package: string; version: string }[] };
      expect(executors).toContainEqual(
        expect.objectContaining({ algorithm: 'reverse-bytes', package: THIRD_PARTY_MANIFEST.name, version: THIRD_PARTY_MANIFEST.version }),
      );
      writeFileSync(join(consumerB, 'plugin-input.txt'), 'abcdef');
      const stages = ['--stages', 'transform:reverse-bytes,compression:zstd'];
      const processed = await adapipe(...withPlugin, 'process', '-i', 'plugin-input.txt', ...stages);
      expect(processed.code, processed.stderr).toBe(0);
      const restored = await adapipe(...withPlugin, 'restore', '-i', 'plugin-input.txt.adapipe', '-o', 'plugin-restored.txt');
      expect(restored.code, restored.stderr).toBe(0);
      expect(readFileSync(join(consumerB, 'plugin-restored.txt'), 'utf8')).toBe('abcdef');
    }, 60_000);

    it('lists the seeded pipelines from the SQLite store given with --db', async () => {
      const outcome = await adapipe('--json', 'pipeline', 'list');
      expect(outcome.code, outcome.stderr).toBe(0);
      const { pipelines } = JSON.parse(outcome.stdout) as { pipelines: { name: string }[] };
      expect(pipelines.map(({ name }) => name)).toEqual(
        expect.arrayContaining(['secure-backup', 'compress-only', 'fast', 'archive', 'integrity']),
      );
      expect(existsSync(join(consumerB, 'pipelines.db'))).toBe(true);
    });
  });
});
