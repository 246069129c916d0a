export { formatHexdump, HexdumpFormatter, type HexdumpFormatterOptions } from './hexdump-formatter.js';
export { teeContainerModule } from './tee-container-module.js';
export { isTeeFormat, teeFormats, type TeeFormat } from './tee-format.js';
export type { ResolvedTeeOptions, TeeOptions } from './tee-options.js';
export { teeParameters, type TeeParameters } from './tee-parameters.js';
export { TeeStageExecutor } from './tee-stage-executor.js';
