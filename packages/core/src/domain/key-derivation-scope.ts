import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { inspect } from 'node:util';
import { PipelineError } from '../errors/pipeline-error.js';
import { ContextKey } from './context-key.js';
import type { ProcessingContext } from './processing-context.js';
import { runRandomBytes } from './run-context-keys.js';

/** One password-based derivation of a master key, as {@link KeyDerivationScope.derive} memoizes it. */
export interface KeyDerivation {
  /** The password bytes. The memo is bound to this very array and to its current contents. */
  readonly secret: Uint8Array;
  /** The KDF's name, such as `argon2id` or `scrypt`. */
  readonly kdf: string;
  /** The KDF's costs by name, such as `{ memoryKib: 65536, iterations: 3, parallelism: 4 }`. */
  readonly costs: Readonly<Record<string, number>>;
  /** The salt the KDF runs over. */
  readonly salt: Uint8Array;
}

/** The derivations made with one secret, and a keyed fingerprint of the bytes it had then. */
interface SecretEntry {
  readonly fingerprint: Uint8Array;
  readonly keys: Map<string, Promise<Uint8Array>>;
}

/**
 * Lets the runs of one batch (a CLI call on many files) share the costly password KDF while every
 * container keeps its own salt and keys. Give it to each run (`RunOptions.keyScope`; stages read
 * it under {@link KeyDerivationScopeKey}) and {@link close} it when the batch is done.
 *
 * It offers an encryption stage one random KDF salt for all forward runs ({@link sharedSalt}),
 * and a memo of derived master keys ({@link derive}) keyed by KDF, costs and salt and bound to the
 * secret: a scope reused with another password derives afresh, never handing out the first one's
 * key. Concurrent callers of one derivation share it; each gets its own copy to wipe. Neither
 * `util.inspect` nor `JSON.stringify` shows a salt or a key.
 *
 * @example
 * ```ts
 * const keyScope = new KeyDerivationScope();
 * try {
 *   for (const file of files) await runner.processFile(file, `${file}.adapipe`, { pipeline, secret, keyScope });
 * } finally {
 *   keyScope.close();
 * }
 * ```
 */
export class KeyDerivationScope {
  #closed = false;
  #derivations = 0;
  #salt: Uint8Array | undefined;
  #memo = new WeakMap<Uint8Array, SecretEntry>();
  /** Every master key the scope holds, so that `close` can wipe them (a WeakMap cannot be walked). */
  readonly #held = new Set<Uint8Array>();
  /** Keys the secret fingerprints, so a password changed in place is told apart; never leaves the scope. */
  readonly #fingerprintKey = new Uint8Array(randomBytes(32));

  /** Whether {@link close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** How many derivations the scope has started: one per distinct secret, KDF, costs and salt. */
  get derivations(): number {
    return this.#derivations;
  }

  /**
   * The scope's KDF salt for forward runs, drawn on first use from the run's random source
   * (`runRandomBytes(context, length)`, so seeded test runs stay reproducible); a copy each time.
   *
   * @throws {RangeError} when `length` differs from the length drawn first.
   * @throws {PipelineError} `InvalidConfiguration` when the scope is closed.
   */
  sharedSalt(context: ProcessingContext, length: number): Uint8Array {
    this.#assertOpen();
    if (this.#salt === undefined) {
      if (!Number.isSafeInteger(length) || length < 1) throw new RangeError(`length must be a whole number >= 1, found ${length}`);
      this.#salt = Uint8Array.from(runRandomBytes(context, length));
    } else if (this.#salt.length !== length) {
      throw new RangeError(`this scope's shared salt is ${this.#salt.length} bytes, but ${length} were asked for`);
    }
    return Uint8Array.from(this.#salt);
  }

  /**
   * The master key of `derivation`: `run()`'s result, run once per secret, KDF, costs and salt.
   * The scope keeps what `run` returns (and wipes it on {@link close}); each caller, concurrent
   * ones included, gets its own copy, which it should wipe (`fill(0)`) when done. A failed
   * derivation is not remembered: the next call runs it again.
   *
   * @throws {PipelineError} `InvalidConfiguration` when the scope is (or gets, while deriving) closed.
   * @throws {TypeError} when the secret or salt is not a `Uint8Array`; whatever `run` throws.
   */
  async derive(derivation: KeyDerivation, run: () => Promise<Uint8Array>): Promise<Uint8Array> {
    this.#assertOpen();
    const { secret, salt } = derivation;
    if (!(secret instanceof Uint8Array) || !(salt instanceof Uint8Array)) throw new TypeError('secret and salt must be Uint8Arrays');
    const entry = this.#entryFor(secret);
    const id = memoId(derivation);
    let pending = entry.keys.get(id);
    if (pending === undefined) {
      this.#derivations += 1;
      const started = this.#keep(run);
      pending = started;
      entry.keys.set(id, started);
      started.catch(() => {
        if (entry.keys.get(id) === started) entry.keys.delete(id);
      });
    }
    const master = await pending;
    this.#assertOpen();
    return redacted(Uint8Array.from(master));
  }

  /** Wipes every key and the shared salt; any later use throws. Calling it again does nothing. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const key of this.#held) key.fill(0);
    this.#held.clear();
    this.#memo = new WeakMap();
    this.#salt?.fill(0);
    this.#salt = undefined;
    this.#fingerprintKey.fill(0);
  }

  [inspect.custom](): string {
    return `KeyDerivationScope { derivations: ${this.#derivations}, closed: ${this.#closed} }`;
  }

  toJSON(): { readonly derivations: number; readonly closed: boolean } {
    return { derivations: this.#derivations, closed: this.#closed };
  }

  /** The memo of `secret`, replaced when its bytes changed since (the old keys stay held until `close`). */
  #entryFor(secret: Uint8Array): SecretEntry {
    const fingerprint = createHmac('sha256', this.#fingerprintKey).update(secret).digest();
    const entry = this.#memo.get(secret);
    if (entry !== undefined && timingSafeEqual(entry.fingerprint, fingerprint)) return entry;
    const fresh: SecretEntry = { fingerprint, keys: new Map() };
    this.#memo.set(secret, fresh);
    return fresh;
  }

  async #keep(run: () => Promise<Uint8Array>): Promise<Uint8Array> {
    const master = await run();
    if (!(master instanceof Uint8Array)) throw new TypeError('a derivation must resolve to a Uint8Array');
    if (this.#closed) {
      master.fill(0);
      throw closedError();
    }
    this.#held.add(master);
    return master;
  }

  #assertOpen(): void {
    if (this.#closed) throw closedError();
  }
}

/** Where a run's {@link KeyDerivationScope} is kept; set by the runner from `RunOptions.keyScope`. */
export const KeyDerivationScopeKey = new ContextKey<KeyDerivationScope>('@adapipe/core/key-derivation-scope');

function closedError(): PipelineError {
  return new PipelineError(
    'InvalidConfiguration',
    'This KeyDerivationScope is closed and its keys are wiped; use a new scope for another batch',
  );
}

function memoId({ kdf, costs, salt }: KeyDerivation): string {
  const costText = Object.keys(costs)
    .sort()
    .map((name) => `${name}=${costs[name]}`)
    .join(',');
  return `${kdf}|${costText}|${Buffer.from(salt.buffer, salt.byteOffset, salt.byteLength).toString('hex')}`;
}

/** `bytes`, shown as a placeholder by `util.inspect`, `String()` and `JSON.stringify`. */
function redacted(bytes: Uint8Array): Uint8Array {
  const placeholder = () => `[master key: ${bytes.length} bytes, redacted]`;
  for (const name of [inspect.custom, 'toString', 'toJSON', 'toLocaleString'] as const) {
    Object.defineProperty(bytes, name, { value: placeholder, enumerable: false, configurable: true });
  }
  return bytes;
}
