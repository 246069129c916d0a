import { defineStageParameters, text, type StageParameterValues } from '@adapipe/core';

/** The longest accepted `label`, in characters. */
export const maxDebugLabelLength = 128;

/** The parameters of a debug stage: `label`, the metrics' `label` value (default the stage's name). */
export const debugParameters = defineStageParameters({
  label: text({ maxLength: maxDebugLabelLength, description: "the value of the metrics' label label; default the stage's name" }),
});

/** A debug stage's parameters, parsed by {@link debugParameters}. */
export type DebugParameters = StageParameterValues<typeof debugParameters.fields>;
