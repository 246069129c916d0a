import { MiB } from './byte-size.js';

/**
 * What running a stage over some data needs: memory, CPU cores, disk, and optionally network
 * bandwidth, GPU memory and an expected duration. `scale` and `merge` change the value in place
 * and return it, so calls chain.
 *
 * @example
 * ```ts
 * const needs = new ResourceRequirements(128 * MiB, 4, 1 * GiB)
 *   .withDuration(30_000)
 *   .withNetworkBandwidth(100_000_000);
 * ```
 */
export class ResourceRequirements {
  #memoryBytes: number;
  #cpuCores: number;
  #diskSpaceBytes: number;
  #networkBandwidthBps: number | undefined;
  #gpuMemoryBytes: number | undefined;
  #estimatedDurationMs: number;

  /** @throws {RangeError} when a figure is negative or not finite, or `cpuCores` is below 1. */
  constructor(memoryBytes: number, cpuCores: number, diskSpaceBytes: number) {
    this.#memoryBytes = requireAmount(memoryBytes, 'memoryBytes');
    this.#cpuCores = requireAmount(cpuCores, 'cpuCores', 1);
    this.#diskSpaceBytes = requireAmount(diskSpaceBytes, 'diskSpaceBytes');
    this.#estimatedDurationMs = 1000;
  }

  /** The seed's default: 64 MiB memory, 1 core, no disk, no network or GPU, 1 second. */
  static default(): ResourceRequirements {
    return new ResourceRequirements(64 * MiB, 1, 0);
  }

  /** Memory needed, in bytes. */
  get memoryBytes(): number {
    return this.#memoryBytes;
  }
  /** CPU cores needed. */
  get cpuCores(): number {
    return this.#cpuCores;
  }
  /** Disk space needed, in bytes. */
  get diskSpaceBytes(): number {
    return this.#diskSpaceBytes;
  }
  /** Network bandwidth needed, in bits per second, if any. */
  get networkBandwidthBps(): number | undefined {
    return this.#networkBandwidthBps;
  }
  /** GPU memory needed, in bytes, if any. */
  get gpuMemoryBytes(): number | undefined {
    return this.#gpuMemoryBytes;
  }
  /** Expected duration, in milliseconds. */
  get estimatedDurationMs(): number {
    return this.#estimatedDurationMs;
  }

  /** Sets the expected duration in milliseconds; returns `this`. */
  withDuration(durationMs: number): this {
    this.#estimatedDurationMs = requireAmount(durationMs, 'durationMs');
    return this;
  }

  /** Sets the network bandwidth in bits per second; returns `this`. */
  withNetworkBandwidth(bitsPerSecond: number): this {
    this.#networkBandwidthBps = requireAmount(bitsPerSecond, 'bitsPerSecond');
    return this;
  }

  /** Sets the GPU memory in bytes; returns `this`. */
  withGpuMemory(bytes: number): this {
    this.#gpuMemoryBytes = requireAmount(bytes, 'bytes');
    return this;
  }

  /**
   * Multiplies every requirement by `factor` (cores rounded up, at least 1); returns `this`.
   *
   * @throws {RangeError} when `factor` is negative or not finite.
   */
  scale(factor: number): this {
    requireAmount(factor, 'factor');
    this.#memoryBytes = Math.ceil(this.#memoryBytes * factor);
    this.#cpuCores = Math.max(1, Math.ceil(this.#cpuCores * factor));
    this.#diskSpaceBytes = Math.ceil(this.#diskSpaceBytes * factor);
    this.#estimatedDurationMs = this.#estimatedDurationMs * factor;
    if (this.#networkBandwidthBps !== undefined) this.#networkBandwidthBps = Math.ceil(this.#networkBandwidthBps * factor);
    if (this.#gpuMemoryBytes !== undefined) this.#gpuMemoryBytes = Math.ceil(this.#gpuMemoryBytes * factor);
    return this;
  }

  /** Takes the larger of each requirement from `other`; returns `this`. */
  merge(other: ResourceRequirements): this {
    this.#memoryBytes = Math.max(this.#memoryBytes, other.memoryBytes);
    this.#cpuCores = Math.max(this.#cpuCores, other.cpuCores);
    this.#diskSpaceBytes = Math.max(this.#diskSpaceBytes, other.diskSpaceBytes);
    this.#estimatedDurationMs = Math.max(this.#estimatedDurationMs, other.estimatedDurationMs);
    this.#networkBandwidthBps = maxDefined(this.#networkBandwidthBps, other.networkBandwidthBps);
    this.#gpuMemoryBytes = maxDefined(this.#gpuMemoryBytes, other.gpuMemoryBytes);
    return this;
  }
}

function requireAmount(value: number, name: string, minimum = 0): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < minimum) {
    throw new RangeError(`${name} must be a finite number >= ${minimum}, found ${value}`);
  }
  return value;
}

function maxDefined(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.max(a, b);
}
