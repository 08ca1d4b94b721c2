/**
 * The one reply to a `/guard` command comment, as the command's handler (shared/ingest/comment-commands.ts) and the
 * reconciler (shared/reconcile/approval-resumes.ts, which carries out or gives up a decision whose resume failed)
 * write it: marked with the command comment's id, and claimed in its record (shared/stores/command-answers.ts) so
 * that of several writers one creates it and the others edit it.
 */
import { OUR_MARKER_PREFIX } from '../domain/comment-text.js';
import { CommandReplyBusyError } from '../errors.js';
import type { GitHubPort, RepoRef } from '../ports.js';
import type { CommandAnswerKey, CommandAnswers } from '../stores/command-answers.js';

/** Marks an answer to one command comment (`<prefix><comment id> -->`): a redelivery edits it, never adds one. */
const COMMAND_ANSWER_MARKER_PREFIX = `${OUR_MARKER_PREFIX}command-answer:`;

export function commandAnswerMarker(commentId: number): string {
  return `${COMMAND_ANSWER_MARKER_PREFIX}${commentId} -->`;
}

/** GitHub logins are letters, digits and single hyphens; anything else is left out of the answer rather than quoted. */
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;

/** "The `/guard approve` from `octocat`": the command and, when its login is one GitHub allows, its author. */
export function theCommand(login: string, command: string): string {
  return `The \`${command}\`${LOGIN.test(login) ? ` from \`${login}\`` : ''}`;
}

export function carriedOut(login: string, command: string): string {
  return `${theCommand(login, command)} was carried out.`;
}

/**
 * A decision recorded whose resume failed (`error`: the error's name): it waits for the reconciler or the same command
 * again, and may never be carried out (the wait may end first), so the reply promises neither.
 */
export function recordedNotCarriedOut(login: string, command: string, error: string, givenUp: boolean, untracked = false): string {
  const name = error.replace(/[^\w.-]/g, '').slice(0, 100) || 'an error';
  const failed = `the guard could not resume its pipeline with it (\`${name}\`)`;
  // Given up by the reconciler before: its entry is gone, and only the command repeated tries again.
  if (givenUp) return `${theCommand(login, command)} was not carried out: ${failed}, and no longer tries by itself; nothing is applied. Repeat the command to try again while the approval wait runs.`;
  // Past the commands kept with the decision: nothing edits this reply, the first command's reply tells how it ends.
  if (untracked) return `${theCommand(login, command)} is recorded, but not carried out yet: ${failed}. It tries again while the approval wait runs; this reply is not edited, the decision's first command's reply tells how it ends.`;
  return `${theCommand(login, command)} is recorded, but not carried out yet: ${failed}. ` +
    'It tries again while the approval wait runs, and edits this reply when the decision is carried out or given up; nothing is applied before then, and nothing at all if the wait ends first.';
}

/**
 * Writes the reply to a command comment: the one writer holding its claim creates it, and one that finds it recorded
 * updates it. Finding it by its marker alone, two deliveries of one command at once (a redelivery racing the original)
 * both listed none and both posted one. A writer that finds the reply being created leaves it to its creator. Nothing
 * is written for a command carried out, nor over a final reply; `doneMeanwhile` when it was carried out while this
 * reply was written. `final`: the reply says how the decision ended for good (the reconciler's edit), and no later
 * refusal changes it; a refusal that finds it claimed final while it wrote writes the final text again. A final reply
 * whose claim another delivery holds throws {@link CommandReplyBusyError}: that delivery may never write it, and the
 * final text, kept with the claim, is left for the reconciler to write ({@link CommandAnswers.pendingFinal}).
 */
export async function writeCommandReply(
  github: GitHubPort,
  repo: RepoRef,
  key: CommandAnswerKey,
  body: string,
  answers: CommandAnswers,
  options: { final?: boolean } = {},
): Promise<{ doneMeanwhile: boolean }> {
  const claim = await answers.claim(key, options.final ? { final: body } : undefined);
  // A final text left to the reply's creator is lost when its post fails or it dies before: the final writer tries again.
  if (claim.kind === 'busy' && options.final) throw new CommandReplyBusyError(`the reply to command comment ${key.commentId} is being created by another delivery`);
  if (claim.kind === 'busy' || claim.kind === 'done') return { doneMeanwhile: false };
  const marker = commandAnswerMarker(key.commentId);
  let written: Awaited<ReturnType<GitHubPort['upsertComment']>>;
  try {
    written = await github.upsertComment(repo, key.pullRequest, marker, body);
  } catch (error) {
    if (claim.kind === 'create') await answers.release(key, claim.holder);
    throw error;
  }
  const { done, final } = await answers.record(key, written.commentId, { final: options.final === true });
  if (!done && final !== null && final !== body) {
    // Recorded written, as the final writer records it: nothing later writes it again (shared/reconcile/approval-resumes.ts).
    const rewritten = await github.upsertComment(repo, key.pullRequest, marker, final);
    await answers.record(key, rewritten.commentId, { final: true });
  }
  return { doneMeanwhile: done };
}

/** The command was carried out: marked done for good, its 👍, and a reply it had edited to say so. */
export async function replyCarriedOut(github: GitHubPort, repo: RepoRef, key: CommandAnswerKey, body: string, answers: CommandAnswers): Promise<void> {
  const { replyId } = await answers.markDone(key);
  await github.addCommentReaction(repo, key.commentId, '+1');
  if (replyId !== null) await github.upsertComment(repo, key.pullRequest, commandAnswerMarker(key.commentId), body);
}

/** How the reconciler ended a decision whose command's handling could not resume its execution. */
export type DecisionEnd =
  /** Tried too often: given up (`failures` tries), while the wait still runs; `retry` is the command that tries again. */
  | { kind: 'given_up'; failures: number; retry: string }
  /** Step Functions called the token spent: the first try reached the execution, or the wait had ended. */
  | { kind: 'spent' }
  /** The wait timed out before the decision was resumed. */
  | { kind: 'wait_over' }
  /** The wait ended otherwise before the decision was resumed: on-call rejected by e-mail, or the wait failed. */
  | { kind: 'overtaken'; by: 'rejected' | 'failed' };

/** The reply to a decision's command once the reconciler ended it without carrying it out (see {@link DecisionEnd}). */
export function decisionEnded(login: string, command: string, end: DecisionEnd): string {
  const rejection = command === '/guard reject';
  switch (end.kind) {
    case 'given_up':
      return `${theCommand(login, command)} was not carried out: the guard could not resume its pipeline with it after ${end.failures} tries and gave up, ` +
        `and nothing is applied${rejection ? ', as a rejection asks' : ''}. To have it try again while the approval wait runs, repeat \`${end.retry}\`.`;
    case 'spent':
      return `${theCommand(login, command)} needs nothing more from the guard: its pipeline no longer waited for it when the guard tried again ` +
        "(its first try reached it, or the approval wait had ended). The guard's comment on this pull request says what was applied.";
    case 'wait_over':
      return `${theCommand(login, command)} was not carried out: the approval wait timed out before the guard could resume its pipeline with it, and nothing was applied.`;
    case 'overtaken':
      return `${theCommand(login, command)} was not carried out: ${end.by === 'rejected' ? 'on-call rejected the proposal by e-mail' : 'the approval wait failed'} ` +
        `before the guard could resume its pipeline with it, and nothing was applied${rejection ? ', as a rejection asks' : ''}.`;
  }
}
