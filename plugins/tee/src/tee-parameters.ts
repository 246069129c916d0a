import { boolean, defineStageParameters, filePath, oneOf, type StageParameterValues } from '@adapipe/core';
import { teeFormats } from './tee-format.js';

/** The parameters of a tee stage: `output_path` (required), `format` and `enabled`. */
export const teeParameters = defineStageParameters({
  output_path: filePath({
    required: true,
    description: 'the file the copy is written to; relative paths resolve against the base directory or the working directory',
  }),
  format: oneOf(teeFormats, { default: 'binary', description: 'binary (the raw bytes), hex (hexdump -C) or text (UTF-8)' }),
  enabled: boolean({ default: true, description: 'false: the stage only passes data on' }),
});

/** A tee stage's parameters, parsed by {@link teeParameters}. */
export type TeeParameters = StageParameterValues<typeof teeParameters.fields>;
