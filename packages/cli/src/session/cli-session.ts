import { KeyDerivationScope } from '@adapipe/core';
import { type ProgressTotals, runProgress, type RunProgress } from '../progress/run-progress.js';
import { CliMetrics } from './cli-metrics.js';
import { CliOutput, type OutputOptions } from './cli-output.js';
import { CliSecrets, type SecretOptions } from './cli-secrets.js';
import { CliSignals } from './cli-signals.js';
import { PipelineStore } from './pipeline-store.js';
import { StageServices } from './stage-services.js';

/** The options every command accepts, before the command's own. */
export interface GlobalOptions extends OutputOptions, SecretOptions {
  readonly metricsPort?: number;
  readonly db?: string;
  readonly plugin?: string[];
}

/**
 * What one invocation's command works with, each a small service: `output` (what is printed where),
 * `signals` (SIGINT/SIGTERM as an abort signal), `secrets`, `metrics`, `store` (the pipeline store),
 * `services` (core and plugins) and `keyScope` (the derived keys shared by the invocation's files). Created once per invocation; {@link CliSession.close} ends it.
 */
export class CliSession {
  readonly output: CliOutput;
  readonly signals = new CliSignals();
  readonly secrets: CliSecrets;
  readonly metrics: CliMetrics;
  readonly store: PipelineStore;
  readonly services: StageServices;
  /** One password key derivation per invocation, however many files it encrypts or opens; wiped by {@link CliSession.close}. */
  readonly keyScope = new KeyDerivationScope();

  /** @throws {CliError} usage error when a secret was given on the command line. */
  constructor(readonly options: GlobalOptions) {
    this.output = new CliOutput(options);
    this.secrets = new CliSecrets(options, (line) => this.output.warn(line));
    this.metrics = new CliMetrics(options.metricsPort, (line) => this.output.info(line));
    this.store = new PipelineStore(options.db);
    this.services = new StageServices(options.plugin ?? [], () => this.metrics.registry);
  }

  /** What every run of the invocation shares: the abort signal and the key scope. */
  get runOptions(): { readonly signal: AbortSignal; readonly keyScope: KeyDerivationScope } {
    return { signal: this.signals.signal, keyScope: this.keyScope };
  }

  /** Tracks a run's input: the input counter when metrics are served, a bar when a person watches a terminal. */
  progress(command: string, totals: ProgressTotals): RunProgress {
    return runProgress(command, totals, this.output.humanOutput && process.stderr.isTTY === true, this.metrics.inputCounter());
  }

  /** Wipes the secret and the derived keys, closes the store and stops listening for signals. */
  async close(): Promise<void> {
    this.keyScope.close();
    await this.secrets.dispose();
    this.signals.dispose();
    await this.store.close();
  }
}
