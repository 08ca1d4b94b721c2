/**
 * Vote changes whose applier died between the vote's write and its counters (a `kill -9`, a Lambda timeout): each is
 * recorded on its vote item with the vote (shared/knowledge/votes.ts), with a due entry at the time it was recorded.
 * The reconciler finishes those recorded more than its `afterMinutes` ago, longer than any function that records votes
 * runs, so their applier is surely gone; bounded per run, the rest wait for the next run. A change finished meanwhile
 * (by the user's next vote) is dropped from the index.
 */
import { errorMessage } from '../errors.js';
import type { PendingVoteChange, Votes } from '../knowledge/votes.js';
import type { Clock, StepLogger } from '../ports.js';
import type { IncidentStore } from '../stores/incident-store.js';

export interface PendingVoteDeps {
  votes: Pick<Votes, 'pendingChanges' | 'finishPendingChange'>;
  incidents: Pick<IncidentStore, 'get'>;
  clock: Clock;
  logger: StepLogger;
}

export interface PendingVoteResult {
  /** Changes whose remaining counters this run moved. */
  finished: number;
  /** Entries of changes finished already. */
  gone: number;
  /** Changes that failed: they wait for the next run. */
  failed: number;
}

export async function finishPendingVotes(
  deps: PendingVoteDeps,
  options: { maxPerRun: number; afterMinutes: number; lookbackHours: number },
): Promise<PendingVoteResult> {
  const result: PendingVoteResult = { finished: 0, gone: 0, failed: 0 };
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
      result.failed += 1;
      deps.logger.warn('a pending vote change could not be finished; it waits for the next run', { incidentId: entry.incidentId, error: errorMessage(error) });
    }
  }
  if (result.finished > 0 || result.failed > 0) deps.logger.info('pending vote changes', { ...result });
  return result;
}
