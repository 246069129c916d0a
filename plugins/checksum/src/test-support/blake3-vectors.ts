import { readFileSync } from 'node:fs';

/** One reference BLAKE3 digest from `blake3-vectors.json`. */
export interface Blake3Vector {
  readonly name: string;
  readonly length: number;
  readonly chunkSize?: number;
  readonly digest: string;
}

/** The b3sum-generated vectors committed beside the tests (see the file for the command). */
export const blake3Vectors: readonly Blake3Vector[] = (
  JSON.parse(readFileSync(new URL('../blake3-vectors.json', import.meta.url), 'utf8')) as { vectors: Blake3Vector[] }
).vectors;
