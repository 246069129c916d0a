import { PipelineError } from '../errors/pipeline-error.js';

/**
 * Reads exact byte counts from an async stream of buffers, front to back, with no seeking. Reads
 * that span buffers are copied; reads within one buffer are views of it.
 */
export class ByteReader {
  readonly #iterator: AsyncIterator<Uint8Array>;
  readonly #where: string;
  #buffers: Uint8Array[] = [];
  #buffered = 0;
  #done = false;
  #position = 0;

  /** @param where names the source in error messages, for example the file path. */
  constructor(source: AsyncIterable<Uint8Array>, where: string) {
    this.#iterator = source[Symbol.asyncIterator]();
    this.#where = where;
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
    const out = new Uint8Array(length);
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
