import type { AuditEntry } from '../domain/incident.js';
import { type FeedbackDeps, applyFeedback, issueCommentPayload, parseFeedbackCommand } from '../knowledge/feedback.js';
import type { GitHubClients, TaskTokenControl } from '../ports.js';
import type { StepLogger } from '../steps/deps.js';
import { type VerifyDeps, type WebhookRequest, type WebhookResponse, refuse, reply, verifyDelivery } from './verify.js';

/** Roles that may approve, reject or give feedback: the ones that could have made the change themselves. */
const WRITE_ROLES = new Set(['admin', 'maintain', 'write']);
const APPROVAL_COMMAND = /^\s*\/guard\s+(approve|reject)(?:[ \t]+([^\r\n]*))?\s*$/im;
const MAX_REASON = 500;
/** Step Functions' answers for a task token that was used or has expired. */
const STALE_TOKEN_ERRORS = new Set(['TaskTimedOut', 'InvalidToken', 'TaskDoesNotExist']);

export interface CommentCommandDeps extends VerifyDeps, FeedbackDeps {
  github: GitHubClients;
  tasks: TaskTokenControl;
  logger: StepLogger;
}

/** Parses the first `/guard approve` or `/guard reject [reason]` line of a comment. */
export function parseApprovalCommand(body: string): { decision: 'approve' | 'reject'; reason: string | null } | null {
  const match = APPROVAL_COMMAND.exec(body.slice(0, 65_536));
  if (!match) return null;
  const reason = (match[2] ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, MAX_REASON);
  return { decision: match[1] === 'approve' ? 'approve' : 'reject', reason: reason || null };
}

/**
 * `issue_comment` deliveries: `/guard approve`, `/guard reject [reason]` and `/guard feedback up|down`. The
 * signature is checked on the raw bytes first, then the command, then the author's write access on the
 * repository — a command from anyone else is refused with the reason, and changes nothing.
 */
export async function handleIssueCommentWebhook(request: WebhookRequest, deps: CommentCommandDeps): Promise<WebhookResponse> {
  const delivery = await verifyDelivery(request, deps);
  if (!delivery.ok) return delivery.response;
  if (delivery.event !== 'issue_comment') return refuse(400, `expected an issue_comment event, got ${delivery.event.slice(0, 50)}`);
  const parsed = issueCommentPayload.safeParse(delivery.payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return refuse(400, `invalid issue_comment payload at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
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

  const github = deps.github.forInstallation(payload.installation?.id ?? null);
  if (!github) return ignore("no GitHub access configured to check the author's permission");
  const login = payload.comment.user.login;
  const permission = await github.repositoryPermission({ owner: payload.repository.owner.login, repo: payload.repository.name }, login);
  if (!WRITE_ROLES.has(permission)) {
    return ignore(`${login} has ${permission} access; ${approval ? `/guard ${approval.decision}` : 'feedback'} needs write access`);
  }
  if (feedback) return applyFeedback(payload, feedback, deps);
  return applyApproval(payload.repository.full_name, payload.issue.number, login, approval!, deps);
}

/** Resumes the execution waiting for approval on that pull request, recording who decided and why. */
async function applyApproval(
  repository: string,
  pullRequest: number,
  login: string,
  command: { decision: 'approve' | 'reject'; reason: string | null },
  deps: CommentCommandDeps,
): Promise<WebhookResponse> {
  const incidentId = await deps.learning.latestIncidentForPullRequest(repository, pullRequest);
  const incident = incidentId ? await deps.incidents.get(incidentId) : null;
  const pending = incident?.approval;
  if (!incident || !pending || pending.status !== 'pending' || !pending.taskToken || !incident.plan) {
    return reply(409, { message: `nothing is waiting for approval on ${repository}#${pullRequest}` });
  }
  const at = deps.clock().toISOString();
  const approved = command.decision === 'approve';
  // Recorded before resuming, so the steps that run next see who decided; the token is spent either way.
  const entry: AuditEntry = {
    at,
    actor: login,
    action: incident.plan.action,
    status: approved ? 'approved' : 'rejected',
    detail: approved ? `approved by ${login}` : `rejected by ${login}${command.reason ? `: ${command.reason}` : ''}`,
  };
  await deps.incidents.update(
    incident.id,
    { approval: { ...pending, status: approved ? 'approved' : 'rejected', taskToken: null, decidedAt: at, decidedBy: login, reason: command.reason } },
    { audit: [entry], history: [{ at, event: approved ? 'approved' : 'rejected', detail: entry.detail }] },
  );
  try {
    if (approved) await deps.tasks.succeed(pending.taskToken, { approvedBy: login });
    else await deps.tasks.fail(pending.taskToken, 'ApprovalRejected', command.reason ?? `rejected by ${login}`);
  } catch (error) {
    // Another command (or the timeout) used the token first: the execution has already moved on.
    if (error instanceof Error && STALE_TOKEN_ERRORS.has(error.name)) {
      return reply(409, { message: `the approval for ${repository}#${pullRequest} was already decided or has expired` });
    }
    throw error;
  }
  deps.logger.info('approval decided', { incidentId: incident.id, decision: command.decision, by: login });
  return reply(202, { incidentId: incident.id, decision: command.decision });
}
