import { describe, expect, it } from 'vitest';
import { type FailedEntry, MAX_FAILURES, afterFailure, retryAfterFailure, retryFromNextRun } from '../../../shared/reconcile/retry-later.js';

const NOW = new Date('2026-11-25T04:00:00Z');
const minutesAfter = (failures: number) => {
  const at = retryAfterFailure(NOW, failures);
  return at === null ? null : (at.getTime() - NOW.getTime()) / 60_000;
};

describe('retry-later: when a failed due entry is tried again', () => {
  it('waits 5 minutes after the first failure, doubling, at most 4 hours, and gives up at the 8th', () => {
    expect(MAX_FAILURES).toBe(8);
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9].map(minutesAfter)).toEqual([5, 10, 20, 40, 80, 160, 240, null, null]);
  });

  it('tries an entry 8 times over 9 h 15 min before it gives it up', () => {
    const waits = [1, 2, 3, 4, 5, 6, 7].map((failures) => minutesAfter(failures) as number);
    expect(waits.reduce((sum, wait) => sum + wait, 0)).toBe(9 * 60 + 15);
  });
});

describe('retry-later from the next run: when an incident whose re-drive or escalation failed is tried again', () => {
  const waitAfter = (failures: number) => {
    const at = retryFromNextRun(NOW, failures);
    return at === null ? null : (at.getTime() - NOW.getTime()) / 60_000;
  };

  it('is due at once after the first failure (the next run), then 5 minutes doubling, and gives up at the 8th', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9].map(waitAfter)).toEqual([0, 5, 10, 20, 40, 80, 160, null, null]);
  });
});

describe('afterFailure: the tail every sweep runs after a due entry failed', () => {
  /** A due entry with `failures` failures so far, recording what afterFailure made of its next failure. */
  function entryAfter(failures: number, fromNextRun?: boolean) {
    const done: { moved?: { retryAt: Date; failures: number; failedAt: Date }; dropped?: { failures: number; failedAt: Date }; counted: string[] } = { counted: [] };
    const entry: FailedEntry = {
      failures,
      ...(fromNextRun === undefined ? {} : { fromNextRun }),
      named: { retried: { id: 'e' }, givenUp: { id: 'e' } },
      retry: {
        message: 'retried',
        counted: () => done.counted.push('failed'),
        move: async (retryAt, failuresNow, failedAt) => void (done.moved = { retryAt, failures: failuresNow, failedAt }),
      },
      giveUp: {
        message: 'given up',
        counted: () => done.counted.push('givenUp'),
        drop: async (failuresNow, failedAt) => void (done.dropped = { failures: failuresNow, failedAt }),
      },
    };
    return { entry, done };
  }
  const deps = { clock: () => NOW, logger: { warn() {}, error() {} } };
  const minutesTo = (at: Date | undefined) => (at === undefined ? null : (at.getTime() - NOW.getTime()) / 60_000);

  it("moves an entry to retryAfterFailure's time, with its failures and when it failed, and drops it at the 8th failure", async () => {
    const first = entryAfter(0);
    await afterFailure(first.entry, new Error('throttled'), deps);
    expect(first.done).toEqual({ moved: { retryAt: new Date(NOW.getTime() + 5 * 60_000), failures: 1, failedAt: NOW }, counted: ['failed'] });

    const last = entryAfter(MAX_FAILURES - 1);
    await afterFailure(last.entry, new Error('throttled'), deps);
    expect(last.done).toEqual({ dropped: { failures: MAX_FAILURES, failedAt: NOW }, counted: ['givenUp'] });
  });

  it("from the next run: moves an entry to retryFromNextRun's time (at once after its first failure), and gives it up at the same 8th", async () => {
    const after = [];
    for (let failures = 0; failures < MAX_FAILURES; failures++) {
      const { entry, done } = entryAfter(failures, true);
      await afterFailure(entry, new Error('throttled'), deps);
      after.push(done);
    }
    expect(after.map((done) => minutesTo(done.moved?.retryAt))).toEqual([0, 5, 10, 20, 40, 80, 160, null]);
    expect(after.at(-1)).toEqual({ dropped: { failures: MAX_FAILURES, failedAt: NOW }, counted: ['givenUp'] });
  });
});
