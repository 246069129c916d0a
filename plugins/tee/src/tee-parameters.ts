import { PipelineError, type PipelineStage } from '@adapipe/core';
import { isTeeFormat, teeFormats, type TeeFormat } from './tee-format.js';

/** A tee stage's parameters, parsed from the strings in `stage.configuration.parameters`. */
export interface TeeParameters {
  /** `output_path`: the file the copy is written to (relative paths resolve against the base directory or the working directory). */
  readonly outputPath: string;
  /** `format`: `binary` (default), `hex` or `text`. */
  readonly format: TeeFormat;
  /** `enabled`: `true` (default) or `false`; when false the stage only passes data on. */
  readonly enabled: boolean;
}

/** The parameter names a tee stage accepts. */
export const teeParameterNames: readonly string[] = Object.freeze(['output_path', 'format', 'enabled']);

/**
 * Parses and checks a tee stage's parameters.
 *
 * @throws {PipelineError} `InvalidConfiguration` naming the stage, the parameter, what is allowed
 * and the value found.
 */
export function parseTeeParameters(stage: PipelineStage): TeeParameters {
  const parameters = stage.configuration.parameters;
  const where = `Tee stage '${stage.name}' (${stage.stageType}:tee)`;
  for (const name of Object.keys(parameters)) {
    if (!teeParameterNames.includes(name)) {
      throw new PipelineError(
        'InvalidConfiguration',
        `${where}: unknown parameter '${name}'; allowed: ${teeParameterNames.join(', ')}`,
      );
    }
  }
  const outputPath = parameters.output_path;
  if (outputPath === undefined || outputPath.trim() === '' || outputPath.includes('\0')) {
    throw new PipelineError(
      'InvalidConfiguration',
      `${where}: parameter 'output_path' must be a file path (non-empty, no NUL character), found ${outputPath === undefined ? 'none' : JSON.stringify(outputPath)}`,
    );
  }
  const formatText = (parameters.format ?? 'binary').trim().toLowerCase();
  if (!isTeeFormat(formatText)) {
    throw new PipelineError(
      'InvalidConfiguration',
      `${where}: parameter 'format' must be one of ${teeFormats.join(', ')} (default binary), found ${JSON.stringify(parameters.format)}`,
    );
  }
  const enabledText = (parameters.enabled ?? 'true').trim().toLowerCase();
  if (enabledText !== 'true' && enabledText !== 'false') {
    throw new PipelineError(
      'InvalidConfiguration',
      `${where}: parameter 'enabled' must be true or false (default true), found ${JSON.stringify(parameters.enabled)}`,
    );
  }
  return { outputPath, format: formatText, enabled: enabledText === 'true' };
}
