import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PipelineError } from '../errors/pipeline-error.js';
import { KeyDerivationScope, type KeyDerivation } from './key-derivation-scope.js';
import { ProcessingContext } from './processing-context.js';
import { RandomSourceKey } from './run-context-keys.js';

const costs = { memoryKib: 64, iterations: 1, parallelism: 1 };
const salt = Uint8Array.from({ length: 32 }, (_, index) => index);

/** A derive function that counts its calls and returns 32 bytes of `fill`. */
function counting(fill: number) {
  const made: Uint8Array[] = [];
  const run = async () => {
    await new Promise((resolve) => setTimeout(resolve, 1));
    const key = new Uint8Array(32).fill(fill);
    made.push(key);
    return key;
  };
  return { run, made };
}

function derivation(secret: Uint8Array, overrides: Partial<KeyDerivation> = {}): KeyDerivation {
  return { secret, kdf: 'argon2id', costs, salt, ...overrides };
}

describe('KeyDerivationScope', () => {
  it('derives once per secret, KDF, costs and salt, and hands out copies', async () => {
    const scope = new KeyDerivationScope();
    const password = new TextEncoder().encode('pw');
    const { run, made } = counting(7);
    const keys = await Promise.all([1, 2, 3].map(() => scope.derive(derivation(password), run)));
    keys.push(await scope.derive(derivation(password, { costs: { parallelism: 1, iterations: 1, memoryKib: 64 } }), run));
    expect(made).toHaveLength(1);
    expect(scope.derivations).toBe(1);
    for (const key of keys) {
      expect([...key]).toEqual(new Array(32).fill(7));
      expect(key).not.toBe(made[0]);
    }
    keys[0]!.fill(0);
    expect([...(await scope.derive(derivation(password), run))]).toEqual(new Array(32).fill(7));

    await scope.derive(derivation(password, { kdf: 'scrypt' }), run);
    await scope.derive(derivation(password, { costs: { ...costs, iterations: 2 } }), run);
    await scope.derive(derivation(password, { salt: new Uint8Array(32).fill(9) }), run);
    expect(made).toHaveLength(4);
    expect(scope.derivations).toBe(4);
  });

  it('never hands out one secret’s key for another secret', async () => {
    const scope = new KeyDerivationScope();
    const first = new TextEncoder().encode('first');
    const sameText = new TextEncoder().encode('first');
    await scope.derive(derivation(first), counting(1).run);
    expect([...(await scope.derive(derivation(sameText), counting(2).run))]).toEqual(new Array(32).fill(2));
    first.set(new TextEncoder().encode('other'));
    expect([...(await scope.derive(derivation(first), counting(3).run))]).toEqual(new Array(32).fill(3));
    expect(scope.derivations).toBe(3);
  });

  it('forgets a failed derivation', async () => {
    const scope = new KeyDerivationScope();
    const password = new TextEncoder().encode('pw');
    await expect(scope.derive(derivation(password), () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect([...(await scope.derive(derivation(password), counting(5).run))]).toEqual(new Array(32).fill(5));
  });

  it('draws one shared salt through the run’s random source', () => {
    const scope = new KeyDerivationScope();
    const context = new ProcessingContext('p');
    let draws = 0;
    context.set(RandomSourceKey, (length) => new Uint8Array(length).fill(++draws));
    const first = scope.sharedSalt(context, 32);
    first.fill(0);
    expect([...scope.sharedSalt(new ProcessingContext('q'), 32)]).toEqual(new Array(32).fill(1));
    expect(draws).toBe(1);
    expect(() => scope.sharedSalt(context, 16)).toThrow(RangeError);
  });

  it('wipes every key on close and refuses to be used afterwards', async () => {
    const scope = new KeyDerivationScope();
    const password = new TextEncoder().encode('pw');
    const { run, made } = counting(7);
    await scope.derive(derivation(password), run);
    await scope.derive(derivation(password, { kdf: 'scrypt' }), run);
    scope.close();
    scope.close();
    expect(scope.closed).toBe(true);
    for (const key of made) expect([...key]).toEqual(new Array(32).fill(0));
    const closed = (error: unknown) => PipelineError.is(error, 'InvalidConfiguration') && /closed/.test(error.message);
    await expect(scope.derive(derivation(password), run)).rejects.toSatisfy(closed);
    expect(() => scope.sharedSalt(new ProcessingContext('p'), 32)).toThrow(/closed/);
  });

  it('wipes a key that arrives after close', async () => {
    const scope = new KeyDerivationScope();
    const { run, made } = counting(7);
    const pending = scope.derive(derivation(new TextEncoder().encode('pw')), run);
    scope.close();
    await expect(pending).rejects.toThrow(/closed/);
    expect([...made[0]!]).toEqual(new Array(32).fill(0));
  });

  it('shows no salt or key in inspect or JSON', async () => {
    const scope = new KeyDerivationScope();
    const context = new ProcessingContext('p');
    context.set(RandomSourceKey, (length) => new Uint8Array(length).fill(0xab));
    scope.sharedSalt(context, 32);
    const key = await scope.derive(derivation(new TextEncoder().encode('pw')), counting(0xcd).run);
    const shown = [
      inspect(scope, { showHidden: true, depth: 9 }),
      JSON.stringify(scope),
      inspect(key),
      String(key),
      JSON.stringify({ key }),
    ];
    for (const text of shown) expect(text).not.toMatch(/ab,? ?ab|abab|171|cd,? ?cd|cdcd|205/i);
    expect(JSON.stringify(scope)).toBe('{"derivations":1,"closed":false}');
  });
});
