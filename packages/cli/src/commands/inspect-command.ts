import { skippableFileSource, surveyContainer } from '@adapipe/core';
import type { Command } from 'commander';
import { formatBytes } from '../byte-size.js';
import { collectBatchInputs, takeContainers } from '../batch/batch-inputs.js';
import { type FileResult, runFileBatch } from '../batch/run-file-batch.js';
import { displayName } from '../cli-io.js';
import type { CliCommand } from '../program/cli-command.js';
import { checkNamedInputs, type DirectoryOptions, withDirectoryOptions } from '../program/directory-options.js';
import type { CliSession } from '../session/cli-session.js';

/** Options of `adapipe inspect`. */
type InspectCommandOptions = DirectoryOptions;

/** `adapipe inspect [-r] CONTAINER…`. */
export const inspectCommand: CliCommand = (parent, sessionOf) => {
  withDirectoryOptions(
    parent
      .command('inspect')
      .description(
        'show what containers hold without their secret: format, stages, parameters, sizes, chunks; the original name, size and digest unless encrypted',
      )
      .argument('<containers...>', 'containers (directories with -r: every *.adapipe under them), or - for stdin'),
    'every *.adapipe',
  ).action((inputs: string[], options: InspectCommandOptions, self: Command) => runInspect(sessionOf(self), inputs, options));
};

/** Inspects each container, one result per container. */
async function runInspect(session: CliSession, named: readonly string[], options: InspectCommandOptions): Promise<void> {
  const { batch } = checkNamedInputs(named, options);
  const { inputs, refused } = await collectBatchInputs(named, options, takeContainers, (line) => session.output.warn(line));
  await runFileBatch(session, {
    command: 'inspect',
    done: 'inspected',
    inputs,
    refused,
    single: !batch,
    lines: 'result',
    task: (input) => inspectOne(input.path),
  });
}

/**
 * What can be read without the secret — format, stages, algorithms,
 * parameters, sizes, the chunk count, and for an unencrypted container the original's name, size
 * and digest from the trailer. A file is walked by its record lengths (no chunk is read); stdin is
 * read through. Never a secret.
 */
async function inspectOne(input: string): Promise<FileResult> {
  const where = displayName(input, 'stdin');
  const survey = await surveyContainer(input === '-' ? (process.stdin as AsyncIterable<Uint8Array>) : skippableFileSource(input), where);
  const { header, version, encrypted, trailer } = survey;
  const original =
    trailer === undefined
      ? null
      : { name: trailer.name, size: trailer.originalSize, digestAlgorithm: header.digestAlgorithm, digest: trailer.digest };
  const json = {
    command: 'inspect',
    input,
    formatVersion: version,
    encrypted,
    containerSize: survey.containerSize,
    chunkCount: survey.chunkCount,
    original,
    ...header,
  };
  const lines = [
    `${where}: adapipe container, format ${version}, ${encrypted ? 'encrypted' : 'not encrypted'}`,
    `pipeline:   ${header.pipeline}`,
    `chunk size: ${formatBytes(header.chunkSize)}`,
    `size:       ${formatBytes(survey.containerSize)} in ${survey.chunkCount} chunk${survey.chunkCount === 1 ? '' : 's'}`,
    original === null
      ? 'original:   sealed by encryption (name, size and digest need the password or key: verify --full or restore)'
      : `original:   ${original.name ?? '(from a stream, no name)'}, ${formatBytes(original.size)} (${original.size} bytes), ${original.digestAlgorithm} ${original.digest}`,
    'stages:',
    ...header.stages.map((stage, index) => {
      const parameters = Object.entries(stage.parameters).map(([key, value]) => `${key}=${value}`);
      const run = Object.entries(stage.runParameters)
        .filter(([key]) => key !== 'salt')
        .map(([key, value]) => `${key}=${value}`);
      return `  ${index}. ${stage.name}: ${stage.type}:${stage.algorithm}${parameters.length ? ` (${parameters.join(', ')})` : ''}${run.length ? ` [${run.join(', ')}]` : ''} from ${stage.package}`;
    }),
  ];
  return { json, lines, bytesIn: survey.containerSize, bytesOut: trailer?.originalSize ?? 0 };
}
