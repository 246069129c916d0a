import { Duplex } from 'node:stream';
import { deferredResult } from './deferred-result.js';
import type { PipelineRunner } from './pipeline-runner.js';
import type { ProcessOptions, RestoreOptions } from './run-options.js';
import type { RunResult } from './run-result.js';

/** A Node duplex stream that runs a pipeline, and the run's result once it ends. */
export interface PipelineStream {
  /** Write input bytes in, read output bytes out; use it with `stream.pipeline`. */
  readonly stream: Duplex;
  /** The run's result; rejects with the run's error. */
  readonly result: Promise<RunResult>;
}

/** A Web `TransformStream`-shaped pair that runs a pipeline, and the run's result. */
export interface PipelineWebStream {
  readonly readable: ReadableStream<Uint8Array>;
  readonly writable: WritableStream<Uint8Array>;
  readonly result: Promise<RunResult>;
}

/**
 * A duplex stream that turns the bytes written to it into a container.
 *
 * @example
 * ```ts
 * const { stream, result } = createProcessStream(runner, { pipeline, secret });
 * await pipeline(request, stream, createWriteStream('upload.adapipe'));
 * ```
 */
export function createProcessStream(runner: PipelineRunner, options: ProcessOptions): PipelineStream {
  return duplexOf((source) => runner.process(source, options));
}

/** A duplex stream that turns the container written to it back into the original bytes. */
export function createRestoreStream(runner: PipelineRunner, options: RestoreOptions = {}, where = 'stream'): PipelineStream {
  return duplexOf((source) => runner.restore(source, options, where));
}

/** {@link createProcessStream} as Web streams, for `fetch` bodies and `Response`s. */
export function createProcessWebStream(runner: PipelineRunner, options: ProcessOptions): PipelineWebStream {
  return toWeb(createProcessStream(runner, options));
}

/** {@link createRestoreStream} as Web streams. */
export function createRestoreWebStream(runner: PipelineRunner, options: RestoreOptions = {}, where = 'stream'): PipelineWebStream {
  return toWeb(createRestoreStream(runner, options, where));
}

function duplexOf(
  start: (source: AsyncIterable<Uint8Array>) => { output: AsyncIterable<Uint8Array>; result: Promise<RunResult> },
): PipelineStream {
  const { promise: result, resolve, reject } = deferredResult();
  const stream = Duplex.from(async function* (source: AsyncIterable<Uint8Array>) {
    const run = start(source);
    run.result.then(resolve, reject);
    yield* run.output;
  });
  stream.once('error', reject);
  return { stream, result };
}

function toWeb(pipelineStream: PipelineStream): PipelineWebStream {
  const { readable, writable } = Duplex.toWeb(pipelineStream.stream);
  return {
    readable: readable as ReadableStream<Uint8Array>,
    writable: writable as WritableStream<Uint8Array>,
    result: pipelineStream.result,
  };
}
