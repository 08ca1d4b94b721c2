/**
 * What follows a recovery once the incident is written resolved: the circuit breaker's outcome, learning's, the
 * withdrawal of a proposal still waiting for approval, the reactions on the PR comment and the comment's rewrite, then
 * the history entry that says they are done. Done by the outcome recorder right after its resolved write
 * (shared/steps/record-outcome.ts), again by the recovery's redelivery when it was cut short, and by the reconciler's
 * backstop when no delivery came back (shared/reconcile/recovery-follow-ups.ts): one function below both, so that
 * each does exactly what the other does.
 */
import { recoveryByAppliedAction } from '../baselines/flaky.js';
import type { HistoryEntry, Incident, NotificationRecord } from '../domain/incident.js';
import { RetryableError, errorMessage, isRetryable } from '../errors.js';
import type { Learning } from '../knowledge/learning.js';
import type { Votes } from '../knowledge/votes.js';
import { readReactionFeedback } from '../knowledge/reactions.js';
import { recoveryCommentWritten, writeRecoveryComment } from '../notify/recovery-comment.js';
import type { Clock, GitHubClients, GitHubPort, StepLogger } from '../ports.js';
import { type ApprovalIndex, withdrawProposal } from '../remediation/approvals.js';
import { type GuardStore, recordActionOutcome } from '../remediation/guard-store.js';
import type { DeferredRecoveryComments } from '../stores/deferred-comments.js';
import type { IncidentStore } from '../stores/incident-store.js';
import type { ReactionReads } from '../stores/reaction-reads.js';

/** The history entry that says a recovery's follow-ups are done: nothing is left to do for it. */
export const FOLLOWED_UP = 'recovery_followed_up';

export interface RecoveryFollowUpDeps {
  incidents: IncidentStore;
  github: GitHubClients;
  clock: Clock;
  logger: StepLogger;
  /** Learning's outcome counters, and the reactions on the PR comment read as votes. */
  learning?: Pick<Learning, 'onResolved'> & Votes;
  /** A recovery after an automatic action counts as its success for the circuit breaker. */
  guards?: GuardStore;
  /** A PR comment the write budget refused, left for the reconciler to post. */
  deferredComments?: DeferredRecoveryComments;
  /** The reconciler's late reads of reactions: a read GitHub failed for now is left to it. */
  reactionReads?: Pick<ReactionReads, 'schedule'>;
  /** The pull requests' proposals waiting for approval: a recovered failure's is withdrawn. */
  approvals?: Pick<ApprovalIndex, 'take'>;
}

/** What the outcome recorder adds to an alarm OK's name when the OK came after the guard's runbook. */
export const AFTER_RUNBOOK = ' after the runbook';

/**
 * Whether `incident` was written resolved by the recovery named `resolvedBy` at `at` (ISO): an alarm's OK may add
 * {@link AFTER_RUNBOOK} to its name, a green run's is exact. Another writer's ending has no follow-ups of this
 * recovery, and that includes classify's ending of a failure superseded by this very green run (`supersededBy`) or
 * whose alarm was OK already (`alarm OK before classify`): it writes the same time, and the green run's name, yet
 * nothing was run, commented or paged for it, and a redelivery of the recovery that listed it open (or the reconciler's
 * backstop) took it for its own and rewrote the PR comment and counted learning's outcome for it.
 */
export function resolvedByRecovery(incident: Incident, recovery: { resolvedBy: string; at: string }): boolean {
  const by = incident.resolvedBy ?? '';
  return (
    incident.status === 'resolved' &&
    !incident.supersededBy &&
    incident.resolvedAt === recovery.at &&
    (by === recovery.resolvedBy || by === `${recovery.resolvedBy}${AFTER_RUNBOOK}`)
  );
}

/**
 * What a follow-up of the recovery does when it fails. A transient failure (a DynamoDB throttle, a timeout:
 * `isRetryable`) fails the recovery, which is delivered again and does its follow-ups again (each is claimed and
 * its counts marked, so none counts twice) — as often as the delivery is retried (Lambda's asynchronous invocation:
 * twice, then the dead-letter queue; the local queue the same). The incident is written resolved before them, and the
 * next green run finds it no longer open: after the last retry the reconciler's backstop does them, from the targets
 * the recovery noted (shared/reconcile/recovery-follow-ups.ts), and fails its run while they keep failing. Any other
 * failure would fail every try alike: it is logged, and the recovery recorded.
 */
export function unlessTransient(what: string, incidentId: string, deps: Pick<RecoveryFollowUpDeps, 'logger'>) {
  return (error: unknown) => {
    if (isRetryable(error)) throw error;
    deps.logger.warn(`could not record ${what}`, { incidentId, error: errorMessage(error) });
  };
}

/**
 * The reactions on the PR comment, read as feedback before the comment is rewritten. A read GitHub failed for now
 * (5xx, rate limit, timeout) is left to the reconciler's late read of reactions (shared/reconcile/late-reactions.ts,
 * which tries it again less and less often, then gives it up): GitHub may be out for longer than the recovery's
 * deliveries are retried, and the recovery is recorded meanwhile. Due just after anything this recovery writes on
 * the comment, which the late read would otherwise take as a read since.
 */
async function readReactionsOrDefer(resolved: Incident, github: GitHubPort | null, at: Date, deps: RecoveryFollowUpDeps): Promise<void> {
  try {
    await readReactionFeedback(resolved, github, deps);
  } catch (error) {
    if (isRetryable(error) && deps.reactionReads) {
      const dueAt = new Date(Math.max(deps.clock().getTime(), at.getTime()) + 1000).toISOString();
      await deps.reactionReads.schedule({ incidentId: resolved.id, dueAt });
      deps.logger.warn('could not read reactions on the Pipeline Guard comment; the reconciler reads them', { incidentId: resolved.id, error: errorMessage(error) });
      return;
    }
    unlessTransient('the reactions on the Pipeline Guard comment', resolved.id, deps)(error);
  }
}

/**
 * What follows a recovery written resolved (`resolved`, as stored: its approval as it stands now, not as listed). A
 * follow-up that failed for now fails the recovery (see unlessTransient), whose redelivery does them again. A comment
 * the write budget refused (or GitHub put off), and a reading of the reactions GitHub failed, are scheduled for the
 * reconciler instead of dropped (shared/reconcile/recovery-comments.ts posts a comment once the incident is resolved).
 */
export async function followUpRecovery(resolved: Incident, at: Date, deps: RecoveryFollowUpDeps, options: { updateComment?: boolean }): Promise<void> {
  // The circuit breaker counts automatic actions that led to recovery (runbooks are counted when they finish), not
  // on a run any outsider can cause again and again: they would hold it closed for the repository's own failures.
  const action = recoveryByAppliedAction(resolved) ? (resolved.decision?.action ?? null) : null;
  if (deps.guards && (action === 'rerun_failed_jobs' || action === 'open_fix_pr')) {
    await recordActionOutcome(deps.guards, resolved, true, `recovered:${resolved.id}`).catch(unlessTransient('the action outcome for the circuit breaker', resolved.id, deps));
  }
  if (deps.learning) {
    // Knowledge, experiment and metrics counters: claimed once per incident and marked, so a redelivery counts what an
    // earlier delivery left undone and nothing twice.
    await deps.learning.onResolved(resolved).catch(unlessTransient('the outcome for learning', resolved.id, deps));
  }
  const history: HistoryEntry[] = [];
  // Nobody should approve a fix for a failure that is green already: its proposal leaves the pull request's waiting
  // ones, as a superseded failure's does (`withdrawProposal`), and its wait runs out unanswered, paging nobody. Read
  // from the incident as the resolved write left it: a request that wrote the approval pending after the listing is
  // withdrawn too.
  if (deps.approvals && (await withdrawProposal(resolved, deps.approvals))) {
    history.push({ at: deps.clock().toISOString(), event: 'approval_withdrawn', detail: 'recovered before anyone decided: its proposal takes no /guard command any more' });
  }
  const github = deps.github.forInstallation(resolved.installationId);
  // Reactions left on the comment while the incident was open are feedback on it.
  await readReactionsOrDefer(resolved, github, at, deps);
  const comment = (options.updateComment ?? true) && github && !recoveryCommentWritten(resolved) ? await rewriteComment(resolved, github, at, deps) : {};
  history.push(...(comment.history ?? []), { at: deps.clock().toISOString(), event: FOLLOWED_UP, detail: 'circuit breaker, learning, proposal and PR comment done' });
  await deps.incidents.record(resolved.id, {}, { history, ...(comment.notification ? { notifications: [comment.notification] } : {}) });
}

/** Whether the follow-ups of the incident's recovery were recorded done (see followUpRecovery); it is resolved once. */
export function followedUp(incident: Incident): boolean {
  return incident.history.some((entry) => entry.event === FOLLOWED_UP);
}

/**
 * The recovery's rewrite of the PR comment: the notification recording it, or, when the write budget refused it or
 * GitHub failed for now, the history entry saying it waits for the reconciler (scheduled here). Refused for good, it
 * is logged: the recovery itself is recorded all the same.
 */
async function rewriteComment(
  resolved: Incident,
  github: GitHubPort,
  at: Date,
  deps: RecoveryFollowUpDeps,
): Promise<{ notification?: NotificationRecord; history?: HistoryEntry[] }> {
  try {
    const notification = await writeRecoveryComment(resolved, github, at, deps);
    return notification ? { notification } : {};
  } catch (error) {
    if (error instanceof RetryableError && deps.deferredComments) {
      const now = deps.clock().toISOString();
      await deps.deferredComments.schedule({ incidentId: resolved.id, dueAt: now });
      return { history: [{ at: now, event: 'recovery_comment_deferred', detail: `the PR comment waits for the reconciler: ${errorMessage(error).slice(0, 300)}` }] };
    }
    deps.logger.warn('could not update the PR comment after recovery', { incidentId: resolved.id, error: errorMessage(error) });
    return {};
  }
}

