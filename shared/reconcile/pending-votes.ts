/**
 * Vote changes whose applier died between the vote's write and its counters (a `kill -9`, a Lambda timeout): each is
 * recorded on its vote item with the vote (shared/knowledge/votes.ts), with a due entry at the time it was recorded.
 * The reconciler finishes those recorded more than its `afterMinutes` ago, longer than any function that records votes
 * runs, so their applier is surely gone; bounded per run, the rest wait for the next run. A change finished meanwhile
 * (by the user's next vote) is dropped from the index.
 *
 * The index is read oldest first, so a change whose finish fails every time (its incident unreadable, a counter
 * write refused, a malformed item) would stay at its head, and a run's worth of them would hold back every newer
 * change for good. A failed finish therefore moves the change's due entry later (./retry-later.ts: 5 minutes doubling,
 * at most 4 hours; listed, as every entry, `afterMinutes` after its time), its failures counted on the entry. After
 * {@link MAX_FAILURES} failures, about ten hours of them with the default `afterMinutes`, the change is given
 * up: an error is logged with what identifies it and the `PendingVoteChangesAbandoned` metric counts it, for whoever
 * runs the guard to look at the cause. Its due entry goes, but the change itself stays on the user's vote item, nothing
 * of it lost: the user's next vote on the incident finishes it first, as it finishes any pending change of theirs. A
 * transient outage (DynamoDB throttling for an hour or two) is outlasted; a change that cannot be finished stops
 * costing every run a read and a failure. Moving an entry costs two writes, on failures only.
 */
import { RECONCILER_METRIC } from '../adapters/metric-names.js';
import { errorMessage } from '../errors.js';
import type { PendingVoteChange, Votes } from '../knowledge/votes.js';
import type { Clock, Metrics, StepLogger } from '../ports.js';
import type { IncidentStore } from '../stores/incident-store.js';
import { MAX_FAILURES, afterFailure } from './retry-later.js';

export interface PendingVoteDeps {
  votes: Pick<Votes, 'pendingChanges' | 'finishPendingChange' | 'retryPendingChange' | 'abandonPendingChange'>;
  incidents: Pick<IncidentStore, 'get'>;
  clock: Clock;
  logger: StepLogger;
  metrics: Metrics;
}

export interface PendingVoteResult {
  /** Changes whose remaining counters this run moved. */
  finished: number;
  /** Entries of changes finished already. */
  gone: number;
  /** Changes that failed: they wait for a later run. */
  failed: number;
  /** Changes given up after failing too often (see the module's comment). */
  abandoned: number;
}

export async function finishPendingVotes(
  deps: PendingVoteDeps,
  options: { maxPerRun: number; afterMinutes: number; lookbackHours: number },
): Promise<PendingVoteResult> {
  const result: PendingVoteResult = { finished: 0, gone: 0, failed: 0, abandoned: 0 };
  if (options.maxPerRun <= 0) return result;
  let due: PendingVoteChange[];
  try {
    const recordedBefore = new Date(deps.clock().getTime() - options.afterMinutes * 60_000);
    due = await deps.votes.pendingChanges(recordedBefore, { limit: options.maxPerRun, lookbackHours: options.lookbackHours });
  } catch (error) {
    // As for the late reads of reactions: the run's other work is done, and this waits for the next run.
    deps.logger.warn('the pending vote changes could not be listed; they wait for the next run', { error: errorMessage(error) });
    return result;
  }
  for (const entry of due) {
    try {
      const outcome = await deps.votes.finishPendingChange(await deps.incidents.get(entry.incidentId), entry);
      result[outcome] += 1;
    } catch (error) {
      const { incidentId, user, changeId, recordedAt } = entry;
      await afterFailure({
        failures: entry.failures,
        named: { retried: { incidentId }, givenUp: { incidentId, user, changeId, recordedAt } },
        retry: {
          message: 'a pending vote change could not be finished; it is tried again later',
          counted: () => (result.failed += 1),
          move: (retryAt) => deps.votes.retryPendingChange(entry, retryAt),
        },
        giveUp: {
          message: "a pending vote change was given up: its finish kept failing; it stays on the vote item, and the user's next vote finishes it",
          counted: () => (result.abandoned += 1),
          drop: () => deps.votes.abandonPendingChange(entry),
        },
      }, error, deps).catch((moveError: unknown) => {
        // Left where it is, at the head of the index: the next run tries it, and moves it, again.
        deps.logger.warn('a failed pending vote change could not be moved later; it waits for the next run', { incidentId: entry.incidentId, error: errorMessage(moveError) });
      });
    }
  }
  deps.metrics.count(RECONCILER_METRIC.pendingVotesAbandoned, result.abandoned);
  if (result.finished > 0 || result.failed > 0 || result.abandoned > 0) deps.logger.info('pending vote changes', { ...result });
  return result;
}
