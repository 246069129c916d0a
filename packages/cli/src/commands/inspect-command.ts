import { skippableFileSource, surveyContainer } from '@adapipe/core';
import type { CliContext } from '../cli-context.js';
import { displayName } from '../cli-io.js';
import { formatBytes } from '../byte-size.js';

/**
 * `adapipe inspect IN`: what can be read without the secret — format, stages, algorithms,
 * parameters, sizes, the chunk count, and for an unencrypted container the original's name, size
 * and digest from the trailer. A file is walked by its record lengths (no chunk is read); stdin is
 * read through. Never a secret.
 */
export async function inspectCommand(context: CliContext, input: string): Promise<void> {
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
  context.result(json, lines);
}
