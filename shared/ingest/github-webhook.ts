import * as z from '../zod.js';
import {
  type GithubCheckTrigger,
  type GithubTrigger,
  FAILED_RUN_CONCLUSIONS,
  MAX_CHECK_SUMMARY_CHARS,
  MAX_CHECK_SUMMARY_JSON_BYTES,
  MAX_CHECK_TEXT_CHARS,
  MAX_CHECK_TEXT_JSON_BYTES,
  MAX_CHECK_TITLE_CHARS,
  githubCheckIncidentId,
  githubIncidentId,
  cutToJsonBytes,
  isFork,
} from '../domain/trigger.js';
import type { Clock, GitHubClients, RecoveryQueue, WorkflowStarter } from '../ports.js';
import { workflowRecoveryMessage } from '../domain/recovery.js';
import { eventTimeAt } from '../domain/event-time.js';
import { forkCheckOrigin, forkGreenCheckReach, githubCheckIncidentScope, githubIncidentScope, scopesByName, sharedForkCheckScopes } from '../domain/github-incident.js';
import { storeIncidentFromTrigger } from '../domain/incident-from-trigger.js';
import { pullRequestAtCommit } from '../domain/commit-pull-request.js';
import type { StepLogger } from '../ports.js';
import { redriveIfStalled, startRecordedIncident } from '../reconcile/redrive.js';
import type { IncidentStore } from '../stores/incident-store.js';
import { beforeAbort } from '../abort.js';
import { errorMessage } from '../errors.js';
import { redactOrWithhold } from '../logs/redact.js';
import { redactWithin } from './redact-within.js';
import { firstIssue } from '../validation.js';
import { isLowSurrogate, pairSafeEnd } from '../utf16.js';
import { type VerifyDeps, type WebhookRequest, type WebhookResponse, refuse, reply, verifyDelivery } from './verify.js';

export type { WebhookRequest, WebhookResponse } from './verify.js';

export interface IngestDeps extends VerifyDeps {
  incidents: IncidentStore;
  workflow: WorkflowStarter;
  /** Looks up the App installation of a repository webhook that names none. */
  github: GitHubClients;
  clock: Clock;
  logger: StepLogger;
  /**
   * A green run's recovery (resolving incidents, the PR comment, learning counters) is queued here and done by the
   * outcome recorder, so the reply to GitHub never waits for it.
   */
  recoveries: RecoveryQueue;
  /** Re-drives per incident when a redelivery finds it stalled: the reconciler's bound, RECONCILE_MAX_ATTEMPTS. */
  maxRedrives: number;
  /** How long a fork check run's pull request lookup may take; default {@link FORK_PULL_REQUEST_LOOKUP_MS}. */
  forkPullRequestLookupMs?: number;
}

/**
 * How long ingest waits for GitHub to name a fork check run's pull request. The lookup comes before the failure's
 * durable write, and ingest has 10 s for that write and the execution's start too (infra/stack.ts: GitHub gives up
 * on a delivery then and does not redeliver by itself), while the client allows 30 s an attempt, retries and
 * rate-limit waits of up to a minute. Past this the check is keyed by its commit.
 */
export const FORK_PULL_REQUEST_LOOKUP_MS = 3_000;

/** Check-run conclusions from other CI systems that mean "the build failed" (not cancelled, skipped or neutral). */
const FAILED_CHECK_CONCLUSIONS = new Set(['failure', 'timed_out']);
/** GitHub Actions' own check runs duplicate the workflow_run events they belong to. */
const ACTIONS_APP_SLUG = 'github-actions';

const actorSchema = z.nullish(z.object({ login: z.string().check(z.maxLength(100)) }));
/**
 * A pull request as `workflow_run`/`check_run` list it. GitHub matches them by head branch or SHA, so the list can
 * name pull requests of other repositories (a fork's PR into its own upstream, an unrelated PR sharing a branch
 * name) and a stranger's fork's PR into this one from a branch of the same name at the same commit: only those whose
 * base is the event's repository and whose head is the run's are kept (see {@link ownPullRequests}).
 */
const pullRequestRef = z.looseObject({
  number: z.number().check(z.int(), z.positive()),
  head: z.nullish(z.looseObject({ sha: z.nullish(z.string().check(z.maxLength(64))), repo: z.nullish(z.looseObject({ id: z.number().check(z.int()) })) })),
  base: z.nullish(z.looseObject({ repo: z.nullish(z.looseObject({ id: z.number().check(z.int()) })) })),
});
type PullRequestRef = z.infer<typeof pullRequestRef>;
/**
 * The most pull requests a run or check run may list. The list can hold other repositories' pull requests (see
 * {@link ownPullRequests}), how many is not documented, and others can open them: refusing the delivery past 100,
 * as before, would lose the failure itself. This bound is what a body within MAX_WEBHOOK_BYTES' default of 1 MiB can
 * hold (an entry is ~390 bytes); only the repository's own are kept.
 */
const MAX_LISTED_PULL_REQUESTS = 3_000;

/**
 * The pull requests whose base is `repositoryId` and, when the run's head repository is known, whose head is it; the
 * rest belong to other repositories and are never commented on. Anyone can open a pull request from their fork's
 * `main` at this repository's `main` commit: taken for the repository's own push run, it got the failure's comment
 * and approval request, its labels stood for the kill switch, and on-call was not paged for `main`.
 */
export function ownPullRequests(pulls: readonly PullRequestRef[], repositoryId: number, headRepositoryId: number | null): PullRequestRef[] {
  return pulls.filter((pr) => pr.base?.repo?.id === repositoryId && (headRepositoryId === null || pr.head?.repo?.id === headRepositoryId));
}
const repositoryPayload = z.object({
  id: z.number().check(z.int(), z.positive()),
  name: z.string().check(z.minLength(1), z.maxLength(100)),
  full_name: z.string().check(z.minLength(3), z.maxLength(200)),
  owner: z.object({ login: z.string().check(z.minLength(1), z.maxLength(100)) }),
  default_branch: z.nullish(z.string().check(z.maxLength(255))),
});

const workflowRunPayload = z.object({
  action: z.string().check(z.maxLength(50)),
  workflow_run: z.object({
    id: z.number().check(z.int(), z.positive()),
    run_attempt: z._default(z.number().check(z.int(), z.positive()), 1),
    run_number: z.optional(z.number().check(z.int(), z.positive())),
    name: z.nullish(z.string().check(z.maxLength(300))),
    workflow_id: z.nullish(z.number().check(z.int())),
    head_sha: z.string().check(z.regex(/^[0-9a-f]{7,64}$/i)),
    head_branch: z.nullish(z.string().check(z.maxLength(255))),
    head_repository: z.nullish(z.looseObject({ id: z.number().check(z.int()) })),
    event: z.nullish(z.string().check(z.maxLength(100))),
    status: z.nullish(z.string().check(z.maxLength(50))),
    conclusion: z.nullish(z.string().check(z.maxLength(50))),
    html_url: z.nullish(z.string().check(z.maxLength(500))),
    created_at: z.nullish(z.string().check(z.maxLength(40))),
    updated_at: z.nullish(z.string().check(z.maxLength(40))),
    // Empty for a pull request from a fork: classify then finds the PR by the head commit.
    pull_requests: z._default(z.array(pullRequestRef).check(z.maxLength(MAX_LISTED_PULL_REQUESTS)), []),
    triggering_actor: actorSchema,
  }),
  repository: repositoryPayload,
  installation: z.nullish(z.object({ id: z.number().check(z.int()) })),
  sender: actorSchema,
});
type WorkflowRunPayload = z.infer<typeof workflowRunPayload>;

/** GitHub caps check-run summary and text at 65,535 characters each; anything longer is not GitHub's payload. */
const CHECK_OUTPUT_MAX = 65_535;
const checkRunPayload = z.object({
  action: z.string().check(z.maxLength(50)),
  check_run: z.object({
    id: z.number().check(z.int(), z.positive()),
    name: z.string().check(z.minLength(1), z.maxLength(300)),
    head_sha: z.string().check(z.regex(/^[0-9a-f]{7,64}$/i)),
    status: z.nullish(z.string().check(z.maxLength(50))),
    conclusion: z.nullish(z.string().check(z.maxLength(50))),
    html_url: z.nullish(z.string().check(z.maxLength(500))),
    details_url: z.nullish(z.string().check(z.maxLength(2000))),
    completed_at: z.nullish(z.string().check(z.maxLength(40))),
    output: z.nullish(z.object({
      title: z.nullish(z.string().check(z.maxLength(MAX_CHECK_TITLE_CHARS))),
      summary: z.nullish(z.string().check(z.maxLength(CHECK_OUTPUT_MAX))),
      text: z.nullish(z.string().check(z.maxLength(CHECK_OUTPUT_MAX))),
    })),
    // GHES and older API versions send the app without a slug (octokit's examples): the check is still a CI result.
    app: z.nullish(z.looseObject({ slug: z.nullish(z.string().check(z.maxLength(100))), name: z.nullish(z.string().check(z.maxLength(200))) })),
    // GitHub reports a fork's check suite with a null head branch and no pull requests.
    check_suite: z.nullish(z.object({
      head_branch: z.nullish(z.string().check(z.maxLength(255))),
      pull_requests: z._default(z.array(pullRequestRef).check(z.maxLength(MAX_LISTED_PULL_REQUESTS)), []),
    })),
    pull_requests: z._default(z.array(pullRequestRef).check(z.maxLength(MAX_LISTED_PULL_REQUESTS)), []),
  }),
  repository: repositoryPayload,
  installation: z.nullish(z.object({ id: z.number().check(z.int()) })),
  sender: actorSchema,
});
type CheckRunPayload = z.infer<typeof checkRunPayload>;

/**
 * A repository webhook (rather than the App's) names no installation; as an App, look it up so the incident can
 * still read logs and comment. A failed lookup leaves it unset: the incident is then escalated by SNS only.
 */
async function withInstallation<T extends { installationId: number | null; repository: { owner: string; name: string } }>(
  trigger: T,
  deps: IngestDeps,
): Promise<T> {
  if (trigger.installationId !== null || !deps.github.installationFor) return trigger;
  try {
    const installationId = await deps.github.installationFor({ owner: trigger.repository.owner, repo: trigger.repository.name });
    return installationId ? { ...trigger, installationId } : trigger;
  } catch (error) {
    deps.logger.warn('could not look up the App installation of the repository', { error: String(error) });
    return trigger;
  }
}

/** The repository as the trigger carries it, from either payload shape. */
function repositoryOf(payload: Pick<WorkflowRunPayload, 'repository'>): GithubTrigger['repository'] {
  return {
    id: payload.repository.id,
    fullName: payload.repository.full_name,
    owner: payload.repository.owner.login,
    name: payload.repository.name,
    defaultBranch: payload.repository.default_branch ?? null,
  };
}

export function triggerFromWorkflowRun(payload: WorkflowRunPayload, deliveryId: string | null): GithubTrigger {
  const run = payload.workflow_run;
  return {
    source: 'github',
    incidentId: githubIncidentId(payload.repository.id, run.id, run.run_attempt),
    deliveryId,
    repository: repositoryOf(payload),
    installationId: payload.installation?.id ?? null,
    workflowRun: {
      id: run.id,
      attempt: run.run_attempt,
      number: run.run_number ?? null,
      name: run.name ?? null,
      workflowId: run.workflow_id ?? null,
      headSha: run.head_sha,
      headBranch: run.head_branch ?? null,
      headRepositoryId: run.head_repository?.id ?? null,
      event: run.event ?? null,
      conclusion: run.conclusion ?? 'unknown',
      htmlUrl: run.html_url ?? null,
      createdAt: run.created_at ?? null,
      updatedAt: run.updated_at ?? null,
    },
    pullRequests: ownPullRequests(run.pull_requests, payload.repository.id, run.head_repository?.id ?? null).map((pr) => pr.number).slice(0, 50),
    sender: payload.sender?.login ?? null,
    triggeringActor: run.triggering_actor?.login ?? null,
  };
}

/**
 * Keeps the start and, mostly, the end of a long text: CI systems print the failure last, and the trigger must
 * stay far below Step Functions' 256 KB state limit. At most `max` characters and, given `maxJsonBytes`, at most
 * that many bytes as JSON: text whose characters take several bytes each there (CJK, control characters) keeps
 * fewer of them.
 */
export function keepEnds(text: string, max: number, maxJsonBytes = Number.POSITIVE_INFINITY): string {
  return cutToJsonBytes(text, max, maxJsonBytes, keepEndsOf);
}

function keepEndsOf(text: string, max: number): string {
  if (text.length <= max) return text;
  // Both cuts fall between characters: a lone half of a surrogate pair has no UTF-8 encoding, and shows as garbage.
  const headEnd = pairSafeEnd(text, Math.floor(max / 4));
  const cut = text.length - (max - Math.floor(max / 4));
  const tailStart = isLowSurrogate(text.charCodeAt(cut)) ? cut + 1 : cut;
  return `${text.slice(0, headEnd)}\n[… ${tailStart - headEnd} characters omitted …]\n${text.slice(tailStart)}`;
}

/**
 * The repository whose code a check run checked: a check suite with a head branch is this repository's (GitHub
 * leaves a fork's null: the Checks API only sees pushes to the repository itself), whatever pull requests are
 * listed with it (a stranger's fork's, from a branch of the same name at the same commit, is listed too); without a
 * head branch, a listed pull request of this repository names its head repository; else it stays unknown.
 */
function checkHeadRepositoryId(payload: CheckRunPayload): number | null {
  if (payload.check_run.check_suite?.head_branch) return payload.repository.id;
  const listed = ownPullRequests(payload.check_run.pull_requests, payload.repository.id, null);
  return listed.find((pr) => typeof pr.head?.repo?.id === 'number')?.head?.repo?.id ?? null;
}

/**
 * The pull requests a check run is of. The repository's own branch: those listed with it. A fork's code: those listed
 * with the check run or, failing that, its check suite, whose head is the checked commit and not this repository's
 * own branch (GitHub mostly lists none for a fork; ingest then asks by the commit, see {@link withForkPullRequest}).
 */
function checkPullRequests(payload: CheckRunPayload, headRepositoryId: number | null): PullRequestRef[] {
  const check = payload.check_run;
  const repositoryId = payload.repository.id;
  const own = ownPullRequests(check.pull_requests, repositoryId, headRepositoryId);
  if (!isFork({ repositoryId, headRepositoryId })) return own;
  const sha = check.head_sha.toLowerCase();
  const ofTheFork = (pulls: readonly PullRequestRef[]) =>
    ownPullRequests(pulls, repositoryId, headRepositoryId).filter((pr) => pr.head?.repo?.id !== repositoryId && (pr.head?.sha ?? sha).toLowerCase() === sha);
  const listed = ofTheFork(check.pull_requests);
  return listed.length > 0 ? listed : ofTheFork(check.check_suite?.pull_requests ?? []);
}

export function triggerFromCheckRun(payload: CheckRunPayload, deliveryId: string | null): GithubCheckTrigger {
  const check = payload.check_run;
  const output = check.output ?? {};
  const headRepositoryId = checkHeadRepositoryId(payload);
  const own = checkPullRequests(payload, headRepositoryId);
  return {
    source: 'github_check',
    incidentId: githubCheckIncidentId(payload.repository.id, check.id),
    deliveryId,
    repository: repositoryOf(payload),
    installationId: payload.installation?.id ?? null,
    checkRun: {
      id: check.id,
      name: check.name,
      app: { slug: check.app?.slug ?? 'unknown', name: check.app?.name ?? 'CI' },
      headSha: check.head_sha,
      headBranch: check.check_suite?.head_branch ?? null,
      headRepositoryId,
      conclusion: check.conclusion ?? 'unknown',
      htmlUrl: check.html_url ?? null,
      detailsUrl: check.details_url ?? null,
      completedAt: check.completed_at ?? null,
      // Redacted here, before the text becomes the Step Functions execution input (kept in its history for 90
      // days) or reaches any later stage; redacted before it is cut, so a cut cannot leave half a token behind.
      output: {
        title: output.title ? redactWithin(output.title, MAX_CHECK_TITLE_CHARS) : null,
        summary: output.summary ? keepEnds(redactOrWithhold(output.summary), MAX_CHECK_SUMMARY_CHARS, MAX_CHECK_SUMMARY_JSON_BYTES) : null,
        text: output.text ? keepEnds(redactOrWithhold(output.text), MAX_CHECK_TEXT_CHARS, MAX_CHECK_TEXT_JSON_BYTES) : null,
      },
    },
    pullRequests: own.map((pr) => pr.number).slice(0, 50),
    sender: payload.sender?.login ?? null,
  };
}

/**
 * A fork's check run whose pull request the payload does not name, with the one GitHub's commit lookup finds: an open
 * pull request of this repository whose head is the checked commit (from the check's head repository, when known),
 * not from this repository's own branch. Its recovery is keyed by that pull request (`githubCheckIncidentScope`).
 * Anyone can open a pull request at any commit, so with two found (a stranger's at the same commit) neither is taken
 * (`pullRequestAtCommit`, which classify uses too), and the check stays keyed by its commit; so it does when the
 * lookup fails or does not answer within its deadline, and the delivery is recorded all the same. The deadline stops
 * the client's requests and any retry of them; the wait for the answer is raced against it as well, since a
 * rate-limit wait inside the client does not watch it.
 */
async function withForkPullRequest(trigger: GithubCheckTrigger, deps: IngestDeps): Promise<GithubCheckTrigger> {
  const check = trigger.checkRun;
  if (!isFork({ repositoryId: trigger.repository.id, headRepositoryId: check.headRepositoryId }) || trigger.pullRequests.length > 0) return trigger;
  const deadline = AbortSignal.timeout(deps.forkPullRequestLookupMs ?? FORK_PULL_REQUEST_LOOKUP_MS);
  const github = deps.github.forInstallation(trigger.installationId, deadline);
  if (!github) return trigger;
  try {
    const found = await beforeAbort(deadline, () =>
      github.findPullRequestsForCommit({ owner: trigger.repository.owner, repo: trigger.repository.name }, check.headSha, check.headRepositoryId),
    );
    const pullRequest = pullRequestAtCommit(found, { repositoryId: trigger.repository.id, headRepositoryId: check.headRepositoryId });
    return pullRequest === null ? trigger : { ...trigger, pullRequests: [pullRequest] };
  } catch (error) {
    deps.logger.warn("could not look up the fork check run's pull request; its recovery is keyed by its commit", { error: errorMessage(error) });
    return trigger;
  }
}

/**
 * When a green run completed, read by the one rule for an event's own time (shared/domain/event-time.ts): its own
 * time, or the handling clock's for one missing, unreadable, more than the skew ahead of it (a third-party app's check
 * run may say anything), or before 2000. Kept, a time days ahead was noted as the scope's latest green run and
 * superseded every failure of the scope delivered before then, paging nobody (attack-43b F5); one at the earliest time
 * a Date holds made a recovery message the outcome recorder refused on every delivery (session 42). The stamp is logged.
 */
function completedAtOf(value: string | null | undefined, deps: { clock: Clock; logger: StepLogger }, resolvedBy: string): Date {
  const now = deps.clock();
  const { at, untrusted } = eventTimeAt(value, now);
  if (untrusted === 'ahead' || untrusted === 'early') {
    deps.logger.warn(`green run completed ${untrusted === 'ahead' ? 'ahead of the clock' : 'before 2000'}: read as completed now`, { resolvedBy, completedAt: value, now: now.toISOString() });
  }
  return at;
}

function invalid(event: string, error: z.core.$ZodError): WebhookResponse {
  return refuse(400, `invalid ${event} payload at ${firstIssue(error)}`);
}

/**
 * Handles one GitHub webhook delivery: size cap, HMAC over the raw bytes, JSON, then routing. A failed run
 * becomes one incident and one workflow execution named after it, so a redelivery starts nothing new.
 */
export async function handleGithubWebhook(request: WebhookRequest, deps: IngestDeps): Promise<WebhookResponse> {
  const delivery = await verifyDelivery(request, deps);
  if (!delivery.ok) return delivery.response;
  const { event, deliveryId, payload } = delivery;

  if (event === 'ping') return reply(200, { ok: true });
  if (event === 'check_run') return handleCheckRun(payload, deliveryId, deps);
  if (event === 'workflow_job') {
    // One incident per run attempt: the workflow_run `completed` event names every failed job of the attempt, and
    // acting on each job as well would analyse and comment twice. Subscribing to it is harmless.
    return reply(202, { ignored: 'workflow_job events are not acted on: the workflow_run completed event covers its jobs' });
  }
  if (event !== 'workflow_run') return reply(202, { ignored: `event ${event.slice(0, 50)} is not handled` });

  const parsed = workflowRunPayload.safeParse(payload);
  if (!parsed.success) return invalid('workflow_run', parsed.error);
  const run = parsed.data.workflow_run;
  if (parsed.data.action !== 'completed') {
    return reply(202, { ignored: `workflow_run action ${parsed.data.action} is not acted on` });
  }
  const trigger = await withInstallation(triggerFromWorkflowRun(parsed.data, deliveryId), deps);

  if (run.conclusion === 'success') {
    const resolvedBy = run.run_attempt > 1 ? `run ${run.id} (attempt ${run.run_attempt})` : `run ${run.id}`;
    return queueRecovery(
      {
        scope: githubIncidentScope(trigger),
        scopesByName: { repositoryId: trigger.repository.id, scopes: scopesByName(trigger) },
        runId: run.id,
        runAttempt: run.run_attempt,
        runNumber: run.run_number ?? null,
        resolvedBy,
        installationId: trigger.installationId,
        completedAt: completedAtOf(run.updated_at, deps, resolvedBy),
      },
      deps,
    );
  }
  if (!run.conclusion || !FAILED_RUN_CONCLUSIONS.has(run.conclusion)) {
    return reply(202, { ignored: `workflow_run conclusion ${run.conclusion ?? 'none'} is not acted on` });
  }

  // The durable write comes first so the incident exists even if starting the workflow fails and GitHub redelivers.
  // A failed re-run attempt (ours or a person's) is a new incident too: it is recorded and notified, and the
  // remediation policy, not ingest, refuses to re-run it again (see shared/remediation/planner.ts).
  const { created, aliasUnwritten } = await storeIncidentFromTrigger(deps.incidents, trigger, deps.clock());
  const execution = await startRecordedIncident(trigger.incidentId, { trigger, incidentStored: true, ...(aliasUnwritten ? {} : { pullAliasWritten: true }) }, deps);
  const duplicate = !created || execution.alreadyStarted;
  deps.logger.info('workflow_run failure accepted', { incidentId: trigger.incidentId, duplicate, attempt: run.run_attempt });
  return acceptDelivery(trigger.incidentId, duplicate, execution.deferred, deps);
}

/**
 * A green run: its recovery is queued durably and done by the outcome recorder (record-outcome), so the reply is
 * as fast as one write. The message id is the same for a redelivery; recording a recovery twice changes nothing
 * (resolved incidents are no longer open), so a redelivered or retried message is harmless.
 */
async function queueRecovery(recovery: Parameters<typeof workflowRecoveryMessage>[0], deps: IngestDeps): Promise<WebhookResponse> {
  const message = workflowRecoveryMessage(recovery);
  await deps.recoveries.enqueue(message);
  deps.logger.info('green run queued for recovery', { scope: recovery.scope, resolvedBy: recovery.resolvedBy });
  return reply(202, { recovery: 'queued', id: message.id });
}

/**
 * The answer to an accepted failure. A redelivery of one whose incident is unfinished and whose execution is no
 * longer running (it failed, or was lost in a crash) re-drives it instead of only answering "duplicate". One whose
 * execution could not be started is accepted all the same (`"start": "deferred"`): the reconciler starts it.
 */
async function acceptDelivery(incidentId: string, duplicate: boolean, deferred: boolean, deps: IngestDeps): Promise<WebhookResponse> {
  if (deferred) return reply(202, { incidentId, duplicate, start: 'deferred' });
  if (!duplicate) return reply(202, { incidentId, duplicate });
  const redriven = await redriveIfStalled(incidentId, deps, deps.maxRedrives);
  if (!redriven) return reply(202, { incidentId, duplicate });
  deps.logger.info('redelivery re-drove a stalled incident', { incidentId, execution: redriven });
  return reply(202, { incidentId, duplicate, redriven });
}

/**
 * `check_run` from another CI system (CircleCI, Buildkite, …): a completed failure becomes an incident whose
 * evidence is the check's output text; a success of the same check on the same branch resolves its incidents.
 */
async function handleCheckRun(payload: unknown, deliveryId: string | null, deps: IngestDeps): Promise<WebhookResponse> {
  const parsed = checkRunPayload.safeParse(payload);
  if (!parsed.success) return invalid('check_run', parsed.error);
  const check = parsed.data.check_run;
  if (parsed.data.action !== 'completed') return reply(202, { ignored: `check_run action ${parsed.data.action} is not acted on` });
  if (check.app?.slug === ACTIONS_APP_SLUG || (!check.app?.slug && check.app?.name === 'GitHub Actions')) {
    return reply(202, { ignored: 'check runs of GitHub Actions are handled through their workflow_run event' });
  }
  const failed = FAILED_CHECK_CONCLUSIONS.has(check.conclusion ?? '');
  if (check.conclusion !== 'success' && !failed) {
    return reply(202, { ignored: `check_run conclusion ${check.conclusion ?? 'none'} is not acted on` });
  }
  const trigger = await withForkPullRequest(await withInstallation(triggerFromCheckRun(parsed.data, deliveryId), deps), deps);

  if (check.conclusion === 'success') {
    const origin = forkCheckOrigin(trigger);
    const forkCheck = forkGreenCheckReach(trigger);
    return queueRecovery(
      {
        scope: githubCheckIncidentScope(trigger),
        scopesByName: { repositoryId: trigger.repository.id, scopes: scopesByName(trigger) },
        runId: null,
        resolvedBy: `check run ${check.id}`,
        installationId: trigger.installationId,
        completedAt: completedAtOf(check.completed_at, deps, `check run ${check.id}`),
        ...(origin && 'pullRequest' in origin ? { sharedForkScopes: { scopes: sharedForkCheckScopes(trigger), pullRequest: origin.pullRequest } } : {}),
        ...(forkCheck ? { forkCheck } : {}),
      },
      deps,
    );
  }
  const { created, aliasUnwritten } = await storeIncidentFromTrigger(deps.incidents, trigger, deps.clock());
  const execution = await startRecordedIncident(trigger.incidentId, { trigger, incidentStored: true, ...(aliasUnwritten ? {} : { pullAliasWritten: true }) }, deps);
  const duplicate = !created || execution.alreadyStarted;
  deps.logger.info('check_run failure accepted', { incidentId: trigger.incidentId, duplicate, app: trigger.checkRun.app.slug });
  return acceptDelivery(trigger.incidentId, duplicate, execution.deferred, deps);
}
