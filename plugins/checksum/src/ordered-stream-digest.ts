import { PipelineError, SequenceGate } from '@adapipe/core';
import type { StreamDigest } from './create-digest.js';

const listedWaiting = 5;

/**
 * A whole-stream digest fed in chunk order (sequence numbers 0, 1, 2, …) whatever order the
 * chunks arrive in: a chunk that arrives early waits, by reference, in a {@link SequenceGate}
 * until the chunks before it have been fed. One lives in each run's context per checksum stage.
 *
 * @example
 * ```ts
 * const stream = new OrderedStreamDigest("Stage 'in' (checksum:sha256)", createDigest('sha256'));
 * await stream.add(1, second);
 * await stream.add(0, first);
 * const digest = await stream.finish(); // digest of first + second
 * ```
 */
export class OrderedStreamDigest {
  readonly #label: string;
  readonly #running: Promise<StreamDigest>;
  readonly #gate = new SequenceGate();
  #result: Uint8Array | undefined;
  #failure: PipelineError | undefined;

  /**
   * @param label names the stage and algorithm in error messages, e.g. `Stage 'in' (checksum:sha256)`.
   * @param running the digest to feed, as {@link createDigest} returns it.
   */
  constructor(label: string, running: Promise<StreamDigest>) {
    this.#label = label;
    this.#running = running;
    running.catch(() => undefined);
  }

  /** The sequence number the digest needs next. */
  get nextSequenceNumber(): number {
    return this.#gate.nextSequenceNumber;
  }

  /** How many chunks wait for an earlier one. */
  get waitingCount(): number {
    return this.#gate.waitingSequenceNumbers.length;
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
   * chunks before it have arrived. The bytes must not change afterwards. Resolves once the chunk
   * is fed or waits for an earlier one.
   *
   * @throws {RangeError} when `sequenceNumber` is not a whole number >= 0.
   * @throws {PipelineError} `IntegrityFailed` when the chunk was already fed (a duplicate);
   * `ProcessingFailed` after {@link OrderedStreamDigest.finish}, or when feeding a chunk failed.
   */
  async add(sequenceNumber: number, data: Uint8Array): Promise<void> {
    if (!Number.isSafeInteger(sequenceNumber) || sequenceNumber < 0) {
      throw new RangeError(`sequenceNumber must be a whole number >= 0, found ${String(sequenceNumber)}`);
    }
    if (this.#result !== undefined) {
      throw new PipelineError(
        'ProcessingFailed',
        `${this.#label}: got chunk ${sequenceNumber} after its whole-stream digest was finished; finish the run after its last chunk`,
      );
    }
    if (this.#gate.has(sequenceNumber)) {
      throw new PipelineError('IntegrityFailed', `${this.#label}: got chunk ${sequenceNumber} twice; every chunk must appear exactly once`);
    }
    this.#gate.run(sequenceNumber, async () => this.#feed(await this.#ready(), sequenceNumber, data)).catch(() => undefined);
    await this.#ready();
    await this.#gate.idle();
    if (this.#failure !== undefined) throw this.#failure;
  }

  /**
   * Finishes the whole-stream digest; later calls return the same digest.
   *
   * @throws {PipelineError} `IntegrityFailed` naming the missing chunk when later chunks are still
   * waiting for it (a gap in the stream); `ProcessingFailed` when the digest could not be created,
   * fed or finished.
   */
  async finish(): Promise<Uint8Array> {
    if (this.#result !== undefined) return this.#result;
    const running = await this.#ready();
    await this.#gate.idle();
    if (this.#result !== undefined) return this.#result;
    if (this.#failure !== undefined) throw this.#failure;
    const waiting = this.#gate.waitingSequenceNumbers;
    const next = this.#gate.nextSequenceNumber;
    if (waiting.length > 0) {
      const listed = waiting.slice(0, listedWaiting).join(', ') + (waiting.length > listedWaiting ? ', …' : '');
      throw new PipelineError(
        'IntegrityFailed',
        `${this.#label}: cannot finish its whole-stream digest: chunk ${next} never arrived, and ${waiting.length} later chunk(s) wait for it (${listed}); the stream is incomplete`,
      );
    }
    try {
      this.#result = running.digest();
    } catch (error) {
      throw this.#wrap(`finishing the whole-stream digest after ${next} chunk(s)`, error);
    }
    return this.#result;
  }

  async #ready(): Promise<StreamDigest> {
    try {
      return await this.#running;
    } catch (error) {
      throw this.#wrap('creating the whole-stream digest', error);
    }
  }

  #feed(running: StreamDigest, sequenceNumber: number, data: Uint8Array): void {
    if (this.#failure !== undefined || this.#result !== undefined) return;
    try {
      running.update(data);
    } catch (error) {
      this.#failure = this.#wrap(`feeding chunk ${sequenceNumber} to the whole-stream digest`, error);
    }
  }

  #wrap(action: string, error: unknown): PipelineError {
    if (PipelineError.is(error)) return error;
    const reason = error instanceof Error ? error.message : String(error);
    return new PipelineError('ProcessingFailed', `${this.#label}: failed ${action}: ${reason}`, { cause: error });
  }
}
