import { NotFoundError, errorMessage, isRetryable } from '../errors.js';
import { summarizeHistory } from '../knowledge/history.js';
import { SEEN_CLAIM, previousAttemptId } from '../knowledge/learning.js';
import type { KnowledgeLookupDeps } from './deps.js';
import { type KnowledgeResult, parseState } from './state.js';

/** Earlier incidents examined per lookup: bounds the DynamoDB reads whatever the history size. */
const MAX_EARLIER_INCIDENTS = 50;

/**
 * Knowledge stage: what happened the previous times this failure was seen and what fixed it (incident history,
 * then the knowledge base: exact fingerprint, then similar templates), the incident's experiment variant, and a
 * recommendation. The result goes on the incident, where the analyzer and the PR comment read it.
 */
export async function knowledgeLookupStep(input: unknown, deps: KnowledgeLookupDeps): Promise<KnowledgeResult> {
  const { trigger } = parseState(input);
  const incident = await deps.incidents.get(trigger.incidentId);
  if (!incident) throw new NotFoundError(`incident ${trigger.incidentId} not found`);
  const earlier = await deps.incidents.listHistory(incident, MAX_EARLIER_INCIDENTS + 1);
  let knowledge = summarizeHistory(incident, earlier);
  let experiment = incident.experiment ?? null;
  let lookedUp = false;
  const learning = deps.learning;
  if (learning) {
    // A failed attempt after our automatic re-run is that re-run's outcome: it did not fix the failure.
    const previousId = previousAttemptId(incident);
    const previous = previousId ? await deps.incidents.get(previousId) : null;
    if (previous && (await learning.onRemediationFailed(previous))) {
      deps.logger.info('re-run did not fix the failure', { incidentId: previous.id });
    }
    try {
      ({ knowledge, experiment } = await learning.lookup(incident, knowledge));
      lookedUp = true;
    } catch (error) {
      // The history is still worth passing on; the knowledge base is an addition, never a reason to fail the stage.
      deps.logger.warn('knowledge base lookup failed; using incident history only', { error: errorMessage(error) });
    }
  }
  // The write that stores the result also takes the "seen" claim (one write instead of a separate claim), and says
  // when it was taken: a retried stage finds it taken and counts again, each count kept once by its mark
  // (shared/stores/count-marks.ts), so a stage that died between the claim and the counts loses none of them.
  const { claimedAt } = await deps.incidents.record(
    incident.id,
    { knowledge, ...(experiment ? { experiment } : {}) },
    { history: [{ at: deps.clock().toISOString(), event: 'knowledge', detail: knowledge.summary.slice(0, 500) }] },
    lookedUp ? { claim: SEEN_CLAIM } : {},
  );
  if (claimedAt && learning) {
    try {
      await learning.countSeen(incident, claimedAt);
    } catch (error) {
      // A store that refuses for now fails the stage, whose retry counts what is left; any other error is logged.
      if (isRetryable(error)) throw error;
      deps.logger.warn('could not count the incident in the knowledge base', { incidentId: incident.id, error: errorMessage(error) });
    }
  }
  return { incidentId: incident.id, seenBefore: knowledge.seenBefore };
}
