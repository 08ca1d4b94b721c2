/**
 * `/guard` decisions recorded but never resumed: the command's handler records the decision (with the task token)
 * and only then calls SendTaskSuccess/SendTaskFailure; one that dies in between (a Lambda timeout, OOM), or whose call
 * fails (Step Functions may have taken it: the decision stays recorded), may leave the execution waiting, and GitHub
 * redelivers nothing by itself, so without this the execution waited out its approval timeout and paged on-call that
 * nobody approved, although a maintainer had. The handler lists each decision before
 * recording it (shared/stores/approval-resumes.ts); the reconciler resumes those recorded more than its
 * `afterMinutes` ago, longer than the handler runs, so it does not race a live one.
 *
 * Each is resumed as a redelivery of the command resumes it (shared/remediation/approval-resume.ts): taken
 * (`resumeTakenAt`, a write conditional on the decision as read, so of two reconcilers, or a reconciler and a
 * redelivery, at once one resumes it), resumed with the decision as recorded, then its token forgotten and its
 * proposal taken off the index. A decision taken by another worker within `afterMinutes` is left to it. A token
 * Step Functions calls spent was resumed already or its wait is over: nothing is left to resume, as on the live path;
 * unless it was the token of a request that failed, before the wait's end (`spentByFailedRequest`): the decision is
 * then kept, listed, for the request's retry to carry to its new token, and no run sends it to the refused token again.
 * A token the local runtime calls not waiting yet (an execution it restarted, running again up to its wait) is not
 * spent: the decision stays recorded, and the next run sends it again.
 * An entry whose decision is not recorded (refused, resumed since, or its wait recorded timed out) goes.
 * A wait counted on another incident's e-mailed request, whose answer was applied there (`decidedOn`), is ended the
 * same way, with a failure that applies nothing (shared/notify/approval-carry.ts); given up, it pages nobody: its
 * timeout ends it the same way.
 *
 * Bounded per run, oldest first. A resume that fails moves its entry later (./retry-later.ts: 5 minutes doubling,
 * at most 4 hours), so one that fails every time does not hold back the others; after too many failures (over nine
 * hours) it is given up with an error log and a note on the incident's timeline, and on-call is told then, as Notify
 * would tell them at the wait's timeout (the same route and ledger): who decided what, that the guard could not resume
 * it, and what to do. The execution is left to its approval timeout, which can be days away
 * (`approvalTimeoutMinutes`), and whose Notify then pages nobody again (shared/steps/notify.ts). A wait that times out
 * first ends the tries, and its Notify pages instead. Failures make the run incomplete (functions/reconcile), so the
 * reconciler's alarm sees resumes that keep failing.
 */
import { RECONCILER_METRIC } from '../adapters/metric-names.js';
import type { Incident, NotificationRecord } from '../domain/incident.js';
import { TaskNotWaitingYetError, TaskTokenSpentError, errorMessage } from '../errors.js';
import { GitHubRequestError } from '../github/errors.js';
import { publishClaimedPage } from '../notify/claimed-page.js';
import { inWindowByName } from '../notify/page-claims.js';
import { type DecisionEnd, carriedOut, decisionEnded, replyCarriedOut, writeCommandReply } from '../notify/command-reply.js';
import { renderEscalation } from '../notify/escalation.js';
import { escalationFor, pageOccurrence } from '../notify/escalation-policy.js';
import type { Clock, EscalationLedger, EscalationPublisher, GitHubClients, Metrics, StepLogger, TaskTokenControl } from '../ports.js';
import { type PolicyFile, policyFor } from '../remediation/policy.js';
import {
  type ResumedDeps, type Unresumed, asRead, decidedOnAnotherInWords, isUnresumed, keepForRetry, keptForRetry, markResumed, sendDecision, spentByFailedRequest, takeDecision,
  waitEndedBy,
} from '../remediation/approval-resume.js';
import type { ApprovalResumes, ListedDecision } from '../stores/approval-resumes.js';
import type { CommandAnswerKey, CommandAnswers } from '../stores/command-answers.js';
import type { IncidentStore } from '../stores/incident-store.js';
import { afterFailure } from './retry-later.js';

export interface ApprovalResumeDeps extends ResumedDeps {
  approvalResumes: ApprovalResumes;
  incidents: Pick<IncidentStore, 'get' | 'replaceApproval' | 'update'>;
  tasks: TaskTokenControl;
  clock: Clock;
  logger: StepLogger;
  metrics: Metrics;
  /** Where a decision given up is told, routed by the repository's escalation policy as Notify routes it. */
  escalations: EscalationPublisher;
  escalationLedger: EscalationLedger;
  policyFile: PolicyFile;
  /** GitHub with the shared write budget, opened on the first reply a run edits, and the record of each command's reply. */
  githubWriter: () => Promise<GitHubClients>;
  answers: CommandAnswers;
}

export interface ApprovalResumeResult {
  /** Incidents whose execution this run resumed with the recorded decision. */
  resumed: string[];
  /** Incidents whose token Step Functions called spent: resumed already, or the wait is over. */
  spent: string[];
  /**
   * Incidents whose execution the local runtime restarted and is not back at its wait yet: the decision is kept,
   * untaken, and its entry where it is, for the next run.
   */
  notWaitingYet: string[];
  /**
   * Incidents whose decision Step Functions refused for the token of a request that failed, before the wait's end:
   * kept, untaken, and its entry where it is, until the request's retry carries it to its new token or the wait ends.
   */
  keptForRetry: string[];
  /** Entries with nothing to resume: the decision is not recorded (any more). */
  gone: number;
  /** Decisions another worker is resuming: left to it. */
  busy: number;
  /** Resumes that failed: their entry waits for a later run. */
  failed: string[];
  /** Resumes given up after failing too often. */
  abandoned: string[];
  /** Why the due decisions could not be listed, or null. */
  unlisted: string | null;
}

export type Outcome = 'resumed' | 'spent' | 'notWaitingYet' | 'keptForRetry' | 'gone' | 'busy';

/** `resumer`: who resumes it, as the incident's timeline names them. */
async function resumeListed(entry: ListedDecision, now: Date, takenBefore: string, deps: ApprovalResumeDeps, resumer = 'the reconciler'): Promise<Outcome> {
  const incident = await deps.incidents.get(entry.incidentId);
  if (!isUnresumed(incident) || incident.approval.decidedAt !== entry.decidedAt) {
    const approval = incident?.approval;
    // First the final replies a writer claimed and found another delivery creating (listed again for them): written
    // before any end below claims its own text over theirs. One still being created throws, for a later run.
    if (incident && approval?.decidedAt === entry.decidedAt) await writePendingFinals(incident, deps);
    // Notify recorded the wait's timeout over this very decision: it was never carried out.
    if (incident && approval?.status === 'timed_out' && approval.unresumed && approval.decidedAt === entry.decidedAt) {
      await tellCommand(incident, approval.unresumed, { kind: 'wait_over' }, deps, true);
    }
    // Overtaken by an e-mailed rejection or a failed wait (Notify recorded that over it): its reply is told so, once
    // (the entry goes below; a run that dies before edits the same reply again).
    const overtook = approval?.overtook;
    if (incident && approval && overtook?.decidedAt === entry.decidedAt && (approval.status === 'rejected' || approval.status === 'failed')) {
      const asDecided = {
        ...approval, decidedBy: overtook.by, commandCommentId: overtook.commandCommentId, ...(overtook.alsoCommanded ? { alsoCommanded: overtook.alsoCommanded } : {}),
      };
      await tellCommand({ ...incident, approval: asDecided }, overtook.decision, { kind: 'overtaken', by: approval.status }, deps, true);
    }
    // A `/guard reject` the wait ended rejected with (Notify records the rejection as this command's: its first try
    // may have reached the execution, or on-call's e-mailed one did): nothing is left for it to carry out, and its
    // reply, "recorded, not carried out yet", is told so (a command answered carried out is not written again).
    if (incident && approval?.status === 'rejected' && !overtook && approval.decidedAt === entry.decidedAt && approval.decidedBy) {
      await tellCommand(incident, 'rejected', { kind: 'spent' }, deps, true);
    }
    // Told above or nothing to tell: the entry is the only trace of a reply still saying "not carried out yet", so an
    // edit GitHub refused (thrown) leaves it for a later run (afterFailure; given up, it only goes: nothing to resume).
    await deps.approvalResumes.done(entry);
    return 'gone';
  }
  // Refused for its failed request's token: left, listed, to the retry that carries it to its new token.
  if (keptForRetry(incident, now)) return 'keptForRetry';
  const takenAt = incident.approval.resumeTakenAt;
  if (takenAt && takenAt > takenBefore) return 'busy';
  const at = now.toISOString();
  const decided = await takeDecision(incident, at, deps.incidents);
  if (!decided) return 'busy';
  const history = (detail: string) => [{ at, event: 'approval_resumed_late', detail }];
  const by = `${decided.status} by ${decided.decidedBy ?? 'a maintainer'} at ${decided.decidedAt}`;
  let outcome: Outcome = 'resumed';
  try {
    await sendDecision(decided, deps.tasks);
  } catch (error) {
    if (error instanceof TaskNotWaitingYetError) {
      // Neither spent nor failed: the execution will wait on this token again. The take is given back, so the next
      // run, a minute later under `npm start`, sends the decision again instead of leaving it to a taker for the grace.
      // Given back untaken, written only over this run's own take: written back as the take this run read (an earlier
      // worker's, past the grace), that worker's later writes over its take landed again, over a decision it no longer held.
      await deps.incidents.replaceApproval(incident.id, asRead(decided), { ...decided, resumeTakenAt: null });
      return 'notWaitingYet';
    }
    if (!(error instanceof TaskTokenSpentError)) throw error;
    if (spentByFailedRequest(incident, takenAt, now)) {
      await keepForRetry(incident.id, decided, takenAt ?? null, deps.incidents, at);
      return 'keptForRetry';
    }
    outcome = 'spent';
  }
  // A spent token past the wait's recorded end was the timeout's (Notify records it a moment later), not a first try
  // that reached the execution: the command is told nothing was applied, as the command path tells it (comment-commands.ts).
  const waitEnded = outcome === 'spent' && waitEndedBy(incident.approval, now);
  const detail = outcome === 'resumed'
    ? resumedInWords(decided, by, resumer)
    : waitEnded
      ? `${resumer} found the execution's wait timed out (at ${incident.approval.expiresAt}): ${by}`
      : `${resumer} found the execution's wait over (resumed already, or timed out): ${by}`;
  const end = outcome === 'resumed' ? { kind: 'carried_out' as const } : waitEnded ? { kind: 'wait_over' as const } : { kind: 'spent' as const };
  // markResumed drops the entry: a final reply left untold (another delivery was creating it, GitHub failed, or this
  // Lambda timed out while GitHub hung) is listed again first, and the next run past the grace writes the text its
  // claim kept (writePendingFinals). Listed after the edits, a run stopped mid-edit left no trace of them.
  const relisted = end.kind !== 'carried_out' && commandsToTell(incident) !== null
    ? { incidentId: incident.id, decidedAt: entry.decidedAt, entry: { id: incident.id, dueAt: at }, failures: 0 }
    : null;
  if (relisted) await deps.approvalResumes.schedule(relisted, { listedAt: at });
  await markResumed(incident, decided, deps, history(detail));
  const untold = await tellCommand({ ...incident, approval: decided }, decided.status === 'approved' ? 'approved' : 'rejected', end, deps);
  if (relisted && !untold) await deps.approvalResumes.done(relisted);
  // Moved after a failure, or listed early, the entry is not where markResumed drops it (at the decision's time).
  if (entry.entry.dueAt !== entry.decidedAt) await deps.approvalResumes.done(entry);
  return outcome;
}

/** What the reconciler (or another `resumer`) did with a decision it sent, as the incident's timeline says it. */
function resumedInWords(decided: Unresumed['approval'], by: string, resumer: string): string {
  if (decided.decidedOn) return `${resumer} ended the execution's wait: ${decidedOnAnotherInWords(decided)}`;
  if (decided.carriedFrom) return `${resumer} resumed the execution: ${by}, carried over from the e-mailed request of ${decided.carriedFrom}`;
  return `${resumer} resumed the execution: ${by}, whose command's handling ended before it was resumed`;
}

/**
 * Gives the decision up: marks it `resumeAbandonedAt` with a note on the incident's timeline (who decided what and
 * when, that the execution waits out its approval timeout with nothing applied, and how to try again: the same
 * command, which finds the decision still recorded and on the index), then tells on-call. Marked first, written only
 * over the decision as read, and the entry goes only after the page: a run that fails in between leaves the entry,
 * and the next run, finding the mark, tells on-call then (the ledger lets a page that went out go once more at most).
 * A wait decided on another incident is only noted: nobody needs to act on it.
 */
async function giveUp(entry: ListedDecision, failures: number, error: unknown, deps: ApprovalResumeDeps): Promise<void> {
  const incident = await deps.incidents.get(entry.incidentId);
  if (!isUnresumed(incident) || incident.approval.decidedAt !== entry.decidedAt) return;
  const decided = incident.approval;
  const command = decided.status === 'approved' ? 'approve' : 'reject';
  const told = async (given: Unresumed) => {
    await tellGivenUp(given, deps);
    await tellCommand(given, decided.status === 'approved' ? 'approved' : 'rejected', { kind: 'given_up', failures, retry: `/guard ${command} ${incident.id}` }, deps);
  };
  if (decided.resumeAbandonedAt) return told(incident);
  const at = deps.clock().toISOString();
  const why = error instanceof Error ? error.name : 'an error';
  if (decided.decidedOn) {
    // Nothing is left for anyone to do: the answer was applied on the other incident, and this wait's timeout ends it
    // as the resume would have (shared/notify/approval-carry.ts). Not marked, so nothing reads it as a lost decision.
    if (incident.history.some((entry) => entry.event === 'approval_resume_abandoned')) return;
    const detail = `the guard could not end the execution's wait after ${failures} tries (${why}), and gave up: it ends at its timeout, with nothing applied (${decidedOnAnotherInWords(decided)})`;
    return void (await deps.incidents.update(incident.id, {}, { history: [{ at, event: 'approval_resume_abandoned', detail }] }));
  }
  const again = incident.pullRequest ? ` To try again, repeat the command on the pull request: /guard ${command} ${incident.id}` : '';
  const detail = `${decided.status} by ${decided.decidedBy ?? 'a maintainer'} at ${decided.decidedAt}: the guard could not resume the execution with it after ` +
    `${failures} tries (${why}), and gave up; the execution waits until its approval times out, and nothing is applied.${again}`;
  const note = { at, event: 'approval_resume_abandoned', detail };
  const marked = { ...decided, resumeAbandonedAt: at };
  if (!(await deps.incidents.replaceApproval(incident.id, asRead(decided), marked, { history: [note] }))) return;
  await told({ ...incident, approval: marked, history: [...incident.history, note] });
}

/**
 * Edits the reply to the `/guard` command that recorded the decision (its comment id kept on the decision), and to each
 * other comment's same command kept with it (`alsoCommanded`, told "not carried out yet" too), or posts one where none
 * was written: each author hears how the decision ended, as a command carried out by its own handling gets its 👍. An
 * end other than given up is final: each reply is edited once (shared/stores/command-answers.ts). Best effort, as every
 * answer to a command: the decision's outcome stands whatever GitHub says. True when a reply was left untold for what
 * may pass (another delivery creating it, a network failure), not for GitHub's refusal for good.
 */
async function tellCommand(
  incident: Incident,
  decision: 'approved' | 'rejected',
  end: DecisionEnd | { kind: 'carried_out' },
  deps: ApprovalResumeDeps,
  /** The caller's entry is the last trace of the replies to edit: an error that may pass is thrown, for a later run to try again. */
  orThrow = false,
): Promise<boolean> {
  const told = commandsToTell(incident);
  if (!told) return false;
  const { owner, repo, commands } = told;
  const command = `/guard ${decision === 'approved' ? 'approve' : 'reject'}`;
  // Given up is not final: the command repeated may still carry the decision out, and its reply says so.
  const final = end.kind !== 'carried_out' && end.kind !== 'given_up';
  let retryable: unknown = null;
  const failed = (error: unknown, commentId: number) => {
    deps.logger.warn('could not tell a /guard command on its pull request how the reconciler ended its decision', { incidentId: incident.id, commentId, error: errorMessage(error) });
    // GitHub's refusal (a locked pull request, a deleted comment) is for good: only what may pass is tried again.
    if (!(error instanceof GitHubRequestError)) retryable ??= error;
  };
  // Every final text is kept before the first edit: a run that stops between two edits (its Lambda timed out while
  // GitHub hung) leaves the replies not edited yet to the next run, which writes the texts kept (writePendingFinals).
  if (final) {
    for (const { commentId, by, key } of commands) await deps.answers.keepFinal(key, decisionEnded(by, command, end)).catch((error: unknown) => failed(error, commentId));
  }
  for (const { commentId, by, key } of commands) {
    try {
      const github = (await deps.githubWriter()).forInstallation(incident.installationId);
      if (!github) return false;
      if (end.kind === 'carried_out') await replyCarriedOut(github, { owner, repo }, key, carriedOut(by, command), deps.answers);
      else await writeCommandReply(github, { owner, repo }, key, decisionEnded(by, command, end), deps.answers, { final });
    } catch (error) {
      failed(error, commentId);
    }
  }
  if (orThrow && retryable !== null) throw retryable;
  return retryable !== null;
}

/** The commands whose replies hear how the incident's decision ended (its own, and those kept with it), or null. */
function commandsToTell(incident: Incident): { owner: string; repo: string; commands: Array<{ commentId: number; by: string; key: CommandAnswerKey }> } | null {
  const approval = incident.approval;
  if (!approval || !incident.repository || !incident.pullRequest || typeof incident.repositoryId !== 'number') return null;
  const { repositoryId, pullRequest } = incident;
  const commands = [
    ...(approval.commandCommentId === undefined ? [] : [{ commentId: approval.commandCommentId, by: approval.decidedBy ?? '' }]),
    ...(approval.alsoCommanded ?? []),
  ].map((command) => ({ ...command, key: { repositoryId, pullRequest, commentId: command.commentId } }));
  if (commands.length === 0) return null;
  const [owner = '', repo = ''] = incident.repository.split('/');
  return { owner, repo, commands };
}

/**
 * Writes each final reply claimed for the decision's commands and not recorded written: its writer (a redelivery
 * telling the other commands their pipeline no longer waits, or a run of this reconciler) found another delivery
 * creating that reply, which may have died or failed to post, so nobody else writes it. Past the other's lease the
 * claim is taken over and the reply created, or edited where it was posted; once written, it is recorded so, and
 * nothing writes it again. A reply still being created throws (CommandReplyBusyError), as does what may pass: the
 * entry is tried again later (./retry-later.ts). GitHub's refusal for good is only logged, as in tellCommand.
 */
async function writePendingFinals(incident: Incident, deps: ApprovalResumeDeps): Promise<void> {
  const told = commandsToTell(incident);
  if (!told) return;
  for (const { commentId, key } of told.commands) {
    const final = await deps.answers.pendingFinal(key);
    if (final === null) continue;
    const github = (await deps.githubWriter()).forInstallation(incident.installationId);
    if (!github) return;
    await writeCommandReply(github, { owner: told.owner, repo: told.repo }, key, final, deps.answers, { final: true }).catch((error: unknown) => {
      if (!(error instanceof GitHubRequestError)) throw error;
      deps.logger.warn('could not write the final reply to a /guard command on its pull request', { incidentId: incident.id, commentId, error: errorMessage(error) });
    });
  }
}

/**
 * On-call hears of a decision given up as Notify tells of it at the wait's timeout: the hand-off of the marked
 * incident (an approval the guard could not carry out; a rejection on a pull request needs nobody), its route, and
 * the escalation ledger's window, so it is paged or counted on the problem's open page, once.
 */
async function tellGivenUp(incident: Unresumed, deps: ApprovalResumeDeps): Promise<void> {
  const policy = policyFor(deps.policyFile, incident.repository, false).escalation;
  const { route } = escalationFor(incident, { ownRerun: false, policy });
  const at = deps.clock();
  const told = (outcome: NotificationRecord['outcome'], detail: string): NotificationRecord => ({ channel: 'sns', target: 'escalation-topic', outcome, detail, at: at.toISOString() });
  let notification: NotificationRecord;
  if (!route.page) {
    notification = told('skipped', `decision given up, not paged: ${route.why}`);
  } else {
    const occurrence = await inWindowByName(pageOccurrence(route, incident, at, deps.policyFile), incident, deps);
    const tally = await deps.escalationLedger.record(occurrence);
    notification = tally.send
      ? told('published', (await publishClaimedPage(renderEscalation(incident, `${route.why}.`, tally), occurrence, deps)).messageId)
      : told('skipped', tally.alreadySent ? 'the page of this decision given up went out on an earlier run' : `decision given up, counted on the open escalation of this problem (${tally.windowCount} in its window)`);
  }
  await deps.incidents.update(incident.id, {}, { notifications: [notification] });
}

/**
 * The decision recorded for one wait, resumed now instead of at the first reconciler run past its grace: the local
 * runtime calls it when an execution it restarted is back at its wait (infra/local/runtime.ts), since a `/guard`
 * decision sent while the execution ran again up to the wait was refused as not waiting yet (`TaskNotWaitingYetError`)
 * and waits, recorded, for a resume. The same resume as the reconciler's, so a take by another worker within
 * `afterMinutes` is left to it and the command's reply is told the outcome; a decision for another wait (its token
 * not `taskToken`), or none, is left alone. A resume that fails stays listed for the reconciler, which retries it.
 * `endedAt`: the wait ended while the runtime was down (session 43): only a decision taken before then answers it; a
 * later one is left to the wait's timeout, as any decision too late.
 */
export async function resumeDecisionOfWait(
  deps: ApprovalResumeDeps,
  wait: { incidentId: string; taskToken: string; endedAt?: string },
  options: { afterMinutes: number },
): Promise<Outcome | 'none'> {
  const incident = await deps.incidents.get(wait.incidentId);
  const decidedAt = incident?.approval?.decidedAt;
  if (!isUnresumed(incident) || incident.approval.taskToken !== wait.taskToken || !decidedAt) return 'none';
  if (wait.endedAt !== undefined && Date.parse(decidedAt) >= Date.parse(wait.endedAt)) return 'none';
  const now = deps.clock();
  const listed: ListedDecision = { incidentId: incident.id, decidedAt, entry: { id: incident.id, dueAt: decidedAt }, failures: 0 };
  const takenBefore = new Date(now.getTime() - options.afterMinutes * 60_000).toISOString();
  return resumeListed(listed, now, takenBefore, deps, 'the local runtime, its restarted execution back at its wait,');
}

/**
 * A decision kept for its request's retry waits for that retry or its wait's end, whichever comes first, and nothing
 * can resume it before: left where it was listed, as many such as a run lists held every run's share for up to the
 * wait (5.5 h of write-budget backoffs), and a later decision whose handler died waited behind them. The retry lists
 * the decision it carries anew (shared/steps/notify.ts), so the entry moves to the wait's end, where it ends as a
 * timeout's. A move that fails leaves it where it is, for the next run.
 */
async function postponeToWaitEnd(entry: ListedDecision, deps: ApprovalResumeDeps): Promise<void> {
  const waitEnd = (await deps.incidents.get(entry.incidentId))?.approval?.expiresAt;
  if (!waitEnd) return;
  await deps.approvalResumes.postpone(entry, new Date(waitEnd)).catch((error: unknown) => {
    deps.logger.warn('a decision kept for its request\'s retry could not be moved to its wait\'s end; the next run lists it again', { incidentId: entry.incidentId, error: errorMessage(error) });
  });
}

export async function resumeRecordedDecisions(
  deps: ApprovalResumeDeps,
  options: { maxPerRun: number; afterMinutes: number; lookbackHours: number },
): Promise<ApprovalResumeResult> {
  const result: ApprovalResumeResult = { resumed: [], spent: [], notWaitingYet: [], keptForRetry: [], gone: 0, busy: 0, failed: [], abandoned: [], unlisted: null };
  if (options.maxPerRun <= 0) return result;
  const now = deps.clock();
  const graceStart = new Date(now.getTime() - options.afterMinutes * 60_000);
  let due: ListedDecision[];
  try {
    // Kept decisions have a share of their own, as large as the run's: each is met once and moved to its wait's end
    // (postponeToWaitEnd), so it holds back none of the decisions the run can resume.
    due = await deps.approvalResumes.due(graceStart, { limit: 2 * options.maxPerRun, lookbackHours: options.lookbackHours });
  } catch (error) {
    result.unlisted = errorMessage(error);
    deps.logger.warn('the recorded /guard decisions to resume could not be listed; they wait for the next run', { error: result.unlisted });
    return result;
  }
  let counted = 0;
  for (const entry of due) {
    if (counted >= options.maxPerRun) break;
    try {
      const outcome = await resumeListed(entry, now, graceStart.toISOString(), deps);
      if (outcome === 'gone' || outcome === 'busy') result[outcome] += 1;
      else result[outcome].push(entry.incidentId);
      if (outcome === 'keptForRetry') await postponeToWaitEnd(entry, deps);
      else counted += 1;
    } catch (error) {
      counted += 1;
      const { incidentId, decidedAt } = entry;
      await afterFailure({
        failures: entry.failures,
        named: { retried: { incidentId }, givenUp: { incidentId, decidedAt } },
        retry: {
          message: 'a recorded /guard decision could not be resumed; it is tried again later',
          counted: () => result.failed.push(incidentId),
          move: (retryAt) => deps.approvalResumes.retry(entry, retryAt),
        },
        giveUp: {
          message: 'a recorded /guard decision could not be resumed and is given up: its execution waits until its approval times out',
          counted: () => result.abandoned.push(incidentId),
          drop: async (failures) => {
            await giveUp(entry, failures, error, deps);
            await deps.approvalResumes.done(entry);
          },
        },
      }, error, deps).catch((moveError: unknown) => {
        // Left where it is, at the head of the list: the next run tries it, and moves it, again.
        deps.logger.warn('a failed resume of a recorded /guard decision could not be moved later; it waits for the next run', {
          incidentId: entry.incidentId, error: errorMessage(moveError),
        });
        if (!result.failed.includes(entry.incidentId)) result.failed.push(entry.incidentId);
      });
    }
  }
  deps.metrics.count(RECONCILER_METRIC.approvalResumesAbandoned, result.abandoned.length);
  if (result.resumed.length > 0 || result.spent.length > 0 || result.notWaitingYet.length > 0 || result.keptForRetry.length > 0 || result.failed.length > 0 || result.abandoned.length > 0) {
    deps.logger.info('recorded /guard decisions resumed', { ...result });
  }
  return result;
}
