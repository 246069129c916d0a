// Mutations of `.adapipe` containers along their format (for the mutation-invariant property) and the
// test encoder that re-encodes a container with an edited header, valid in every checksum and MAC.
import { PipelineError, type PipelineErrorKind } from '@adapipe/core';
import { aeadAlgorithmInfo, chunkAssociatedData, chunkKeyInfo, chunkNonce, hkdfSha256, open, seal } from '@adapipe/plugin-encryption';
import fc from 'fast-check';
import {
  encodePreamble,
  encodeRecord,
  headerMac,
  parseContainer,
  type RecordFields,
  RecordTypeByte,
  type RecordView,
  sha256,
} from './container-framing.mjs';

export { encodeRecord, parseContainer } from './container-framing.mjs';
export type { ContainerLayout, RecordFields, RecordFraming, RecordView } from './container-framing.mjs';

/** Every error kind a damaged container may be rejected with (docs/container-format.md, README exit codes 10–13). */
export const containerErrorKinds: readonly PipelineErrorKind[] = [
  'NotAContainer',
  'UnsupportedFormat',
  'CorruptContainer',
  'LimitExceeded',
  'WrongKey',
  'IntegrityFailed',
  'EncryptionFailed',
  'CompressionFailed',
];

/**
 * Renumbers `records` by position (sequence = index), marks only the last chunk record final and
 * recomputes every CRC: what a forger who knows the unkeyed framing can always do.
 */
export function forgeRecords(records: readonly RecordFields[], framing: RecordFraming): Buffer {
  let lastChunk = -1;
  records.forEach((record, index) => {
    if (record.type === RecordTypeByte.Chunk) lastChunk = index;
  });
  return Buffer.concat(
    records.map((record, index) =>
      encodeRecord({ ...record, sequence: index, flags: record.type === RecordTypeByte.Chunk && index === lastChunk ? 1 : 0 }, framing),
    ),
  );
}

/** The damage done to a container in one mutation. */
export const mutationKinds = [
  'bit-flip',
  'truncation',
  'insertion',
  'chunk-swap',
  'chunk-duplicate',
  'chunk-drop',
  'trailer-removal',
  'splice',
  'append',
] as const;

/** One of {@link mutationKinds}. */
export type MutationKind = (typeof mutationKinds)[number];

/** Mutations a forger can re-frame (renumber sequences, recompute CRCs) so only stage checks remain. */
export const forgeableKinds: ReadonlySet<MutationKind> = new Set(['bit-flip', 'chunk-swap', 'chunk-duplicate', 'chunk-drop', 'splice']);

/**
 * A mutation: `at` and `other` are raw picks reduced modulo whatever they index (a bit, a byte, a
 * record), `bytes` are random bytes to insert or append (never empty), `forged` re-frames the
 * records afterwards (see {@link forgeRecords}; bit flips then stay inside one record's metadata or
 * payload and only that CRC is recomputed).
 */
export interface Mutation {
  readonly kind: MutationKind;
  readonly forged: boolean;
  readonly at: number;
  readonly other: number;
  readonly bytes: Uint8Array;
}

/** A label for outcome tables: the kind, and `+forged` when re-framed. */
export function mutationLabel(mutation: Pick<Mutation, 'kind' | 'forged'>): string {
  return mutation.forged ? `${mutation.kind}+forged` : mutation.kind;
}

/** Every mutation, forged only where {@link forgeableKinds} allows it. */
export function mutationArbitrary(): fc.Arbitrary<Mutation> {
  return fc
    .record({
      kind: fc.constantFrom(...mutationKinds),
      forged: fc.boolean(),
      at: fc.nat(),
      other: fc.nat(),
      bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }),
    })
    .map((mutation) => ({ ...mutation, forged: mutation.forged && forgeableKinds.has(mutation.kind) }));
}

/**
 * Applies `mutation` to `container`. `donor` is another container of the same pipeline, secret and
 * chunk size: the source of spliced chunk records. The result differs from `container`, except for a
 * forged splice of a byte-identical record (only possible without encryption).
 */
export function applyMutation(container: Uint8Array, mutation: Mutation, donor?: Uint8Array): Buffer {
  const bytes = Buffer.from(container);
  const layout = parseContainer(bytes);
  const header = bytes.subarray(0, layout.headerEnd);
  const records = layout.records;
  const chunks = records.filter((record) => record.type === RecordTypeByte.Chunk);
  const { at, other } = mutation;
  const reassemble = (list: readonly RecordView[]): Buffer =>
    Buffer.concat([header, mutation.forged ? forgeRecords(list, layout) : Buffer.concat(list.map((record) => record.raw))]);
  switch (mutation.kind) {
    case 'bit-flip': {
      if (mutation.forged) {
        const index = at % records.length;
        const record = records[index]!;
        const body = Buffer.concat([record.metadata, record.payload]);
        const bit = other % (body.length * 8);
        body[bit >> 3]! ^= 1 << (bit & 7);
        const flipped = { ...record, metadata: body.subarray(0, record.metadata.length), payload: body.subarray(record.metadata.length) };
        return Buffer.concat([header, ...records.map((each, position) => (position === index ? encodeRecord(flipped, layout) : each.raw))]);
      }
      const bit = at % (bytes.length * 8);
      bytes[bit >> 3]! ^= 1 << (bit & 7);
      return bytes;
    }
    case 'truncation':
      return bytes.subarray(0, at % bytes.length);
    case 'insertion': {
      const position = at % (bytes.length + 1);
      return Buffer.concat([bytes.subarray(0, position), mutation.bytes, bytes.subarray(position)]);
    }
    case 'append':
      return Buffer.concat([bytes, mutation.bytes]);
    case 'chunk-swap': {
      const first = at % records.length;
      const second = (first + 1 + (other % (records.length - 1))) % records.length;
      const list = [...records];
      [list[first], list[second]] = [list[second]!, list[first]!];
      return reassemble(list);
    }
    case 'chunk-duplicate': {
      const list = [...records];
      list.splice(other % (list.length + 1), 0, chunks[at % chunks.length]!);
      return reassemble(list);
    }
    case 'chunk-drop':
      return reassemble(records.filter((record) => record !== chunks[at % chunks.length]));
    case 'trailer-removal':
      return Buffer.from(bytes.subarray(0, records.at(-1)!.start));
    case 'splice': {
      if (donor === undefined) throw new Error('a splice needs a donor container');
      const donorChunks = parseContainer(donor).records.filter((record) => record.type === RecordTypeByte.Chunk);
      const replaced = chunks[other % chunks.length]!;
      const foreign = donorChunks[at % donorChunks.length]!;
      return reassemble(records.map((record) => (record === replaced ? foreign : record)));
    }
  }
}

/** Where a mutation hits `container`, in the format's terms (for reports of surprising outcomes). */
export function describeMutation(container: Uint8Array, mutation: Mutation): string {
  const layout = parseContainer(container);
  if (mutation.kind === 'bit-flip' && mutation.forged) {
    const index = mutation.at % layout.records.length;
    const record = layout.records[index]!;
    const body = Buffer.concat([record.metadata, record.payload]);
    const bit = mutation.other % (body.length * 8);
    const offset = bit >> 3;
    const part = offset < record.metadata.length ? `metadata byte ${offset}` : `payload byte ${offset - record.metadata.length}`;
    const context = body.subarray(Math.max(0, offset - 24), offset + 8).toString('latin1');
    return `record ${index} (${String.fromCharCode(record.type)}), ${part}, bit ${bit & 7}, around ${JSON.stringify(context)}`;
  }
  return `${mutationLabel(mutation)} at ${mutation.at}/${mutation.other} of ${container.length} bytes`;
}

/** The outcome of restoring a mutated container: a typed rejection's kind, or `identical`. */
export type Outcome = PipelineErrorKind | 'identical';

/** Counts outcomes per mutation label. */
export class OutcomeTally {
  readonly #counts = new Map<string, Map<Outcome, number>>();

  /** Counts one outcome of `label`. */
  add(label: string, outcome: Outcome): void {
    const row = this.#counts.get(label) ?? new Map<Outcome, number>();
    row.set(outcome, (row.get(outcome) ?? 0) + 1);
    this.#counts.set(label, row);
  }

  /** The labels seen. */
  labels(): string[] {
    return [...this.#counts.keys()].sort();
  }

  /** How often `label` ended in `outcome`. */
  count(label: string, outcome: Outcome): number {
    return this.#counts.get(label)?.get(outcome) ?? 0;
  }

  /** One line per label: `label: outcome×count, …`. */
  toString(): string {
    return this.labels()
      .map((label) => `${label.padEnd(24)} ${[...this.#counts.get(label)!].map(([outcome, count]) => `${outcome}×${count}`).join(', ')}`)
      .join('\n');
  }
}

/**
 * Restores `run.output` fully and classifies it: the original's bytes → `identical`; a rejection
 * with a `PipelineError` → its kind. Also returns what was released before the rejection.
 *
 * @throws {Error} when the output resolves to other bytes, or the rejection is not a `PipelineError`.
 */
export async function classifyRestore(
  output: AsyncIterable<Uint8Array>,
  original: Uint8Array,
): Promise<{ outcome: Outcome; released: Buffer }> {
  const parts: Uint8Array[] = [];
  try {
    for await (const part of output) parts.push(part);
  } catch (error) {
    if (!PipelineError.is(error)) throw new Error(`rejected with a raw ${(error as Error)?.name}: ${String(error)}`, { cause: error });
    return { outcome: error.kind, released: Buffer.concat(parts) };
  }
  const restored = Buffer.concat(parts);
  if (Buffer.compare(restored, original) !== 0) {
    throw new Error(`restored ${restored.length} bytes that differ from the ${original.length}-byte original`);
  }
  return { outcome: 'identical', released: restored };
}

/** What the test encoder needs to re-key a container made with a raw 32-byte key. */
export interface ReencodeOptions {
  /** The raw key the container was made with (needed for encrypted containers). */
  readonly key?: Uint8Array;
  /** Rewrites the parsed header JSON. */
  readonly header?: (header: Record<string, unknown>) => Record<string, unknown>;
  /** The preamble's format version (default: as found). */
  readonly version?: number;
  /** The preamble's flags (default: as found). */
  readonly flags?: number;
}

interface EncryptionRun {
  readonly algorithm: string;
  readonly salt: string;
  readonly chunkKey: Uint8Array;
}

/**
 * The test encoder: re-encodes a container made by the runner with an edited header or preamble,
 * valid in every checksum, MAC and tag: the header checksum is recomputed, the header MAC is made
 * with the header authentication key (HKDF-SHA-256 of the raw key over the run's salt, info
 * `adapipe/v1/header-mac`), every sealed chunk and the trailer are opened under the old binding and
 * sealed again under the new header digest, and every record CRC is recomputed.
 *
 * Records are re-bound, not re-processed: a stage whose per-chunk output depends on the payload
 * after the encryption stage (a checksum after encryption) would not match; use pipelines whose
 * encryption stage is last.
 *
 * @throws {Error} when an encrypted container comes without its key or fails to open.
 */
export function reencodeContainer(container: Uint8Array, options: ReencodeOptions = {}): Buffer {
  const layout = parseContainer(container);
  const header = JSON.parse(layout.json.toString('utf8')) as Record<string, unknown>;
  const encryption = encryptionRunOf(header, options.key);
  const json = Buffer.from(JSON.stringify(options.header === undefined ? header : options.header(structuredClone(header))), 'utf8');
  const preamble = encodePreamble(json.length, { version: options.version ?? layout.version, flags: options.flags ?? layout.flags });
  const covered = Buffer.concat([preamble, json]);
  const digest = sha256(covered);
  const framing = { headerDigest: digest, version: options.version ?? layout.version, flags: options.flags ?? layout.flags };
  const mac = layout.mac === undefined ? [] : [headerMac(options.key!, requireRun(encryption).salt, covered)];
  const records = layout.records.map((record) => {
    if (encryption === undefined) return encodeRecord(record, framing);
    const isTrailer = record.type === RecordTypeByte.Trailer;
    const final = isTrailer || (record.flags & 1) === 1;
    const { nonceLength } = aeadAlgorithmInfo(encryption.algorithm);
    const nonce = chunkNonce(nonceLength, record.sequence, final);
    const role = isTrailer ? 1 : 0;
    const plaintext = open(
      encryption.algorithm,
      encryption.chunkKey,
      nonce,
      record.payload,
      chunkAssociatedData(record.sequence, final, binding(layout.headerDigest, role)),
    );
    const payload = seal(
      encryption.algorithm,
      encryption.chunkKey,
      nonce,
      plaintext,
      chunkAssociatedData(record.sequence, final, binding(digest, role)),
    );
    return encodeRecord({ ...record, payload }, framing);
  });
  return Buffer.concat([covered, digest, ...mac, ...records]);
}

function encryptionRunOf(header: Record<string, unknown>, key: Uint8Array | undefined): EncryptionRun | undefined {
  const stages = header.stages as { type: string; runParameters: Record<string, string> }[];
  const stage = stages.find((each) => each.type === 'encryption');
  if (stage === undefined) return undefined;
  if (key === undefined) throw new Error('the container is encrypted: pass the raw key it was made with');
  const { algorithm, kdf, salt } = stage.runParameters;
  if (kdf !== 'none' || algorithm === undefined || salt === undefined)
    throw new Error(`only raw-key containers can be re-encoded (kdf ${kdf})`);
  return { algorithm, salt, chunkKey: hkdfSha256(key, Buffer.from(salt, 'hex'), chunkKeyInfo(algorithm), 32) };
}

function requireRun(run: EncryptionRun | undefined): EncryptionRun {
  if (run === undefined) throw new Error('the encrypted flag is set but the header lists no encryption stage');
  return run;
}

function binding(headerDigest: Uint8Array, role: number): Uint8Array {
  return Buffer.concat([headerDigest, Buffer.of(role)]);
}
