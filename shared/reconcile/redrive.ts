/**
 * Re-driving unfinished incidents: the same code runs as the scheduled `reconcile` Lambda (EventBridge schedule),
 * as the local runtime's timer, and for a redelivered webhook whose incident stalled.
 *
 * An incident is unfinished while it is neither notified nor resolved. When its current execution is not running
 * (it never started because StartExecution was throttled or ingest timed out, or it failed, timed out or was
 * aborted) a new execution is started for it. Attempt 0 is named after the incident; attempt n is `<id>-a<n>`,
 * taken with a conditional write on the incident, so two reconcilers (or a reconciler and a redelivery) cannot both
 * start one, and a repeated run is idempotent. Stages are idempotent, so a re-drive runs the pipeline from the start.
 * An incident the notify function failed on is not re-driven: the reconciler tells on-call (./notify-failed.ts).
 */
import { RECONCILER_METRIC } from '../adapters/metric-names.js';
import { NoRecordedTriggerError, ReconcileIncompleteError, errorMessage } from '../errors.js';
import type { FallbackCause, HistoryEntry, Incident, ReconcileRetry } from '../domain/incident.js';
import { renderEscalation } from '../notify/escalation.js';
import { publishClaimedPage } from '../notify/claimed-page.js';
import { inWindowOf } from '../notify/page-claims.js';
import { escalateNotifyFailed } from './notify-failed.js';
import { afterFailure } from './retry-later.js';
import { type PolicyFile, policyFor } from '../remediation/policy.js';
import type { Clock, EscalationLedger, EscalationOccurrence, EscalationPublisher, Metrics, WorkflowStarter } from '../ports.js';
import { type DigestDeps, type DigestResult, sendDueDigests } from './digests.js';
import { type ApprovalResumeDeps, type ApprovalResumeResult, resumeRecordedDecisions } from './approval-resumes.js';
import { type LateReactionDeps, type LateReactionResult, readLateReactions } from './late-reactions.js';
import { type PendingVoteResult, finishPendingVotes } from './pending-votes.js';
import { type RecoveryCommentDeps, type RecoveryCommentResult, postDeferredRecoveryComments } from './recovery-comments.js';
import { type RecoveryFollowUpPassDeps, type RecoveryFollowUpResult, finishRecoveryFollowUps } from './recovery-follow-ups.js';
import { type RunbookCheckDeps, type RunbookCheckResult, pageRunbooksThatDidNotFix } from './runbook-checks.js';
import type { StepLogger } from '../ports.js';
import type { IncidentStore } from '../stores/incident-store.js';
import type { ApprovalResumes } from '../stores/approval-resumes.js';
import { isUnresumed } from '../remediation/approval-resume.js';

/** An error's name, as the incident records it: never its message, which may hold unredacted text of any length. */
const errorNameOf = (error: unknown): string => (error instanceof Error ? error.name : 'Error').slice(0, 100);

/** Step Functions execution names are at most 80 characters. */
const MAX_EXECUTION_NAME = 80;

export function executionNameFor(incidentId: string, attempt: number): string {
  if (attempt === 0) return incidentId;
  const suffix = `-a${attempt}`;
  return `${incidentId.slice(0, MAX_EXECUTION_NAME - suffix.length)}${suffix}`;
}

export interface RedriveDeps {
  incidents: IncidentStore;
  workflow: WorkflowStarter;
  clock: Clock;
  logger: StepLogger;
}

export type RedriveOutcome =
  | { action: 'running'; execution: string }
  | { action: 'started'; execution: string; attempt: number }
  | { action: 'exhausted'; execution: string; attempt: number; status: string }
  | Unstartable
  /** Notify failed for good and the state machine marked the incident: on-call is told by the reconciler, not a re-drive. */
  | { action: 'notify_failed'; execution: string }
  | { action: 'no_input' }
  | { action: 'claimed_elsewhere' }
  | { action: 'finished' };

/** Step Functions would not start the incident's execution: it refused for good, or every start so far failed. */
interface Unstartable {
  action: 'unstartable';
  execution: string;
  /** The SDK's name for the last refusal (`InvalidExecutionInput`, `ThrottlingException`, …). */
  error: string;
  /** Starts that failed, counted on the incident. */
  tries: number;
  permanent: boolean;
}

/**
 * StartExecution refusals no retry fixes: the input (not JSON, over Step Functions' size limit), the name, the
 * state machine (deleted, being deleted) or the permissions (IAM, the state machine's KMS key) stay wrong until a
 * person changes them. Retried for the reconciler's whole look-back, such an incident was never started and never
 * escalated. Throttling, ExecutionLimitExceeded and service errors pass; they count against the start budget.
 */
const PERMANENT_START_REFUSALS = new Set([
  'InvalidExecutionInput',
  'InvalidName',
  'InvalidArn',
  'ValidationException',
  'StateMachineDoesNotExist',
  'StateMachineDeleting',
  'AccessDeniedException',
  'KmsAccessDeniedException',
  'KmsInvalidStateException',
]);

/**
 * Starts `name`; a refusal is recorded on the incident (`startFailures`, a `start_failed` history entry) without
 * moving its `updatedAt`, which would hold a start throttled once back for the reconciler's `afterMinutes` (three
 * runs); when it is tried again is the reconciler's retries' to say (see `afterFailedTry`). A permanent refusal, or the
 * incident's failed starts reaching its execution budget (`maxAttempts + 1`, as many starts as it may have
 * executions), gives up: the caller escalates it. Any other refusal is thrown, for the next run.
 */
async function startOrGiveUp(
  incident: Incident,
  name: string,
  input: unknown,
  deps: RedriveDeps,
  options: { maxAttempts: number },
): Promise<{ alreadyStarted: boolean } | Unstartable> {
  try {
    return await deps.workflow.start(name, input);
  } catch (error) {
    const refusal = errorNameOf(error);
    const permanent = PERMANENT_START_REFUSALS.has(refusal);
    const tries = (incident.startFailures ?? 0) + 1;
    await deps.incidents.record(
      incident.id,
      { startFailures: tries },
      { history: [{ at: deps.clock().toISOString(), event: 'start_failed', detail: `starting ${name} failed (${refusal})${permanent ? ', which no retry fixes' : ''}` }] },
      { keepUpdatedAt: true },
    );
    if (permanent || tries >= options.maxAttempts + 1) return { action: 'unstartable', execution: name, error: refusal, tries, permanent };
    throw error;
  }
}

/**
 * What lifts the reconciler's give-up of an incident an execution was just started for (by a redelivery: the
 * reconciler lists a given-up incident no more), or null when it was not given up. Due again, so the reconciler sees
 * what that execution comes to, rather than an incident shown given up and paged to nobody while it runs; its tries
 * are kept until a try of the reconciler's works ({@link streakEnded}).
 */
function liftedGiveUp(incident: Incident, now: Date): Pick<Incident, 'reconcileRetry'> | null {
  const retry = incident.reconcileRetry;
  return retry && retry.dueAt === null ? { reconcileRetry: { ...retry, dueAt: now.toISOString() } } : null;
}

/**
 * What ends an incident's run of failed tries once a try of the reconciler's worked (its execution found running, or
 * started), or null when there is none to end (or it was given up). The give-up is for tries failing in a row, an
 * outage outlasting the five hours of ./retry-later.ts's schedule; counted over the incident's life, the throttles
 * scattered over an execution that runs for days (an approval wait) added up to a give-up, a page saying the guard
 * could not finish, and the incident recorded notified while its execution ran on.
 */
function streakEnded(incident: Incident): Pick<Incident, 'reconcileRetry'> | null {
  const retry = incident.reconcileRetry;
  return retry && retry.failures > 0 && retry.dueAt !== null ? { reconcileRetry: { ...retry, failures: 0 } } : null;
}

/** Re-drives one incident if it is unfinished and its execution is not running. */
export async function redriveIncident(incident: Incident, deps: RedriveDeps, options: { maxAttempts: number }): Promise<RedriveOutcome> {
  if (incident.status === 'notified' || incident.status === 'resolved') return { action: 'finished' };
  const attempt = incident.executionAttempt ?? 0;
  const current = executionNameFor(incident.id, attempt);
  const execution = await deps.workflow.describe(current);
  if (execution?.status === 'RUNNING' || execution?.status === 'PENDING_REDRIVE') return { action: 'running', execution: current };
  // A re-drive would run every stage again only to reach the same notify function; a redelivery creates nothing.
  if (incident.notifyFailed) return { action: 'notify_failed', execution: current };
  const input = (execution?.input as { trigger?: unknown } | null)?.trigger
    ? execution?.input
    : await deps.incidents.triggerOf(incident.id).then((trigger) => (trigger ? { trigger, incidentStored: true } : null));
  if (!input) {
    deps.logger.warn('unfinished incident has no recorded trigger to re-drive it with', { incidentId: incident.id });
    return { action: 'no_input' };
  }
  if (!execution) {
    // The first start never happened; starting it under its own name is idempotent.
    const started = await startOrGiveUp(incident, current, input, deps, options);
    if ('action' in started) return started;
    if (started.alreadyStarted) return { action: 'running', execution: current };
    const lifted = liftedGiveUp(incident, deps.clock());
    if (lifted) await deps.incidents.update(incident.id, lifted);
    return { action: 'started', execution: current, attempt };
  }
  if (attempt >= options.maxAttempts) return { action: 'exhausted', execution: current, attempt, status: execution.status };
  const next = attempt + 1;
  if (!(await deps.incidents.claimAttempt(incident.id, next))) return { action: 'claimed_elsewhere' };
  const name = executionNameFor(incident.id, next);
  const started = await startOrGiveUp(incident, name, input, deps, options);
  if ('action' in started) return started;
  await deps.incidents.update(incident.id, liftedGiveUp(incident, deps.clock()) ?? {}, {
    history: [{ at: deps.clock().toISOString(), event: 'redriven', detail: `${current} ended ${execution.status}; started ${name}` }],
  });
  return { action: 'started', execution: name, attempt: next };
}

/**
 * Starts the first execution of an incident that ingest has just written with its trigger. A start that fails (a
 * throttled StartExecution, Step Functions unavailable) is left to the reconciler, which starts the execution of an
 * unfinished incident that has none: the failure is recorded, so the delivery is accepted. Failing the delivery
 * instead pages on-call through the webhook-5xx alarm (GitHub does not redeliver by itself) for something the
 * reconciler does without them; a start refused for good, or failing past the incident's start budget, is
 * escalated by the reconciler (see {@link redriveIncident}).
 * Alarm ingest does not use it: Lambda retries its event within minutes, sooner than the reconciler's 10, and only
 * a start that fails through every retry leaves the event in the dead-letter queue.
 */
export async function startRecordedIncident(
  incidentId: string,
  input: unknown,
  deps: { workflow: WorkflowStarter; logger: StepLogger },
): Promise<{ alreadyStarted: boolean; deferred: boolean }> {
  try {
    const started = await deps.workflow.start(incidentId, input);
    return { alreadyStarted: started.alreadyStarted, deferred: false };
  } catch (error) {
    deps.logger.warn('starting the execution failed; the incident is recorded and the reconciler will start it', { incidentId, error: errorMessage(error) });
    return { alreadyStarted: false, deferred: true };
  }
}

/**
 * For a redelivered trigger (webhook or alarm event) whose incident already exists: re-drives it when it stalled.
 * The new execution's name, or null when there is nothing to re-drive (finished, running, exhausted, claimed).
 */
export async function redriveIfStalled(incidentId: string, deps: RedriveDeps, maxAttempts: number): Promise<string | null> {
  const incident = await deps.incidents.get(incidentId);
  if (!incident) return null;
  const outcome = await redriveIncident(incident, deps, { maxAttempts });
  return outcome.action === 'started' ? outcome.execution : null;
}

export interface ReconcileOptions {
  /** Incidents untouched for this long are candidates. */
  afterMinutes: number;
  /** Re-drives per run; the rest wait for the next run. */
  maxPerRun: number;
  /**
   * Re-drives per incident, after which on-call gets what is known of it (see {@link escalateUnfinished}); an
   * incident whose execution would not start gets as many starts (`maxAttempts + 1`) before it is escalated.
   */
  maxAttempts: number;
  /** How far back to look; older unfinished incidents are stale. */
  lookbackHours: number;
}

export interface ReconcileResult {
  examined: number;
  redriven: string[];
  running: number;
  /** Escalated: every execution failed. */
  exhausted: string[];
  /** Escalated: its execution would not start (refused for good, or its start budget spent). */
  unstartable: string[];
  /** Reported to on-call for the notify function, which failed on them (see ./notify-failed.ts). */
  notifyFailed: string[];
  /** Their re-drive or escalation failed this run: tried again later, or given up and no page went out either. */
  failed: string[];
  /** Given up: their re-drive or escalation kept failing (see {@link reconcile}). */
  givenUp: string[];
  /** Of those, the ones whose page failed too: recorded given up, nobody paged (the `IncidentsGivenUpUnpaged` metric). */
  unpaged: string[];
}

/**
 * What {@link escalateUnfinished} needs beyond re-driving: where pages go, the ledger that groups them, and the policy
 * file whose `escalation` rules (window, digest) group them as notify groups its own pages.
 */
export interface ExhaustedEscalationDeps {
  escalations: EscalationPublisher;
  escalationLedger: EscalationLedger;
  policyFile: PolicyFile;
}

/** Why the guard gave up on an incident, for on-call (`why`) and the incident's history (`event`, `detail`). */
interface GaveUp {
  cause: FallbackCause;
  why: string;
  event: string;
  detail: string;
}

function gaveUpOnExecutions(last: { execution: string; attempt: number; status: string }): GaveUp {
  // Attempt n is the (n + 1)th execution; the incident's own count, since the limit may have changed since.
  const attempts = last.attempt + 1;
  // An execution that succeeded with its incident unfinished ended at LeftForRedrive: Classify could not read, through
  // its retries, what may supersede the failure. "Ended SUCCEEDED" would tell on-call nothing, or the opposite.
  const leftForRedrive = last.status === 'SUCCEEDED';
  const ended = leftForRedrive ? 'ended without finishing it' : `ended ${last.status}`;
  const why = leftForRedrive
    ? ': it could not read whether a later attempt or a green run had superseded this failure (DynamoDB reads kept failing). What it had found is below; look at the failure yourself, and at the reconciler’s and classify’s logs.'
    : '. What it had found is below; look at the failure yourself, and at the failed executions in the Step Functions console.';
  return {
    cause: 'pipeline_failed',
    why: `Pipeline Guard could not finish handling this failure: its pipeline ran ${attempts} times and the last run (${last.execution}) ${ended}${why}`,
    event: 'escalated_after_redrives',
    detail: leftForRedrive ? `${attempts} executions did not finish it; the last, ${last.execution}, ${ended}` : `${attempts} executions failed; the last, ${last.execution}, ${ended}`,
  };
}

function gaveUpOnReconciling(incident: Incident, retry: ReconcileRetry): GaveUp {
  const tried = incident.notifyFailed ? 'tell on-call that the notify function failed on it' : 're-drive it';
  return {
    cause: 'reconcile_given_up',
    why:
      `Pipeline Guard could not finish handling this failure: its reconciler's tries to ${tried} failed ` +
      `${retry.failures} times over more than five hours (the last: ${retry.error}). Look at the failure yourself, and ` +
      "at the reconciler's logs for this incident.",
    event: 'escalated_reconcile_given_up',
    detail: `the reconciler's tries failed ${retry.failures} times (the last: ${retry.error}); given up`,
  };
}

function gaveUpOnStarting(unstartable: Unstartable): GaveUp {
  const refused = unstartable.permanent
    ? `Step Functions refused to start its pipeline (${unstartable.error}), which no retry fixes`
    : `Step Functions refused to start its pipeline ${unstartable.tries} times (the last: ${unstartable.error})`;
  return {
    cause: 'not_started',
    why:
      `Pipeline Guard could not handle this failure: ${refused}. Nothing was analysed or tried; look at the failure ` +
      'yourself, and at the state machine, its input limits and its permissions.',
    event: 'escalated_unstarted',
    detail: `execution ${unstartable.execution} not started after ${unstartable.tries} tries (${unstartable.error})`,
  };
}

/**
 * The escalation ledger's problem of the reconciler's give-ups: one for the whole deployment, as one reconciler serves
 * every incident and what makes it give up (its calls throttled or failing through an outage, a page refused) gives up
 * incidents of every repository at once. Under the repository's problem they were counted on the page of an
 * incident whose pipeline failed, and on-call never read that the guard had given one up.
 */
export const RECONCILE_GIVEN_UP_KEY = 'guard-reconcile-given-up';

/**
 * The problem the ledger counts an incident under when the guard gives up on it, with the escalation rules (window,
 * digest) that group its pages, the incident's repository's as notify reads them (an alarm's: the policy's defaults):
 * the reconciler's give-ups are one problem (see {@link RECONCILE_GIVEN_UP_KEY}), each occurrence judged by its own
 * repository's window (a repository with a shorter window is paged again sooner); the rest one problem per
 * repository (or alarm).
 */
function problemOf(incident: Incident, cause: FallbackCause, policyFile: PolicyFile): Pick<EscalationOccurrence, 'key' | 'label' | 'windowMinutes' | 'digest'> {
  const { windowMinutes, digest } = policyFor(policyFile, incident.repository, false).escalation;
  if (cause === 'reconcile_given_up') return { key: RECONCILE_GIVEN_UP_KEY, label: 'incidents the reconciler gave up on', windowMinutes, digest };
  const scope = incident.repository ?? incident.alarm?.name ?? incident.source;
  return {
    key: exhaustedByIdKey(incident) ?? exhaustedByNameKey(incident),
    label: `incidents the pipeline could not finish, ${scope}`,
    windowMinutes,
    digest,
  };
}

/**
 * A repository's incidents the pipeline could not finish, keyed by its GitHub id when known (`gh:id-<id>`, as
 * githubProblemKey keys its failures): keyed by name, a renamed repository paged again within the window, and a
 * repository created under a renamed account's old name was counted on the other's page.
 */
function exhaustedByIdKey(incident: Incident): string | null {
  return incident.source === 'github' && typeof incident.repositoryId === 'number' ? `guard-exhausted:gh:id-${incident.repositoryId}` : null;
}

/** The key before session 67, and still without an id: the repository's name (an alarm's ARN, else the source). */
function exhaustedByNameKey(incident: Incident): string {
  return `guard-exhausted:${incident.repository ?? incident.alarm?.arn ?? incident.source}`;
}

/**
 * The end of an incident the pipeline could not finish — every execution failed (a stage that fails whatever its
 * input, a state over Step Functions' limits), or its execution would not start: on-call gets what is known of it,
 * the first of a repository's in its escalation window paged and the rest counted for the window's digest, and it
 * is recorded as notified by this fallback, so the reconciler stops looking at it. Paged before it is recorded: a
 * crash in between pages again at the next run rather than never, since an accepted failure must end notified; the
 * ledger lets the incident that opened a window send once more, not once per run (shared/stores/escalation-ledger.ts).
 */
async function escalateUnfinished(incident: Incident, gaveUp: GaveUp, deps: RedriveDeps & ExhaustedEscalationDeps): Promise<void> {
  const told = await pageUnfinished(incident, gaveUp, deps);
  await deps.incidents.update(incident.id, told.fields, { history: [told.entry] });
}

/** How the fallback told on-call of an incident (paged, or counted on the open page), as it is to be recorded. */
interface Told {
  fields: Pick<Incident, 'status' | 'notifiedByFallback' | 'fallbackEscalation'> & Pick<Partial<Incident>, 'notifyFailed'>;
  entry: HistoryEntry;
}

/** The page of {@link escalateUnfinished}, or the count on the open one, and what records it. */
async function pageUnfinished(incident: Incident, gaveUp: GaveUp, deps: RedriveDeps & ExhaustedEscalationDeps): Promise<Told> {
  // Pages about incidents the pipeline could not finish go out once per problem and window, the rest are counted on
  // that page and reported in its digest. A stage that fails on every input would otherwise page once per incident,
  // up to the reconciler's whole batch every run.
  const problem = problemOf(incident, gaveUp.cause, deps.policyFile);
  const asked = { ...problem, incidentId: incident.id, at: deps.clock(), mayOpen: true };
  // A window the name's key opened before the deploy (its page went out) is counted on until it ends, not paged again.
  const occurrence = problem.key === exhaustedByIdKey(incident) ? await inWindowOf(asked, exhaustedByNameKey(incident), incident.repositoryId, deps) : asked;
  const tally = await deps.escalationLedger.record(occurrence);
  const at = deps.clock().toISOString();
  // Told now: an incident the notify function failed on (given up after its own page kept failing) waits for no page.
  const told = {
    status: 'notified' as const,
    notifiedByFallback: true,
    fallbackEscalation: { cause: gaveUp.cause, paged: tally.send, at },
    ...(incident.notifyFailed ? { notifyFailed: false } : {}),
  };
  // Rendered as it is recorded below: notified by this fallback, so the e-mail says what the dashboard says.
  if (tally.send) await publishClaimedPage(renderEscalation({ ...incident, ...told }, gaveUp.why, tally), occurrence, deps);
  const reported = problem.digest ? 'reported in its digest' : 'reported with the next page after the window';
  const counted = tally.send ? '' : `; counted on the open escalation (${tally.windowCount} in this window), ${reported}`;
  return { fields: told, entry: { at, event: gaveUp.event, detail: `${gaveUp.detail}${counted}` } };
}

/**
 * After a failed try at an incident (its re-drive, or the escalation in its place): recorded on it, without moving
 * its `updatedAt` (the try was not work on it), and tried again later, by the reconciler's one rule for every sweep
 * (./retry-later.ts `afterFailure`, from the next run: a throttled call's most likely end, then 5 minutes doubling).
 * The list of candidates leaves it out while it waits, so incidents that fail every time cannot spend every run's
 * bound ahead of the newer ones.
 *
 * After 8 failures in a row (`MAX_FAILURES`; a try that works ends the run, {@link streakEnded}), over five hours, it
 * is given up loudly: an error log and the `IncidentRedrivesAbandoned` metric, and on-call is paged through the fallback escalation with a cause of its own,
 * `reconcile_given_up` (one problem in the ledger for all give-ups, {@link RECONCILE_GIVEN_UP_KEY}), and the incident
 * recorded notified by it, with its tries (`reconcileRetry.dueAt` null); should that record fail, the next run gives
 * it up again. When even that page cannot go out, the incident is recorded given up (`reconcileRetry.dueAt` null, a
 * `reconcile_given_up` history entry): nothing of it is lost, it is listed no more, and the run fails besides the log
 * and the metric; `IncidentsGivenUpUnpaged` counts it, whose alarm pages at once (the reconciler-errors alarm wants
 * three failed runs in a row, and the next run does not fail on it).
 */
async function afterFailedTry(
  incident: Incident,
  error: unknown,
  deps: RedriveDeps & ExhaustedEscalationDeps,
  result: ReconcileResult,
): Promise<void> {
  const errorName = errorNameOf(error);
  const retryOf = (failures: number, dueAt: Date | null, failedAt: Date): ReconcileRetry => ({
    failures, error: errorName, dueAt: dueAt?.toISOString() ?? null, failedAt: failedAt.toISOString(),
  });
  await afterFailure({
    failures: incident.reconcileRetry?.failures ?? 0,
    fromNextRun: true,
    named: { retried: { incidentId: incident.id }, givenUp: { incidentId: incident.id } },
    retry: {
      message: 're-drive failed; the incident is tried again later',
      counted: () => result.failed.push(incident.id),
      move: (dueAt, failures, failedAt) => deps.incidents.record(incident.id, { reconcileRetry: retryOf(failures, dueAt, failedAt) }, {}, { keepUpdatedAt: true }),
    },
    giveUp: {
      message: 'the reconciler gave an incident up: its re-drive or escalation kept failing; on-call was paged about it unless its page failed too (logged before)',
      counted: () => result.givenUp.push(incident.id),
      drop: (failures, failedAt) => giveUp(incident, retryOf(failures, null, failedAt), deps, result),
    },
  }, error, deps);
}

/**
 * Gives up an incident after its last failed try (see {@link afterFailedTry}): paged and recorded notified, or, when
 * the page fails too, recorded given up and counted unpaged. A record that fails is thrown: the incident keeps its
 * tries as they were, and the next run gives it up again.
 */
async function giveUp(incident: Incident, retry: ReconcileRetry, deps: RedriveDeps & ExhaustedEscalationDeps, result: ReconcileResult): Promise<void> {
  let told: Told;
  try {
    told = await pageUnfinished(incident, gaveUpOnReconciling(incident, retry), deps);
  } catch (pageError) {
    result.failed.push(incident.id);
    deps.logger.error('the page about an incident given up failed too; it is recorded given up, and nobody was paged', {
      incidentId: incident.id, error: errorMessage(pageError),
    });
    const at = deps.clock().toISOString();
    const detail = `the reconciler's tries failed ${retry.failures} times (the last: ${retry.error}), and so did its page (${errorNameOf(pageError)}); given up`;
    await deps.incidents.record(incident.id, { reconcileRetry: retry }, { history: [{ at, event: 'reconcile_given_up', detail }] }, { keepUpdatedAt: true });
    // Counted once recorded: a record that failed leaves the incident due, and the next run gives it up again.
    result.unpaged.push(incident.id);
    return;
  }
  // Paged, or counted on the open page: not "nobody was paged", whatever happens to this write. When it fails, the
  // incident keeps its tries as they were and the next run gives it up again; the ledger lets the page go out once
  // more at most, as after a crash between any page and its record.
  await deps.incidents.update(incident.id, { ...told.fields, reconcileRetry: retry }, { history: [told.entry] });
}

/**
 * One reconciler run: bounded, idempotent, reports what it re-drove as a metric. With `approvalResumes`, a running
 * incident whose `/guard` decision is recorded with its token but not resumed is listed for ./approval-resumes.ts
 * (which the scheduled run calls next): a decision recorded by the code before decisions were listed, during a
 * deploy, has no entry of its own. (One recorded by the code before that, which took the proposal off the index
 * first and kept the token, is found by no redelivery either; one recorded with its token cleared before the call
 * cannot be resumed by anyone, and waits out its timeout as it did then.)
 */
export async function reconcile(
  deps: RedriveDeps & ExhaustedEscalationDeps & { metrics: Metrics; approvalResumes?: Pick<ApprovalResumes, 'schedule'> },
  options: ReconcileOptions,
): Promise<ReconcileResult> {
  const now = deps.clock();
  const candidates = await deps.incidents.listUnfinished({
    createdAfter: new Date(now.getTime() - options.lookbackHours * 3_600_000),
    updatedBefore: new Date(now.getTime() - options.afterMinutes * 60_000),
    dueBy: now,
    // Candidates whose execution is still running cost a describe each: look at a few more than we may re-drive.
    limit: options.maxPerRun * 4,
  });
  const result: ReconcileResult = { examined: 0, redriven: [], running: 0, exhausted: [], unstartable: [], notifyFailed: [], failed: [], givenUp: [], unpaged: [] };
  for (const incident of candidates) {
    if (result.redriven.length >= options.maxPerRun) break;
    result.examined += 1;
    try {
      const outcome = await redriveIncident(incident, deps, { maxAttempts: options.maxAttempts });
      const ended = outcome.action === 'running' || outcome.action === 'started' ? streakEnded(incident) : null;
      if (ended) {
        await deps.incidents.record(incident.id, ended, {}, { keepUpdatedAt: true }).catch((recordError: unknown) => {
          // Not a failed try: the next one that works ends the run of failures instead.
          deps.logger.warn("a try that worked could not end the incident's run of failed tries", { incidentId: incident.id, error: errorMessage(recordError) });
        });
      }
      if (outcome.action === 'started') result.redriven.push(outcome.execution);
      else if (outcome.action === 'running') {
        result.running += 1;
        // Only a decision recorded before commands listed their own: listing one again would add an entry due at once
        // with no failures counted beside the one its failed resumes moved, and it would never be given up.
        if (deps.approvalResumes && isUnresumed(incident) && incident.approval.decidedAt && !incident.approval.resumeListed) {
          await deps.approvalResumes.schedule({ incidentId: incident.id, decidedAt: incident.approval.decidedAt });
        }
      } else if (outcome.action === 'exhausted') {
        await escalateUnfinished(incident, gaveUpOnExecutions(outcome), deps);
        result.exhausted.push(incident.id);
      } else if (outcome.action === 'unstartable') {
        await escalateUnfinished(incident, gaveUpOnStarting(outcome), deps);
        result.unstartable.push(incident.id);
      } else if (outcome.action === 'notify_failed') {
        await escalateNotifyFailed(incident, outcome.execution, deps);
        result.notifyFailed.push(incident.id);
      } else if (outcome.action === 'no_input') {
        throw new NoRecordedTriggerError(`incident ${incident.id} is unfinished and has no recorded trigger to re-drive it with`);
      }
    } catch (error) {
      // One incident's failure (a throttled StartExecution) must not stop the others.
      await afterFailedTry(incident, error, deps, result).catch((recordError: unknown) => {
        // Not recorded: it stays due, and the next run tries it (and records it) again.
        if (!result.failed.includes(incident.id)) result.failed.push(incident.id);
        deps.logger.warn('a failed re-drive could not be recorded; the next run tries it again', { incidentId: incident.id, error: errorMessage(recordError) });
      });
    }
  }
  deps.metrics.count(RECONCILER_METRIC.redriven, result.redriven.length);
  const escalated = result.exhausted.length + result.unstartable.length + result.notifyFailed.length;
  deps.metrics.count(RECONCILER_METRIC.redriveExhausted, escalated);
  deps.metrics.count(RECONCILER_METRIC.redrivesAbandoned, result.givenUp.length);
  deps.metrics.count(RECONCILER_METRIC.givenUpUnpaged, result.unpaged.length);
  if (result.redriven.length > 0 || escalated > 0 || result.givenUp.length > 0) {
    deps.logger.info('reconciler run', { ...result });
  }
  return result;
}

export interface ScheduledRunOptions extends ReconcileOptions {
  /** Digests of ended escalation windows per run. */
  maxDigestsPerRun: number;
  /** Incidents whose reactions are read late per run, and the GitHub calls for them (./late-reactions.ts). */
  maxReactionReadsPerRun: number;
  maxReactionCallsPerRun: number;
  /** Vote changes left pending by a crash that a run finishes (./pending-votes.ts). */
  maxPendingVotesPerRun: number;
  /** How long a followed runbook run may stay unended before on-call is paged that it has not (./runbook-checks.ts). */
  runbookNotEndedMinutes: number;
}

export type ScheduledRunResult = ReconcileResult & {
  approvalResumes: ApprovalResumeResult;
  digests: DigestResult;
  reactions: LateReactionResult;
  pendingVotes: PendingVoteResult;
  recoveryComments: RecoveryCommentResult;
  runbookChecks: RunbookCheckResult;
  recoveryFollowUps: RecoveryFollowUpResult;
};

/**
 * One scheduled reconciler run (the Lambda on its EventBridge schedule, the local runtime on its timer): re-drive
 * unfinished incidents, resume the executions whose `/guard` decision was recorded but not resumed (as many as it
 * re-drives at most: ./approval-resumes.ts), send the digests of escalation windows that have ended, read the reactions of experiment
 * units that became final since the guard last read them, finish the vote changes a crash left pending, then post the
 * recovery comments the write budget refused (as many as it re-drives at most), and page for the runbooks that reported
 * success while their alarm kept firing (as many as it re-drives at most: ./runbook-checks.ts), and finish the
 * follow-ups of recoveries that no delivery finished (as many recoveries as it re-drives at most: ./recovery-follow-ups.ts).
 */
export async function scheduledReconcilerRun(
  deps: RedriveDeps & DigestDeps & ExhaustedEscalationDeps & LateReactionDeps & RecoveryCommentDeps & ApprovalResumeDeps & RunbookCheckDeps & RecoveryFollowUpPassDeps,
  options: ScheduledRunOptions,
): Promise<ScheduledRunResult> {
  const redriven = await reconcile(deps, options);
  const approvalResumes = await resumeRecordedDecisions(deps, { maxPerRun: options.maxPerRun, afterMinutes: options.afterMinutes, lookbackHours: options.lookbackHours });
  const digests = await sendDueDigests(deps, { maxPerRun: options.maxDigestsPerRun, lookbackHours: options.lookbackHours });
  const reactions = await readLateReactions(deps, {
    maxPerRun: options.maxReactionReadsPerRun,
    maxCallsPerRun: options.maxReactionCallsPerRun,
    lookbackHours: options.lookbackHours,
  });
  const pendingVotes = await finishPendingVotes(deps, { maxPerRun: options.maxPendingVotesPerRun, afterMinutes: options.afterMinutes, lookbackHours: options.lookbackHours });
  const recoveryComments = await postDeferredRecoveryComments(deps, { maxPerRun: options.maxPerRun, afterMinutes: options.afterMinutes, lookbackHours: options.lookbackHours });
  const runbookChecks = await pageRunbooksThatDidNotFix(deps, { maxPerRun: options.maxPerRun, lookbackHours: options.lookbackHours, notEndedMinutes: options.runbookNotEndedMinutes });
  const recoveryFollowUps = await finishRecoveryFollowUps(deps, { maxPerRun: options.maxPerRun, afterMinutes: options.afterMinutes });
  return { ...redriven, approvalResumes, digests, reactions, pendingVotes, recoveryComments, runbookChecks, recoveryFollowUps };
}

/**
 * The error a scheduled run ends with when it left work undone: incidents it could not re-drive, recorded `/guard`
 * decisions it could not resume (or list), digests it could not send, runbook checks whose page did not go out, the
 * follow-ups of recoveries no delivery finished that failed again (the incident stays without them). Logged
 * warnings alone reach nobody; a
 * reconciler that keeps failing leaves accepted failures un-notified, and approved executions waiting.
 * Null when the run did all it found to do. A late read of reactions that failed is not such work: it waits for the
 * next run, and a GitHub outage must not page on-call through the reconciler's alarm for votes.
 */
export function incompleteRunError(
  result: ReconcileResult & {
    digests: Pick<DigestResult, 'failed'>;
    approvalResumes: Pick<ApprovalResumeResult, 'failed' | 'abandoned' | 'unlisted'>;
    runbookChecks?: Pick<RunbookCheckResult, 'failed'>;
    recoveryFollowUps?: Pick<RecoveryFollowUpResult, 'failed'>;
  },
): ReconcileIncompleteError | null {
  const { failed } = result;
  const digestsFailed = result.digests.failed;
  const checksFailed = result.runbookChecks?.failed ?? [];
  const followUpsFailed = result.recoveryFollowUps?.failed ?? [];
  const resumes = result.approvalResumes;
  const resumesFailed = [...resumes.failed, ...resumes.abandoned];
  if (failed.length === 0 && digestsFailed.length === 0 && resumesFailed.length === 0 && resumes.unlisted === null && checksFailed.length === 0 && followUpsFailed.length === 0) return null;
  const list = (ids: string[]) => `${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ', …' : ''}`;
  const parts = [
    ...(failed.length > 0 ? [`${failed.length} re-drive(s) failed (${list(failed)})`] : []),
    ...(resumesFailed.length > 0 ? [`${resumesFailed.length} approval resume(s) failed (${list(resumesFailed)})`] : []),
    ...(resumes.unlisted !== null ? ['the approvals to resume could not be listed'] : []),
    ...(digestsFailed.length > 0 ? [`${digestsFailed.length} digest(s) failed`] : []),
    ...(checksFailed.length > 0 ? [`${checksFailed.length} runbook check(s) failed (${list(checksFailed)})`] : []),
    ...(followUpsFailed.length > 0 ? [`${followUpsFailed.length} recovery follow-up(s) failed (${list(followUpsFailed)})`] : []),
  ];
  return new ReconcileIncompleteError(`reconciler run incomplete: ${parts.join('; ')}; see the warnings of this run`);
}
