import type { AuditEntry } from '../domain/incident.js';
import { leadingIncidentId, proseOf } from '../domain/comment-text.js';
import { firstIssue } from '../validation.js';
import { hasWriteAccess } from '../github/roles.js';
import { type FeedbackCommand, type FeedbackDeps, type FeedbackTarget, applyFeedback, feedbackTarget, issueCommentPayload, parseFeedbackCommand } from '../knowledge/feedback.js';
import type { GitHubClients, TaskTokenControl } from '../ports.js';
import type { ApprovalIndex } from '../remediation/approvals.js';
import { type ApprovalBinding, PROPOSAL_DIGEST, bindApproval } from '../remediation/proposal-digest.js';
import type { StepLogger } from '../ports.js';
import { type VerifyDeps, type WebhookRequest, type WebhookResponse, refuse, reply, verifyDelivery } from './verify.js';

const APPROVAL_COMMAND = /^\s*\/guard\s+(approve|reject)(?:[ \t]+([^\r\n]*))?\s*$/im;
const MAX_REASON = 500;
/** Step Functions' answers for a task token that was used or has expired. */
const STALE_TOKEN_ERRORS = new Set(['TaskTimedOut', 'InvalidToken', 'TaskDoesNotExist']);

export interface CommentCommandDeps extends VerifyDeps, FeedbackDeps {
  github: GitHubClients;
  tasks: TaskTokenControl;
  approvals: ApprovalIndex;
  logger: StepLogger;
}

export interface ApprovalCommand {
  decision: 'approve' | 'reject';
  /** Which proposal, when several wait on the same pull request. */
  incidentId: string | null;
  /** The digest of the proposal the approver saw (see proposal-digest.ts); a rejection names none. */
  digest: string | null;
  reason: string | null;
}

/**
 * Parses the first `/guard approve [incident] [digest]` or `/guard reject [incident] [reason]` line of a comment's
 * prose. Rejecting needs no digest: whatever was shown, nothing is applied.
 */
export function parseApprovalCommand(body: string): ApprovalCommand | null {
  const match = APPROVAL_COMMAND.exec(proseOf(body.slice(0, 65_536)));
  if (!match) return null;
  const decision = match[1] === 'approve' ? 'approve' : 'reject';
  const { incidentId, rest } = leadingIncidentId((match[2] ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim());
  const first = rest.split(/\s+/)[0] ?? '';
  const digest = decision === 'approve' && PROPOSAL_DIGEST.test(first) ? first.toLowerCase() : null;
  const reason = (digest ? rest.slice(first.length) : rest).trim().slice(0, MAX_REASON);
  return { decision, incidentId, digest, reason: reason || null };
}

/**
 * `issue_comment` deliveries: `/guard approve`, `/guard reject [reason]` and `/guard feedback up|down`, each naming
 * its incident when the pull request has several (see `parseApprovalCommand` and `parseFeedbackCommand`). The
 * signature is checked on the raw bytes first, then the command, then the author's write access on the
 * repository — a command from anyone else is refused with the reason, and changes nothing.
 */
export async function handleIssueCommentWebhook(request: WebhookRequest, deps: CommentCommandDeps): Promise<WebhookResponse> {
  const delivery = await verifyDelivery(request, deps);
  if (!delivery.ok) return delivery.response;
  if (delivery.event !== 'issue_comment') return refuse(400, `expected an issue_comment event, got ${delivery.event.slice(0, 50)}`);
  const parsed = issueCommentPayload.safeParse(delivery.payload);
  if (!parsed.success) {
    return refuse(400, `invalid issue_comment payload at ${firstIssue(parsed.error)}`);
  }
  const payload = parsed.data;
  const ignore = (reason: string) => reply(202, { ignored: reason });
  if (payload.action !== 'created') return ignore(`issue_comment action ${payload.action} is not acted on`);
  const body = payload.comment.body ?? '';
  const approval = parseApprovalCommand(body);
  const feedback = approval ? null : parseFeedbackCommand(body);
  if (!approval && !feedback) return ignore('no /guard command');
  if (!payload.issue.pull_request) return ignore('/guard commands are taken on pull requests only');
  if (payload.comment.user.type === 'Bot') return ignore('/guard commands from bots are not accepted');

  // What the command would act on is read from our own tables before the author's permission is asked of GitHub:
  // anyone may comment, and a command that can decide nothing must not spend the installation's API quota (a few
  // accounts posting `/guard approve` on every pull request would otherwise drain it, and the stages with it).
  const repository = payload.repository.full_name;
  const pending = approval ? await deps.approvals.pending(repository, payload.issue.number) : [];
  if (approval && pending.length === 0) return reply(409, { message: `nothing is waiting for approval on ${repository}#${payload.issue.number}` });
  const target = feedback ? await feedbackTarget(payload, feedback.incidentId, deps) : null;
  if (feedback && target && target.kind !== 'incident') return unvoted(target, feedback.vote, `${repository}#${payload.issue.number}`);

  const github = deps.github.forInstallation(payload.installation?.id ?? null);
  if (!github) return ignore("no GitHub access configured to check the author's permission");
  const login = payload.comment.user.login;
  const permission = await github.repositoryPermission({ owner: payload.repository.owner.login, repo: payload.repository.name }, login);
  if (!hasWriteAccess(permission)) {
    return ignore(`${login} has ${permission} access; ${approval ? `/guard ${approval.decision}` : 'feedback'} needs write access`);
  }
  if (feedback && target?.kind === 'incident') return applyFeedback(payload, feedback, target.incident, deps);
  return applyApproval(repository, payload.issue.number, login, approval as ApprovalCommand, pending, deps, writtenAt(payload.comment.created_at));
}

/** The answer to a `/guard feedback` that votes on nothing: the pull request has no incident, several, or not that one. */
function unvoted(target: Exclude<FeedbackTarget, { kind: 'incident' }>, vote: FeedbackCommand['vote'], pullRequest: string): WebhookResponse {
  switch (target.kind) {
    case 'none':
      return reply(202, { ignored: `no incident recorded for ${pullRequest}` });
    case 'elsewhere':
      return reply(409, { message: `${target.incidentId} is not an incident of ${pullRequest}` });
    case 'ambiguous':
      return reply(409, { message: `several incidents on ${pullRequest}: reply /guard feedback ${vote} <incident> with one of ${target.incidentIds.join(', ')}` });
  }
}

/** How far GitHub's clock and ours may disagree when a comment is compared with the proposal it answers. */
const CLOCK_SKEW_MS = 5_000;

function writtenAt(value: string | null | undefined): number | null {
  const at = value ? Date.parse(value) : Number.NaN;
  return Number.isNaN(at) ? null : at;
}

/**
 * Resumes the execution waiting for approval on that pull request, recording who decided and why. With several
 * proposals waiting on one pull request the command must name the incident; taking it off the pending set is
 * atomic, so of two concurrent commands exactly one decides.
 */
async function applyApproval(
  repository: string,
  pullRequest: number,
  login: string,
  command: ApprovalCommand,
  pending: readonly string[],
  deps: CommentCommandDeps,
  commentWrittenAt: number | null,
): Promise<WebhookResponse> {
  if (command.incidentId && !pending.includes(command.incidentId)) {
    return reply(409, { message: `${command.incidentId} is not waiting for approval; waiting: ${pending.join(', ')}` });
  }
  if (!command.incidentId && pending.length > 1) {
    return reply(409, { message: `several proposals wait on ${repository}#${pullRequest}: reply /guard ${command.decision} <incident> with one of ${pending.join(', ')}` });
  }
  const incidentId = command.incidentId ?? (pending[0] as string);
  const incident = await deps.incidents.get(incidentId);
  const approval = incident?.approval;
  if (!incident || !approval || approval.status !== 'pending' || !approval.taskToken || !incident.plan) {
    await deps.approvals.take(repository, pullRequest, incidentId);
    return reply(409, { message: `${incidentId} is not waiting for approval` });
  }
  // A comment written before this proposal was made answers an earlier one (or none): a delivery redelivered or
  // replayed later, or one delayed while an earlier proposal of the pull request timed out, must not decide a
  // proposal its author never saw. The proposal keeps waiting.
  const requestedAt = Date.parse(approval.requestedAt);
  if (commentWrittenAt !== null && !Number.isNaN(requestedAt) && commentWrittenAt < requestedAt - CLOCK_SKEW_MS) {
    return reply(409, { message: `the comment was written before ${incidentId} was proposed (${approval.requestedAt}); it decides nothing` });
  }
  // An approval is of the proposal its author read: it names that proposal's digest, and decides nothing once the
  // proposal has changed (a re-analysis rewrote it and the comment with it). The proposal keeps waiting.
  const binding = command.decision === 'approve' ? bindApproval({ ...incident, plan: incident.plan }, command.digest) : null;
  if (binding && !binding.ok) return reply(409, { message: unboundApproval(incidentId, command.digest, binding) });
  if (!(await deps.approvals.take(repository, pullRequest, incidentId))) {
    return reply(409, { message: `the approval of ${incidentId} was already decided` });
  }
  const at = deps.clock().toISOString();
  const approved = command.decision === 'approve';
  const entry: AuditEntry = {
    at,
    actor: login,
    action: incident.plan.action,
    status: approved ? 'approved' : 'rejected',
    detail: approved ? `approved by ${login}` : `rejected by ${login}${command.reason ? `: ${command.reason}` : ''}`,
  };
  // Recorded before resuming, so the steps that run next see who decided; the token is spent either way.
  await deps.incidents.update(
    incident.id,
    // The digest approved is recorded with the decision: the remediate stage applies the proposal only if it still has it.
    {
      approval: {
        ...approval, status: approved ? 'approved' : 'rejected', taskToken: null, decidedAt: at, decidedBy: login, reason: command.reason,
        ...(binding?.ok ? { digest: binding.digest } : {}),
      },
    },
    { audit: [entry], history: [{ at, event: approved ? 'approved' : 'rejected', detail: entry.detail }] },
  );
  try {
    if (approved) await deps.tasks.succeed(approval.taskToken, { approvedBy: login });
    else await deps.tasks.fail(approval.taskToken, 'ApprovalRejected', command.reason ?? `rejected by ${login}`);
  } catch (error) {
    // The timeout (or another path) used the token first: the execution has already moved on, and nothing was
    // decided here. The record must not keep saying who approved it: the wait is over without a decision.
    if (error instanceof Error && STALE_TOKEN_ERRORS.has(error.name)) {
      const late = deps.clock().toISOString();
      const detail = `${command.decision === 'approve' ? 'approved' : 'rejected'} by ${login} after the wait had ended: nothing was resumed`;
      await deps.incidents.update(
        incident.id,
        { approval: { ...approval, status: 'timed_out', taskToken: null } },
        {
          audit: [{ at: late, actor: login, action: incident.plan.action, status: 'skipped', detail }],
          history: [{ at: late, event: 'approval_too_late', detail }],
        },
      );
      return reply(409, { message: `the approval of ${incidentId} has expired` });
    }
    // A transient failure: put the proposal back so the same command can be repeated.
    await deps.incidents.update(incident.id, { approval }, {
      history: [{ at: deps.clock().toISOString(), event: 'approval_retry', detail: 'resuming the execution failed; the proposal still waits' }],
    });
    await deps.approvals.add(repository, pullRequest, incidentId);
    throw error;
  }
  deps.logger.info('approval decided', { incidentId: incident.id, decision: command.decision, by: login });
  return reply(202, { incidentId: incident.id, decision: command.decision });
}

/** The answer to an approval that does not name the proposal waiting now: what changed, and how to approve it. */
function unboundApproval(incidentId: string, given: string | null, binding: Extract<ApprovalBinding, { ok: false }>): string {
  const approve = `Read the change in the updated comment; to approve it, reply /guard approve ${incidentId} ${binding.digest}`;
  switch (binding.why) {
    case 'changing':
      return `the proposal of ${incidentId} changed after it was shown and is being asked again: this approval decides nothing. Approve it from the updated comment`;
    case 'changed':
      return `${given} is not the proposal of ${incidentId} waiting now (it changed after it was shown, or the digest is mistyped): this approval decides nothing. ${approve}`;
    case 'revised':
      return `the proposal of ${incidentId} changed since it was first shown, and this approval names no digest: it decides nothing. ${approve}`;
  }
}
