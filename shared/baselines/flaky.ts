import { type ClaimName, type FlakyMark, type Incident, outsiderCanRepeat } from '../domain/incident.js';
import type { Clock } from '../ports.js';
import { type CountMark, countThenFinish, marksOfClaim, releasableMarks, releaseOnceCounted } from '../stores/count-marks.js';
import type { IncidentRecords } from '../stores/incident-store.js';
import type { BaselineStore } from './store.js';

/**
 * Flaky evidence: a test (or, without per-test results, a job) that failed and then passed on the same commit.
 * Sources: per-test results reported to `POST /gates/evaluate`, and a failed run whose re-run attempt passed.
 */

/**
 * The prefix of a job's evidence name. Reserved: the gate refuses a test of that name (see `gateRequestSchema`), as
 * a test's name is its author's to choose, and would otherwise mark the repository's job flaky.
 */
export const JOB_EVIDENCE_PREFIX = 'job:';

/** Evidence names for an incident's failed jobs (`job:<workflow>/<job>`), so they never collide with test names. */
export function jobEvidenceNames(incident: Pick<Incident, 'workflowName' | 'jobs'>): string[] {
  return incident.jobs.slice(0, 20).map((job) => `${JOB_EVIDENCE_PREFIX}${incident.workflowName ?? 'workflow'}/${job.jobName}`);
}

/** The once-only marker of classify's record of an incident's failed jobs on their commit. */
export const FAILED_JOBS_CLAIM: ClaimName = 'failedJobsRecordedAt';

/**
 * {@link assessFlakiness}'s claim, taken on the incident by a write of its own (classify's comes after the evidence
 * is read), and the mark of the counts it makes, named by when the claim was first taken.
 */
export function failedJobsClaim(incidents: Pick<IncidentRecords, 'record' | 'recordClaimCounted' | 'endClaimReading'>, incidentId: string, clock: Clock): () => Promise<JobCounts | null> {
  return async () => {
    const { claimed, claimedAt, counted } = await incidents.record(incidentId, {}, {}, { claim: FAILED_JOBS_CLAIM, keepUpdatedAt: true });
    if (counted) return null;
    const at = claimedAt ?? clock();
    const marks = marksOfClaim(`${FAILED_JOBS_CLAIM}#${incidentId}`, { at, first: claimed }, clock());
    if (!marks) return null;
    const { mark, releases } = releasableMarks(marks);
    return {
      mark: mark('tests'),
      count: (counts) =>
        countThenFinish(
          counts,
          () => incidents.endClaimReading(incidentId, FAILED_JOBS_CLAIM),
          () => releaseOnceCounted(() => incidents.recordClaimCounted(incidentId, FAILED_JOBS_CLAIM, at), releases),
        ),
    };
  };
}

/**
 * The mark the failed jobs' counts carry, and how they are made: `counts`, then the record of the claim counted and
 * the mark's release (see ClaimCounts.count in shared/stores/incident-claims.ts).
 */
export interface JobCounts {
  mark: CountMark;
  count: (counts: () => Promise<void>) => Promise<void>;
}

/**
 * Records this failure's jobs as failed on its commit (not a fork's, nor a run any outsider can cause again and
 * again: see `outsiderCanRepeat`) and returns the
 * flaky mark when any of them has failed and passed on one commit before. Called by classify; the evidence goes on
 * the incident. `claim` takes the record's claim on the incident first and gives the mark its counts carry
 * (shared/stores/count-marks.ts), so a classify retried after a crash counts once what the crash left uncounted;
 * null: claimed too long ago to count again.
 */
export async function assessFlakiness(
  baselines: Pick<BaselineStore, 'recordTestResults' | 'flakyEvidence'>,
  incident: Pick<Incident, 'repository' | 'headSha' | 'workflowName' | 'jobs' | 'fromFork' | 'runEvent'>,
  at: Date,
  claim: () => Promise<JobCounts | null>,
): Promise<FlakyMark | null> {
  if (!incident.repository || !incident.headSha || incident.jobs.length === 0) return null;
  const names = jobEvidenceNames(incident);
  const counts = outsiderCanRepeat(incident) ? null : await claim();
  if (counts) {
    const repository = incident.repository;
    const sha = incident.headSha;
    await counts.count(async () => void (await baselines.recordTestResults(repository, sha, names.map((test) => ({ test, passed: false })), at, counts.mark)));
  }
  // A fork's pull request runs the workflow file of its head: its author names the jobs, and a job the change breaks
  // renamed after the repository's known-flaky one read "probably flaky" (attacker's pass 50, L6). Its failure takes
  // no mark from job-name evidence; evidence named by a test, which the fork does not choose, would still count.
  const readable = incident.fromFork ? names.filter((name) => !name.startsWith(JOB_EVIDENCE_PREFIX)) : names;
  if (readable.length === 0) return null;
  const evidence = await baselines.flakyEvidence(incident.repository, readable);
  if (evidence.length === 0) return null;
  const detail = evidence
    .map((e) => `${e.test.replace(/^job:/, '')} failed and passed on the same commit ${e.flakes} time${e.flakes === 1 ? '' : 's'} (last ${e.lastSha.slice(0, 7)})`)
    .join('; ');
  return { tests: evidence, detail };
}

/**
 * A re-run attempt of the same run passed: same commit, so each job that failed before now has a pass on that
 * commit. `resolvedBy` names the resolving run (`run 42 (attempt 2)`).
 */
export function resolvedBySameCommitRerun(incident: Pick<Incident, 'runId' | 'resolvedBy'>): boolean {
  return incident.runId !== null && (incident.resolvedBy ?? '').startsWith(`run ${incident.runId} (attempt `);
}

/**
 * Whether a resolved incident's applied action brought its recovery about, for what counts the action's outcomes
 * (the knowledge entry, the automatic-fix rate, the circuit breaker). A re-run only when an attempt of its own run
 * passed: another run's recovery (a commit pushed meanwhile, whose newer run may also have cancelled the re-run's
 * attempt) is a person's fix, and crediting the re-run taught that re-running fixed a failure a commit fixed and held
 * the breaker closed (attack pass 50, L7). A recovery that names no resolver counts as it always did.
 */
export function recoveryByAppliedAction(incident: Pick<Incident, 'decision' | 'runId' | 'resolvedBy'>): boolean {
  if (!incident.decision?.applied) return false;
  return incident.decision.action !== 'rerun_failed_jobs' || !incident.resolvedBy || resolvedBySameCommitRerun(incident);
}
