/** The checksum algorithms this plugin provides, by canonical (lowercase) name. */
export type ChecksumAlgorithm = 'sha256' | 'sha512' | 'blake3';

/** What the plugin knows about one {@link ChecksumAlgorithm}. */
export interface ChecksumAlgorithmSpec {
  /** The canonical name, recorded in containers. */
  readonly name: ChecksumAlgorithm;
  /** Other accepted spellings, lowercase. */
  readonly aliases: readonly string[];
  /** The digest length in bytes. */
  readonly digestSize: number;
  /** Which library computes it. */
  readonly implementation: string;
  /** One line for `adapipe plugins` and error messages. */
  readonly description: string;
}

/**
 * Every algorithm of the plugin with its aliases, digest size and implementation. `default` is an
 * alias of `sha256`, so a checksum stage with the seed's default configuration works.
 */
export const checksumAlgorithmSpecs: Readonly<Record<ChecksumAlgorithm, ChecksumAlgorithmSpec>> = deepFreeze({
  sha256: {
    name: 'sha256',
    aliases: ['sha-256', 'default'],
    digestSize: 32,
    implementation: 'node:crypto',
    description: 'SHA-256 per chunk and over the whole stream',
  },
  sha512: {
    name: 'sha512',
    aliases: ['sha-512'],
    digestSize: 64,
    implementation: 'node:crypto',
    description: 'SHA-512 per chunk and over the whole stream',
  },
  blake3: {
    name: 'blake3',
    aliases: ['b3'],
    digestSize: 32,
    implementation: '@napi-rs/blake-hash (native), hash-wasm (WebAssembly) where no native binary exists',
    description: 'BLAKE3 (256-bit) per chunk and over the whole stream',
  },
});

function deepFreeze<T extends Record<string, ChecksumAlgorithmSpec>>(specs: T): Readonly<T> {
  for (const spec of Object.values(specs)) Object.freeze(Object.freeze(spec).aliases);
  return Object.freeze(specs);
}

/** The canonical algorithm names, in table order. */
export const checksumAlgorithms: readonly ChecksumAlgorithm[] = Object.freeze(Object.keys(checksumAlgorithmSpecs) as ChecksumAlgorithm[]);

/** The canonical algorithm for a name or alias (case and surrounding space ignored), if any. */
export function findChecksumAlgorithm(name: string): ChecksumAlgorithm | undefined {
  const wanted = name.trim().toLowerCase();
  return checksumAlgorithms.find((algorithm) => algorithm === wanted || checksumAlgorithmSpecs[algorithm].aliases.includes(wanted));
}

/**
 * The canonical algorithm for a name or alias.
 *
 * @throws {TypeError} when `name` is not a string.
 * @throws {RangeError} naming the accepted names when `name` is none of them.
 * @example
 * ```ts
 * parseChecksumAlgorithm('SHA-256') === 'sha256';
 * ```
 */
export function parseChecksumAlgorithm(name: string, parameterName = 'algorithm'): ChecksumAlgorithm {
  if (typeof name !== 'string') {
    throw new TypeError(`${parameterName} must be a string naming a checksum algorithm, found ${typeof name}`);
  }
  const algorithm = findChecksumAlgorithm(name);
  if (algorithm === undefined) {
    throw new RangeError(`${parameterName} must be one of ${describeChecksumAlgorithms()}, found '${name}'`);
  }
  return algorithm;
}

/** The accepted names for messages: `sha256 (sha-256, default), sha512 (sha-512), blake3 (b3)`. */
export function describeChecksumAlgorithms(): string {
  return checksumAlgorithms.map((algorithm) => `${algorithm} (${checksumAlgorithmSpecs[algorithm].aliases.join(', ')})`).join(', ');
}
