import { PipelineError } from '@adapipe/core';
import type { StreamDigest } from './create-digest.js';

const listedWaiting = 5;

/**
 * A whole-stream digest fed in chunk order (sequence numbers 0, 1, 2, …) whatever order the
 * chunks arrive in: a chunk that arrives early waits, by reference, in a small reorder buffer
 * until the chunks before it have been fed. One lives in each run's context per checksum stage.
 *
 * @example
 * ```ts
 * const stream = new OrderedStreamDigest("checksum stage 'in' (sha256)", createDigest('sha256'));
 * await stream.add(1, second);
 * await stream.add(0, first);
 * const digest = await stream.finish(); // digest of first + second
 * ```
 */
export class OrderedStreamDigest {
  readonly #label: string;
  readonly #running: Promise<StreamDigest>;
  readonly #waiting = new Map<number, Uint8Array>();
  #next = 0;
  #result: Uint8Array | undefined;

  /**
   * @param label names the stage and algorithm in error messages, e.g. `checksum stage 'in' (sha256)`.
   * @param running the digest to feed, as {@link createDigest} returns it.
   */
  constructor(label: string, running: Promise<StreamDigest>) {
    this.#label = label;
    this.#running = running;
    running.catch(() => undefined);
  }

  /** The sequence number the digest needs next. */
  get nextSequenceNumber(): number {
    return this.#next;
  }

  /** How many chunks wait in the reorder buffer for an earlier one. */
  get waitingCount(): number {
    return this.#waiting.size;
  }

  /**
   * Resolves once the running digest exists.
   *
   * @throws {PipelineError} `ProcessingFailed` when the digest cannot be created.
   */
  async ready(): Promise<void> {
    await this.#ready();
  }

  /**
   * Feeds one chunk's bytes at its place in the stream; keeps a reference to them until the
   * chunks before it have arrived. The bytes must not change afterwards.
   *
   * @throws {PipelineError} `IntegrityFailed` when the chunk was already fed (a duplicate);
   * `ProcessingFailed` after {@link OrderedStreamDigest.finish}.
   */
  async add(sequenceNumber: number, data: Uint8Array): Promise<void> {
    if (this.#result !== undefined) {
      throw new PipelineError(
        'ProcessingFailed',
        `The ${this.#label} got chunk ${sequenceNumber} after its whole-stream digest was finished; finish the run after its last chunk`,
      );
    }
    if (sequenceNumber < this.#next || this.#waiting.has(sequenceNumber)) {
      throw new PipelineError(
        'IntegrityFailed',
        `The ${this.#label} got chunk ${sequenceNumber} twice; every chunk must appear exactly once`,
      );
    }
    this.#waiting.set(sequenceNumber, data);
    this.#drain(await this.#ready());
  }

  /**
   * Finishes the whole-stream digest; later calls return the same digest.
   *
   * @throws {PipelineError} `IntegrityFailed` naming the missing chunk when later chunks are still
   * waiting for it (a gap in the stream).
   */
  async finish(): Promise<Uint8Array> {
    if (this.#result !== undefined) return this.#result;
    const running = await this.#ready();
    if (this.#result !== undefined) return this.#result;
    this.#drain(running);
    if (this.#waiting.size > 0) {
      const waiting = [...this.#waiting.keys()].sort((a, b) => a - b);
      const listed = waiting.slice(0, listedWaiting).join(', ') + (waiting.length > listedWaiting ? ', …' : '');
      throw new PipelineError(
        'IntegrityFailed',
        `The ${this.#label} cannot finish its whole-stream digest: chunk ${this.#next} never arrived, and ${waiting.length} later chunk(s) wait for it (${listed}); the stream is incomplete`,
      );
    }
    try {
      this.#result = running.digest();
    } catch (error) {
      throw this.#failure(`finishing the whole-stream digest after ${this.#next} chunk(s)`, error);
    }
    return this.#result;
  }

  async #ready(): Promise<StreamDigest> {
    try {
      return await this.#running;
    } catch (error) {
      throw this.#failure('creating the whole-stream digest', error);
    }
  }

  #drain(running: StreamDigest): void {
    if (this.#result !== undefined) return;
    for (let data = this.#waiting.get(this.#next); data !== undefined; data = this.#waiting.get(this.#next)) {
      try {
        running.update(data);
      } catch (error) {
        throw this.#failure(`feeding chunk ${this.#next} to the whole-stream digest`, error);
      }
      this.#waiting.delete(this.#next);
      this.#next += 1;
    }
  }

  #failure(action: string, error: unknown): PipelineError {
    if (PipelineError.is(error)) return error;
    const reason = error instanceof Error ? error.message : String(error);
    return new PipelineError('ProcessingFailed', `The ${this.#label} failed ${action}: ${reason}`, { cause: error });
  }
}
