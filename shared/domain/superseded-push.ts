import type { HistoryEntry, Incident } from './incident.js';

/*
 * A pull request's failure superseded by the failure of a later push to it (notify's `supersedeEarlierPushes`). Its
 * own module, beside shared/domain/recovery.ts (a failure superseded by a green run or a later attempt): notify is its
 * only user, and recovery.ts brings the recovery message's schema along.
 */

/**
 * Whether `newer` is a failure of the same workflow on the same pull request from a later push than `incident`: its
 * head commit is another, and its run of the workflow a later one (a higher run number; when either is unknown, as for
 * another CI's checks, nothing is superseded: not paging is the unsafe way to be wrong). The pull request has moved on: `incident`'s failure, and a proposal made for
 * it (re-run the old commit's jobs, a fix on top of it), no longer speak for it.
 */
export function isNewerPushFailure(
  incident: Pick<Incident, 'id' | 'source' | 'repository' | 'pullRequest' | 'workflowId' | 'headSha' | 'runNumber'>,
  newer: Pick<Incident, 'id' | 'source' | 'repository' | 'pullRequest' | 'workflowId' | 'headSha' | 'runNumber' | 'runId'>,
): boolean {
  return (
    incident.id !== newer.id && incident.source === 'github' && newer.source === 'github' && Boolean(incident.pullRequest) &&
    incident.repository === newer.repository && incident.pullRequest === newer.pullRequest &&
    incident.workflowId !== null && incident.workflowId === newer.workflowId &&
    Boolean(incident.headSha && newer.headSha) && incident.headSha !== newer.headSha &&
    Boolean(incident.runNumber && newer.runNumber) && (newer.runNumber as number) > (incident.runNumber as number)
  );
}

/**
 * The fields (and history entry) that record a pull request's failure superseded by the failure of a later push
 * (`isNewerPushFailure`): resolved, with no time to recovery, as a failure superseded by a later attempt is. Its
 * comment and page are the newer failure's; a proposal of its own waiting for approval decides nothing any more.
 */
export function supersededByPushFields(
  newer: Pick<Incident, 'runId' | 'runAttempt' | 'headSha'>,
  now: Date,
): { fields: Pick<Incident, 'status' | 'resolvedAt' | 'timeToRecoverySeconds' | 'resolvedBy' | 'supersededBy'>; history: HistoryEntry } {
  const next = `run ${newer.runId} (attempt ${newer.runAttempt ?? 1}) of commit ${(newer.headSha ?? '').slice(0, 7)}`;
  return {
    fields: { status: 'resolved', resolvedAt: now.toISOString(), timeToRecoverySeconds: null, resolvedBy: `superseded by ${next}`, supersededBy: next },
    history: {
      at: now.toISOString(),
      event: 'resolved',
      detail: `superseded: ${next}, a later push to the pull request, failed and is handled on its own incident: nothing more is run, commented or paged for this one, and its proposal decides nothing`,
    },
  };
}
