import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { CliCommand } from '../program/cli-command.js';
import type { CliSession } from '../session/cli-session.js';

/**
 * `adapipe plugins`: every installed executor: type, algorithm, aliases, package, version and the
 * parameters it declares (`--json` describes each: kind, expected values, default; `null` when the
 * executor declares none and checks its parameters itself).
 */
export const pluginsCommand: CliCommand = (parent, sessionOf) => {
  parent
    .command('plugins')
    .description('list installed stage executors')
    .action((_options: unknown, self: Command) => listPlugins(sessionOf(self)));
};

async function listPlugins(session: CliSession): Promise<void> {
  const { registry } = await session.services.load();
  const rows = registry.capabilities.map((capability) => ({
    type: capability.stageType,
    algorithm: capability.algorithm,
    aliases: capability.aliases ?? [],
    package: capability.packageName,
    version: packageVersion(capability.packageName),
    description: capability.description ?? '',
    parameters: capability.parameters?.describe() ?? null,
  }));
  session.output.result(
    { command: 'plugins', executors: rows },
    rows.map((row) => {
      const notes = [
        ...(row.aliases.length ? [`aliases: ${row.aliases.join(', ')}`] : []),
        ...(row.parameters?.length ? [`parameters: ${row.parameters.map((parameter) => parameter.name).join(', ')}`] : []),
      ];
      return `${row.type.padEnd(12)} ${row.algorithm.padEnd(20)} ${`${row.package}@${row.version}`.padEnd(38)} ${notes.join('; ')}`.trimEnd();
    }),
  );
}

function packageVersion(name: string): string {
  const require = createRequire(join(process.cwd(), 'index.js'));
  for (const resolveFrom of [
    () => require.resolve(`${name}/package.json`),
    () => createRequire(import.meta.url).resolve(`${name}/package.json`),
  ]) {
    try {
      return (JSON.parse(readFileSync(resolveFrom(), 'utf8')) as { version?: string }).version ?? 'unknown';
    } catch {}
  }
  return 'unknown';
}
