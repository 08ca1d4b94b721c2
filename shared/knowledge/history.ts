import { recoveryByAppliedAction } from '../baselines/flaky.js';
import { type Incident, outsiderCanRepeat, type IncidentHistoryEntry, type KnowledgeMatch, type KnowledgeSummary, type RemediationAction } from '../domain/incident.js';

const ACTION_WORDS: Record<RemediationAction, string> = {
  comment_only: 'a comment',
  rerun_failed_jobs: 're-running the failed jobs',
  open_fix_pr: 'a fix PR',
  run_runbook: 'the runbook',
  escalate: 'escalation',
};

function toMatch(incident: IncidentHistoryEntry): KnowledgeMatch {
  return {
    incidentId: incident.id,
    fingerprint: incident.fingerprint ?? '',
    createdAt: incident.createdAt,
    status: incident.status,
    action: incident.decision?.applied ? incident.decision.action : null,
    recovered: incident.status === 'resolved' ? true : null,
    timeToRecoverySeconds: incident.timeToRecoverySeconds ?? null,
    branch: incident.branch,
    runUrl: incident.runUrl,
    repository: incident.repository,
    repositoryId: incident.repositoryId,
  };
}

/**
 * Summarizes earlier incidents with the same fingerprint: how often it was seen, which actions were applied,
 * and how often the incident recovered afterwards. A fork's incidents, and runs any outsider can cause again and
 * again (a workflow on `issues`), are not this repository's history (see `outsiderCanRepeat`): their author arranges
 * their failures and recoveries, and "re-running fixed it 3 of 3 times" decides what is recommended.
 */
export function summarizeHistory(current: Pick<Incident, 'id'>, earlier: IncidentHistoryEntry[]): KnowledgeSummary {
  const kept = earlier.filter((incident) => incident.id !== current.id && !outsiderCanRepeat(incident));
  const matches = kept.map(toMatch);
  const actionOutcomes: KnowledgeSummary['actionOutcomes'] = {};
  for (const [i, match] of matches.entries()) {
    // A recovery its action did not bring about (a re-run's failure resolved by a commit pushed meanwhile) says
    // nothing of the action, as on the knowledge entry (`recoveryByAppliedAction`).
    if (!match.action || (match.recovered && !recoveryByAppliedAction(kept[i] as IncidentHistoryEntry))) continue;
    const counts = (actionOutcomes[match.action] ??= { attempts: 0, successes: 0 });
    counts.attempts += 1;
    if (match.recovered) counts.successes += 1;
  }
  const recovered = matches.filter((m) => m.recovered).length;
  const parts: string[] = [];
  if (matches.length === 0) {
    parts.push('First time this failure has been seen.');
  } else {
    parts.push(`Seen ${matches.length} time${matches.length === 1 ? '' : 's'} before; recovered ${recovered} time${recovered === 1 ? '' : 's'}.`);
    for (const [action, counts] of Object.entries(actionOutcomes)) {
      parts.push(`${ACTION_WORDS[action as RemediationAction]} fixed it ${counts.successes} of ${counts.attempts} time${counts.attempts === 1 ? '' : 's'}.`);
    }
  }
  return { matches: matches.slice(0, 10), seenBefore: matches.length, actionOutcomes, summary: parts.join(' ') };
}
