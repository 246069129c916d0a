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
  /** Memory needed, in bytes. */
  readonly memoryBytes: number;
  /** CPU cores needed. */
  readonly cpuCores: number;
  /** Disk space needed, in bytes. */
  readonly diskSpaceBytes: number;
  /** Network bandwidth needed, in bits per second, if any. */
  readonly networkBandwidthBps: number | undefined;
  /** GPU memory needed, in bytes, if any. */
  readonly gpuMemoryBytes: number | undefined;
  /** Expected duration, in milliseconds. */
  readonly estimatedDurationMs: number = 1000;

  /** @throws {RangeError} when a figure is negative or not finite, or `cpuCores` is below 1. */
  constructor(memoryBytes: number, cpuCores: number, diskSpaceBytes: number) {
    this.memoryBytes = requireAmount(memoryBytes, 'memoryBytes');
    this.cpuCores = requireAmount(cpuCores, 'cpuCores', 1);
    this.diskSpaceBytes = requireAmount(diskSpaceBytes, 'diskSpaceBytes');
  }

  /** The seed's default: 64 MiB memory, 1 core, no disk, no network or GPU, 1 second. */
  static default(): ResourceRequirements {
    return new ResourceRequirements(64 * MiB, 1, 0);
  }

  /** Sets the expected duration in milliseconds; returns `this`. */
  withDuration(durationMs: number): this {
    return this.#change({ estimatedDurationMs: requireAmount(durationMs, 'durationMs') });
  }

  /** Sets the network bandwidth in bits per second; returns `this`. */
  withNetworkBandwidth(bitsPerSecond: number): this {
    return this.#change({ networkBandwidthBps: requireAmount(bitsPerSecond, 'bitsPerSecond') });
  }

  /** Sets the GPU memory in bytes; returns `this`. */
  withGpuMemory(bytes: number): this {
    return this.#change({ gpuMemoryBytes: requireAmount(bytes, 'bytes') });
  }

  /**
   * Multiplies every requirement by `factor` (cores rounded up, at least 1); returns `this`.
   *
   * @throws {RangeError} when `factor` is negative or not finite.
   */
  scale(factor: number): this {
    requireAmount(factor, 'factor');
    const scaled = (value: number | undefined) => (value === undefined ? undefined : Math.ceil(value * factor));
    return this.#change({
      memoryBytes: Math.ceil(this.memoryBytes * factor),
      cpuCores: Math.max(1, Math.ceil(this.cpuCores * factor)),
      diskSpaceBytes: Math.ceil(this.diskSpaceBytes * factor),
      estimatedDurationMs: this.estimatedDurationMs * factor,
      networkBandwidthBps: scaled(this.networkBandwidthBps),
      gpuMemoryBytes: scaled(this.gpuMemoryBytes),
    });
  }

  /** Takes the larger of each requirement from `other`; returns `this`. */
  merge(other: ResourceRequirements): this {
    return this.#change({
      memoryBytes: Math.max(this.memoryBytes, other.memoryBytes),
      cpuCores: Math.max(this.cpuCores, other.cpuCores),
      diskSpaceBytes: Math.max(this.diskSpaceBytes, other.diskSpaceBytes),
      estimatedDurationMs: Math.max(this.estimatedDurationMs, other.estimatedDurationMs),
      networkBandwidthBps: maxDefined(this.networkBandwidthBps, other.networkBandwidthBps),
      gpuMemoryBytes: maxDefined(this.gpuMemoryBytes, other.gpuMemoryBytes),
    });
  }

  /** The one place the figures change: they are read-only to everyone else. */
  #change(figures: Partial<Figures>): this {
    return Object.assign(this, figures);
  }
}

type Figures = Pick<
  ResourceRequirements,
  'memoryBytes' | 'cpuCores' | 'diskSpaceBytes' | 'networkBandwidthBps' | 'gpuMemoryBytes' | 'estimatedDurationMs'
>;

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
