import type { RunSecret } from '@adapipe/core';
import { CliError, ExitCode } from '../exit-code.js';
import { refuseSecretOnCommandLine, resolveSecret } from '../secrets/resolve-secret.js';

/**
 * Where the secret may come from: `--password-file`, `--password-command`, `--key-file` (the
 * environment and a prompt otherwise).
 */
export interface SecretOptions {
  readonly passwordFile?: string;
  readonly passwordCommand?: string;
  readonly keyFile?: string;
  /** `--password` / `--key` on the command line: refused, since other users can read it. */
  readonly password?: string | boolean;
  readonly key?: string | boolean;
}

/**
 * The invocation's secret from exactly one source, found (or asked for) once and shared by every
 * file of a batch; {@link CliSecrets.dispose} wipes it.
 */
export class CliSecrets {
  readonly #found = new Map<string, Promise<RunSecret | undefined>>();

  /** @throws {CliError} usage error when a secret was given on the command line itself. */
  constructor(
    readonly options: SecretOptions,
    readonly warn: (line: string) => void,
  ) {
    if (options.password !== undefined) refuseSecretOnCommandLine('--password');
    if (options.key !== undefined) refuseSecretOnCommandLine('--key');
  }

  /**
   * The secret for `purpose`, prompting on a terminal when allowed; `undefined` when none is given
   * and none is `required`. Found once per purpose: later calls get the same secret (or the same
   * error), and a required one serves the calls that only take one when given.
   */
  get(purpose: 'encrypt' | 'decrypt', required: boolean): Promise<RunSecret | undefined> {
    const found = this.#found.get(`${purpose}:required`) ?? (required ? undefined : this.#found.get(`${purpose}:optional`));
    if (found !== undefined) return found;
    const secret = this.#resolve(purpose, required);
    this.#found.set(`${purpose}:${required ? 'required' : 'optional'}`, secret);
    return secret;
  }

  /** Wipes the secrets found. */
  async dispose(): Promise<void> {
    for (const found of this.#found.values()) {
      const secret = await found.catch(() => undefined);
      if (secret?.kind === 'password') secret.password.fill(0);
      if (secret?.kind === 'key') secret.key.fill(0);
    }
    this.#found.clear();
  }

  async #resolve(purpose: 'encrypt' | 'decrypt', required: boolean): Promise<RunSecret | undefined> {
    const interrupt = new AbortController();
    const onSignal = (signal: NodeJS.Signals) =>
      interrupt.abort(new CliError(`interrupted by ${signal}`, signal === 'SIGINT' ? ExitCode.Interrupted : ExitCode.Terminated));
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      return await resolveSecret({
        ...(this.options.passwordFile === undefined ? {} : { passwordFile: this.options.passwordFile }),
        ...(this.options.passwordCommand === undefined ? {} : { passwordCommand: this.options.passwordCommand }),
        ...(this.options.keyFile === undefined ? {} : { keyFile: this.options.keyFile }),
        env: process.env,
        purpose,
        required,
        interactive: process.stdin.isTTY === true || process.stderr.isTTY === true,
        warn: this.warn,
        signal: interrupt.signal,
      });
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  }
}
