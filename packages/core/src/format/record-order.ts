import { PipelineError } from '../errors/pipeline-error.js';
import { RecordType } from './container-format.js';

/**
 * The order a container's records must come in: chunks 0, 1, 2, … with exactly one final chunk,
 * then the trailer. Every reader of records (restore, inspect) checks each record with it.
 */
export class RecordOrder {
  readonly #where: string;
  #expected = 0;
  #sawFinal = false;

  /** @param where names the container in error messages. */
  constructor(where: string) {
    this.#where = where;
  }

  /** How many chunk records were accepted. */
  get chunkCount(): number {
    return this.#expected;
  }

  /**
   * Accepts the next record, or `undefined` at the end of the container.
   *
   * @throws {PipelineError} `CorruptContainer` for a record out of place (reordered, duplicated or
   * dropped), a chunk after the final one, a trailer before it, or a missing trailer.
   */
  accept<R extends { readonly type: RecordType; readonly sequence: number; readonly isFinal: boolean }>(
    record: R | undefined,
  ): asserts record is R {
    const where = this.#where;
    const expected = this.#expected;
    if (record === undefined) {
      throw new PipelineError('CorruptContainer', `${where}: truncated after ${expected} chunk(s): the trailer is missing`);
    }
    if (record.sequence !== expected) {
      throw new PipelineError(
        'CorruptContainer',
        `${where}: record ${record.sequence} found where record ${expected} belongs (chunks reordered, duplicated or dropped)`,
      );
    }
    if (record.type === RecordType.Trailer) {
      if (!this.#sawFinal)
        throw new PipelineError('CorruptContainer', `${where}: the trailer follows chunk ${expected - 1}, which is not the final chunk`);
      return;
    }
    if (this.#sawFinal) throw new PipelineError('CorruptContainer', `${where}: chunk ${record.sequence} follows the final chunk`);
    this.#sawFinal = record.isFinal;
    this.#expected++;
  }
}
