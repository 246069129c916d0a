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

/** The run's secret from exactly one source. */
export class CliSecrets {
  /** @throws {CliError} usage error when a secret was given on the command line itself. */
  constructor(
    readonly options: SecretOptions,
    readonly warn: (line: string) => void,
  ) {
    if (options.password !== undefined) refuseSecretOnCommandLine('--password');
    if (options.key !== undefined) refuseSecretOnCommandLine('--key');
  }

  /** The secret for `purpose`, prompting on a terminal when allowed; `undefined` when none is given and none is `required`. */
  async get(purpose: 'encrypt' | 'decrypt', required: boolean): Promise<RunSecret | undefined> {
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
