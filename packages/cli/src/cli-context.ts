import { createRequire } from 'node:module';
import { type ContainerHeader, createAdapipe, type RunSecret } from '@adapipe/core';
import type { Counter, Registry } from 'prom-client';
import { createCliServices, type NeededStage } from './cli-services.js';
import { CliError, ExitCode } from './exit-code.js';
import { startMetricsServer } from './metrics/metrics-server.js';
import { ProgressReporter } from './progress/progress-reporter.js';
import { refuseSecretOnCommandLine, resolveSecret } from './secrets/resolve-secret.js';

/** The global options every command accepts. */
export interface GlobalOptions {
  readonly json?: boolean;
  readonly quiet?: boolean;
  readonly verbose?: boolean;
  readonly metricsPort?: string;
  readonly db?: string;
  readonly plugin?: string[];
  readonly passwordFile?: string;
  readonly keyFile?: string;
  readonly password?: string | boolean;
  readonly key?: string | boolean;
}

/**
 * One invocation's shared state: global options, the abort signal wired to SIGINT/SIGTERM, the
 * metrics registry, and how to print (JSON on stdout, human lines on stderr when it is a terminal).
 */
export class CliContext {
  readonly controller = new AbortController();
  #metricsState: { registry: Registry; inputBytes: Counter } | undefined;
  #signal: NodeJS.Signals | undefined;
  #dataOnStdout = false;

  constructor(readonly options: GlobalOptions) {
    if (options.password !== undefined) refuseSecretOnCommandLine('--password');
    if (options.key !== undefined) refuseSecretOnCommandLine('--key');
    const onSignal = (signal: NodeJS.Signals) => {
      this.#signal ??= signal;
      this.controller.abort(new CliError(`interrupted by ${signal}`, signal === 'SIGINT' ? ExitCode.Interrupted : ExitCode.Terminated));
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }

  /** The signal that interrupted the run, if any. */
  get interruptedBy(): NodeJS.Signals | undefined {
    return this.#signal;
  }

  /** Whether a person is watching stderr (progress and summaries go there). */
  get humanOutput(): boolean {
    return !this.options.quiet && !this.options.json && (process.stderr.isTTY === true || this.options.verbose === true);
  }

  /** Writes a human line to stderr unless quiet, JSON or piped. */
  info(line: string): void {
    if (this.humanOutput) process.stderr.write(`${line}\n`);
  }

  /**
   * Writes a warning to stderr unless quiet: `adapipe: warning: LINE`, or with `--json` one JSON
   * object `{"warning":{"message":LINE}}`.
   */
  warn(line: string): void {
    if (this.options.quiet) return;
    process.stderr.write(this.options.json ? `${JSON.stringify({ warning: { message: line } })}\n` : `adapipe: warning: ${line}\n`);
  }

  /**
   * Marks standard output as the command's data (`-o -`): from then on the result goes to stderr,
   * so the data is never mixed with anything else.
   */
  sendDataToStdout(): void {
    this.#dataOnStdout = true;
  }

  /**
   * Writes the command's result: JSON with `--json`, else the given human lines; on stdout, or on
   * stderr when stdout carries the data.
   */
  result(json: unknown, human: readonly string[]): void {
    const out = this.#dataOnStdout ? process.stderr : process.stdout;
    if (this.options.json) out.write(`${JSON.stringify(json)}\n`);
    else if (!this.options.quiet) for (const line of human) out.write(`${line}\n`);
  }

  /**
   * The Prometheus registry of this invocation (the debug plugin's metrics, the input counter),
   * created on first use so commands without metrics do not load prom-client.
   */
  get metricsRegistry(): Registry {
    return this.#metrics().registry;
  }

  #metrics(): { registry: Registry; inputBytes: Counter } {
    if (this.#metricsState === undefined) {
      const { Counter, Registry } = promClient();
      const registry = new Registry();
      const inputBytes = new Counter({
        name: 'adapipe_input_bytes_total',
        help: 'Bytes of input consumed by the current command',
        labelNames: ['command'],
        registers: [registry],
      });
      this.#metricsState = { registry, inputBytes };
    }
    return this.#metricsState;
  }

  /**
   * Core plus the requested plugins and the official ones serving `stages` (all official plugins
   * when not given).
   */
  services(extraPlugins: readonly string[] = [], stages?: readonly NeededStage[]) {
    return createCliServices({
      plugins: [...(this.options.plugin ?? []), ...extraPlugins],
      metricsRegistry: () => this.metricsRegistry,
      ...(stages === undefined ? {} : { stages }),
    });
  }

  /** A container's header, read with core alone (no plugin is needed to read it). */
  readHeader(source: AsyncIterable<Uint8Array>, where: string): Promise<{ header: ContainerHeader; encrypted: boolean }> {
    return createAdapipe().runner.readHeader(source, where);
  }

  /** A container's header, read with core alone, and services holding the plugins its stages need. */
  async servicesForContainer(source: AsyncIterable<Uint8Array>, where: string) {
    const { header, encrypted } = await this.readHeader(source, where);
    const services = await this.services([], header.stages);
    return { ...services, header, encrypted };
  }

  /** The run's secret from exactly one source, prompting on a terminal when allowed. */
  secret(purpose: 'encrypt' | 'decrypt', required: boolean): Promise<RunSecret | undefined> {
    return resolveSecret({
      ...(this.options.passwordFile === undefined ? {} : { passwordFile: this.options.passwordFile }),
      ...(this.options.keyFile === undefined ? {} : { keyFile: this.options.keyFile }),
      env: process.env,
      purpose,
      required,
      interactive: process.stdin.isTTY === true || process.stderr.isTTY === true,
      warn: (line) => this.warn(line),
    });
  }

  /**
   * Tracks a run's input: counts it in `adapipe_input_bytes_total{command}` and draws a progress bar
   * on stderr when a person is watching.
   */
  progress(command: string, total: number | undefined): { update(bytes: number): void; finish(): void } {
    const bar =
      this.humanOutput && process.stderr.isTTY === true
        ? new ProgressReporter(process.stderr, total === undefined ? {} : { total })
        : undefined;
    const counter = this.options.metricsPort === undefined ? undefined : this.#metrics().inputBytes;
    let counted = 0;
    return {
      update: (bytes) => {
        counter?.inc({ command }, bytes - counted);
        counted = bytes;
        bar?.update(bytes);
      },
      finish: () => bar?.finish(),
    };
  }

  /** Serves `/metrics` during `body` when `--metrics-port` is set. */
  async withMetrics<T>(body: () => Promise<T>): Promise<T> {
    if (this.options.metricsPort === undefined) return body();
    const port = Number(this.options.metricsPort);
    if (!Number.isInteger(port) || port < 0 || port > 65_535) {
      throw new CliError(`--metrics-port ${this.options.metricsPort}: expected a port number from 0 to 65535`, ExitCode.Usage);
    }
    promClient().collectDefaultMetrics({ register: this.metricsRegistry });
    const server = await startMetricsServer(this.metricsRegistry, port);
    this.info(`metrics: ${server.url}`);
    try {
      return await body();
    } finally {
      await server.close();
    }
  }
}

/** prom-client (CommonJS), loaded on first use. */
function promClient(): typeof import('prom-client') {
  return createRequire(import.meta.url)('prom-client') as typeof import('prom-client');
}
