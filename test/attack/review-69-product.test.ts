import { describe, expect, it } from 'vitest';
import { TaskTokenSpentError } from '../../shared/errors.js';
import { handleIssueCommentWebhook } from '../../shared/ingest/comment-commands.js';
import type { GitHubPort } from '../../shared/ports.js';
import { type CommandAnswers, createDynamoCommandAnswers } from '../../shared/stores/command-answers.js';
import { createFakeGitHub, taskPort } from '../support/fakes.js';
import type { CommandAnswerKey } from '../../shared/stores/command-answers.js';
import { INDEXED_REPOSITORY, PENDING_INCIDENT, PENDING_PULL_REQUEST, pendingApproval, reconcilerOver, signedCommentDelivery } from '../support/comment-commands.js';
import { scratchStoreForFile } from '../support/harness.js';

/**
 * Review of session 69 (product69): the final reply to a `/guard` command written by the reconciler when its writer
 * found another delivery creating it (CommandAnswers.pendingFinal), on the embedded DynamoDB where the claims'
 * conditions are what matter.
 *
 * The second row was open (Medium) until session 76: a command the stopped run never reached kept no final text, so
 * the run listed again, which writes only the texts claims kept (writePendingFinals), told it nothing. The reconciler
 * now keeps every command's final text before its first edit (CommandAnswers.keepFinal).
 */
const scratch = scratchStoreForFile('review-69-product');
const SECRET = 'review-69';
const SPENT = new TaskTokenSpentError('Task Timed Out');
const UNAVAILABLE = Object.assign(new Error('service unavailable'), { name: 'ServiceUnavailable' });
const NEEDS_NOTHING_MORE = /needs nothing more from the guard/;

/** Each writer is its own Lambda, at its own time: its own client, sharing only the table (lease 8 s, as deployed). */
const answersAt = (at: string): CommandAnswers => createDynamoCommandAnswers({ client: scratch.client, tableName: 'incidents', leaseMs: 8_000, clock: () => new Date(at) });

/** A fake GitHub whose upserts are counted per command comment, and may be made to hang (the writer's Lambda times out). */
function countedGitHub() {
  const github = createFakeGitHub();
  for (const login of ['maintainer', 'second', 'third']) github.permissions.set(login, 'maintain');
  const writes: number[] = [];
  let hang = false;
  let hung: () => void = () => undefined;
  const firstHang = new Promise<void>((resolve) => (hung = resolve));
  const upsert = github.port.upsertComment.bind(github.port);
  const port: GitHubPort = Object.assign(Object.create(Object.getPrototypeOf(github.port) as object) as GitHubPort, github.port, {
    upsertComment: async (...args: Parameters<GitHubPort['upsertComment']>) => {
      const commentId = /command-answer:(\d+) /.exec(args[2])?.[1];
      if (commentId) writes.push(Number(commentId));
      if (hang) {
        hung();
        return new Promise<never>(() => undefined);
      }
      return upsert(...args);
    },
  });
  const reply = (commentId: number) => [...github.comments.entries()].filter(([key]) => key.includes(`command-answer:${commentId} `)).map(([, body]) => body);
  return { github, port, writes, reply, firstHang, hangFromNow: (value: boolean) => void (hang = value) };
}

/**
 * Each of `logins`' `/guard approve` (as comments `commentIds`) is recorded and its resume fails (Step Functions 5xx):
 * each reply says "not carried out yet … edits this reply". Then a reconciler run finds the token spent and marks the
 * decision resumed; GitHub hangs on its first edit, and its Lambda (60 s) is stopped there (the run's promise is left
 * unsettled). The next two runs find GitHub well.
 */
async function runStoppedMidEdit(commands: Array<[login: string, commentId: number]>) {
  const gh = countedGitHub();
  const made = await pendingApproval({ secret: SECRET, github: gh.port, answers: () => answersAt('2026-11-20T10:05:00Z'), taskError: UNAVAILABLE });
  for (const [login, commentId] of commands) {
    await handleIssueCommentWebhook(signedCommentDelivery({ secret: SECRET, login, body: '/guard approve', commentId }), made.deps()).catch(() => undefined);
    expect(gh.reply(commentId)).toEqual([expect.stringMatching(/edits this reply when the decision is carried out or given up/)]);
  }
  const reconcile = reconcilerOver(made, gh.port, answersAt);
  gh.hangFromNow(true);
  void reconcile('2026-11-20T10:20:00Z', taskPort(() => SPENT));
  // Until the stopped run hangs on its first edit (a fixed 200 ms was not always enough on a loaded machine).
  await gh.firstHang;
  gh.hangFromNow(false);
  await reconcile('2026-11-20T10:40:00Z');
  await reconcile('2026-11-20T11:00:00Z');
  return { gh, made };
}

describe('the reconciler ends a decision (token spent) and its Lambda times out while it edits the replies', () => {
  it('the first command\'s reply, promised an edit, is told how the decision ended by a later run', async () => {
    // Prepare, Act
    const { gh, made } = await runStoppedMidEdit([['maintainer', 701]]);

    // Assert: the decision is ended (its token forgotten), and its command's reply says so, once.
    expect((await made.incidents.get(PENDING_INCIDENT))?.approval?.taskToken).toBeNull();
    expect(gh.reply(701)).toEqual([expect.stringMatching(NEEDS_NOTHING_MORE)]);
    expect(made.approvalResumes.entries.size).toBe(0);
  });
  // The gone branch cannot tell a spent approve from one carried out: the text the stopped run kept for each command
  // before its first edit is what tells the second one.
  it('a second command kept with the decision, which the stopped run never reached, is told too', async () => {
    // Prepare, Act: the first command's and a second maintainer's same command's; the run stops on the first's edit.
    const { gh } = await runStoppedMidEdit([['maintainer', 731], ['second', 732]]);

    // Assert
    expect(gh.reply(731)).toEqual([expect.stringMatching(NEEDS_NOTHING_MORE)]);
    expect(gh.reply(732)).toEqual([expect.stringMatching(NEEDS_NOTHING_MORE)]);
  });
});

describe('F4 of review 67, as product69 changed it: the entry listed again after a second command found the token spent', () => {
  it('holds: the reconciler reading it edits nothing more and leaves nothing listed (regression row)', async () => {
    // Prepare: review-67 F4's scene on DynamoDB claims.
    const gh = countedGitHub();
    const made = await pendingApproval({ secret: SECRET, github: gh.port, answers: () => answersAt('2026-11-20T10:05:00Z'), taskError: UNAVAILABLE });
    await handleIssueCommentWebhook(signedCommentDelivery({ secret: SECRET, login: 'maintainer', body: '/guard approve', commentId: 711 }), made.deps()).catch(() => undefined);
    const spent = { ...made.deps(), tasks: { succeed: async () => Promise.reject(SPENT), fail: async () => Promise.reject(SPENT) } };
    await handleIssueCommentWebhook(signedCommentDelivery({ secret: SECRET, login: 'second', body: '/guard approve', commentId: 712 }), spent);
    const told = { first: gh.reply(711), second: gh.reply(712), writes: gh.writes.length };
    expect(told.first).toEqual([expect.stringMatching(NEEDS_NOTHING_MORE)]);

    // Act
    const reconcile = reconcilerOver(made, gh.port, answersAt);
    await reconcile('2026-11-20T10:20:00Z');
    await reconcile('2026-11-20T10:40:00Z');

    // Assert: both replies as they were, no write since, nothing listed.
    expect(gh.reply(711)).toEqual(told.first);
    expect(gh.reply(712)).toEqual(told.second);
    expect(gh.writes.length).toBe(told.writes);
    expect(made.approvalResumes.entries.size).toBe(0);
  });
});

describe('a /guard reject ended by a second maintainer\'s same command finding the token spent', () => {
  it("holds: the reconciler's edit leaves a third maintainer's refused /guard approve alone (regression row)", async () => {
    // Prepare: the first reject's resume fails; a third maintainer's approve is refused (decided already); the second's
    // reject finds the token spent.
    const gh = countedGitHub();
    const made = await pendingApproval({ secret: SECRET, github: gh.port, answers: () => answersAt('2026-11-20T10:05:00Z'), taskError: UNAVAILABLE });
    await handleIssueCommentWebhook(signedCommentDelivery({ secret: SECRET, login: 'maintainer', body: '/guard reject', commentId: 721 }), made.deps()).catch(() => undefined);
    const spent = { ...made.deps(), tasks: { succeed: async () => Promise.reject(SPENT), fail: async () => Promise.reject(SPENT) } };
    await handleIssueCommentWebhook(signedCommentDelivery({ secret: SECRET, login: 'third', body: '/guard approve', commentId: 723 }), spent);
    const third = gh.reply(723);
    expect(third).toEqual([expect.stringMatching(/already decided/)]);
    await handleIssueCommentWebhook(signedCommentDelivery({ secret: SECRET, login: 'second', body: '/guard reject', commentId: 722 }), spent);

    // Act
    const reconcile = reconcilerOver(made, gh.port, answersAt);
    await reconcile('2026-11-20T10:20:00Z');
    await reconcile('2026-11-20T10:40:00Z');

    // Assert: the rejects hear the decision needs nothing more; the approve's refusal is untouched.
    expect(gh.reply(721)).toEqual([expect.stringMatching(NEEDS_NOTHING_MORE)]);
    expect(gh.reply(722)).toHaveLength(1);
    expect(gh.reply(723)).toEqual(third);
    expect(gh.writes.filter((id) => id === 723)).toHaveLength(1);
    expect(made.approvalResumes.entries.size).toBe(0);
  });
});

describe('two reconciler runs at once (EventBridge delivers the schedule twice) over a final reply whose holder died', () => {
  it('holds: the reply is written once, and nothing is left listed (regression row)', async () => {
    // Prepare: the first command's delivery claims its reply and dies before posting it; the second maintainer's same
    // command finds the token spent, and its final text for the first reply stays with the dead holder's claim.
    const gh = countedGitHub();
    const made = await pendingApproval({ secret: SECRET, github: gh.port, answers: () => answersAt('2026-11-20T10:05:00Z'), taskError: UNAVAILABLE });
    const key: CommandAnswerKey = { repositoryId: INDEXED_REPOSITORY.id, pullRequest: PENDING_PULL_REQUEST, commentId: 741 };
    const dying = answersAt('2026-11-20T10:05:00Z');
    await handleIssueCommentWebhook(signedCommentDelivery({ secret: SECRET, login: 'maintainer', body: '/guard approve', commentId: 741 }), {
      ...made.deps(),
      answers: { ...dying, claim: async (k, final) => (await dying.claim(k, final), Promise.reject(new Error('the Lambda ended after claiming the reply'))) },
    }).catch(() => undefined);
    const spent = { ...made.deps(), tasks: { succeed: async () => Promise.reject(SPENT), fail: async () => Promise.reject(SPENT) } };
    await handleIssueCommentWebhook(signedCommentDelivery({ secret: SECRET, login: 'second', body: '/guard approve', commentId: 742 }), spent);
    expect(gh.reply(741)).toEqual([]);
    expect(await answersAt('2026-11-20T10:05:00Z').pendingFinal(key)).toMatch(NEEDS_NOTHING_MORE);

    // Act: two runs at once, then one more.
    const reconcile = reconcilerOver(made, gh.port, answersAt);
    await Promise.allSettled([reconcile('2026-11-20T10:20:00Z'), reconcile('2026-11-20T10:20:01Z')]);
    await reconcile('2026-11-20T10:40:00Z');

    // Assert
    expect(gh.reply(741)).toEqual([expect.stringMatching(NEEDS_NOTHING_MORE)]);
    expect(gh.writes.filter((id) => id === 741)).toHaveLength(1);
    expect(made.approvalResumes.entries.size).toBe(0);
  });
});
