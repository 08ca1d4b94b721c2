import { conditionalWrite } from './dynamo.js';

/**
 * Counts on a shared counter item (a knowledge entry, a repository's metrics, an experiment variant) made once per
 * event whatever the crashes and redeliveries, without transactions (the local stand-in has none): the `ADD` writes
 * the event's mark on the counter item in the same conditional update, and an event whose mark is there counts
 * nothing. So an outcome can take its claim on the incident first and apply its counts after it, and a delivery that
 * finds the claim taken (the first one died between the two, or failed for now) applies them all again: the ones
 * already made are refused by their marks, the others made once.
 *
 * Marks go in one string set per UTC hour of the event's claim (`countMarks#<hour>`), which each marked write names
 * from the claim's time, so every delivery of the event looks in the same set. The marks are needed only while a
 * delivery may still apply the event again: a claim older than {@link MARK_WINDOW_HOURS} is not applied again
 * ({@link withinMarkWindow}), and each marked write removes the sets of the hours before that, so an item carries
 * the marks of the last hours' events only. Hours, not days: a counter item every event writes (an experiment's
 * variant, a busy repository's metrics, a frequent fingerprint's entry) carries one mark (~60 bytes) per event it
 * counted within the window, against DynamoDB's 400 KB item limit and a write's cost, which grows with the item. A
 * set of an hour no write followed in the day after it stays (a few ids of a quiet item).
 */
export interface CountMark {
  /** The event and what it counts, e.g. `outcome#<incident>#metrics`: one id per counter item and event. */
  id: string;
  /** When the event's claim was taken on its incident: the same on every delivery. */
  claimedAt: Date;
}

/**
 * How long after its claim an event's counts may be applied again: longer than its deliveries are retried (a
 * recovery's redeliveries and a stage's retries take minutes; the reconciler's last re-drive of an execution comes
 * about five and a half hours after its first failure). A webhook someone redelivers by hand later than this (GitHub
 * allows three days) after a crash between the claim and the counts counts those that were missing not at all, as
 * before the marks: never twice.
 */
export const MARK_WINDOW_HOURS = 8;
/** Hours of older sets each marked write removes, before the window. */
const PRUNED_HOURS = 16;
const HOUR_MS = 3_600_000;

const setName = (time: number) => `countMarks#${new Date(time).toISOString().slice(0, 13)}`;

/** Whether an event claimed at `claimedAt` may still be applied again at `now` (its marks are kept). */
export function withinMarkWindow(claimedAt: Date, now: Date): boolean {
  const age = now.getTime() - claimedAt.getTime();
  return Number.isFinite(age) && age < MARK_WINDOW_HOURS * HOUR_MS;
}

/**
 * The marks of an event's counts, one per counter item (`step`: `<event>#<step>`), from its claim: taken at `at`,
 * now (`first`) or by an earlier delivery. Null when an earlier delivery's claim is too old to apply again (its marks
 * may be gone: {@link withinMarkWindow}).
 */
export function marksOfClaim(event: string, claim: { at: Date; first: boolean }, now: Date): ((step: string) => CountMark) | null {
  if (!claim.first && !withinMarkWindow(claim.at, now)) return null;
  return (step) => ({ id: `${event}#${step}`, claimedAt: claim.at });
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
  for (let hour = 1; hour <= PRUNED_HOURS; hour += 1) {
    names[`#countMarksOld${hour}`] = setName(claimed - (MARK_WINDOW_HOURS + hour) * HOUR_MS);
    old.push(`#countMarksOld${hour}`);
  }
  return {
    add: '#countMarks :countMarkSet',
    remove: old.join(', '),
    condition: 'NOT contains(#countMarks, :countMark)',
    names,
    values: { ':countMark': mark.id, ':countMarkSet': new Set([mark.id]) },
  };
}

/**
 * The update that takes a mark off its counter item again (`DELETE` from its hour's set; an emptied set goes with its
 * last element), for an event whose count is also recorded where every delivery reads first, so that no delivery
 * depends on the mark any more. For an event that many of come within the window onto one item (a bulk import of one
 * fingerprint's history), it keeps the item's size from growing with each of them towards DynamoDB's 400 KB limit.
 */
export function releaseClauses(mark: CountMark): { delete: string; names: Record<string, string>; values: Record<string, unknown> } {
  return {
    delete: '#countMarks :countMarkSet',
    names: { '#countMarks': setName(mark.claimedAt.getTime()) },
    values: { ':countMarkSet': new Set([mark.id]) },
  };
}

/** Whether a stored counter item carries the mark (for a write that reads the item first). */
export function markedOn(item: Record<string, unknown> | undefined, mark: CountMark): boolean {
  const set = item?.[setName(mark.claimedAt.getTime())];
  return set instanceof Set && set.has(mark.id);
}

/** Sends a marked write: true when it counted, false when its mark was there (counted before). */
export async function countOnce(send: () => Promise<unknown>): Promise<boolean> {
  return (await conditionalWrite(send)) !== null;
}
