import { type AlsoCommanded, type ApprovalState, type AuditEntry, type Incident, MAX_ALSO_COMMANDED } from '../domain/incident.js';
import { CommandReplyBusyError, TaskTokenSpentError, errorMessage } from '../errors.js';
import { OUR_MARKER_PREFIX, commandLine, leadingIncidentId } from '../domain/comment-text.js';
import { sameRepository } from '../domain/repository-key.js';
import { firstIssue } from '../validation.js';
import { hasWriteAccess } from '../github/roles.js';
import type { PermissionCache } from '../github/permission-cache.js';
import { type FeedbackCommand, type FeedbackDeps, type FeedbackTarget, type IssueComment, applyFeedback, feedbackTarget, issueCommentPayload, parseFeedbackCommand } from '../knowledge/feedback.js';
import type { GitHubClients, TaskTokenControl } from '../ports.js';
import type { ApprovalIndex } from '../remediation/approvals.js';
import {
  type Unresumed, type UnresumedApproval, asRead, isUnresumed, keepForRetry, keptForRetry, markResumed, sendDecision, spentByFailedRequest, takeDecision, waitEndedBy,
} from '../remediation/approval-resume.js';
import type { ApprovalResumes } from '../stores/approval-resumes.js';
import { COMMAND_ANSWER_BUDGET_MS } from '../github/comment-timing.js';
export { commandAnswerMarker } from '../notify/command-reply.js';
import { inlineCode } from '../notify/markdown.js';
import { type DecisionEnd, carriedOut, commandAnswerMarker, decisionEnded, recordedNotCarriedOut, replyCarriedOut, theCommand, writeCommandReply } from '../notify/command-reply.js';
import type { CommandAnswerKey, CommandAnswers } from '../stores/command-answers.js';
import { type ApprovalBinding, PROPOSAL_DIGEST, bindApproval } from '../remediation/proposal-digest.js';
import type { StepLogger } from '../ports.js';
import { type VerifyDeps, type WebhookRequest, type WebhookResponse, refuse, reply, verifyDelivery } from './verify.js';

/** One line of a comment (see `commandLine`): the command at its start, and its words to the end of the line. */
const APPROVAL_COMMAND = /^\/guard[ \t]+(approve|reject)(?:[ \t]+([^]*))?\s*$/i;
/** The start of any command, enough to tell its author that one at a line's start was refused (see {@link notReadAnswer}). */
const ANY_COMMAND = /^\/guard[ \t]+(approve|reject|feedback)(?![^\s])/i;
const MAX_REASON = 500;

export interface CommentCommandDeps extends VerifyDeps, FeedbackDeps {
  github: GitHubClients;
  tasks: TaskTokenControl;
  approvals: ApprovalIndex;
  /** Decisions recorded but maybe not resumed, for the reconciler to resume when their handler died first. */
  approvalResumes: ApprovalResumes;
  /** Which reply answers each command comment: one, whatever the deliveries and their interleaving. */
  answers: CommandAnswers;
  /** Authors' permissions, kept by this process a while when they deny write access (see permission-cache.ts). */
  permissions: PermissionCache;
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
 * Parses the first `/guard approve [incident] [digest]` or `/guard reject [incident] [reason]` line of a comment, if
 * it counts (see `commandLine`). Rejecting needs no digest: whatever was shown, nothing is applied.
 */
export function parseApprovalCommand(body: string): ApprovalCommand | null {
  const line = commandLine(body, APPROVAL_COMMAND);
  if (line.kind !== 'read') return null;
  const { match } = line;
  // The pattern ignores case (a phone writes `/guard Approve`): the word is compared in lower case too, or an
  // approval so written would be taken as its opposite.
  const decision = match[1]?.toLowerCase() === 'approve' ? 'approve' : 'reject';
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
 * repository — a command from anyone else is refused with the reason, and changes nothing. An author with write
 * access also hears back on the pull request (see {@link answerOnPullRequest}).
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
  // Our own comments quote commands (an answer, the incident comment's "to approve, reply …") and show text from
  // logs and models; with a personal token they are not written by a Bot account.
  if (body.includes(OUR_MARKER_PREFIX)) return ignore('a Pipeline Guard comment is not a command');
  const approval = parseApprovalCommand(body);
  const feedback = approval ? null : parseFeedbackCommand(body);
  if (!approval && !feedback) return notReadAnswer(payload, deps);
  if (!payload.issue.pull_request) return ignore('/guard commands are taken on pull requests only');
  if (payload.comment.user.type === 'Bot') return ignore('/guard commands from bots are not accepted');
  const decided = approval ? await decideApproval(payload, approval, deps) : await decideFeedback(payload, feedback as FeedbackCommand, deps);
  if (decided.told) {
    const command = approval ? `/guard ${approval.decision}` : `/guard feedback ${(feedback as FeedbackCommand).vote}`;
    await answerOnPullRequest(payload, command, decided.told, decided.writer, deps);
  }
  // Answered first: the delivery then fails (500), and GitHub lists it for redelivery.
  if ('failure' in decided) throw decided.failure;
  return decided.response;
}

/**
 * A comment with no command that counts. One whose `/guard approve|reject|feedback` line starts the line but was
 * refused for what comes before it (see `commandLine`) has its author told why, on the pull request, when they have
 * write access (asked of GitHub only for an author whose association may write: an outsider cannot make the guard
 * talk, nor spend its API quota), once per comment whatever the deliveries (the command answer's claim). Without it a
 * maintainer whose `/guard approve` followed a pasted log heard nothing (attack-48 F). A command not at a line's start
 * (inside a quote of our own instructions) is not one, and gets no answer.
 */
async function notReadAnswer(payload: IssueComment, deps: CommentCommandDeps): Promise<WebhookResponse> {
  const line = commandLine(payload.comment.body ?? '', ANY_COMMAND);
  if (line.kind !== 'refused' || !payload.issue.pull_request || payload.comment.user.type === 'Bot') return reply(202, { ignored: 'no /guard command' });
  const command = `/guard ${(line.match[1] ?? '').toLowerCase()}`;
  await answerOnPullRequest(payload, command, { done: false, refusal: NOT_READ }, null, deps);
  return reply(202, { ignored: NOT_READ.plain });
}

const NOT_READ = refusal`it was not read as a command, because text before it in the comment can be read as code, a quote or HTML. Send the command on its own line at the start of a new comment`;

/** A refusal, as the webhook's answer says it and as the pull request is told (see {@link refusal}). */
export interface Refusal {
  plain: string;
  markdown: string;
}

/**
 * Template tag: the same sentence plain, and as Markdown where every interpolated value is a code span, so an
 * incident id or a digest can be copied as it is (outside code GitHub would link `#12` and `GH-1`, and the defusing
 * that stops it breaks the text) and `<incident>` is not read as an HTML tag. Values are ours: ids, digests,
 * commands, repository names and times from the signed delivery.
 */
function refusal(strings: TemplateStringsArray, ...values: Array<string | number>): Refusal {
  let plain = strings[0] ?? '';
  let markdown = plain;
  values.forEach((value, at) => {
    const text = String(value);
    plain += text + (strings[at + 1] ?? '');
    // inlineCode: a value left empty would write "``", a backtick string that pairs with a later span's fence.
    markdown += `${inlineCode(text)}${strings[at + 1] ?? ''}`;
  });
  return { plain, markdown };
}

/** How a command ended: the webhook's answer, and what its author is told on the pull request. */
type Decided = {
  /**
   * Done, refused with a reason, recorded but not resumed (`notResumed`: the name of the error resuming it failed
   * with), or null: nothing to say (the author may not decide, or a transient failure).
   */
  told: { done: true; alsoCarriedOut?: AlsoCommanded[] } | { done: false; refusal: Refusal; othersEnded?: { end: DecisionEnd; commands: AlsoCommanded[] } } | { done: false; notResumed: string; givenUp: boolean; untracked?: boolean } | null;
  /** Whether GitHub said the author has write access; null when it was not asked (see {@link answerOnPullRequest}). */
  writer: boolean | null;
} & (
  | { response: WebhookResponse }
  /** The decision is recorded, and resuming its execution failed with this: thrown once the author is answered. */
  | { failure: unknown }
);

/**
 * A decision recorded whose execution could not be resumed (`error`): it is left to the reconciler or a redelivery,
 * or, once the reconciler gave it up (`givenUp`), to the command repeated.
 */
function notResumed(error: unknown, givenUp = false, untracked = false): Decided {
  return { failure: error, told: { done: false, notResumed: error instanceof Error ? error.name : 'an error', givenUp, ...(untracked ? { untracked } : {}) }, writer: true };
}

/**
 * A command received, verified and understood that decides nothing (nothing waits, another proposal is named, the
 * proposal changed, it was decided already …): answered 200 with the reason. GitHub lists any answer but a 2xx as a
 * failed delivery ("Best practices for using webhooks": respond with a 2XX), and a 409 here showed an operator reading
 * Recent Deliveries the guard failing on a legitimate comment, and invited a redelivery that could change nothing.
 * The author hears the reason on the pull request, once per comment (see {@link answerOnPullRequest}); a 4xx is
 * kept for what GitHub should see failing: a bad signature, a body that is not an issue_comment.
 */
function refused(why: Refusal, writer: boolean | null): Decided {
  return { response: reply(200, { refused: why.plain }), told: { done: false, refusal: why }, writer };
}

// What a command would act on is read from our own tables before the author's permission is asked of GitHub:
// anyone may comment, and a command that can decide nothing must not spend the installation's API quota (a few
// accounts posting `/guard approve` on every pull request would otherwise drain it, and the stages with it).

async function decideApproval(payload: IssueComment, approval: ApprovalCommand, deps: CommentCommandDeps): Promise<Decided> {
  const repository = payload.repository.full_name;
  // A decision recorded but not yet resumed stays on the index until its execution is resumed (see applyApproval):
  // the index alone says whether anything may be decided or resumed, and nothing else is read for a command on a pull
  // request where nothing waits.
  const pending = await deps.approvals.pending({ name: repository, id: payload.repository.id }, payload.issue.number);
  if (pending.length === 0) return refused(refusal`nothing is waiting for approval on ${`${repository}#${payload.issue.number}`}`, null);
  const unwritable = await withoutWriteAccess(payload, `/guard ${approval.decision}`, deps);
  if (unwritable) return unwritable;
  return applyApproval(payload.repository, payload.issue.number, payload.comment, approval, pending, deps);
}

/**
 * Resumes the execution with a decision recorded before, whose handler died before its execution was resumed (or
 * is still waiting for Step Functions): the command delivered again, or the same decision by another maintainer.
 * The other decision decides nothing: the first one recorded stands. Another comment's same command is kept on the
 * decision with its take (`alsoCommanded`): should its resume fail too, its reply says "not carried out yet", and
 * the reconciler edits it with the decision's own.
 */
async function resumeDecided(incident: Unresumed, command: ApprovalCommand, commanded: AlsoCommanded, deps: CommentCommandDeps): Promise<Decided> {
  const login = commanded.by;
  const recorded = withCommand(incident.approval, commanded);
  if ((recorded.status === 'approved') !== (command.decision === 'approve')) {
    return refused(refusal`the approval of ${incident.id} was already decided`, true);
  }
  // Refused for its failed request's token and kept for the retry, which carries it to its new token: sent again,
  // it reaches nothing, and read as resumed it was lost.
  if (keptForRetry(incident, deps.clock())) return keptForRetryAnswer(incident.id, command);
  // Marked before SendTaskSuccess: the handler that recorded the decision may still be waiting for its own call, and
  // when Step Functions answers it "spent" this mark tells it the execution was resumed, not timed out.
  const at = deps.clock().toISOString();
  const decided = await takeDecision({ ...incident, approval: recorded }, at, deps.incidents);
  if (!decided) return refused(refusal`the approval of ${incident.id} was already decided`, true);
  try {
    await sendDecision(decided, deps.tasks);
  } catch (error) {
    if (!(error instanceof TaskTokenSpentError)) return notResumed(error, Boolean(recorded.resumeAbandonedAt), !isKept(recorded, commanded));
    if (spentByFailedRequest(incident, recorded.resumeTakenAt, deps.clock())) {
      await keepForRetry(incident.id, decided, recorded.resumeTakenAt ?? null, deps.incidents, at);
      return keptForRetryAnswer(incident.id, command);
    }
    // Resumed by a delivery whose answer was lost, or the wait timed out (Notify then records it so): either way
    // nothing is left to resume, and the token is forgotten unless the approval was rewritten meanwhile. Past the
    // wait's end it was the timeout: "already decided" would tell the author the approval stands, and nothing is applied.
    await markResumed(incident, decided, deps);
    // The other commands' replies said "not carried out yet": markResumed dropped the entry the reconciler would have
    // told them from, so they are told here, as it would have (their pipeline no longer waits, or the wait timed out).
    const ended = waitEndedBy(recorded, deps.clock());
    const answer = ended ? refused(waitEnded(incident.id, recorded.expiresAt ?? null), true) : refused(refusal`the approval of ${incident.id} was already decided`, true);
    const others = otherCommands(decided, commanded);
    if (others.length > 0 && answer.told && 'refusal' in answer.told) {
      answer.told.othersEnded = { end: { kind: ended ? 'wait_over' : 'spent' }, commands: others };
      // Listed again for the reconciler, past its grace: a reply this answer finds another delivery creating (which may
      // die, or fail to post) keeps its final text with its claim, and the reconciler writes it (approval-resumes.ts).
      if (recorded.decidedAt) await deps.approvalResumes.schedule({ incidentId: incident.id, decidedAt: recorded.decidedAt }, { listedAt: at });
    }
    return answer;
  }
  await markResumed(incident, decided, deps);
  deps.logger.info('approval resumed', { incidentId: incident.id, decision: command.decision, by: decided.decidedBy, resumedBy: login });
  // The decision's own command and the other same ones kept with it said "not carried out yet": markResumed dropped the
  // reconciler's entry that would have edited them, so this answer tells them it was carried out.
  const others = otherCommands(decided, commanded);
  return { response: reply(202, { incidentId: incident.id, decision: command.decision }), told: { done: true, ...(others.length > 0 ? { alsoCarriedOut: others } : {}) }, writer: true };
}

/** The decision's own command and the same ones kept with it, but `commanded`'s: their replies wait to hear how it ended. */
function otherCommands(decided: Pick<ApprovalState, 'commandCommentId' | 'decidedBy' | 'alsoCommanded'>, commanded: AlsoCommanded): AlsoCommanded[] {
  return [
    ...(decided.commandCommentId === undefined ? [] : [{ commentId: decided.commandCommentId, by: decided.decidedBy ?? '' }]),
    ...(decided.alsoCommanded ?? []),
  ].filter((other) => other.commentId !== commanded.commentId);
}

/** Whether the reconciler edits this comment's reply when the decision ends: its own command's, or one kept with it. */
function isKept(approval: Pick<ApprovalState, 'commandCommentId' | 'alsoCommanded'>, commanded: AlsoCommanded): boolean {
  return approval.commandCommentId === commanded.commentId || (approval.alsoCommanded ?? []).some((kept) => kept.commentId === commanded.commentId);
}

/** The decision with another comment's same command kept to be told how it ends (bounded, each comment once). */
function withCommand(approval: Unresumed['approval'], commanded: AlsoCommanded): Unresumed['approval'] {
  const also = approval.alsoCommanded ?? [];
  if (approval.commandCommentId === commanded.commentId || also.some((kept) => kept.commentId === commanded.commentId) || also.length >= MAX_ALSO_COMMANDED) return approval;
  return { ...approval, alsoCommanded: [...also, commanded] };
}

async function decideFeedback(payload: IssueComment, feedback: FeedbackCommand, deps: CommentCommandDeps): Promise<Decided> {
  const target = await feedbackTarget(payload, feedback.incidentId, deps);
  if (target.kind !== 'incident') return unvoted(target, feedback.vote, `${payload.repository.full_name}#${payload.issue.number}`);
  const unwritable = await withoutWriteAccess(payload, 'feedback', deps);
  if (unwritable) return unwritable;
  return { response: await applyFeedback(payload, feedback, target.incident, deps), told: { done: true }, writer: true };
}

/** The answer when the author may not decide (`what` needs write access), or null when GitHub says they may. */
async function withoutWriteAccess(payload: IssueComment, what: string, deps: CommentCommandDeps): Promise<Decided | null> {
  const github = deps.github.forInstallation(payload.installation?.id ?? null);
  if (!github) return { response: reply(202, { ignored: "no GitHub access configured to check the author's permission" }), told: null, writer: null };
  const login = payload.comment.user.login;
  const permission = await deps.permissions.permission(github, { owner: payload.repository.owner.login, repo: payload.repository.name }, login);
  if (hasWriteAccess(permission)) return null;
  return { response: reply(202, { ignored: `${login} has ${permission} access; ${what} needs write access` }), told: null, writer: false };
}

/** The answer to a `/guard feedback` that votes on nothing: the pull request has no incident, several, or not that one. */
function unvoted(target: Exclude<FeedbackTarget, { kind: 'incident' }>, vote: FeedbackCommand['vote'], pullRequest: string): Decided {
  switch (target.kind) {
    case 'none':
      return refused(refusal`no incident recorded for ${pullRequest}`, null);
    case 'elsewhere':
      return refused(refusal`${target.incidentId} is not an incident of ${pullRequest}`, null);
    case 'ambiguous':
      return refused(refusal`several incidents on ${pullRequest}: reply ${`/guard feedback ${vote} <incident>`} with one of ${target.incidentIds.join(', ')}`, null);
  }
}

/**
 * Associations GitHub gives a commenter who may have write access: only for them is GitHub asked, and only a
 * writer is answered. Anyone else's commands change nothing, and answering them would let anyone spend the
 * installation's API quota and write budget.
 */
const MAY_WRITE = new Set(['OWNER', 'MEMBER', 'COLLABORATOR']);

/**
 * Tells the author of a command with write access how it ended, on the pull request: a 👍 on their comment when it
 * was carried out, or a reply saying why it decided nothing and what to write instead (a bare `/guard feedback` on a
 * pull request with several incidents, an approval of a proposal that changed, …); before, only the webhook's
 * delivery log said so. Best effort: the command's outcome stands whether or not GitHub takes the answer.
 */
async function answerOnPullRequest(
  payload: IssueComment,
  command: string,
  told: NonNullable<Decided['told']>,
  writer: boolean | null,
  deps: CommentCommandDeps,
): Promise<void> {
  if (writer === false) return;
  if (writer === null && !MAY_WRITE.has(payload.comment.author_association ?? '')) return;
  // The command is decided: the answer must not keep the delivery past the ingest Lambda's 10 s (a slow GitHub would
  // turn a carried-out approval into a failed delivery). The client stops at the deadline, and so does the wait.
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new DOMException(`no answer within ${COMMAND_ANSWER_BUDGET_MS} ms`, 'TimeoutError')), COMMAND_ANSWER_BUDGET_MS);
  const expired = new Promise<never>((_, reject) => deadline.signal.addEventListener('abort', () => reject(deadline.signal.reason), { once: true }));
  expired.catch(() => undefined);
  try {
    const github = deps.github.forInstallation(payload.installation?.id ?? null, deadline.signal);
    if (!github) return;
    const repo = { owner: payload.repository.owner.login, repo: payload.repository.name };
    const answer = async (): Promise<void> => {
      if (writer === null && !hasWriteAccess(await deps.permissions.permission(github, repo, payload.comment.user.login))) return;
      const marker = commandAnswerMarker(payload.comment.id);
      const login = payload.comment.user.login;
      if (told.done) {
        // An earlier delivery of it was refused (a proposal not waiting yet, several waiting) and said so, or said it
        // was recorded but not carried out yet: left as it was, that reply would contradict the 👍.
        await replyCarriedOut(github, repo, answerKey(payload), carriedOut(login, command), deps.answers);
        for (const other of told.alsoCarriedOut ?? []) {
          await replyCarriedOut(github, repo, { ...answerKey(payload), commentId: other.commentId }, carriedOut(other.by, command), deps.answers);
        }
        return;
      }
      // A command carried out once (our 👍 is on it) and delivered again is refused now (nothing waits any more):
      // a reply under it saying it decided nothing would contradict the 👍. Commands answered before the record of
      // their replies existed have only the 👍 to say so.
      const [bot, reactions] = await Promise.all([github.botLogin(), github.listCommentReactions(repo, payload.comment.id, '+1', 100)]);
      if (reactions.some((reaction) => reaction.user.toLowerCase() === bot.toLowerCase())) return;
      const body = 'refusal' in told ? commandAnswer(login, command, told.refusal) : recordedNotCarriedOut(login, command, told.notResumed, told.givenUp, told.untracked === true);
      const { doneMeanwhile } = await writeCommandReply(github, repo, answerKey(payload), body, deps.answers);
      const othersEnded = 'refusal' in told ? told.othersEnded : undefined;
      for (const other of othersEnded?.commands ?? []) {
        const ended = decisionEnded(other.by, command, othersEnded?.end ?? { kind: 'spent' });
        // Another delivery creating that reply: the final text stays claimed, and the reconciler writes it from the
        // decision's entry listed again (see resumeDecided). This one's own answer and the 👍 below still go out.
        await writeCommandReply(github, repo, { ...answerKey(payload), commentId: other.commentId }, ended, deps.answers, { final: true }).catch((error: unknown) => {
          if (!(error instanceof CommandReplyBusyError)) throw error;
          deps.logger.warn('another delivery is creating the reply to a command this refusal tells how its decision ended; the reconciler writes it', { commentId: other.commentId });
        });
      }
      // Another delivery carried the command out while this one wrote its answer, before there was a reply to edit.
      if (doneMeanwhile) await github.upsertComment(repo, payload.issue.number, marker, carriedOut(login, command));
    };
    await Promise.race([answer(), expired]);
  } catch (error) {
    deps.logger.warn('could not answer a /guard command on the pull request', { commentId: payload.comment.id, error: error instanceof Error ? error.message : String(error) });
  } finally {
    clearTimeout(timer);
  }
}

function answerKey(payload: IssueComment): CommandAnswerKey {
  return { repositoryId: payload.repository.id, pullRequest: payload.issue.number, commentId: payload.comment.id };
}

function commandAnswer(login: string, command: string, why: Refusal): string {
  return `${theCommand(login, command)} decided nothing: ${why.markdown}.`;
}

/** How far GitHub's clock and ours may disagree when a comment is compared with the proposal it answers. */
const CLOCK_SKEW_MS = 5_000;

function writtenAt(value: string | null | undefined): number | null {
  const at = value ? Date.parse(value) : Number.NaN;
  return Number.isNaN(at) ? null : at;
}

/**
 * The waiting incidents that are not another repository's. The index is also read by name (items written before it
 * was keyed by id, incidents without an id), and a name is not for ever: a repository that took over a renamed
 * account's old name, with pull requests of the same numbers, would otherwise be told the failing repository's
 * incidents ("waiting: …") or asked to pick one of them. An id whose incident is not found is kept, as before: it is
 * taken off the index when named.
 */
async function ofRepository(pending: readonly string[], named: IssueComment['repository'], deps: CommentCommandDeps): Promise<string[]> {
  const incidents = await Promise.all(pending.map((id) => deps.incidents.get(id)));
  return pending.filter((_, at) => {
    const incident = incidents[at];
    return !incident || sameRepository(incident, named);
  });
}

/**
 * Resumes the execution waiting for approval on that pull request, recording who decided and why. With several
 * proposals waiting on one pull request the command must name the incident; the decision is written only over the
 * pending approval read, so of two concurrent commands exactly one decides. The decision keeps the task token, and
 * the proposal its index entry, until the execution is resumed: until then the same command, delivered again,
 * finishes it ({@link resumeDecided}).
 */
async function applyApproval(
  named: IssueComment['repository'],
  pullRequest: number,
  comment: IssueComment['comment'],
  command: ApprovalCommand,
  pending: readonly string[],
  deps: CommentCommandDeps,
): Promise<Decided> {
  const repository = named.full_name;
  const login = comment.user.login;
  const commentWrittenAt = writtenAt(comment.created_at);
  // Listed, or picked from several, only the incidents of this repository (see ofRepository); a single one is read
  // below anyway, and checked there.
  const choices = (command.incidentId && !pending.includes(command.incidentId)) || (!command.incidentId && pending.length > 1)
    ? await ofRepository(pending, named, deps)
    : pending;
  if (choices.length === 0) return refused(refusal`nothing is waiting for approval on ${`${repository}#${pullRequest}`}`, true);
  if (command.incidentId && !choices.includes(command.incidentId)) {
    return refused(refusal`${command.incidentId} is not waiting for approval; waiting: ${choices.join(', ')}`, true);
  }
  if (!command.incidentId && choices.length > 1) {
    return refused(refusal`several proposals wait on ${`${repository}#${pullRequest}`}: reply ${`/guard ${command.decision} <incident>`} with one of ${choices.join(', ')}`, true);
  }
  const incidentId = command.incidentId ?? (choices[0] as string);
  const incident = await deps.incidents.get(incidentId);
  // The index is also read by name (items written before it was keyed by id, incidents without an id): a repository
  // that took over a renamed account's old name is not the one that failed, whatever its pull request numbers. It is
  // answered as if nothing waited (the incident's id is not told), and the entry is left to its own repository, waiting
  // or decided and not resumed yet (before, "<id> is not waiting for approval" told the id and took the entry).
  if (incident && !sameRepository(incident, named)) return refused(refusal`nothing is waiting for approval on ${`${repository}#${pullRequest}`}`, true);
  // Decided, and still indexed: its execution was not resumed yet (the handler died before Step Functions answered,
  // or is still waiting for it). The same command delivered again, or another maintainer's same one, resumes it.
  if (isUnresumed(incident)) return resumeDecided(incident, command, { by: login, commentId: comment.id }, deps);
  const approval = incident?.approval;
  if (!incident || !approval || approval.status !== 'pending' || !approval.taskToken || !incident.plan) {
    await deps.approvals.take({ name: repository, id: named.id }, pullRequest, incidentId);
    return refused(refusal`${incidentId} is not waiting for approval`, true);
  }
  // A comment written before this proposal was made answers an earlier one (or none): a delivery redelivered or
  // replayed later, or one delayed while an earlier proposal of the pull request timed out, must not decide a
  // proposal its author never saw. The proposal keeps waiting.
  const requestedAt = Date.parse(approval.requestedAt);
  if (commentWrittenAt !== null && !Number.isNaN(requestedAt) && commentWrittenAt < requestedAt - CLOCK_SKEW_MS) {
    return refused(refusal`the comment was written before ${incidentId} was proposed (${approval.requestedAt}); it decides nothing`, true);
  }
  // An approval is of the proposal its author read: it names that proposal's digest, and decides nothing once the
  // proposal has changed (a re-analysis rewrote it and the comment with it). The proposal keeps waiting.
  const binding = command.decision === 'approve' ? bindApproval({ ...incident, plan: incident.plan }, command.digest) : null;
  if (binding && !binding.ok) return refused(unboundApproval(incidentId, command.digest, binding), true);
  const at = deps.clock().toISOString();
  const approved = command.decision === 'approve';
  const entry: AuditEntry = {
    at,
    actor: login,
    action: incident.plan.action,
    status: approved ? 'approved' : 'rejected',
    detail: approved ? `approved by ${login}` : `rejected by ${login}${command.reason ? `: ${command.reason}` : ''}`,
  };
  // The digest approved is recorded with the decision: the remediate stage applies the proposal only if it still has it.
  const decided: UnresumedApproval = {
    ...approval, status: approved ? 'approved' : 'rejected', taskToken: approval.taskToken, decidedAt: at, decidedBy: login, reason: command.reason, resumeListed: true,
    commandCommentId: comment.id,
    ...(binding?.ok ? { digest: binding.digest } : {}),
  };
  // Recorded before resuming, so the steps that run next see who decided. The proposal stays on the index, with the
  // token on the decision, until the execution is resumed (see markResumed): a handler that dies at any point before that
  // (a timeout, OOM) leaves the decision for the command's redelivery, which finds it through the index. Written only
  // over the pending approval this handler read: of two commands at once exactly one records its decision. Listed for
  // the reconciler first: GitHub redelivers nothing by itself, and a handler that dies after the write (before or
  // during SendTaskSuccess) must not leave the execution to wait out its approval timeout and page that nobody
  // approved. Listed by the decision's time, the entry of a decision that is not recorded finds nothing to resume.
  await deps.approvalResumes.schedule({ incidentId: incident.id, decidedAt: at });
  const recorded = await deps.incidents.replaceApproval(incident.id, asRead(approval), decided, {
    audit: [entry], history: [{ at, event: approved ? 'approved' : 'rejected', detail: entry.detail }],
  });
  if (!recorded) return lostToAnother(incident.id, approval, deps);
  try {
    await sendDecision(decided, deps.tasks);
  } catch (error) {
    if (error instanceof TaskTokenSpentError) return spentOnDecision(incident, incident.plan.action, approval, decided, login, command, deps);
    // Any other failure may have come after Step Functions took the call (its answer lost, a timeout): the execution
    // may be running with this decision. It stays recorded, with its token, its index entry and its entry for the
    // reconciler, which resumes it or finds the token spent and forgets it; the same command delivered again does the
    // same sooner. Putting the proposal back as pending said it waited while the execution ran on with the approval.
    await noteResumeFailed(incident.id, `${error instanceof Error ? error.name : 'an error'}; Step Functions may have taken the call`, deps);
    return notResumed(error);
  }
  await markResumed(incident, decided, deps);
  deps.logger.info('approval decided', { incidentId: incident.id, decision: command.decision, by: login });
  return { response: reply(202, { incidentId: incident.id, decision: command.decision }), told: { done: true }, writer: true };
}

/**
 * The answer to a decision whose write over the pending approval was refused: another decision was recorded first,
 * or the wait's end was (Notify's timeout or failure). Told "already decided" for the end, its author read that someone
 * had decided, where the wait had ended with nothing applied.
 */
async function lostToAnother(incidentId: string, pending: ApprovalState, deps: CommentCommandDeps): Promise<Decided> {
  const now = (await deps.incidents.get(incidentId))?.approval;
  const status = now?.status;
  if (status === 'timed_out' || status === 'failed') return refused(waitEnded(incidentId, pending.expiresAt ?? null), true);
  // Asked again with a new token meanwhile (AwaitApproval's retry of a failed request): nobody decided, and told
  // "already decided" its author left the new request to time out.
  if (status === 'pending' && now?.taskToken !== pending.taskToken) return refused(askedAgain(incidentId), true);
  return refused(refusal`the approval of ${incidentId} was already decided`, true);
}

/** The timeline's note of a resume that failed, whose decision is left to the reconciler. Best effort: the call's error is the one thrown. */
async function noteResumeFailed(incidentId: string, why: string, deps: CommentCommandDeps): Promise<void> {
  const detail = `resuming the execution failed (${why}): the decision stands, and the reconciler or the same command again resumes it`;
  try {
    await deps.incidents.update(incidentId, {}, { history: [{ at: deps.clock().toISOString(), event: 'approval_resume_failed', detail }] });
  } catch (noteError) {
    deps.logger.warn('could not note a failed resume on the incident', { incidentId, error: errorMessage(noteError) });
  }
}

/**
 * Step Functions called the token of the decision this handler recorded spent. Either another handler resumed the
 * execution with this very decision (the command's redelivery, another maintainer's same command: it marked
 * `resumeTakenAt` before its call, and may not have forgotten the token yet), or the wait had ended before. Only the
 * second is a late decision, and it is written only over this decision: a later state (Notify's record of the
 * timeout) is not overwritten.
 */
async function spentOnDecision(
  incident: Incident,
  action: AuditEntry['action'],
  pending: ApprovalState,
  decided: UnresumedApproval,
  login: string,
  command: ApprovalCommand,
  deps: CommentCommandDeps,
): Promise<Decided> {
  const now = (await deps.incidents.get(incident.id))?.approval;
  const ours = now?.status === decided.status && now.decidedAt === decided.decidedAt;
  if (ours && (now.resumeTakenAt || !now.taskToken)) {
    // Resumed with this decision: it stands. Told as a decision taken already, as when its resumer answered first.
    await markResumed(incident, now, deps);
    return refused(refusal`the approval of ${incident.id} was already decided`, true);
  }
  if (ours && spentByFailedRequest({ ...incident, approval: decided }, null, deps.clock())) {
    // Spent before the end its request recorded: not the timeout, but a request that failed, which Step Functions asks
    // again with a new token (a retried attempt gets one). The decision stays recorded, with its index entry and its
    // entry for the reconciler: the request made again carries it to the new token (shared/steps/notify.ts). Written
    // off as too late, it was lost while the proposal was asked again. An execution that ended otherwise is found by
    // the reconciler, which tells this command.
    await keepForRetry(incident.id, decided, null, deps.incidents, deps.clock().toISOString());
    return keptForRetryAnswer(incident.id, command);
  }
  // Kept for its request's retry by another worker meanwhile (the command redelivered, the reconciler: told "spent"
  // before the wait's end): the retry carries it. Written over as timed out, the retry asked again and the decision was lost.
  const kept = (approval: ApprovalState | null | undefined) => Boolean(approval?.spentToken) && approval?.spentToken === approval?.taskToken;
  if (ours && kept(now)) return keptForRetryAnswer(incident.id, command);
  if (ours) {
    const late = deps.clock().toISOString();
    const detail = `${command.decision === 'approve' ? 'approved' : 'rejected'} by ${login} after the wait had ended: nothing was resumed`;
    // Only over the decision as read here, so one kept, taken or carried since is not written over either.
    const written = await deps.incidents.replaceApproval(incident.id, asRead(now), { ...pending, status: 'timed_out', taskToken: null }, {
      audit: [{ at: late, actor: login, action, status: 'skipped', detail }],
      history: [{ at: late, event: 'approval_too_late', detail }],
    });
    if (!written && kept((await deps.incidents.get(incident.id))?.approval)) return keptForRetryAnswer(incident.id, command);
  }
  // Asked again meanwhile with another token (AwaitApproval's retry of a request that failed: Notify wrote the proposal
  // pending again and indexed it): the index entry is that request's. Taken here, its `/guard approve` was told nothing
  // waited, and the wait ran out and paged.
  if (now?.status === 'pending' && now.taskToken && now.taskToken !== decided.taskToken) return refused(askedAgain(incident.id), true);
  if (incident.repository && incident.pullRequest) {
    await deps.approvals.take({ name: incident.repository, id: incident.repositoryId }, incident.pullRequest, incident.id);
  }
  return refused(waitEnded(incident.id, pending.expiresAt ?? null), true);
}

/** The answer to a decision whose request was asked again with another token before the decision reached it. */
function askedAgain(incidentId: string): Refusal {
  return refusal`${incidentId} was asked for approval again meanwhile: nothing is applied for this command; reply again to decide the new request`;
}

/** A decision kept for its failed request's retry: recorded, not carried out yet, as the command that recorded it is told. */
function keptForRetryAnswer(incidentId: string, command: ApprovalCommand): Decided {
  return { response: reply(202, { incidentId, decision: command.decision }), told: { done: false, notResumed: 'TaskTokenSpentError', givenUp: false }, writer: true };
}

/** The answer to a decision that came after the approval wait had ended (`endedAt`, when the request recorded it). */
function waitEnded(incidentId: string, endedAt: string | null): Refusal {
  return endedAt
    ? refusal`the approval wait of ${incidentId} had ended (at ${endedAt}) before its pipeline could be resumed: nothing is applied`
    : refusal`the approval wait of ${incidentId} had ended before its pipeline could be resumed: nothing is applied`;
}

/** The answer to an approval that does not name the proposal waiting now: what changed, and how to approve it. */
function unboundApproval(incidentId: string, given: string | null, binding: Extract<ApprovalBinding, { ok: false }>): Refusal {
  const approve = refusal`Read the change in the updated comment; to approve it, reply ${`/guard approve ${incidentId} ${binding.digest}`}`;
  const then = (first: Refusal): Refusal => ({ plain: `${first.plain} ${approve.plain}`, markdown: `${first.markdown} ${approve.markdown}` });
  switch (binding.why) {
    case 'changing':
      return refusal`the proposal of ${incidentId} changed after it was shown and is being asked again: this approval decides nothing. Approve it from the updated comment`;
    case 'changed':
      return then(refusal`${given ?? ''} is not the proposal of ${incidentId} waiting now (it changed after it was shown, or the digest is mistyped): this approval decides nothing.`);
    case 'revised':
      return then(refusal`the proposal of ${incidentId} changed since it was first shown, and this approval names no digest: it decides nothing.`);
  }
}
