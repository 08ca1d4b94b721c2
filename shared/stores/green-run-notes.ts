import { createHash } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { GreenRunNote, LaterOnRecord } from '../domain/recovery.js';
import { noteLatest, readItems } from './dynamo.js';
import { incidentKey } from './incident-store.js';

/**
 * Each scope's latest green Actions run, kept in the incidents table beside its incidents (items `GREENRUN#…`, in no
 * index), as an alarm's latest OK is: the outcome recorder notes it, classify reads it (shared/domain/recovery.ts,
 * `supersededFields`). Its own module, built only for those two, so the other functions' bundles do not carry it.
 */
export interface GreenRunNotes {
  /**
   * Notes a green run as the scope's latest, unless one that completed later is noted already: one conditional write,
   * so a late or redelivered green run never moves it back. True when it moved.
   */
  noteGreenRun(scope: string, green: GreenRunNote): Promise<boolean>;
  /**
   * What may supersede a failure being classified, in one consistent batch read: the scope's latest green run noted
   * (in the last 30 days), and whether incident `nextAttemptId` (the next attempt of the failure's run) exists.
   */
  laterOnRecord(scope: string, nextAttemptId: string | null): Promise<LaterOnRecord>;
}

/**
 * How long a note is kept after it was last moved: far beyond a late failure's delivery (GitHub lets a delivery be
 * redelivered for 3 days).
 */
const GREEN_RUN_TTL_SECONDS = 30 * 86_400;
/** The attributes of a note, as `laterOnRecord` reads them (the next attempt's incident is read by key alone). */
const GREEN_RUN_FIELDS = ['completedAt', 'runId', 'runAttempt', 'runNumber', 'resolvedBy'];

/** The item holding a scope's latest green run; the scope is hashed (up to 1,000 characters), as an alarm's ARN is. */
export function greenRunKey(scope: string): { pk: string; sk: string } {
  return { pk: `GREENRUN#${createHash('sha256').update(scope).digest('hex').slice(0, 40)}`, sk: 'GREENRUN' };
}

/** A note as stored, or null when the item is none (absent, or not readable as one). */
function greenRunOf(item: Record<string, unknown> | undefined): GreenRunNote | null {
  const completedAt = typeof item?.completedAt === 'string' ? Date.parse(item.completedAt) : Number.NaN;
  if (!item || Number.isNaN(completedAt) || typeof item.runId !== 'number' || typeof item.resolvedBy !== 'string') return null;
  return {
    runId: item.runId,
    runAttempt: typeof item.runAttempt === 'number' ? item.runAttempt : 1,
    runNumber: typeof item.runNumber === 'number' ? item.runNumber : null,
    resolvedBy: item.resolvedBy,
    completedAt: new Date(completedAt),
  };
}

export function createGreenRunNotes(options: { client: DynamoDBDocumentClient; tableName: string; clock?: () => Date }): GreenRunNotes {
  const { client, tableName } = options;
  const clock = options.clock ?? (() => new Date());
  return {
    noteGreenRun(scope, { completedAt, ...run }) {
      const expiresAt = Math.floor(clock().getTime() / 1000) + GREEN_RUN_TTL_SECONDS;
      return noteLatest(client, tableName, greenRunKey(scope), { ...run, completedAt: completedAt.toISOString(), expiresAt }, 'completedAt');
    },

    async laterOnRecord(scope, nextAttemptId) {
      const noteKey = greenRunKey(scope);
      const nextKey = nextAttemptId === null ? null : incidentKey(nextAttemptId);
      const items = await readItems(client, tableName, nextKey ? [noteKey, nextKey] : [noteKey], { consistentRead: true, fields: GREEN_RUN_FIELDS });
      return {
        green: greenRunOf(items.find((item) => item.pk === noteKey.pk)),
        nextAttemptFailed: nextKey !== null && items.some((item) => item.pk === nextKey.pk),
      };
    },
  };
}
