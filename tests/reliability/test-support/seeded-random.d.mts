/** A seeded PRNG (mulberry32) and helpers built on it. */
export interface SeededRandom {
  u32(): number;
  int(bound: number): number;
  range(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  bytes(length: number): Buffer;
}

/** A seeded PRNG (mulberry32) with helpers: the same seed gives the same sequence. */
export declare function createRandom(seed: number): SeededRandom;
