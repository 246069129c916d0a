import { stat } from 'node:fs/promises';
import { CONTAINER_FORMAT_VERSION } from '@adapipe/core';
import type { CliContext } from '../cli-context.js';
import { displayName, inputSource } from '../cli-io.js';
import { formatBytes } from '../byte-size.js';

/** `adapipe inspect IN`: the header — format, stages, algorithms, parameters, sizes. Never a secret. */
export async function inspectCommand(context: CliContext, input: string): Promise<void> {
  const where = displayName(input, 'stdin');
  const { header, encrypted } = await context.readHeader(inputSource(input), where);
  const size = input === '-' ? undefined : (await stat(input)).size;
  const json = {
    command: 'inspect',
    input,
    formatVersion: CONTAINER_FORMAT_VERSION,
    encrypted,
    ...(size === undefined ? {} : { containerSize: size }),
    ...header,
  };
  const lines = [
    `${where}: adapipe container, format ${CONTAINER_FORMAT_VERSION}, ${encrypted ? 'encrypted' : 'not encrypted'}`,
    `pipeline:   ${header.pipeline}`,
    `chunk size: ${formatBytes(header.chunkSize)}`,
    ...(size === undefined ? [] : [`size:       ${formatBytes(size)}`]),
    'stages:',
    ...header.stages.map((stage, index) => {
      const parameters = Object.entries(stage.parameters).map(([key, value]) => `${key}=${value}`);
      const run = Object.entries(stage.runParameters).filter(([key]) => key !== 'salt').map(([key, value]) => `${key}=${value}`);
      return `  ${index}. ${stage.name}: ${stage.type}:${stage.algorithm}${parameters.length ? ` (${parameters.join(', ')})` : ''}${run.length ? ` [${run.join(', ')}]` : ''} from ${stage.package}`;
    }),
  ];
  context.result(json, lines);
}
