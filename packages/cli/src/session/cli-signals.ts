import { CliError, ExitCode } from '../exit-code.js';

/** SIGINT and SIGTERM turned into one abort signal for the run, remembering which came first. */
export class CliSignals {
  readonly #controller = new AbortController();
  #received: NodeJS.Signals | undefined;
  readonly #onSignal = (signal: NodeJS.Signals) => {
    this.#received ??= signal;
    this.#controller.abort(new CliError(`interrupted by ${signal}`, signal === 'SIGINT' ? ExitCode.Interrupted : ExitCode.Terminated));
  };

  constructor() {
    process.once('SIGINT', this.#onSignal);
    process.once('SIGTERM', this.#onSignal);
  }

  /** Aborted on the first SIGINT or SIGTERM. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** The signal that interrupted the run, if any. */
  get interruptedBy(): NodeJS.Signals | undefined {
    return this.#received;
  }

  /** Stops listening (the next signal gets Node's default behaviour). */
  dispose(): void {
    process.off('SIGINT', this.#onSignal);
    process.off('SIGTERM', this.#onSignal);
  }
}
