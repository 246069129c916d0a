import { describe, expect, it } from 'vitest';
import { ResourceRequirements } from './resource-requirements.js';

describe('ResourceRequirements', () => {
  it('scales optional figures too and keeps at least one core', () => {
    const needs = new ResourceRequirements(1000, 1, 10).withNetworkBandwidth(100).withGpuMemory(8);
    needs.scale(0.5);
    expect(needs).toMatchObject({ memoryBytes: 500, cpuCores: 1, diskSpaceBytes: 5, networkBandwidthBps: 50, gpuMemoryBytes: 4 });
  });

  it('merges optional figures, keeping a defined one', () => {
    const a = new ResourceRequirements(1, 1, 1);
    a.merge(new ResourceRequirements(1, 1, 1).withNetworkBandwidth(5).withDuration(7));
    expect(a.networkBandwidthBps).toBe(5);
    expect(a.gpuMemoryBytes).toBeUndefined();
    expect(a.estimatedDurationMs).toBe(1000);
  });

  it('rejects negative, infinite and zero-core figures with RangeError naming the parameter', () => {
    expect(() => new ResourceRequirements(-1, 1, 0)).toThrow(new RangeError('memoryBytes must be a finite number >= 0, found -1'));
    expect(() => new ResourceRequirements(0, 0, 0)).toThrow(RangeError);
    expect(() => ResourceRequirements.default().scale(Number.POSITIVE_INFINITY)).toThrow(/factor/);
  });
});
