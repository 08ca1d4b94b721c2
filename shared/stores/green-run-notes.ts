import { createHash } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { GreenRunNote, LaterOnRecord } from '../domain/recovery.js';
import { noteLatest, readItems } from './dynamo.js';
import { incidentKey } from './incident-store.js';

/**
 * Each scope's latest green run (an Actions run, or another CI's check run) and its green run of the newest run
 * number, kept in the incidents table beside its incidents (two items under one `GREENRUN#…` key, in no index), as an
 * alarm's latest OK is: the outcome recorder notes them, classify reads them (shared/domain/recovery.ts,
 * `supersededFields`). Its own module, built only for those two, so the other functions' bundles do not carry it.
 */
export interface GreenRunNotes {
  /**
   * Notes a green run as the scope's latest, unless one that completed later is noted already, and as its newest run
   * (one with a run number), unless one of a higher number, or of the same number completed later, is: one
   * conditional write each, so a late or redelivered green run never moves either back. The same write stamps the
   * note with its time (`notedAt`), which a failure superseded by it is told against. True when either moved.
   */
  noteGreenRun(scope: string, green: Omit<GreenRunNote, 'notedAt'>): Promise<boolean>;
  /**
   * What may supersede a failure being classified, in one consistent batch read: the scope's latest green run and
   * newest run noted (in the last 30 days), and the latest of `laterAttempts` (the failure's run's next attempts, at
   * most LATER_ATTEMPTS_READ) whose incident exists.
   */
  laterOnRecord(scope: string, laterAttempts: ReadonlyArray<LaterAttempt>): Promise<LaterOnRecord>;
}

/** A later attempt of a failure's run, and the id its incident has once it is delivered. */
export interface LaterAttempt {
  attempt: number;
  incidentId: string;
}

/**
 * How long a note is kept after it was last moved: far beyond a late failure's delivery (GitHub lets a delivery be
 * redelivered for 3 days).
 */
const GREEN_RUN_TTL_SECONDS = 30 * 86_400;
/** The attributes of a note, as `laterOnRecord` reads them (the next attempt's incident is read by key alone). */
const GREEN_RUN_FIELDS = ['completedAt', 'runId', 'runAttempt', 'runNumber', 'resolvedBy', 'notedAt'];

/** The item holding a scope's latest green run; the scope is hashed (up to 1,000 characters), as an alarm's ARN is. */
export function greenRunKey(scope: string): { pk: string; sk: string } {
  return { pk: `GREENRUN#${createHash('sha256').update(scope).digest('hex').slice(0, 40)}`, sk: 'GREENRUN' };
}

/** The item holding a scope's green run of the newest run number, beside its latest green run. */
function newestRunKey(scope: string): { pk: string; sk: string } {
  return { ...greenRunKey(scope), sk: 'NEWESTRUN' };
}

/** A note as stored, or null when the item is none (absent, or not readable as one). */
function greenRunOf(item: Record<string, unknown> | undefined): GreenRunNote | null {
  const completedAt = typeof item?.completedAt === 'string' ? Date.parse(item.completedAt) : Number.NaN;
  if (!item || Number.isNaN(completedAt) || (item.runId !== null && typeof item.runId !== 'number') || typeof item.resolvedBy !== 'string') return null;
  return {
    runId: item.runId as number | null,
    runAttempt: typeof item.runAttempt === 'number' ? item.runAttempt : 1,
    runNumber: typeof item.runNumber === 'number' ? item.runNumber : null,
    resolvedBy: item.resolvedBy,
    completedAt: new Date(completedAt),
    ...(typeof item.notedAt === 'string' && !Number.isNaN(Date.parse(item.notedAt)) ? { notedAt: new Date(item.notedAt) } : {}),
  };
}

export function createGreenRunNotes(options: { client: DynamoDBDocumentClient; tableName: string; clock?: () => Date }): GreenRunNotes {
  const { client, tableName } = options;
  const clock = options.clock ?? (() => new Date());
  return {
    ...createGreenRunReads(options),

    async noteGreenRun(scope, { completedAt, ...run }) {
      const now = clock();
      const expiresAt = Math.floor(now.getTime() / 1000) + GREEN_RUN_TTL_SECONDS;
      const note = { ...run, completedAt: completedAt.toISOString(), notedAt: now.toISOString(), expiresAt };
      const [latest, newest] = await Promise.all([
        noteLatest(client, tableName, greenRunKey(scope), note, 'completedAt'),
        run.runNumber === null ? false : noteLatest(client, tableName, newestRunKey(scope), note, 'completedAt', 'runNumber'),
      ]);
      return latest || newest;
    },
  };
}

/** Of {@link GreenRunNotes}, the read classify makes: its bundle then carries no note writes. */
export function createGreenRunReads(options: { client: DynamoDBDocumentClient; tableName: string }): Pick<GreenRunNotes, 'laterOnRecord'> {
  const { client, tableName } = options;
  return {
    async laterOnRecord(scope, laterAttempts) {
      const noteKey = greenRunKey(scope);
      const newestKey = newestRunKey(scope);
      const attempts = laterAttempts.map(({ attempt, incidentId }) => ({ attempt, key: incidentKey(incidentId) }));
      const items = await readItems(client, tableName, [noteKey, newestKey, ...attempts.map(({ key }) => key)], { consistentRead: true, fields: GREEN_RUN_FIELDS });
      const stored = new Set(items.map((item) => item.pk));
      const noteAt = (key: { pk: string; sk: string }) => greenRunOf(items.find((item) => item.pk === key.pk && item.sk === key.sk));
      return {
        green: noteAt(noteKey),
        newestRun: noteAt(newestKey),
        laterAttemptFailed: attempts.reduce<number | null>((latest, { attempt, key }) => (stored.has(key.pk) && attempt > (latest ?? 0) ? attempt : latest), null),
      };
    },
  };
}
