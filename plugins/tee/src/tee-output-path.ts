import { realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { PipelineError } from '@adapipe/core';

/**
 * The absolute file a tee writes to. Without a base directory, `outputPath` resolves against the
 * working directory. With one, it resolves against the base directory and must stay inside it,
 * also after following symbolic links in its parent directories.
 *
 * @param where names the stage in error messages, for example `Stage 'copy' (passthrough:tee)`.
 * @throws {PipelineError} `InvalidConfiguration` when the path leaves the base directory;
 * `IoError` when the base directory or the parent directory cannot be resolved.
 */
export async function resolveTeeOutputPath(outputPath: string, baseDirectory: string | undefined, where: string): Promise<string> {
  if (baseDirectory === undefined) return resolve(outputPath);
  const target = resolve(baseDirectory, outputPath);
  const outside = () =>
    new PipelineError(
      'InvalidConfiguration',
      `${where}: output_path '${outputPath}' leads outside the base directory '${baseDirectory}'; choose a path inside it`,
    );
  if (!isInside(baseDirectory, dirname(target)) || target === baseDirectory) throw outside();
  const [realBase, realParent] = await Promise.all([
    realDirectory(baseDirectory, 'base directory', where),
    realDirectory(dirname(target), 'output directory', where),
  ]);
  if (!isInside(realBase, realParent)) throw outside();
  return join(realParent, basename(target));
}

function isInside(directory: string, candidate: string): boolean {
  const path = relative(directory, candidate);
  return path === '' || (path !== '..' && !path.startsWith(`..${sep}`) && !isAbsolute(path));
}

async function realDirectory(path: string, what: string, where: string): Promise<string> {
  try {
    return await realpath(path);
  } catch (error) {
    throw new PipelineError(
      'IoError',
      `${where}: cannot resolve the ${what} '${path}': ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}
