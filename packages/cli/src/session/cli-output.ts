/** The options that decide what a command prints and where. */
export interface OutputOptions {
  readonly json?: boolean;
  readonly quiet?: boolean;
  readonly verbose?: boolean;
}

/**
 * Where a command's words go: the result on stdout (JSON with `--json`), or on stderr once stdout
 * carries the data (`-o -`); human lines and warnings on stderr. Data on stdout is never mixed
 * with anything else.
 */
export class CliOutput {
  #dataOnStdout = false;
  #resultsListened = false;
  #resultsClosed = false;

  constructor(readonly options: OutputOptions) {}

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

  /** Marks standard output as the command's data (`-o -`): from then on the result goes to stderr. */
  sendDataToStdout(): void {
    this.#dataOnStdout = true;
  }

  /**
   * Whether the reader of the results went away (`adapipe --json restore … | head -1`): later
   * results are dropped, the work goes on, and the command ends with `BrokenPipe` (141).
   */
  get resultsClosed(): boolean {
    return this.#resultsClosed;
  }

  /** Writes the command's result: JSON with `--json`, else the given human lines. */
  result(json: unknown, human: readonly string[]): void {
    const out = this.#dataOnStdout ? process.stderr : process.stdout;
    if (out === process.stdout && !this.#resultsListened) {
      this.#resultsListened = true;
      out.on('error', () => {
        this.#resultsClosed = true;
      });
    }
    if (this.#resultsClosed) return;
    if (this.options.json) out.write(`${JSON.stringify(json)}\n`);
    else if (!this.options.quiet) for (const line of human) out.write(`${line}\n`);
  }
}
