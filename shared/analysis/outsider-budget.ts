/**
 * The model budget of failures an outsider controls. Whoever opens a pull request from a fork can make its runs fail
 * on every push, from as many forks as they like; each failure was a model call on the deployment's account. Their
 * analyses draw on a budget of their own (LLM_OUTSIDER_ANALYSES_PER_HOUR); once it is spent they get the offline
 * analysis, and are recorded and notified as any other.
 */
import { countsAsEvidence, type Incident } from '../domain/incident.js';
import type { ModelBudgetClaim } from '../ports.js';

/**
 * Whether an incident's model analysis draws on the outsiders' budget: a GitHub run that may execute code an outsider
 * controls, the runs that do not count as evidence (`countsAsEvidence`: a fork's, unknown heads included, or a
 * `pull_request_target`, `issue_comment` or `workflow_run` run that may run a fork's code as this repository's).
 * Escalations key the same runs apart (`githubProblemKey`). The repository's own runs and alarms never draw on it.
 */
export function drawsOnOutsiderModelBudget(incident: Pick<Incident, 'source' | 'fromFork' | 'runEvent'>): boolean {
  return incident.source === 'github' && !countsAsEvidence(incident);
}

/** The reason an analysis was done offline because the outsiders' budget was spent (`analysis.fallbackReason`). */
export function outsiderBudgetSpentReason(claim: ModelBudgetClaim): string {
  return (
    `model budget for runs outsiders control spent: ${claim.used} of ${claim.max} analyses in the hour from ` +
    `${claim.windowStart.toISOString()} (LLM_OUTSIDER_ANALYSES_PER_HOUR); analysed offline`
  );
}
