/**
 * `/guard` decisions recorded on their incident but maybe not yet resumed (SendTaskSuccess / SendTaskFailure), kept in
 * the incidents table as due entries `APPROVALRESUME#<day>` / `<decision time>#<incident id>`
 * (shared/stores/due-index.ts). The command's handler schedules one before it records the decision, so a handler that
 * dies at any point after that (a Lambda timeout, OOM) leaves it, and GitHub, which redelivers nothing by itself,
 * is not needed for the execution to be resumed: the reconciler resumes the decisions its handlers left
 * (shared/reconcile/approval-resumes.ts) and deletes each entry once nothing is left to resume.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type DueKey, createDueIndex, storedRetries } from './due-index.js';

/** Past the longest approval wait (7 days) and the reconciler's longest look-back (14 days), an entry goes. */
const DUE_TTL_SECONDS = 15 * 86_400;

/** A decision to resume: its incident and the decision's time (`approval.decidedAt`), which tells it from a later one. */
export interface RecordedDecision {
  incidentId: string;
  decidedAt: string;
}

/** A decision as {@link ApprovalResumes.due} lists it. */
export interface ListedDecision extends RecordedDecision {
  /** Its entry as stored: at `decidedAt` (or where it was listed) until a resume of it fails, later after each failure. */
  entry: DueKey;
  /** Resumes of it that failed so far. */
  failures: number;
}

export interface ApprovalResumes {
  /**
   * Lists the decision for resuming; scheduling it again (a retried handler) adds nothing. `listedAt`: when it is
   * listed, if not at the decision's time. The reconciler resumes only decisions listed its grace (`afterMinutes`)
   * ago, so as not to race the handler that recorded one and resumes it itself; a decision that no handler resumes
   * (Notify's carried-over approval: Notify may not call Step Functions) is listed that much earlier, for its next run.
   */
  schedule(decision: RecordedDecision, options?: { listedAt?: string }): Promise<void>;
  /** The decisions recorded by `recordedBefore` (or moved there after a failure) within the look-back, oldest first, at most `limit`. */
  due(recordedBefore: Date, options: { limit: number; lookbackHours: number }): Promise<ListedDecision[]>;
  /** Resumed, or nothing left to resume: its entry goes (at the decision's time, when `decision` is not a listed one). */
  done(decision: RecordedDecision | ListedDecision): Promise<void>;
  /** A resume that failed: its entry moves to `at`, its failures counted; false when it is gone meanwhile. */
  retry(decision: ListedDecision, at: Date): Promise<boolean>;
  /**
   * A decision nothing can resume before `at` (kept for its request's retry until its wait's end): its entry moves
   * there, its failures as they were, so it takes no run's share meanwhile; false when it is gone meanwhile.
   */
  postpone(decision: ListedDecision, at: Date): Promise<boolean>;
}

export function createApprovalResumes(options: { client: DynamoDBDocumentClient; tableName: string }): ApprovalResumes {
  const index = createDueIndex({ ...options, prefix: 'APPROVALRESUME#' });
  const scheduledAt = (decision: RecordedDecision): DueKey => ({ id: decision.incidentId, dueAt: decision.decidedAt });
  const moveTo = (decision: ListedDecision, at: Date, failures: number) =>
    index.move(decision.entry, { id: decision.entry.id, dueAt: at.toISOString() }, { incidentId: decision.incidentId, decidedAt: decision.decidedAt, failures }, DUE_TTL_SECONDS);
  return {
    schedule: (decision, options = {}) =>
      options.listedAt
        ? index.put({ id: decision.incidentId, dueAt: options.listedAt }, { incidentId: decision.incidentId, decidedAt: decision.decidedAt }, DUE_TTL_SECONDS)
        : index.put(scheduledAt(decision), { incidentId: decision.incidentId }, DUE_TTL_SECONDS),
    async due(recordedBefore, limits) {
      return (await index.due(recordedBefore, limits)).map((item) => ({
        incidentId: String(item.incidentId),
        // Kept on the entry once it moved or when listed early; otherwise the entry is due at the decision's time.
        decidedAt: String(item.decidedAt ?? item.dueAt),
        ...storedRetries(item),
      }));
    },
    done: (decision) => index.drop('entry' in decision ? decision.entry : scheduledAt(decision)),
    retry: (decision, at) => moveTo(decision, at, decision.failures + 1),
    postpone: (decision, at) => moveTo(decision, at, decision.failures),
  };
}
