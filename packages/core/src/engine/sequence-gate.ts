import { PipelineError } from '../errors/pipeline-error.js';

/** Options of {@link SequenceGate}'s constructor. */
export interface SequenceGateOptions {
  /** The sequence number that runs first; 0 unless given. */
  readonly first?: number;
  /** Names the gate in error messages, for example `stage 'sort'`; `sequence gate` unless given. */
  readonly label?: string;
}

interface WaitingTask {
  readonly start: () => Promise<() => void>;
  readonly reject: (reason: unknown) => void;
}

/**
 * Runs tasks one at a time in sequence-number order (`first`, `first + 1`, …), whatever order they
 * are submitted in: a task waits until every earlier number has run and settled. A failing task
 * settles its number like a successful one, so the next number still goes ahead; the caller of the
 * failed task gets the rejection, and {@link SequenceGate.cancel} stops what waits.
 *
 * @example
 * ```ts
 * const gate = new SequenceGate();
 * const second = gate.run(1, () => write(chunks[1]));
 * await gate.run(0, () => write(chunks[0])); // writes chunk 0, then chunk 1
 * await second;
 * ```
 */
export class SequenceGate {
  readonly #first: number;
  readonly #label: string;
  readonly #waiting = new Map<number, WaitingTask>();
  readonly #idle: (() => void)[] = [];
  #next: number;
  #running = false;
  #cancelled: ((sequenceNumber: number) => unknown) | undefined;

  /**
   * @throws {RangeError} when `first` is not a whole number >= 0.
   * @throws {TypeError} when `label` is not a string.
   */
  constructor(options: SequenceGateOptions = {}) {
    const { first = 0, label = 'sequence gate' } = options;
    if (!Number.isSafeInteger(first) || first < 0) throw new RangeError(`first must be a whole number >= 0, found ${String(first)}`);
    if (typeof label !== 'string') throw new TypeError(`label must be a string, found ${typeof label}`);
    this.#first = first;
    this.#next = first;
    this.#label = label;
  }

  /** The lowest sequence number that has not settled yet: the one running, or the one the gate waits for. */
  get nextSequenceNumber(): number {
    return this.#next;
  }

  /** The sequence numbers submitted but waiting for an earlier one, in increasing order. */
  get waitingSequenceNumbers(): readonly number[] {
    return [...this.#waiting.keys()].sort((a, b) => a - b);
  }

  /**
   * Whether `sequenceNumber` is taken: it has passed (every number below
   * {@link SequenceGate.nextSequenceNumber} has), is running or waits. `run` refuses such a number.
   */
  has(sequenceNumber: number): boolean {
    return sequenceNumber < this.#next || (sequenceNumber === this.#next && this.#running) || this.#waiting.has(sequenceNumber);
  }

  /**
   * Runs `task` once every number before `sequenceNumber` has run and settled, and settles as the
   * task does. Every error below is a rejection.
   *
   * @throws {RangeError} when `sequenceNumber` is not a whole number >= `first`.
   * @throws {TypeError} when `task` is not a function.
   * @throws {PipelineError} `ProcessingFailed` when the number is taken (see
   * {@link SequenceGate.has}); after {@link SequenceGate.cancel}, the cancellation's reason.
   */
  run<T>(sequenceNumber: number, task: () => T | PromiseLike<T>): Promise<T> {
    if (!Number.isSafeInteger(sequenceNumber) || sequenceNumber < this.#first) {
      return Promise.reject(new RangeError(`sequenceNumber must be a whole number >= ${this.#first}, found ${String(sequenceNumber)}`));
    }
    if (typeof task !== 'function') return Promise.reject(new TypeError(`task must be a function, found ${typeof task}`));
    if (this.#cancelled !== undefined) return Promise.reject(this.#cancelled(sequenceNumber));
    if (this.has(sequenceNumber)) {
      const state = sequenceNumber < this.#next ? `has already passed (the next is ${this.#next})` : 'is already submitted';
      return Promise.reject(
        new PipelineError(
          'ProcessingFailed',
          `The ${this.#label} got sequence number ${sequenceNumber} twice: it ${state}; every number must run exactly once`,
        ),
      );
    }
    return new Promise<T>((resolve, reject) => {
      this.#waiting.set(sequenceNumber, {
        start: async () => {
          try {
            const value = await task();
            return () => resolve(value);
          } catch (error) {
            return () => reject(error);
          }
        },
        reject,
      });
      this.#pump();
    });
  }

  /** Resolves once no task runs and none can start: everything submitted before the first gap has settled. */
  idle(): Promise<void> {
    if (!this.#running && !this.#waiting.has(this.#next)) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /**
   * Rejects every waiting task with `reasonFor(itsSequenceNumber)` without running it, and every
   * later `run` the same way. A task already running finishes and settles as usual. Only the first
   * call counts.
   *
   * @throws {TypeError} when `reasonFor` is not a function.
   */
  cancel(reasonFor: (sequenceNumber: number) => unknown): void {
    if (typeof reasonFor !== 'function') throw new TypeError(`reasonFor must be a function, found ${typeof reasonFor}`);
    if (this.#cancelled !== undefined) return;
    this.#cancelled = reasonFor;
    const waiting = [...this.#waiting].sort(([a], [b]) => a - b);
    this.#waiting.clear();
    for (const [sequenceNumber, task] of waiting) task.reject(reasonFor(sequenceNumber));
    if (!this.#running) this.#settleIdle();
  }

  #pump(): void {
    if (this.#running) return;
    const task = this.#waiting.get(this.#next);
    if (task === undefined) {
      this.#settleIdle();
      return;
    }
    this.#waiting.delete(this.#next);
    this.#running = true;
    void task.start().then((settle) => {
      this.#running = false;
      this.#next += 1;
      settle();
      this.#pump();
    });
  }

  #settleIdle(): void {
    for (const resolve of this.#idle.splice(0)) resolve();
  }
}
