import { skippableFileSource, surveyContainer } from '@adapipe/core';
import type { Command } from 'commander';
import { formatBytes } from '../byte-size.js';
import { displayName } from '../cli-io.js';
import type { CliCommand } from '../program/cli-command.js';
import type { CliSession } from '../session/cli-session.js';

/** `adapipe inspect CONTAINER`. */
export const inspectCommand: CliCommand = (parent, sessionOf) => {
  parent
    .command('inspect')
    .description(
      'show what a container holds without its secret: format, stages, parameters, sizes, chunks; the original name, size and digest unless encrypted',
    )
    .argument('<container>', 'container, or - for stdin')
    .action((input: string, _options: unknown, self: Command) => runInspect(sessionOf(self), input));
};

/**
 * What can be read without the secret — format, stages, algorithms,
 * parameters, sizes, the chunk count, and for an unencrypted container the original's name, size
 * and digest from the trailer. A file is walked by its record lengths (no chunk is read); stdin is
 * read through. Never a secret.
 */
async function runInspect(session: CliSession, input: string): Promise<void> {
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
  session.output.result(json, lines);
}
