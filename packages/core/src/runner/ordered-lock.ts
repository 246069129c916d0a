/**
 * Runs tasks one at a time in the order they were submitted: the seed's `parallelProcessing: false`
 * for one stage, while other stages of the same chunks still run concurrently.
 */
export class OrderedLock {
  #tail: Promise<void> = Promise.resolve();

  /** Runs `task` after every task submitted before it has settled. */
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(task);
    this.#tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
