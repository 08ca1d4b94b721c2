/**
 * The sweep of approval waits that failed before session 65: their request failed on every try, and the version then
 * recorded the approval `pending` without a task token. Since session 66 they read as `failed` in the API, the
 * dashboard and the metrics (`approvalAsStands`), but nothing rewrote them, and one commented on a pull request paged
 * nobody, although nobody can ever answer it. `guard incidents sweep-waits` runs this over the incidents table's
 * tokenless pending approvals (shared/stores/tokenless-waits.ts).
 *
 * Each incident is read again and handled only while its approval is still pending without a token and older than a
 * Notify invocation (`APPROVAL_SETUP_MS`: a request being recorded now is not one). On-call is paged as Notify pages a
 * failed wait (the same route, the escalation ledger's window, so the sweep's many incidents of one problem page once
 * and are counted), unless a page about the incident went out since its request; then the approval is recorded
 * `failed` with the page's record, written only over the approval as read: a decision or a retried request recorded
 * meanwhile is never overwritten. Paged before recorded, as the reconciler's fallback pages: a sweep that dies in
 * between finds the incident again and the ledger lets its page go once more at most; a sweep run twice finds
 * nothing left. Dry run: what would be paged and recorded, nothing written or sent.
 *
 * The pull request's comment of such a wait still showed the proposal "waiting for approval" and invited
 * `/guard approve`, which nothing can carry out: it is rewritten (through the GitHub port, with the write budget) to
 * say the guard could not ask for approval, between the page and the record, which keeps its notification: a sweep
 * run again finds the wait recorded and leaves the comment, and one that died in between rewrites it with the same text.
 * Only a comment the incident wrote, and not one a later incident of the pull request leads since. A refusal by GitHub
 * (a locked pull request) is recorded as such; any other failure leaves the incident for the next sweep.
 */
import { type ApprovalState, type Incident, type NotificationRecord, approvalAsStands } from '../domain/incident.js';
import { errorMessage } from '../errors.js';
import { GitHubRequestError } from '../github/errors.js';
import type { Clock, EscalationLedger, EscalationPublisher, GitHubClients, StepLogger } from '../ports.js';
import { type PolicyFile, policyFor } from '../remediation/policy.js';
import { asRead } from '../remediation/approval-resume.js';
import type { IncidentStore } from '../stores/incident-store.js';
import { publishClaimedPage } from './claimed-page.js';
import { renderEscalation } from './escalation.js';
import { escalationFor, pageOccurrence } from './escalation-policy.js';
import { inWindowByName } from './page-claims.js';
import { commentRewrittenForAnother } from './pull-request.js';
import { rewritePullRequestComment } from './recovery-comment.js';

export interface FailedWaitSweepDeps {
  incidents: Pick<IncidentStore, 'get' | 'update' | 'replaceApproval' | 'listByPullRequest'>;
  /** GitHub with the shared write budget, opened on the first comment the sweep rewrites. */
  githubWriter: () => Promise<GitHubClients>;
  escalations: EscalationPublisher;
  escalationLedger: EscalationLedger;
  policyFile: PolicyFile;
  clock: Clock;
  logger: StepLogger;
}

export type FailedWaitOutcome =
  /** Recorded failed; on-call paged about it. */
  | 'paged'
  /** Recorded failed; counted on the problem's open page, or paged already (its request's own page), or routed to nobody. */
  | 'recorded'
  /** Not such a wait (any more): decided, retried, recorded already, or too recent. */
  | 'skipped';

export interface FailedWaitSweepResult {
  paged: string[];
  recorded: string[];
  skipped: number;
  /** Incidents whose page or record failed: the next sweep finds them again. */
  failed: string[];
  /** The first of their errors, for the operator: what to set up or fix before the next sweep. */
  firstError?: string;
}

/**
 * A page about the incident went out once its wait failed (a wait without a pull request paged when it failed): at or
 * after the failure, which the version before session 65 recorded as the pending approval's decidedAt (else the
 * failed step's decision's). Counted from the request, the request's own e-mail (published on the same topic, before
 * the wait failed, asking for an approval its token could no longer give) read as that page, and nobody was paged.
 */
function pagedSince(incident: Incident, approval: ApprovalState): boolean {
  const failedAt = approval.decidedAt ?? (incident.decision?.reason.startsWith('the approval step failed') ? incident.decision.decidedAt : null);
  const since = failedAt !== null && failedAt > approval.requestedAt ? failedAt : approval.requestedAt;
  return incident.notifications.some((told) => told.channel === 'sns' && told.outcome === 'published' && told.at >= since);
}

/** One incident: paged if it must be, then recorded failed over the approval as read. */
export async function sweepFailedWait(incidentId: string, deps: FailedWaitSweepDeps, options: { dryRun: boolean }): Promise<FailedWaitOutcome> {
  const incident = await deps.incidents.get(incidentId);
  const pending = incident?.approval;
  if (!incident || !pending || pending.status !== 'pending' || pending.taskToken) return 'skipped';
  const now = deps.clock();
  const failed = approvalAsStands(incident, now);
  if (failed.approval?.status !== 'failed') return 'skipped';
  const at = now.toISOString();
  const told = (outcome: NotificationRecord['outcome'], detail: string): NotificationRecord => ({ channel: 'sns', target: 'escalation-topic', outcome, detail, at });
  const policy = policyFor(deps.policyFile, incident.repository, false).escalation;
  const { route } = escalationFor(failed, { ownRerun: false, policy });
  let notification: NotificationRecord;
  if (pagedSince(incident, pending)) {
    notification = told('skipped', 'approval wait failed before session 65: on-call was paged since it failed (when it failed, or by an earlier sweep)');
  } else if (!route.page) {
    notification = told('skipped', `approval wait failed before session 65, not paged: ${route.why}`);
  } else if (options.dryRun) {
    return 'paged';
  } else {
    const occurrence = await inWindowByName(pageOccurrence(route, failed, now, deps.policyFile), failed, deps);
    const tally = await deps.escalationLedger.record(occurrence);
    notification = tally.send
      ? told('published', (await publishClaimedPage(renderEscalation(failed, `${route.why}.`, tally), occurrence, deps)).messageId)
      : told('skipped', tally.alreadySent ? 'the page of this failed wait went out on an earlier sweep' : `approval wait failed before session 65, counted on the open escalation of this problem (${tally.windowCount} in its window)`);
  }
  if (options.dryRun) return 'recorded';
  // The page is recorded as soon as it went out: the comment's rewrite below may fail (GitHub unavailable, the write
  // budget spent, no GitHub settings where the sweep runs), leaving the wait for the next sweep, which finds the page
  // (pagedSince) instead of sending another; the ledger lets a second one go, and a new window a third (review 68).
  const paged = notification.outcome === 'published';
  if (paged) await deps.incidents.update(incident.id, {}, { notifications: [notification] });
  const commented = await tellPullRequest({ ...incident, approval: failed.approval }, now, deps);
  const reason = failed.approval.reason ?? 'recorded pending without a task token';
  const history = [{ at, event: 'approval_wait_failed_swept', detail: `the approval wait had failed before it recorded a task token (${reason}); recorded failed by the sweep of such waits` }];
  // Over the approval as read only: pending, no token, no decision, no take.
  if (!(await deps.incidents.replaceApproval(incident.id, asRead(pending), { ...pending, status: 'failed', taskToken: null, reason }, { history, notifications: [...(paged ? [] : [notification]), ...(commented ? [commented] : [])] }))) {
    return paged ? 'paged' : 'skipped';
  }
  return paged ? 'paged' : 'recorded';
}

/** What the sweep's rewrite of a pull request's comment is recorded as. */
export const FAILED_WAIT_COMMENT_DETAIL = 'approval wait failed';

/**
 * Rewrites the pull request's comment that showed the wait's proposal waiting, for `failed` (the approval as recorded
 * failed); null when there is none to rewrite: no comment of the incident's, or a later incident's since.
 */
async function tellPullRequest(failed: Incident, now: Date, deps: FailedWaitSweepDeps): Promise<NotificationRecord | null> {
  const comments = failed.notifications.filter((told) => told.channel === 'github_comment' && typeof told.commentId === 'number');
  const last = comments.at(-1);
  if (!last || (await commentRewrittenForAnother(failed, last.at, deps.incidents))) return null;
  const github = (await deps.githubWriter()).forInstallation(failed.installationId);
  if (!github) return null;
  try {
    return await rewritePullRequestComment(failed, FAILED_WAIT_COMMENT_DETAIL, github, now, deps);
  } catch (error) {
    if (!(error instanceof GitHubRequestError)) throw error;
    return { channel: 'github_comment', target: last.target, outcome: 'failed', detail: `${FAILED_WAIT_COMMENT_DETAIL}: ${errorMessage(error).slice(0, 200)}`, at: now.toISOString() };
  }
}

/** Every incident the pages name, one after another; a failure is counted and left for the next sweep. */
export async function sweepFailedWaits(
  pages: AsyncIterable<{ incidentIds: string[]; scanned: number }>,
  deps: FailedWaitSweepDeps,
  options: { dryRun: boolean; onPage?: (sofar: FailedWaitSweepResult & { scanned: number }) => void },
): Promise<FailedWaitSweepResult> {
  const result: FailedWaitSweepResult = { paged: [], recorded: [], skipped: 0, failed: [] };
  let scanned = 0;
  for await (const page of pages) {
    scanned += page.scanned;
    for (const incidentId of page.incidentIds) {
      try {
        const outcome = await sweepFailedWait(incidentId, deps, options);
        if (outcome === 'skipped') result.skipped += 1;
        else result[outcome].push(incidentId);
      } catch (error) {
        result.failed.push(incidentId);
        result.firstError ??= errorMessage(error).slice(0, 300);
        deps.logger.warn('a failed approval wait could not be paged or recorded; the next sweep finds it again', { incidentId, error: errorMessage(error) });
      }
    }
    options.onPage?.({ ...result, scanned });
  }
  return result;
}
