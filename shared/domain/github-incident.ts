import { eventTimeAt, untrustedDetail } from './event-time.js';
import type { Incident } from './incident.js';
import type { ForkCheckReach } from './recovery.js';
import type { RepositoryIdentity } from './repository-key.js';
import { type ForkCheckOrigin, type GithubCheckTrigger, type GithubTrigger, githubCheckScope, githubForkCheckScope, githubScope, isFork } from './trigger.js';

const headOf = (repositoryId: number, headRepositoryId: number | null) => ({ repositoryId, headRepositoryId });

/** A trigger's repository as its scopes are keyed: by GitHub's id (see `githubScope`). */
const identityOf = (trigger: GithubTrigger | GithubCheckTrigger): RepositoryIdentity => ({ name: trigger.repository.fullName, id: trigger.repository.id });
/** The same repository as scopes were keyed before they were keyed by its id: by its name. */
const nameOf = (trigger: GithubTrigger | GithubCheckTrigger): RepositoryIdentity => ({ name: trigger.repository.fullName, id: null });

/**
 * When a GitHub failure happened, handled at `now`: its run's `updated_at` or its check run's `completed_at`, read by
 * the one rule for an event's own time (shared/domain/event-time.ts). Kept as stamped, a check run of a third party's
 * app stamped two days ahead was the incident's failedAt: no real green run of the scope resolved it (one that
 * completed "before the failure", `greenRunLeavesOpen`) nor superseded it until then (session 42). A stamp ahead or
 * before 2000 reads as `now` and is kept in the incident's history, as an alarm's is (`alarm_time_ahead`); an
 * unreadable or missing one leaves failedAt to `newIncident` (when the incident is created).
 */
function failureTimeFields(stamp: string | null, now: Date): Pick<Partial<Incident>, 'failedAt' | 'history'> {
  const { at, untrusted } = eventTimeAt(stamp, now);
  if (untrusted === 'unreadable') return {};
  if (!untrusted) return { failedAt: at.toISOString() };
  const handled = now.toISOString();
  const event = untrusted === 'ahead' ? 'failure_time_ahead' : 'failure_time_too_early';
  return { failedAt: handled, history: [{ at: handled, event: 'received' }, { at: handled, event, detail: untrustedDetail("the failure's time", stamp, { at, untrusted }) }] };
}

/**
 * The incident fields a GitHub trigger handled at `now` determines on its own, before any log is read. `now` is the
 * caller's: it once defaulted to the wall clock, so a test's incident depended on the day it ran and a caller that
 * forgot the handling time went unnoticed (session 43).
 */
export function githubIncidentFields(trigger: GithubTrigger, now: Date): Pick<Incident, 'id' | 'source'> & Partial<Incident> {
  return {
    id: trigger.incidentId,
    source: 'github',
    repository: trigger.repository.fullName,
    repositoryId: trigger.repository.id,
    branch: trigger.workflowRun.headBranch,
    // A fork's code is untrusted: nothing may be committed on top of it in this repository. Unknown counts as a fork.
    fromFork: isFork(headOf(trigger.repository.id, trigger.workflowRun.headRepositoryId)),
    headRepositoryId: trigger.workflowRun.headRepositoryId,
    headSha: trigger.workflowRun.headSha,
    workflowName: trigger.workflowRun.name,
    workflowId: trigger.workflowRun.workflowId,
    runId: trigger.workflowRun.id,
    runAttempt: trigger.workflowRun.attempt,
    ...(trigger.workflowRun.number ? { runNumber: trigger.workflowRun.number } : {}),
    runUrl: trigger.workflowRun.htmlUrl,
    pullRequest: trigger.pullRequests[0] ?? null,
    runEvent: trigger.workflowRun.event,
    defaultBranch: trigger.repository.defaultBranch,
    installationId: trigger.installationId,
    ...failureTimeFields(trigger.workflowRun.updatedAt, now),
  };
}

export function githubIncidentScope(trigger: GithubTrigger, repository: RepositoryIdentity = identityOf(trigger)): string {
  return githubScope(
    repository,
    trigger.workflowRun.headBranch,
    trigger.workflowRun.workflowId,
    { ...headOf(trigger.repository.id, trigger.workflowRun.headRepositoryId), event: trigger.workflowRun.event },
  );
}

/**
 * The incident fields of a failed check run from another CI system, handled at `now`. It is a GitHub incident (one PR
 * comment, the same notifications) whose "workflow" is the check's name; there is no Actions run to re-run. `now` as for
 * {@link githubIncidentFields}.
 */
export function githubCheckIncidentFields(trigger: GithubCheckTrigger, now: Date): Pick<Incident, 'id' | 'source'> & Partial<Incident> {
  const check = trigger.checkRun;
  return {
    id: trigger.incidentId,
    source: 'github',
    repository: trigger.repository.fullName,
    repositoryId: trigger.repository.id,
    branch: check.headBranch,
    headSha: check.headSha,
    fromFork: isFork(headOf(trigger.repository.id, check.headRepositoryId)),
    headRepositoryId: check.headRepositoryId,
    workflowName: `${check.app.name}: ${check.name}`.slice(0, 300),
    runUrl: check.htmlUrl,
    pullRequest: trigger.pullRequests[0] ?? null,
    defaultBranch: trigger.repository.defaultBranch,
    installationId: trigger.installationId,
    checkRun: { id: check.id, name: check.name, appSlug: check.app.slug, appName: check.app.name, detailsUrl: check.detailsUrl },
    ...failureTimeFields(check.completedAt, now),
  };
}

/**
 * The scope a check run's recovery is tracked under. The repository's own code: its branch. A fork's: its pull request
 * when ingest found exactly one (`withForkPullRequest` in shared/ingest/github-webhook.ts), else its commit.
 * All forks' checks once shared one scope, the branch being unknown, and one fork's green check resolved the others'
 * failures.
 */
export function githubCheckIncidentScope(trigger: GithubCheckTrigger, repository: RepositoryIdentity = identityOf(trigger)): string {
  const check = trigger.checkRun;
  const origin = forkCheckOrigin(trigger);
  if (!origin) return githubCheckScope(repository, check.headBranch, check.app.slug, check.name, headOf(trigger.repository.id, check.headRepositoryId));
  return githubForkCheckScope(repository, check.app.slug, check.name, origin);
}

/**
 * Where a green run's failures recorded before scopes were keyed by the repository's id are: the scopes it resolves,
 * keyed by the repository's name. Only their failures recorded with this repository's id (or with none: the name
 * decides) are its own; another repository that had the name then left its own there.
 */
export function scopesByName(trigger: GithubTrigger | GithubCheckTrigger): string[] {
  if (trigger.source === 'github') return [githubIncidentScope(trigger, nameOf(trigger))];
  return [...new Set([githubCheckIncidentScope(trigger, nameOf(trigger)), ...(forkGreenCheckReach(trigger, nameOf(trigger))?.commitScopes ?? [])])];
}

/** What tells a fork's check run apart from other forks' (null for the repository's own code). */
export function forkCheckOrigin(trigger: GithubCheckTrigger): ForkCheckOrigin | null {
  const check = trigger.checkRun;
  if (!isFork(headOf(trigger.repository.id, check.headRepositoryId))) return null;
  const [pullRequest, ...others] = trigger.pullRequests;
  return pullRequest !== undefined && others.length === 0 ? { pullRequest } : { headRepositoryId: check.headRepositoryId, headSha: check.headSha };
}

/**
 * The scopes a fork's check run was tracked under before forks' checks were told apart (see
 * {@link githubCheckIncidentScope}): with its head repository when known, and the one for an unknown head, which most
 * forks' checks shared. Incidents recorded under them before the change are found there, and only there.
 */
export function sharedForkCheckScopes(trigger: GithubCheckTrigger): string[] {
  const check = trigger.checkRun;
  const scopeFor = (headRepositoryId: number | null) =>
    githubCheckScope(nameOf(trigger), check.headBranch, check.app.slug, check.name, headOf(trigger.repository.id, headRepositoryId));
  return [...new Set([scopeFor(check.headRepositoryId), scopeFor(null)])];
}

/**
 * What a fork's green check run resolves beyond its own scope (null for the repository's own code):
 * - its own commit's failures of the same check keyed by that commit (no pull request was told for them): the same
 *   code passing the same check, whatever pull request it is in;
 * - when its pull request is known, that pull request's failures of the same check from a fork, wherever they are
 *   keyed: the pull request classify found for each (`pullRequestAtCommit`, exactly one open at its commit when it
 *   failed) is the evidence. A stranger's pull request at the same commit made that zero, so it reaches none of
 *   them; and including someone's commits in a pull request of one's own reaches nothing, since a failure is reached
 *   by the pull request recorded on it, never by its commit's place in a pull request.
 */
export function forkGreenCheckReach(trigger: GithubCheckTrigger, repository: RepositoryIdentity = identityOf(trigger)): ForkCheckReach | null {
  const origin = forkCheckOrigin(trigger);
  if (!origin) return null;
  const check = trigger.checkRun;
  const own = githubCheckIncidentScope(trigger, repository);
  const commitScope = (headRepositoryId: number | null) =>
    githubForkCheckScope(repository, check.app.slug, check.name, { headRepositoryId, headSha: check.headSha });
  const commitScopes = [...new Set([commitScope(check.headRepositoryId), commitScope(null)])].filter((scope) => scope !== own);
  if (!('pullRequest' in origin)) return { commitScopes };
  return { commitScopes, pullRequest: { repository: trigger.repository.fullName, repositoryId: trigger.repository.id, number: origin.pullRequest } };
}
