import { conditionalWrite } from './dynamo.js';

/**
 * Counts on a shared counter item (a knowledge entry, a repository's metrics, an experiment variant) made once per
 * event whatever the crashes and redeliveries, without transactions (the local stand-in has none): the `ADD` writes
 * the event's mark on the counter item in the same conditional update, and an event whose mark is there counts
 * nothing. So an outcome can take its claim on the incident first and apply its counts after it, and a delivery that
 * finds the claim taken (the first one died between the two, or failed for now) applies them all again: the ones
 * already made are refused by their marks, the others made once.
 *
 * Marks go in one string set per UTC day of the event's claim (`countMarks#<day>`), which each marked write names
 * from the claim's time, so every delivery of the event looks in the same set. The marks are needed only while a
 * delivery may still apply the event again: a claim older than {@link MARK_WINDOW_DAYS} is not applied again
 * ({@link withinMarkWindow}), and each marked write removes the sets of the days before that, so an item carries
 * the marks of the last few days' events only. A set of a day no write followed in the week after it stays (a few
 * ids of a quiet item).
 */
export interface CountMark {
  /** The event and what it counts, e.g. `outcome#<incident>#metrics`: one id per counter item and event. */
  id: string;
  /** When the event's claim was taken on its incident: the same on every delivery. */
  claimedAt: Date;
}

/** How long after its claim an event's counts may be applied again: longer than its deliveries are retried. */
export const MARK_WINDOW_DAYS = 3;
/** Days of older sets each marked write removes, before the window. */
const PRUNED_DAYS = 7;
const DAY_MS = 86_400_000;

const setName = (time: number) => `countMarks#${new Date(time).toISOString().slice(0, 10)}`;

/** Whether an event claimed at `claimedAt` may still be applied again at `now` (its marks are kept). */
export function withinMarkWindow(claimedAt: Date, now: Date): boolean {
  const age = now.getTime() - claimedAt.getTime();
  return Number.isFinite(age) && age < MARK_WINDOW_DAYS * DAY_MS;
}

/** The clauses a marked counter write adds to its update: `ADD`, `REMOVE` and a condition, with their names and values. */
export interface MarkClauses {
  add: string;
  remove: string;
  condition: string;
  names: Record<string, string>;
  values: Record<string, unknown>;
}

export function markClauses(mark: CountMark): MarkClauses {
  const claimed = mark.claimedAt.getTime();
  const names: Record<string, string> = { '#countMarks': setName(claimed) };
  const old: string[] = [];
  for (let day = 1; day <= PRUNED_DAYS; day += 1) {
    names[`#countMarksOld${day}`] = setName(claimed - (MARK_WINDOW_DAYS + day) * DAY_MS);
    old.push(`#countMarksOld${day}`);
  }
  return {
    add: '#countMarks :countMarkSet',
    remove: old.join(', '),
    condition: 'NOT contains(#countMarks, :countMark)',
    names,
    values: { ':countMark': mark.id, ':countMarkSet': new Set([mark.id]) },
  };
}

/** Whether a stored counter item carries the mark (for a write that reads the item first). */
export function markedOn(item: Record<string, unknown> | undefined, mark: CountMark): boolean {
  const set = item?.[setName(mark.claimedAt.getTime())];
  return set instanceof Set && set.has(mark.id);
}

/** An update expression of `SET`, `ADD` and `REMOVE` clauses (each left out when empty). */
export function updateExpression(clauses: { set?: string[]; add?: string[]; remove?: string[] }): string {
  return [
    clauses.set?.length ? `SET ${clauses.set.join(', ')}` : '',
    clauses.add?.length ? `ADD ${clauses.add.join(', ')}` : '',
    clauses.remove?.length ? `REMOVE ${clauses.remove.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

/** Sends a marked write: true when it counted, false when its mark was there (counted before). */
export async function countOnce(send: () => Promise<unknown>): Promise<boolean> {
  return (await conditionalWrite(send)) !== null;
}
