import { describe, expect, it } from 'vitest';
import { TaskTokenSpentError } from '../../../shared/errors.js';
import { handleIssueCommentWebhook } from '../../../shared/ingest/comment-commands.js';
import { type CommandAnswerKey, type CommandAnswers, createDynamoCommandAnswers } from '../../../shared/stores/command-answers.js';
import { createFakeGitHub, taskPort } from '../../support/fakes.js';
import { INDEXED_REPOSITORY, PENDING_INCIDENT, PENDING_PULL_REQUEST, pendingApproval, reconcilerOver, signedCommentDelivery } from '../../support/comment-commands.js';
import { scratchStoreForFile } from '../../support/harness.js';

/**
 * The final reply to a `/guard` command (how its decision ended: its pipeline no longer waits) written after a resume,
 * when another delivery holds the reply's claim to create it and dies before posting: the reply must still end posted,
 * once. The claims are dynalite's conditional writes, with their lease (60 s here), as DynamoDB evaluates them.
 */
const scratch = scratchStoreForFile('guard-final-reply-holder-died');
const SECRET = 'holder-died';
const LEASE_MS = 60_000;
const SPENT = new TaskTokenSpentError('Task Timed Out');
const NEEDS_NOTHING_MORE = /^The `\/guard approve` from `maintainer` needs nothing more from the guard/;

/** Each writer is its own Lambda, at its own time: its own client, sharing only the table. */
const answersAt = (at: string): CommandAnswers => createDynamoCommandAnswers({ client: scratch.client, tableName: 'incidents', leaseMs: LEASE_MS, clock: () => new Date(at) });
const keyOf = (commentId: number): CommandAnswerKey => ({ repositoryId: INDEXED_REPOSITORY.id, pullRequest: PENDING_PULL_REQUEST, commentId });

/** A delivery of the command that claimed its reply to create it, and died (its Lambda ended) before posting it. */
function diesAfterClaim(answers: CommandAnswers): CommandAnswers {
  return {
    ...answers,
    async claim(key, final) {
      await answers.claim(key, final);
      throw new Error('the Lambda ended after claiming the reply');
    },
  };
}

async function scene(firstCommentId: number) {
  const github = createFakeGitHub();
  github.permissions.set('maintainer', 'maintain');
  github.permissions.set('second', 'maintain');
  const posts: number[] = [];
  const upsert = github.port.upsertComment.bind(github.port);
  github.port.upsertComment = async (repo, number, marker, body) => {
    const commentId = /command-answer:(\d+) /.exec(marker)?.[1];
    if (commentId) posts.push(Number(commentId));
    return upsert(repo, number, marker, body);
  };
  // The first command is recorded and its resume fails (Step Functions 5xx); its reply's claim is held by a delivery that died.
  const made = await pendingApproval({ secret: SECRET, github: github.port, answers: () => diesAfterClaim(answersAt('2026-11-20T10:05:00Z')), taskError: Object.assign(new Error('service unavailable'), { name: 'ServiceUnavailable' }) });
  await handleIssueCommentWebhook(signedCommentDelivery({ secret: SECRET, login: 'maintainer', body: '/guard approve', commentId: firstCommentId }), made.deps()).catch(() => undefined);
  const reconcile = reconcilerOver(made, github.port, answersAt);
  const reply = (commentId: number) => [...github.comments.entries()].filter(([key]) => key.includes(`command-answer:${commentId} `)).map(([, body]) => body);
  const postsTo = (commentId: number) => posts.filter((id) => id === commentId).length;
  return { made, reconcile, reply, postsTo };
}

describe('a final command reply after a resume, whose claim a delivery that died holds', () => {
  it("is written by the reconciler once the holder's lease lapsed, when a second maintainer's command found the token spent", async () => {
    // Prepare
    const { made, reconcile, reply, postsTo } = await scene(601);
    expect(reply(601)).toEqual([]);

    // Act: a second maintainer's same command finds the token spent and tells the first how the decision ended, but
    // the first's reply is being created (by the delivery that died); then the reconciler runs, twice.
    const spent = { ...made.deps(), answers: answersAt('2026-11-20T10:05:00Z'), tasks: { succeed: async () => Promise.reject(SPENT), fail: async () => Promise.reject(SPENT) } };
    await handleIssueCommentWebhook(signedCommentDelivery({ secret: SECRET, login: 'second', body: '/guard approve', commentId: 602 }), spent);
    const untold = reply(601);
    await reconcile('2026-11-20T10:20:00Z');
    await reconcile('2026-11-20T10:40:00Z');

    // Assert: untold at first, then written once, and nothing is left listed.
    expect(untold).toEqual([]);
    expect(reply(601)).toEqual([expect.stringMatching(NEEDS_NOTHING_MORE)]);
    expect(postsTo(601)).toBe(1);
    expect(made.approvalResumes.entries.size).toBe(0);
  });

  it("is written by the reconciler's next run when its own run found the token spent and the reply being created", async () => {
    // Prepare: the decision's entry, and a redelivery of the command that claimed the reply just before the run and died.
    const { made, reconcile, reply, postsTo } = await scene(611);
    await diesAfterClaim(answersAt('2026-11-20T10:19:50Z')).claim(keyOf(611)).catch(() => undefined);

    // Act: the run finds the token spent (the first try reached the execution), then the next runs.
    await reconcile('2026-11-20T10:20:00Z', taskPort(() => SPENT));
    const untold = reply(611);
    await reconcile('2026-11-20T10:40:00Z');
    await reconcile('2026-11-20T11:00:00Z');

    // Assert
    expect((await made.incidents.get(PENDING_INCIDENT))?.approval?.taskToken).toBeNull();
    expect(untold).toEqual([]);
    expect(reply(611)).toEqual([expect.stringMatching(NEEDS_NOTHING_MORE)]);
    expect(postsTo(611)).toBe(1);
    expect(made.approvalResumes.entries.size).toBe(0);
  });
});
