export { runCli } from './cli.js';
export { CliError, ExitCode, exitCodeOf } from './exit-code.js';
export { DEFAULT_STAGES, defaultPipelines, defaultPipelineSpecs } from './default-pipelines.js';
