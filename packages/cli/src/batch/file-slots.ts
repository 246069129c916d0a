/**
 * A fixed number of slots shared by the files of a batch, taken in first-come order: a small file
 * takes one, a large one takes them all (so it runs alone, chunk-parallel through the engine).
 * First-come order means a large file is never starved by the small ones behind it.
 */
export class FileSlots {
  #free: number;
  readonly #waiting: { readonly count: number; readonly grant: () => void }[] = [];

  /** @throws {RangeError} when `capacity` is not a whole number ≥ 1. */
  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a whole number >= 1, found ${capacity}`);
    this.#free = capacity;
  }

  /** Waits for `count` slots (at most the capacity) and returns the function that gives them back. */
  async take(count: number): Promise<() => void> {
    const wanted = Math.min(Math.max(1, count), this.capacity);
    if (this.#waiting.length === 0 && this.#free >= wanted) this.#free -= wanted;
    else await new Promise<void>((grant) => this.#waiting.push({ count: wanted, grant }));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#free += wanted;
      this.#grantWaiting();
    };
  }

  #grantWaiting(): void {
    while (this.#waiting.length > 0 && this.#free >= this.#waiting[0]!.count) {
      const next = this.#waiting.shift()!;
      this.#free -= next.count;
      next.grant();
    }
  }
}
