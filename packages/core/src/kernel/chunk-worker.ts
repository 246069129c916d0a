/**
 * The chunk engine's worker thread: it runs kernel segments on chunks, one message at a time.
 * Chunk bytes in shared slots are read and written in place; a chunk in a plain buffer is
 * transferred here and back.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parentPort } from 'node:worker_threads';
import { PipelineError } from '../errors/pipeline-error.js';
import { BufferRecycler, RECYCLED_MIN_BYTES } from './buffer-recycler.js';
import { KernelSegment, KernelStageFailure } from './kernel-segment.js';
import type { ChunkWorkerMessage, RunTaskMessage, TaskFailure, TaskReply } from './worker-protocol.js';

const port = parentPort!;
const recycler = new BufferRecycler(0);
const segments = new Map<number, Promise<KernelSegment>>();
let queue: Promise<void> = Promise.resolve();

/**
 * Kernels may call APIs that allocate their output natively (node:crypto's `update`); V8 frees
 * those buffers only once tens of megabytes of them pile up on each thread. A young-generation
 * collection after each task frees them at once (a fraction of a millisecond a chunk), which keeps
 * the process's memory near what the slots need.
 */
setFlagsFromString('--expose-gc');
const collectYoung = (runInNewContext('gc') as (options: { type: 'minor' }) => void).bind(undefined, { type: 'minor' });

port.on('message', (message: ChunkWorkerMessage) => {
  queue = queue.then(() => handle(message));
});

async function handle(message: ChunkWorkerMessage): Promise<void> {
  if (message.type === 'close') {
    const segment = segments.get(message.segment);
    segments.delete(message.segment);
    (await segment?.catch(() => undefined))?.dispose();
    return;
  }
  recycler.slotSize = message.slotSize;
  recycler.give(...message.spares);
  port.postMessage(...(await runTask(message)));
  collectYoung();
}

async function runTask(message: RunTaskMessage): Promise<[TaskReply, ArrayBuffer[]]> {
  const { task, chunk } = message;
  recycler.adopt(chunk.data.buffer as ArrayBuffer);
  try {
    let segment = segments.get(message.segment);
    if (segment === undefined) {
      segment = KernelSegment.create(message.specs ?? [], message.direction);
      segments.set(message.segment, segment);
    }
    const outcome = await (await segment).run(chunk, recycler);
    const data = outcome.chunk.data;
    const input = transferable(chunk.data);
    // A shared input stays where it is; only a transferred one must travel back.
    const reply = {
      task,
      returned: recycler.surplus(1),
      metadata: outcome.chunk.metadata,
      steps: outcome.steps,
      ...(input === undefined ? {} : { input: chunk.data }),
    };
    if (data.buffer === chunk.data.buffer) {
      // Sent back as a place in the input: a shared slot must reach the main thread as one object, not two.
      return [{ ...reply, inInput: [data.byteOffset - chunk.data.byteOffset, data.length] }, input === undefined ? [] : [input]];
    }
    const output = transferable(data);
    return [{ ...reply, data }, [output, input].filter((buffer): buffer is ArrayBuffer => buffer !== undefined)];
  } catch (error) {
    return [{ task, failure: describeFailure(error) }, []];
  }
}

/** A view's buffer when it is worth transferring (kernels return new buffers or their input's, see `ChunkKernel.run`). */
function transferable(view: Uint8Array): ArrayBuffer | undefined {
  const buffer = view.buffer;
  return buffer instanceof ArrayBuffer && buffer.byteLength >= RECYCLED_MIN_BYTES ? buffer : undefined;
}

function describeFailure(error: unknown): TaskFailure {
  const stageIndex = error instanceof KernelStageFailure ? error.stageIndex : 0;
  const cause = error instanceof KernelStageFailure ? error.cause : error;
  const message = cause instanceof Error ? cause.message : String(cause);
  return PipelineError.is(cause) ? { stageIndex, kind: cause.kind, message } : { stageIndex, message };
}
