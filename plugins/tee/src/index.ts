export { formatHexdump, HexdumpFormatter } from './hexdump-formatter.js';
export type { HexdumpFormatterOptions } from './hexdump-formatter.js';
export { teeContainerModule } from './tee-container-module.js';
export { isTeeFormat, teeFormats } from './tee-format.js';
export type { TeeFormat } from './tee-format.js';
export type { ResolvedTeeOptions, TeeOptions } from './tee-options.js';
export { teeParameters } from './tee-parameters.js';
export type { TeeParameters } from './tee-parameters.js';
export { TeeStageExecutor } from './tee-stage-executor.js';
