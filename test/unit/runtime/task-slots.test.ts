import { describe, expect, it } from 'vitest';
import { createTaskSlots } from '../../../infra/local/local-workflow.js';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

describe('local task slots (Lambda concurrency of the local runtime)', () => {
  it('runs at most `limit` tasks at once and queues the rest', async () => {
    const slots = createTaskSlots(2);
    const gates = [deferred(), deferred(), deferred()];
    const started: number[] = [];
    const runs = gates.map((gate, i) => slots.run(i, async () => {
      started.push(i);
      await gate.promise;
      return i;
    }));
    await new Promise((r) => setTimeout(r, 0));
    expect(started).toEqual([0, 1]);
    expect(slots.queued()).toBe(1);
    gates[0]?.resolve();
    await runs[0];
    await new Promise((r) => setTimeout(r, 0));
    expect(started).toEqual([0, 1, 2]);
    gates[1]?.resolve();
    gates[2]?.resolve();
    expect(await Promise.all(runs)).toEqual([0, 1, 2]);
    expect(slots.queued()).toBe(0);
  });

  it('gives a freed slot to the oldest execution waiting, not to the first caller', async () => {
    const slots = createTaskSlots(1);
    const hold = deferred();
    const order: number[] = [];
    const first = slots.run(5, () => hold.promise);
    // Newer executions ask first; an older one (a later stage of an execution started before them) asks last.
    const waiting = [9, 7, 2].map((execution) => slots.run(execution, async () => {
      order.push(execution);
    }));
    hold.resolve();
    await Promise.all([first, ...waiting]);
    expect(order).toEqual([2, 7, 9]);
  });

  it('frees the slot when a task throws', async () => {
    const slots = createTaskSlots(1);
    await expect(slots.run(1, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await slots.run(2, async () => 'ran')).toBe('ran');
  });

  it('rejects a limit that is not a positive integer', () => {
    expect(() => createTaskSlots(0)).toThrow(/positive integer/);
    expect(() => createTaskSlots(1.5)).toThrow(/positive integer/);
  });
});
