/**
 * A child process for the multi-process test: opens the repository at `argv[2]` and, on the
 * parent's `go`, seeds defaults then runs `argv[4]` rounds of create, list, save and delete under
 * the prefix `argv[3]`, reporting what it stored and every unexpected error.
 */
import { PipelineError } from '@adapipe/core';
import { SqlitePipelineRepository } from '../sqlite-pipeline-repository.js';
import { checksumPipeline } from './pipeline-fixtures.js';

/** What a hammer child reports when done. */
export interface HammerReport {
  readonly seeded: string[];
  readonly survivors: string[];
  readonly contestsWon: string[];
  readonly errors: string[];
}

const [path, prefix, roundsText] = process.argv.slice(2);
const rounds = Number(roundsText);
const repository = new SqlitePipelineRepository(path!);

async function hammer(): Promise<HammerReport> {
  const errors: string[] = [];
  const survivors: string[] = [];
  const contestsWon: string[] = [];
  const attempt = async <T>(what: string, work: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await work();
    } catch (error) {
      errors.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  };
  const seeded =
    (await attempt('seed', () => repository.seedDefaults([checksumPipeline('default-a', 1), checksumPipeline('default-b', 3)]))) ?? [];
  for (let round = 0; round < rounds; round += 1) {
    const name = `${prefix}-${round}`;
    const stageCount = round % 4;
    await attempt(`create ${name}`, () => repository.create(checksumPipeline(name, stageCount)));
    const listed = await attempt('list', () => repository.list());
    const mine = listed?.find((summary) => summary.name === name);
    if (listed !== undefined && mine?.stageCount !== stageCount) {
      errors.push(`list after create ${name}: found ${JSON.stringify(mine)}`);
    }
    await attempt('save shared', () => repository.save(checksumPipeline('shared', (round % 4) + 1)));
    if (round % 3 === 0) {
      const deleted = await attempt(`delete ${name}`, () => repository.delete(name));
      if (deleted !== true) errors.push(`delete ${name} returned ${deleted}`);
    } else {
      survivors.push(name);
    }
    if (round % 10 === 0) {
      const contest = `contest-${round}`;
      try {
        await repository.create(checksumPipeline(contest, 1));
        contestsWon.push(contest);
      } catch (error) {
        if (!PipelineError.is(error, 'InvalidConfiguration')) errors.push(`create ${contest}: ${String(error)}`);
      }
    }
    const found = await attempt(`find ${name}`, () => repository.findByName(name));
    if (round % 3 !== 0 && found?.stages.length !== stageCount) errors.push(`find ${name}: ${found?.stages.length} stages`);
  }
  return { seeded, survivors, contestsWon, errors };
}

process.on('message', (message) => {
  if (message !== 'go') return;
  void hammer().then((report) => {
    repository.close();
    process.send?.(report, () => process.disconnect());
  });
});
process.send?.('ready');
