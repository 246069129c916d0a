import { createHmac, timingSafeEqual } from 'node:crypto';
import { ContextKey } from '../domain/context-key.js';
import type { ProcessingContext } from '../domain/processing-context.js';
import { PipelineError } from '../errors/pipeline-error.js';
import type { ChunkRole } from './container-format.js';

const empty = new Uint8Array(0);

/**
 * The contract between a container and the stage that encrypts it. The container writer or reader
 * puts one in the run's context ({@link ContainerSealingKey}) before the stages start. The
 * encrypting stage gives it, in `startRun`, the key that authenticates the header
 * ({@link ContainerSealing.useHeaderKey}), and binds every record it seals or opens to
 * {@link ContainerSealing.recordBinding} (its associated data): the header digest and the record's
 * role, so a record cannot be moved to another container or from data to trailer.
 *
 * @example
 * ```ts
 * // in an encrypting executor:
 * ContainerSealing.of(context)?.useHeaderKey(headerKey);           // startRun
 * const associatedData = ContainerSealing.bindingOf(context);       // per record
 * ```
 */
export class ContainerSealing {
  #headerKey: Uint8Array | undefined;
  #binding: Uint8Array = empty;

  /** The run's sealing, when the run writes or reads a container. */
  static of(context: ProcessingContext): ContainerSealing | undefined {
    return context.get(ContainerSealingKey);
  }

  /** What the records sealed in `context`'s run now are bound to; empty outside a container. */
  static bindingOf(context: ProcessingContext): Uint8Array {
    return ContainerSealing.of(context)?.recordBinding ?? empty;
  }

  /** Given by the encrypting stage once it has derived the run's keys: the header's HMAC-SHA-256 key. */
  useHeaderKey(key: Uint8Array): void {
    this.#headerKey = key;
  }

  /** Whether a stage gave a header key (the container is sealed). */
  get sealed(): boolean {
    return this.#headerKey !== undefined;
  }

  /** Header digest ‖ role byte of the records sealed now; empty until the container binds them. */
  get recordBinding(): Uint8Array {
    return this.#binding;
  }

  /** Binds the records that follow to the container's `headerDigest`, in `role`. */
  bindRecords(headerDigest: Uint8Array, role: ChunkRole): void {
    const binding = new Uint8Array(headerDigest.length + 1);
    binding.set(headerDigest);
    binding[headerDigest.length] = role;
    this.#binding = binding;
  }

  /**
   * HMAC-SHA-256 of the header bytes under the stage's header key.
   *
   * @throws {PipelineError} `Internal` when no stage gave a key.
   */
  headerMac(headerBytes: Uint8Array): Uint8Array {
    if (this.#headerKey === undefined) throw new PipelineError('Internal', 'No encryption stage provided a header authentication key');
    return new Uint8Array(createHmac('sha256', this.#headerKey).update(headerBytes).digest());
  }

  /** Whether `mac` is the header MAC of `headerBytes`, compared in constant time; false without a key. */
  verifyHeaderMac(headerBytes: Uint8Array, mac: Uint8Array): boolean {
    return this.#headerKey !== undefined && timingSafeEqual(this.headerMac(headerBytes), mac);
  }
}

/** Where a run's {@link ContainerSealing} is kept; set by the container writer or reader. */
export const ContainerSealingKey = new ContextKey<ContainerSealing>('@adapipe/core/container-sealing');
