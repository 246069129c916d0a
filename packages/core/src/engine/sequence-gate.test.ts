import { describe, expect, it } from 'vitest';
import { PipelineError } from '../errors/pipeline-error.js';
import { SequenceGate } from './sequence-gate.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

async function settledSoon(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await tick();
  return settled;
}

describe('SequenceGate', () => {
  it('runs tasks in sequence order whatever order they are submitted in, and settles as they do', async () => {
    const gate = new SequenceGate();
    const order: number[] = [];
    const results = [3, 1, 4, 0, 2].map((sequenceNumber) =>
      gate.run(sequenceNumber, async () => {
        order.push(sequenceNumber);
        await new Promise((resolve) => setTimeout(resolve, 5 - sequenceNumber));
        return sequenceNumber * 10;
      }),
    );
    expect(await Promise.all(results)).toEqual([30, 10, 40, 0, 20]);
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(gate.nextSequenceNumber).toBe(5);
  });

  it('runs one task at a time: the next starts only once the one before has settled', async () => {
    const gate = new SequenceGate();
    const events: string[] = [];
    const task = (sequenceNumber: number) => async () => {
      events.push(`start ${sequenceNumber}`);
      await tick();
      events.push(`end ${sequenceNumber}`);
    };
    await Promise.all([gate.run(1, task(1)), gate.run(0, task(0)), gate.run(2, task(2))]);
    expect(events).toEqual(['start 0', 'end 0', 'start 1', 'end 1', 'start 2', 'end 2']);
  });

  it('accepts synchronous tasks', async () => {
    const gate = new SequenceGate();
    const second = gate.run(1, () => 'b');
    expect(await gate.run(0, () => 'a')).toBe('a');
    expect(await second).toBe('b');
  });

  it('holds a task until every earlier number has run, and tells which numbers wait', async () => {
    const gate = new SequenceGate();
    const ran: number[] = [];
    const third = gate.run(2, () => ran.push(2));
    const fourth = gate.run(4, () => ran.push(4));
    expect(await settledSoon(third)).toBe(false);
    expect(gate.nextSequenceNumber).toBe(0);
    expect(gate.waitingSequenceNumbers).toEqual([2, 4]);
    await gate.run(0, () => ran.push(0));
    await gate.run(1, () => ran.push(1));
    await third;
    await gate.idle();
    expect(ran).toEqual([0, 1, 2]);
    expect(gate.nextSequenceNumber).toBe(3);
    expect(gate.waitingSequenceNumbers).toEqual([4]);
    expect(await settledSoon(fourth)).toBe(false);
  });

  it('starts at a configurable first number', async () => {
    const gate = new SequenceGate({ first: 7 });
    const ran: number[] = [];
    await Promise.all([gate.run(8, () => ran.push(8)), gate.run(7, () => ran.push(7))]);
    expect(ran).toEqual([7, 8]);
    await expect(gate.run(6, () => 0)).rejects.toThrow(new RangeError('sequenceNumber must be a whole number >= 7, found 6'));
  });

  it('lets the next number go after a task fails, rejecting only the failed one', async () => {
    const gate = new SequenceGate();
    const failing = gate.run(0, async () => {
      throw new PipelineError('IoError', 'disk full');
    });
    const next = gate.run(1, () => 'after');
    await expect(failing).rejects.toThrow('disk full');
    expect(await next).toBe('after');
    const throwing = gate.run(2, () => {
      throw new Error('synchronous');
    });
    await expect(throwing).rejects.toThrow('synchronous');
    expect(await gate.run(3, () => 'still going')).toBe('still going');
  });

  it('refuses a number that has passed, runs or waits, as ProcessingFailed', async () => {
    const gate = new SequenceGate({ label: "stage 'sort'" });
    await gate.run(0, () => undefined);
    let release!: () => void;
    const running = gate.run(1, () => new Promise<void>((resolve) => (release = resolve)));
    const waiting = gate.run(3, () => undefined);
    expect([0, 1, 2, 3, 4].map((sequenceNumber) => gate.has(sequenceNumber))).toEqual([true, true, false, true, false]);
    const passed = gate.run(0, () => undefined);
    await expect(passed).rejects.toSatisfy((error) => PipelineError.is(error, 'ProcessingFailed'));
    await expect(passed).rejects.toThrow(
      "The stage 'sort' got sequence number 0 twice: it has already passed (the next is 1); every number must run exactly once",
    );
    await expect(gate.run(1, () => undefined)).rejects.toThrow('got sequence number 1 twice: it is already submitted');
    await expect(gate.run(3, () => undefined)).rejects.toThrow('got sequence number 3 twice: it is already submitted');
    release();
    await running;
    await gate.run(2, () => undefined);
    await waiting;
  });

  it('rejects waiting tasks without running them when cancelled, and every later one, letting a running task finish', async () => {
    const gate = new SequenceGate();
    const ran: number[] = [];
    let release!: () => void;
    const running = gate.run(0, async () => {
      await new Promise<void>((resolve) => (release = resolve));
      ran.push(0);
      return 'done';
    });
    const waiting = [2, 1].map((sequenceNumber) => gate.run(sequenceNumber, () => ran.push(sequenceNumber)));
    const idle = gate.idle();
    gate.cancel((sequenceNumber) => new PipelineError('Cancelled', `chunk ${sequenceNumber} was cancelled`));
    await expect(waiting[0]).rejects.toThrow('chunk 2 was cancelled');
    await expect(waiting[1]).rejects.toThrow('chunk 1 was cancelled');
    expect(gate.waitingSequenceNumbers).toEqual([]);
    expect(await settledSoon(idle)).toBe(false);
    release();
    expect(await running).toBe('done');
    await idle;
    await expect(gate.run(5, () => ran.push(5))).rejects.toSatisfy((error) => PipelineError.is(error, 'Cancelled'));
    gate.cancel(() => new Error('ignored'));
    await expect(gate.run(6, () => ran.push(6))).rejects.toThrow('chunk 6 was cancelled');
    expect(ran).toEqual([0]);
  });

  it('is idle once nothing runs and the next number has not arrived', async () => {
    const gate = new SequenceGate();
    await gate.idle();
    const order: string[] = [];
    void gate.run(2, () => order.push('ran 2'));
    void gate.run(0, async () => {
      await tick();
      order.push('ran 0');
    });
    const idle = gate.idle().then(() => order.push('idle'));
    await gate.run(1, () => order.push('ran 1'));
    await idle;
    expect(order).toEqual(['ran 0', 'ran 1', 'ran 2', 'idle']);
    void gate.run(4, () => undefined);
    expect(await settledSoon(gate.idle())).toBe(true);
  });

  it('validates its arguments, naming the parameter', async () => {
    expect(() => new SequenceGate({ first: -1 })).toThrow(new RangeError('first must be a whole number >= 0, found -1'));
    expect(() => new SequenceGate({ first: 1.5 })).toThrow(RangeError);
    expect(() => new SequenceGate({ label: 7 as unknown as string })).toThrow(new TypeError('label must be a string, found number'));
    const gate = new SequenceGate();
    await expect(gate.run(Number.NaN, () => 0)).rejects.toThrow(new RangeError('sequenceNumber must be a whole number >= 0, found NaN'));
    await expect(gate.run(0, 'task' as unknown as () => number)).rejects.toThrow(new TypeError('task must be a function, found string'));
    expect(() => gate.cancel(undefined as unknown as () => unknown)).toThrow(
      new TypeError('reasonFor must be a function, found undefined'),
    );
    expect(gate.nextSequenceNumber).toBe(0);
  });
});
