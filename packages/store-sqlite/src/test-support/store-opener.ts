/**
 * A child process for the multi-process test: on the parent's `go`, opens each fresh database
 * named in `argv`, seeds one default pipeline and closes it again, reporting, per path, whether
 * this process stored the default, and every error.
 */
import { SqlitePipelineRepository } from '../sqlite-pipeline-repository.js';
import { checksumPipeline } from './pipeline-fixtures.js';

/** What an opener child reports when done. */
export interface OpenerReport {
  readonly seededPaths: string[];
  readonly errors: string[];
}

async function openAll(paths: readonly string[]): Promise<OpenerReport> {
  const seededPaths: string[] = [];
  const errors: string[] = [];
  for (const path of paths) {
    const repository = new SqlitePipelineRepository(path);
    try {
      const seeded = await repository.seedDefaults([checksumPipeline('default', 1)]);
      if (seeded.length > 0) seededPaths.push(path);
    } catch (error) {
      errors.push(error instanceof Error ? error.message : String(error));
    } finally {
      repository.close();
    }
  }
  return { seededPaths, errors };
}

process.on('message', (message) => {
  if (message !== 'go') return;
  void openAll(process.argv.slice(2)).then((report) => process.send?.(report, () => process.disconnect()));
});
process.send?.('ready');
