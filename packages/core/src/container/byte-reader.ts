import { PipelineError } from '../errors/pipeline-error.js';
import type { KernelBuffers } from '../kernel/chunk-kernel.js';

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
 * Reads exact byte counts from an async stream of buffers, front to back, with no seeking. Reads
 * that span buffers are copied (into buffers taken from {@link ByteReader.useBuffers}' store when
 * set); reads within one buffer are views of it.
 */
export class ByteReader {
  readonly #iterator: AsyncIterator<Uint8Array>;
  readonly #where: string;
  readonly #skipSource: ((length: number) => number) | undefined;
  #buffers: Uint8Array[] = [];
  #buffered = 0;
  #done = false;
  #position = 0;
  #allocate: (length: number) => Uint8Array = (length) => new Uint8Array(length);

  /** @param where names the source in error messages, for example the file path. */
  constructor(source: AsyncIterable<Uint8Array> | SkippableSource, where: string) {
    this.#iterator = source[Symbol.asyncIterator]();
    this.#where = where;
    this.#skipSource = 'skip' in source ? (length) => source.skip(length) : undefined;
  }

  /** Takes the buffers of later reads that span source buffers from `buffers` (the chunk engine's, so they are recycled). */
  useBuffers(buffers: KernelBuffers): void {
    this.#allocate = (length) => buffers.take(length);
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
    await this.#fill(length);
    if (this.#buffered < length) {
      throw new PipelineError(
        'CorruptContainer',
        `${this.#where}: truncated at byte ${this.#position + this.#buffered}, inside ${what} (expected ${length} bytes, found ${this.#buffered})`,
      );
    }
    return this.#take(length);
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
        throw new PipelineError('CorruptContainer', `${this.#where}: truncated at byte ${this.#position}, inside ${what} (${remaining - skipped} bytes missing)`);
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
      const next = await this.#iterator.next();
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
