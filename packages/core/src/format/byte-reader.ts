import { PipelineError } from '../errors/pipeline-error.js';
import type { RecyclingBuffers } from '../kernel/chunk-kernel.js';

/**
 * A byte source that can pass over bytes without producing them, such as a file read with
 * positioned reads: {@link ByteReader.skip} then reads nothing from disk.
 */
export interface SkippableSource extends AsyncIterable<Uint8Array> {
  /**
   * Passes over the next `length` bytes the iterator would have produced; returns how many it
   * passed over (fewer only at the end of the source).
   */
  skip(length: number): number;
}

/**
 * What a {@link ByteReader} passes to its source's `next()`: a number asks for a block of at most
 * that many bytes; a buffer asks the source to read its next bytes into it (up to its length) and
 * to yield that view of it. A source may ignore either, as a plain iterable does: the reader then
 * copies. `readFileBlocks` honours both, so a payload is read from the file straight into its slot.
 */
export type BlockRequest = number | Uint8Array;

/** Reads of at least this many more bytes than are buffered go straight into their destination. */
const DIRECT_READ_MIN = 64 * 1024;
/** The block a reader asks for when it needs only a few bytes (record framing, metadata). */
const SMALL_BLOCK = 64 * 1024;

/**
 * Reads exact byte counts from an async stream of buffers, front to back, with no seeking. Reads
 * within one buffer are views of it; others are assembled (in buffers taken from
 * {@link ByteReader.useBuffers}' store when set), by the source itself when it honours a
 * {@link BlockRequest}.
 */
export class ByteReader {
  readonly #iterator: AsyncIterator<Uint8Array, unknown, BlockRequest | undefined>;
  readonly #where: string;
  readonly #skipSource: ((length: number) => number) | undefined;
  #buffers: Uint8Array[] = [];
  #buffered = 0;
  #done = false;
  #position = 0;
  #allocate: (length: number) => Uint8Array = (length) => new Uint8Array(length);
  #reuse: (length: number) => Uint8Array | undefined = () => undefined;

  /** @param where names the source in error messages, for example the file path. */
  constructor(source: AsyncIterable<Uint8Array> | SkippableSource, where: string) {
    this.#iterator = source[Symbol.asyncIterator]() as AsyncIterator<Uint8Array, unknown, BlockRequest | undefined>;
    this.#where = where;
    this.#skipSource = 'skip' in source ? (length) => source.skip(length) : undefined;
  }

  /**
   * Takes the buffers of later reads that span source buffers from `buffers` (the chunk engine's,
   * so they are recycled). A long read goes straight from the source into its destination only
   * when `buffers` has a free one (`BufferRecycler.reuse`), so a forged length never makes the
   * reader allocate before the bytes are there.
   */
  useBuffers(buffers: RecyclingBuffers): void {
    this.#allocate = (length) => buffers.take(length);
    this.#reuse = (length) => buffers.reuse(length);
  }

  /** Bytes consumed so far. */
  get position(): number {
    return this.#position;
  }

  /** Whether the source has no more bytes. */
  async atEnd(): Promise<boolean> {
    await this.#fill(1);
    return this.#buffered === 0;
  }

  /**
   * Up to `length` bytes: fewer only at the end of the source.
   */
  async readUpTo(length: number): Promise<Uint8Array> {
    await this.#fill(length);
    return this.#take(Math.min(length, this.#buffered));
  }

  /**
   * Exactly `length` bytes.
   *
   * @throws {PipelineError} `CorruptContainer` saying the container is truncated inside `what`.
   */
  async read(length: number, what: string): Promise<Uint8Array> {
    const direct = length - this.#buffered >= DIRECT_READ_MIN && !this.#done ? this.#reuse(length) : undefined;
    if (direct !== undefined) return this.#readInto(direct, what);
    await this.#fill(length);
    if (this.#buffered < length) throw this.#truncated(this.#position + this.#buffered, what, length, this.#buffered);
    return this.#take(length);
  }

  /** `read` of a long span into `out`: the buffered bytes, then the rest read by the source into it. */
  async #readInto(out: Uint8Array, what: string): Promise<Uint8Array> {
    const start = this.#position;
    const length = out.length;
    let filled = this.#buffered;
    if (filled > 0) out.set(this.#take(filled), 0);
    while (filled < length) {
      const target = out.subarray(filled);
      const next = await this.#iterator.next(target);
      if (next.done) {
        this.#done = true;
        throw this.#truncated(start + filled, what, length, filled);
      }
      const block = next.value;
      const inPlace = block.buffer === target.buffer && block.byteOffset === target.byteOffset;
      const used = Math.min(block.length, length - filled);
      if (!inPlace) out.set(block.subarray(0, used), filled);
      if (used < block.length) {
        this.#buffers.push(block.subarray(used));
        this.#buffered += block.length - used;
      }
      filled += used;
      this.#position += used;
    }
    return out;
  }

  #truncated(at: number, what: string, expected: number, found: number): PipelineError {
    return new PipelineError(
      'CorruptContainer',
      `${this.#where}: truncated at byte ${at}, inside ${what} (expected ${expected} bytes, found ${found})`,
    );
  }

  /**
   * Passes over exactly `length` bytes: buffered ones are dropped, the rest skipped in the source
   * when it can (a {@link SkippableSource}), else read and dropped.
   *
   * @throws {PipelineError} `CorruptContainer` as {@link ByteReader.read} when the source ends first.
   */
  async skip(length: number, what: string): Promise<void> {
    const dropped = Math.min(length, this.#buffered);
    this.#take(dropped);
    let remaining = length - dropped;
    if (remaining > 0 && this.#skipSource !== undefined) {
      const skipped = this.#skipSource(remaining);
      this.#position += skipped;
      if (skipped < remaining) {
        throw new PipelineError(
          'CorruptContainer',
          `${this.#where}: truncated at byte ${this.#position}, inside ${what} (${remaining - skipped} bytes missing)`,
        );
      }
      return;
    }
    while (remaining > 0) {
      remaining -= (await this.read(Math.min(remaining, 1 << 20), what)).length;
    }
  }

  /** Stops reading the source. */
  async close(): Promise<void> {
    await this.#iterator.return?.();
  }

  async #fill(length: number): Promise<void> {
    while (this.#buffered < length && !this.#done) {
      const next = await this.#iterator.next(Math.max(SMALL_BLOCK, length - this.#buffered) satisfies BlockRequest);
      if (next.done) {
        this.#done = true;
      } else if (next.value.length > 0) {
        this.#buffers.push(next.value);
        this.#buffered += next.value.length;
      }
    }
  }

  #take(length: number): Uint8Array {
    this.#position += length;
    this.#buffered -= length;
    const first = this.#buffers[0];
    if (first !== undefined && first.length >= length) {
      const view = first.subarray(0, length);
      if (first.length === length) this.#buffers.shift();
      else this.#buffers[0] = first.subarray(length);
      return view;
    }
    const out = this.#allocate(length);
    let offset = 0;
    while (offset < length) {
      const buffer = this.#buffers[0]!;
      const take = Math.min(buffer.length, length - offset);
      out.set(buffer.subarray(0, take), offset);
      offset += take;
      if (take === buffer.length) this.#buffers.shift();
      else this.#buffers[0] = buffer.subarray(take);
    }
    return out;
  }
}
