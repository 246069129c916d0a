import type { RecyclingBuffers } from './chunk-kernel.js';

/** Buffers below this size are not worth recycling or sharing: plain copies are cheaper. */
export const RECYCLED_MIN_BYTES = 64 * 1024;

/**
 * A bounded store of spare buffers for chunk data, on one thread. Fresh multi-megabyte buffers
 * cost page faults and garbage collection on every chunk; recycled ones cost neither. Buffers are
 * `SharedArrayBuffer`s of one size, the slot size (large enough for any chunk, compressed or
 * sealed, of the run's chunk size), so any spare serves any need and they cross between threads
 * without a copy or a transfer. {@link BufferRecycler.take} hands out a spare (or a new slot);
 * {@link BufferRecycler.give} takes one back once nothing refers to it any more. Buffers it made
 * or was given are "owned": only those may be reused. Slots are never dropped: a shared slot's
 * memory lives until every thread that saw it collects its garbage, so dropping would pile them
 * up; the number of slots is bounded by how many are in use at once instead.
 */
export class BufferRecycler implements RecyclingBuffers {
  /** The size of every recycled buffer; larger requests get buffers of their own. */
  slotSize: number;
  readonly #spares: ArrayBuffer[] = [];
  readonly #owned = new WeakSet<ArrayBuffer>();

  /** @param slotSize the size of every recycled buffer (0: none is recycled). */
  constructor(slotSize: number) {
    this.slotSize = slotSize;
  }

  /** A buffer of exactly `size` bytes, a view of a spare slot or of a new one; contents undefined. */
  take(size: number): Uint8Array {
    if (size < RECYCLED_MIN_BYTES || size > this.slotSize) return new Uint8Array(size);
    const buffer = this.#spares.pop() ?? this.#allocate(this.slotSize);
    return new Uint8Array(buffer, 0, size);
  }

  /** Takes back slots nothing refers to any more (owned or just received from another thread). */
  give(...buffers: readonly ArrayBuffer[]): void {
    for (const buffer of buffers) {
      if (buffer.byteLength !== this.slotSize || this.#spares.includes(buffer)) continue;
      this.#owned.add(buffer);
      this.#spares.push(buffer);
    }
  }

  /** Takes back the buffers of views whose chunk is done, when they are owned here; others are left alone. */
  release(...views: readonly Uint8Array[]): void {
    for (const view of views) {
      if (this.owns(view)) this.give(view.buffer as ArrayBuffer);
    }
  }

  /** Marks a slot received from another thread as owned, so it may be given back. */
  adopt(buffer: ArrayBuffer): void {
    if (buffer.byteLength === this.slotSize) this.#owned.add(buffer);
  }

  /** Whether `view`'s buffer is an owned slot, which other threads may share and which is reused once its chunk is done. */
  owns(view: Uint8Array): boolean {
    return this.#owned.has(view.buffer as ArrayBuffer);
  }

  /** Gives up ownership: something else (a stage on this thread) may still refer to the buffer. */
  disown(view: Uint8Array): void {
    this.#owned.delete(view.buffer as ArrayBuffer);
  }

  /** The spare slots beyond the first `keep`, removed from the store, to hand back to the thread that sent them. */
  surplus(keep: number): ArrayBuffer[] {
    return this.#spares.splice(keep);
  }

  /**
   * A view of `size` bytes of a free slot, or `undefined` when none is free (or `size` is not a
   * slot's): never a new allocation, so a reader may fill it before it knows the bytes exist.
   */
  reuse(size: number): Uint8Array | undefined {
    if (size < RECYCLED_MIN_BYTES || size > this.slotSize) return undefined;
    const buffer = this.#spares.pop();
    return buffer === undefined ? undefined : new Uint8Array(buffer, 0, size);
  }

  /** A spare slot, removed from the store, to send to another thread for its outputs. */
  takeSpare(): ArrayBuffer | undefined {
    return this.#spares.pop();
  }

  #allocate(size: number): ArrayBuffer {
    const buffer = new SharedArrayBuffer(size) as unknown as ArrayBuffer;
    this.#owned.add(buffer);
    return buffer;
  }
}
