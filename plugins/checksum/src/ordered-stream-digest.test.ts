import { PipelineError } from '@adapipe/core';
import { randomBytes } from '@adapipe/core/testing';
import { describe, expect, it } from 'vitest';
import { computeDigest } from './compute-digest.js';
import { createDigest, type StreamDigest } from './create-digest.js';
import { OrderedStreamDigest } from './ordered-stream-digest.js';
import { split, toHex } from './test-support/pattern-bytes.js';

const label = "Stage 'in' (checksum:sha256)";
const data = randomBytes(10_000, 7);
const pieces = split(data, 1000);

describe('OrderedStreamDigest', () => {
  it('feeds chunks in sequence order whatever order they arrive in, holding early ones until the gap fills', async () => {
    const stream = new OrderedStreamDigest(label, createDigest('sha256'));
    const arrival = [3, 1, 2, 9, 0, 5, 4, 8, 6, 7];
    const waiting: number[] = [];
    for (const index of arrival) {
      await stream.add(index, pieces[index]!);
      waiting.push(stream.waitingCount);
    }
    expect(waiting).toEqual([1, 2, 3, 4, 1, 2, 1, 2, 2, 0]);
    expect(stream.nextSequenceNumber).toBe(10);
    expect(toHex(await stream.finish())).toBe(toHex(await computeDigest('sha256', data)));
  });

  it('feeds concurrent arrivals in order', async () => {
    const stream = new OrderedStreamDigest(label, createDigest('blake3'));
    await Promise.all([...pieces.keys()].reverse().map((index) => stream.add(index, pieces[index]!)));
    expect(toHex(await stream.finish())).toBe(toHex(await computeDigest('blake3', data)));
  });

  it('reports a gap naming the missing chunk and the chunks waiting for it', async () => {
    const stream = new OrderedStreamDigest(label, createDigest('sha256'));
    for (const index of [0, 1, 3, 4, 5, 6, 7, 8, 9]) await stream.add(index, pieces[index]!);
    const failure = stream.finish();
    await expect(failure).rejects.toSatisfy((error) => PipelineError.is(error, 'IntegrityFailed'));
    await expect(failure).rejects.toThrow(
      "Stage 'in' (checksum:sha256): cannot finish its whole-stream digest: chunk 2 never arrived, and 7 later chunk(s) wait for it (3, 4, 5, 6, 7, …); the stream is incomplete",
    );
  });

  it('rejects a chunk that arrives twice, whether already fed or still waiting', async () => {
    const stream = new OrderedStreamDigest(label, createDigest('sha256'));
    await stream.add(0, pieces[0]!);
    await stream.add(2, pieces[2]!);
    for (const duplicate of [0, 2]) {
      const failure = stream.add(duplicate, pieces[duplicate]!);
      await expect(failure).rejects.toSatisfy((error) => PipelineError.is(error, 'IntegrityFailed'));
      await expect(failure).rejects.toThrow(`got chunk ${duplicate} twice`);
    }
  });

  it('returns the same digest when finished twice and refuses chunks afterwards', async () => {
    const stream = new OrderedStreamDigest(label, createDigest('sha512'));
    const first = await stream.finish();
    expect(await stream.finish()).toBe(first);
    expect(toHex(first)).toBe(toHex(await computeDigest('sha512', new Uint8Array(0))));
    await expect(stream.add(0, pieces[0]!)).rejects.toSatisfy((error) => PipelineError.is(error, 'ProcessingFailed'));
  });

  it('reports a chunk that cannot be fed, from then on', async () => {
    const fed: number[] = [];
    const broken: StreamDigest = {
      algorithm: 'sha256',
      digestSize: 32,
      update(bytes) {
        if (bytes === pieces[1]) throw new Error('out of memory');
        fed.push(pieces.indexOf(bytes));
        return this;
      },
      digest: () => new Uint8Array(32),
    };
    const stream = new OrderedStreamDigest(label, Promise.resolve(broken));
    await stream.add(1, pieces[1]!);
    await stream.add(2, pieces[2]!);
    const failure = stream.add(0, pieces[0]!);
    await expect(failure).rejects.toSatisfy((error) => PipelineError.is(error, 'ProcessingFailed'));
    await expect(failure).rejects.toThrow("Stage 'in' (checksum:sha256): failed feeding chunk 1 to the whole-stream digest: out of memory");
    await expect(stream.add(3, pieces[3]!)).rejects.toThrow('failed feeding chunk 1');
    await expect(stream.finish()).rejects.toThrow('failed feeding chunk 1');
    expect(fed).toEqual([0]);
  });

  it('refuses a sequence number that is not a whole number', async () => {
    const stream = new OrderedStreamDigest(label, createDigest('sha256'));
    await expect(stream.add(-1, pieces[0]!)).rejects.toThrow(new RangeError('sequenceNumber must be a whole number >= 0, found -1'));
    await expect(stream.add(0.5, pieces[0]!)).rejects.toThrow(RangeError);
  });

  it('turns a failure to create the digest into a typed error naming the stage', async () => {
    const stream = new OrderedStreamDigest(label, Promise.reject(new Error('no WebAssembly')));
    const failure = stream.add(0, pieces[0]!);
    await expect(failure).rejects.toSatisfy((error) => PipelineError.is(error, 'ProcessingFailed'));
    await expect(failure).rejects.toThrow("Stage 'in' (checksum:sha256): failed creating the whole-stream digest: no WebAssembly");
  });
});
