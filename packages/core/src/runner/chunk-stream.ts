import { FileChunk } from '../domain/file-chunk.js';

/**
 * Cuts a byte stream into chunks of exactly `chunkSize` bytes (the last may be shorter), numbered
 * from 0, with offsets, and `isFinal` set on the last. An empty stream gives one empty final chunk.
 * Source buffers at least a chunk long are sliced without copying.
 */
export async function* chunkStream(source: AsyncIterable<Uint8Array>, chunkSize: number): AsyncGenerator<FileChunk> {
  let current: Uint8Array | undefined;
  let filled = 0;
  let sequence = 0;
  let offset = 0;
  let ready: Uint8Array | undefined;
  const emit = (data: Uint8Array, isFinal: boolean): FileChunk => {
    const chunk = new FileChunk(sequence++, data, { offset, isFinal });
    offset += data.length;
    return chunk;
  };
  for await (const piece of source) {
    let position = 0;
    while (position < piece.length) {
      if (ready !== undefined) {
        yield emit(ready, false);
        ready = undefined;
      }
      if (filled === 0 && piece.length - position >= chunkSize) {
        ready = piece.subarray(position, position + chunkSize);
        position += chunkSize;
        continue;
      }
      current ??= new Uint8Array(chunkSize);
      const take = Math.min(chunkSize - filled, piece.length - position);
      current.set(piece.subarray(position, position + take), filled);
      filled += take;
      position += take;
      if (filled === chunkSize) {
        ready = current;
        current = undefined;
        filled = 0;
      }
    }
  }
  if (ready !== undefined) {
    yield emit(ready, filled === 0);
  }
  if (filled > 0) {
    yield emit(current!.subarray(0, filled), true);
  } else if (sequence === 0) {
    yield emit(new Uint8Array(0), true);
  }
}
