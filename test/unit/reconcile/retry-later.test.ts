import { describe, expect, it } from 'vitest';
import { MAX_FAILURES, retryAfterFailure, retryFromNextRun } from '../../../shared/reconcile/retry-later.js';

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
