import { PipelineError, type PipelineStage } from '@adapipe/core';

/** A debug stage's parameters, parsed from the strings in `stage.configuration.parameters`. */
export interface DebugParameters {
  /** `label`: the value of the metrics' `label` label; default the stage's name. */
  readonly label: string;
}

/** The parameter names a debug stage accepts. */
export const debugParameterNames: readonly string[] = Object.freeze(['label']);

/** The longest accepted `label`, in characters. */
export const maxDebugLabelLength = 128;

/**
 * Parses and checks a debug stage's parameters.
 *
 * @throws {PipelineError} `InvalidConfiguration` naming the stage, the parameter, what is allowed
 * and the value found.
 */
export function parseDebugParameters(stage: PipelineStage): DebugParameters {
  const parameters = stage.configuration.parameters;
  const where = `Debug stage '${stage.name}' (${stage.stageType}:debug)`;
  for (const name of Object.keys(parameters)) {
    if (!debugParameterNames.includes(name)) {
      throw new PipelineError(
        'InvalidConfiguration',
        `${where}: unknown parameter '${name}'; allowed: ${debugParameterNames.join(', ')}`,
      );
    }
  }
  const label = parameters.label ?? stage.name;
  if (label.trim() === '' || label.length > maxDebugLabelLength) {
    throw new PipelineError(
      'InvalidConfiguration',
      `${where}: parameter 'label' must be 1 to ${maxDebugLabelLength} characters, not only spaces (default the stage name), found ${JSON.stringify(label)}`,
    );
  }
  return { label };
}
