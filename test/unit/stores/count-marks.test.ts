import { describe, expect, it } from 'vitest';
import { MARK_WINDOW_HOURS, markClauses, markedOn, withinMarkWindow } from '../../../shared/stores/count-marks.js';

const CLAIMED = new Date('2026-11-25T05:40:00Z');
const HOUR = 3_600_000;

describe('count marks', () => {
  it('keeps an event applicable again for the window in hours, not days, so hot counter items stay small', () => {
    expect(withinMarkWindow(CLAIMED, new Date(CLAIMED.getTime() + (MARK_WINDOW_HOURS - 0.5) * HOUR))).toBe(true);
    expect(withinMarkWindow(CLAIMED, new Date(CLAIMED.getTime() + (MARK_WINDOW_HOURS + 0.5) * HOUR))).toBe(false);
    expect(MARK_WINDOW_HOURS).toBeLessThanOrEqual(12);
  });

  it('names the set by the claim hour and removes the sets of the hours just before the window', () => {
    const clauses = markClauses({ id: 'outcomeAt#i1#metrics', claimedAt: CLAIMED });
    expect(clauses.names['#countMarks']).toBe('countMarks#2026-11-25T05');
    const removed = clauses.remove.split(', ').map((name) => clauses.names[name]);
    // The window's own hours stay; the first hour after it goes, and the day behind it.
    expect(removed).not.toContain('countMarks#2026-11-25T00');
    expect(removed).not.toContain(`countMarks#2026-11-24T${String(29 - MARK_WINDOW_HOURS).padStart(2, '0')}`);
    expect(removed).toContain(`countMarks#2026-11-24T${String(29 - MARK_WINDOW_HOURS - 1).padStart(2, '0')}`);
    expect(removed.length).toBeGreaterThanOrEqual(12);
  });

  it('reads a mark back from the set of its claim hour', () => {
    const mark = { id: 'outcomeAt#i1#metrics', claimedAt: CLAIMED };
    expect(markedOn({ 'countMarks#2026-11-25T05': new Set([mark.id]) }, mark)).toBe(true);
    expect(markedOn({ 'countMarks#2026-11-25': new Set([mark.id]) }, mark)).toBe(false);
  });
});
