import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { resolve as resolveImport } from 'import-meta-resolve';
import { ContainerModule } from 'inversify';
import { CliError, ExitCode } from './exit-code.js';

/**
 * Loads a third-party plugin for `--plugin MODULE` (a path, or a package name resolved from the
 * working directory as `import` resolves it, so an `exports` map with only `import` or `default`
 * conditions works). The module's default export, or its `adapipePlugin` export, is a
 * `ContainerModule` or a function returning one.
 *
 * @throws {CliError} usage error naming the module and the cause.
 */
export async function loadPluginModule(specifier: string, cwd = process.cwd()): Promise<ContainerModule> {
  let url: string;
  try {
    const isPath = specifier.startsWith('.') || isAbsolute(specifier);
    url = isPath ? pathToFileURL(resolve(cwd, specifier)).href : resolveImport(specifier, pathToFileURL(join(cwd, 'index.js')).href);
  } catch (error) {
    throw new CliError(`--plugin ${specifier}: cannot find the module (${(error as Error).message.split('\n')[0]})`, ExitCode.Usage);
  }
  let loaded: Record<string, unknown>;
  try {
    loaded = (await import(url)) as Record<string, unknown>;
  } catch (error) {
    throw new CliError(`--plugin ${specifier}: cannot load the module (${(error as Error).message.split('\n')[0]})`, ExitCode.Usage);
  }
  const candidate = loaded.adapipePlugin ?? loaded.default;
  const module = typeof candidate === 'function' && !(candidate instanceof ContainerModule) ? (candidate as () => unknown)() : candidate;
  if (!isContainerModule(module)) {
    throw new CliError(
      `--plugin ${specifier}: the module must export (as default or as adapipePlugin) an inversify ContainerModule or a function returning one`,
      ExitCode.Usage,
    );
  }
  return module;
}

function isContainerModule(value: unknown): value is ContainerModule {
  return (
    value instanceof ContainerModule ||
    (typeof value === 'object' && value !== null && typeof (value as { load?: unknown }).load === 'function' && 'id' in value)
  );
}
