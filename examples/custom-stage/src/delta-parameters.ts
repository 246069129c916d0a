import { defineStageParameters, integer } from '@adapipe/core';

/** The range of the delta stage's `stride` parameter, in bytes. */
export const DELTA_STRIDE_RANGE = { min: 1, max: 16 } as const;

/** The delta stage's parameters: `stride`, 1..16; a stage without one takes the module's `defaultStride`. */
export const deltaParameters = defineStageParameters({
  stride: integer({
    ...DELTA_STRIDE_RANGE,
    description: "bytes back to the byte subtracted (2 for 16-bit samples); default the module's defaultStride",
  }),
});
