import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileChunk, PipelineError } from '@adapipe/core';
import { afterAll, describe, expect, it } from 'vitest';
import { OrderedTeeWriter } from './ordered-tee-writer.js';

const scratch = mkdtempSync(join(tmpdir(), 'adapipe-tee-writer-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let fileCount = 0;
const where = "Stage 'peek' (passthrough:tee)";

async function openWriter(signal?: AbortSignal): Promise<OrderedTeeWriter> {
  return OrderedTeeWriter.open(join(scratch, `out-${++fileCount}`), { format: 'binary', where, signal });
}

function chunk(sequenceNumber: number, text: string, isFinal = false): FileChunk {
  return new FileChunk(sequenceNumber, new TextEncoder().encode(text), { offset: sequenceNumber, isFinal });
}

describe('OrderedTeeWriter', () => {
  it('writes chunks in sequence order and rejects those waiting behind the final chunk', async () => {
    const writer = await openWriter();
    const next = writer.write(chunk(2, 'c'));
    const beyondGap = writer.write(chunk(4, 'e'));
    for (const late of [next, beyondGap]) late.catch(() => {});
    await Promise.all([writer.write(chunk(1, 'b', true)), writer.write(chunk(0, 'a'))]);
    for (const [late, sequence] of [
      [next, 2],
      [beyondGap, 4],
    ] as const) {
      await expect(late).rejects.toSatisfy((error) => PipelineError.is(error, 'ProcessingFailed'));
      await expect(late).rejects.toThrow(`${where}: received chunk ${sequence} after the final chunk`);
    }
    await expect(writer.write(chunk(3, 'd'))).rejects.toThrow(`${where}: received chunk 3 after the output was finished`);
    await writer.finish();
    expect(readFileSync(writer.path, 'utf8')).toBe('ab');
  });

  it('rejects a chunk that is still waiting when it arrives again', async () => {
    const writer = await openWriter();
    const waiting = writer.write(chunk(1, 'b'));
    await expect(writer.write(chunk(1, 'b'))).rejects.toThrow(`${where}: received chunk 1 twice`);
    await writer.write(chunk(0, 'a'));
    await waiting;
    await writer.finish();
    expect(readFileSync(writer.path, 'utf8')).toBe('ab');
  });

  it('names the missing chunk and rejects every waiting one when finished with a gap', async () => {
    const writer = await openWriter();
    await writer.write(chunk(0, 'a'));
    const waiting = [writer.write(chunk(3, 'd')), writer.write(chunk(2, 'c'))];
    for (const late of waiting) late.catch(() => {});
    const message = `${where}: the run finished before chunk 1 arrived; chunks 2, 3 were not written to '${writer.path}'`;
    await expect(writer.finish()).rejects.toThrow(message);
    for (const late of waiting) await expect(late).rejects.toThrow(message);
    await expect(writer.write(chunk(1, 'b'))).rejects.toThrow(message);
  });

  it('rejects waiting and later chunks with Cancelled when the signal aborts', async () => {
    const controller = new AbortController();
    const writer = await openWriter(controller.signal);
    const waiting = writer.write(chunk(1, 'b'));
    waiting.catch(() => {});
    controller.abort();
    await expect(waiting).rejects.toSatisfy((error) => PipelineError.is(error, 'Cancelled'));
    await expect(writer.write(chunk(0, 'a'))).rejects.toThrow(`${where}: the run was cancelled; '${writer.path}' is incomplete`);
    await writer.finish();
  });
});
