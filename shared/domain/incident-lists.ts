/**
 * The lists an incident keeps (history, audit trail, notifications, stage errors) grow with every write: a stage's,
 * a re-drive's, every `/guard` command on the pull request. One write appends a bounded number of entries; these
 * bound the lists in total, so a long-lived incident stays far below DynamoDB's 400 KB item (over it, every write of
 * the incident fails, its resolution and notification too) and the dashboard's answer for it stays small. A list
 * over a bound keeps its most recent entries and counts the ones it dropped, in `<list>Dropped` on the incident.
 */
export type IncidentListName = 'history' | 'audit' | 'notifications' | 'stageErrors';

export interface ListBound {
  /** Entries at most. */
  readonly entries: number;
  /** Bytes at most, as JSON: an entry's detail can be 1,000 characters. */
  readonly bytes: number;
}

/** Together at most 192 KB: the rest of the item (failure lines, jobs, analysis, trigger) has room beside them. */
export const INCIDENT_LIST_BOUNDS: Readonly<Record<IncidentListName, ListBound>> = {
  history: { entries: 200, bytes: 96 * 1024 },
  audit: { entries: 100, bytes: 48 * 1024 },
  notifications: { entries: 100, bytes: 32 * 1024 },
  stageErrors: { entries: 50, bytes: 16 * 1024 },
};

/** The incident's field counting the entries dropped from each list. */
export const DROPPED_FIELD = {
  history: 'historyDropped',
  audit: 'auditDropped',
  notifications: 'notificationsDropped',
  stageErrors: 'stageErrorsDropped',
} as const satisfies Record<IncidentListName, string>;

/**
 * A list over its bound is cut to this share of it: cut to the bound itself, a list at its bound would be cut
 * again (one more write) after every append.
 */
const KEPT_SHARE = 0.75;

/**
 * How many of the oldest entries of `list` to drop: none within `bound`; over it, as many as it takes to bring the
 * list to {@link KEPT_SHARE} of its bound in entries and in bytes.
 */
export function entriesToDrop(list: readonly unknown[], bound: ListBound): number {
  const sizes = list.map((entry) => Buffer.byteLength(JSON.stringify(entry) ?? 'null') + 1);
  let bytes = sizes.reduce((sum, size) => sum + size, 0);
  if (list.length <= bound.entries && bytes <= bound.bytes) return 0;
  const keepEntries = Math.floor(bound.entries * KEPT_SHARE);
  const keepBytes = Math.floor(bound.bytes * KEPT_SHARE);
  let drop = 0;
  while (drop < list.length && (list.length - drop > keepEntries || bytes > keepBytes)) {
    bytes -= sizes[drop]!;
    drop += 1;
  }
  return drop;
}
