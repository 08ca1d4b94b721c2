import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { COMMAND_ANSWER_LEASE_MS } from '../../../shared/github/comment-timing.js';
import { commandAnswerMarker, handleIssueCommentWebhook } from '../../../shared/ingest/comment-commands.js';
import { createDynamoCommandAnswers } from '../../../shared/stores/command-answers.js';
import { createFakeGitHub } from '../../support/fakes.js';
import { INDEXED_REPOSITORY, PENDING_INCIDENT, PENDING_PULL_REQUEST, pendingApproval } from '../../support/comment-commands.js';
import { scratchStoreForFile } from '../../support/harness.js';

/**
 * Deliveries of one `/guard` command interleaved step by step: the replies' claims in dynalite (the conditional
 * writes DynamoDB evaluates), a GitHub that lists comments and then posts one, as the real client does, and a hold
 * between the two that the test releases.
 */
const TABLE = 'incidents';
const scratch = scratchStoreForFile('guard-command-races', { incidents: TABLE });
const SECRET = 'race-secret';
const REPOSITORY = INDEXED_REPOSITORY.name;
const PULL_REQUEST = PENDING_PULL_REQUEST;
const INCIDENT = PENDING_INCIDENT;
const INDEXED = INDEXED_REPOSITORY;
const OTHER = 'gh-714523861-999-1';

let nextComment = 7_000;

function delivery(commentId: number, body: string, action = 'created') {
  const payload = JSON.stringify({
    action,
    issue: { number: PULL_REQUEST, pull_request: { url: 'x' } },
    comment: { id: commentId, body, user: { login: 'maintainer', type: 'User' }, author_association: 'MEMBER' },
    repository: { id: 714523861, full_name: REPOSITORY, name: 'checkout-service', owner: { login: 'acme-shop' } },
  });
  const signature = `sha256=${createHmac('sha256', SECRET).update(payload).digest('hex')}`;
  return { headers: { 'x-github-event': 'issue_comment', 'x-hub-signature-256': signature }, body: payload, isBase64Encoded: false };
}

interface Hold {
  /** The upsert has listed the comments and is about to write. */
  reached: Promise<void>;
  release(): void;
}

/** The fake GitHub port with comments kept as GitHub keeps them: several may carry one marker. */
function listingGitHub() {
  const github = createFakeGitHub();
  github.permissions.set('maintainer', 'maintain');
  const posted: Array<{ id: number; issue: number; body: string }> = [];
  let hold: { reached: () => void; released: Promise<void> } | null = null;
  github.port.upsertComment = async (_repo, issue, marker, body) => {
    const found = posted.find((comment) => comment.issue === issue && comment.body.startsWith(marker));
    if (hold) {
      const held = hold;
      hold = null;
      held.reached();
      await held.released;
    }
    const text = `${marker}\n${body}`;
    if (found) {
      const outcome = found.body === text ? 'unchanged' : 'updated';
      found.body = text;
      return { outcome, commentId: found.id, url: null };
    }
    const comment = { id: 90_000 + posted.length, issue, body: text };
    posted.push(comment);
    return { outcome: 'created', commentId: comment.id, url: null };
  };
  /** Holds the next upsert between its listing and its write. */
  function holdNextUpsert(): Hold {
    let reached!: () => void;
    let release!: () => void;
    const reachedPromise = new Promise<void>((resolve) => {
      reached = resolve;
    });
    hold = { reached, released: new Promise<void>((resolve) => (release = resolve)) };
    return { reached: reachedPromise, release };
  }
  const replies = (commentId: number) => posted.filter((comment) => comment.body.startsWith(commandAnswerMarker(commentId)));
  return { ...github, posted, holdNextUpsert, replies };
}

/** One proposal waits for approval on the pull request, and `OTHER` too: a bare `/guard approve` is refused. */
async function setup() {
  const github = listingGitHub();
  const answers = () => createDynamoCommandAnswers({ client: scratch.store.documents(), tableName: TABLE, leaseMs: COMMAND_ANSWER_LEASE_MS });
  const { approvals, tasks, deps } = await pendingApproval({ secret: SECRET, github: github.port, answers, alsoPending: [OTHER] });
  return { github, approvals, tasks, deps, commentId: nextComment++ };
}

describe('one reply per command comment, whatever the interleaving of its deliveries', () => {
  it('posts one reply when a redelivery of a refused command runs while the original is posting its reply', async () => {
    // Prepare: the original delivery listed no reply and is about to post one.
    const { github, deps, commentId } = await setup();
    const hold = github.holdNextUpsert();
    const original = handleIssueCommentWebhook(delivery(commentId, '/guard approve'), deps());
    await hold.reached;

    // Act: GitHub's redelivery runs to its end meanwhile, then the original posts.
    const redelivered = await handleIssueCommentWebhook(delivery(commentId, '/guard approve'), deps());
    hold.release();
    const answered = await original;

    // Assert: both refused, and the pull request has one reply saying so.
    expect([answered.statusCode, redelivered.statusCode]).toEqual([200, 200]);
    expect(github.replies(commentId)).toHaveLength(1);
    expect(github.replies(commentId)[0]?.body).toContain('decided nothing: several proposals wait');
  });

  it('updates the reply when the same refused command is delivered again after it was posted', async () => {
    // Prepare
    const { github, deps, commentId } = await setup();
    await handleIssueCommentWebhook(delivery(commentId, '/guard approve'), deps());

    // Act
    const again = await handleIssueCommentWebhook(delivery(commentId, '/guard approve'), deps());

    // Assert
    expect(again.statusCode).toBe(200);
    expect(github.replies(commentId)).toHaveLength(1);
  });
});

describe('a refused command carried out by a later delivery', () => {
  const CARRIED_OUT = 'The `/guard approve` from `maintainer` was carried out.';

  it('has its reply edited to say it was carried out, and no second reply', async () => {
    // Prepare: refused while two proposals waited; then the other one was decided.
    const { github, approvals, tasks, deps, commentId } = await setup();
    const refused = await handleIssueCommentWebhook(delivery(commentId, '/guard approve'), deps());
    await approvals.take(INDEXED, PULL_REQUEST, OTHER);

    // Act: GitHub redelivers the same comment.
    const carried = await handleIssueCommentWebhook(delivery(commentId, '/guard approve'), deps());

    // Assert
    expect([refused.statusCode, carried.statusCode]).toEqual([200, 202]);
    expect(tasks).toEqual([['succeed', 'token-1', { approvedBy: 'maintainer' }]]);
    expect(github.calls.filter((call) => call.method === 'addCommentReaction').map((call) => call.args[1])).toEqual([commentId]);
    expect(github.replies(commentId).map((reply) => reply.body)).toEqual([`${commandAnswerMarker(commentId)}\n${CARRIED_OUT}`]);
  });

  it('ends with its reply saying so when it is carried out while a refusal is being posted', async () => {
    // Prepare: a delivery refused the command and is about to post its reply (no reply recorded yet).
    const { github, approvals, deps, commentId } = await setup();
    const hold = github.holdNextUpsert();
    const original = handleIssueCommentWebhook(delivery(commentId, '/guard approve'), deps());
    await hold.reached;
    await approvals.take(INDEXED, PULL_REQUEST, OTHER);

    // Act: the redelivery carries it out and ends, finding no reply to edit; then the refusal is posted.
    const carried = await handleIssueCommentWebhook(delivery(commentId, '/guard approve'), deps());
    hold.release();
    const refused = await original;

    // Assert
    expect([refused.statusCode, carried.statusCode]).toEqual([200, 202]);
    expect(github.replies(commentId).map((reply) => reply.body)).toEqual([`${commandAnswerMarker(commentId)}\n${CARRIED_OUT}`]);
  });

  it('ends with its reply saying so when a refusal rewrites the reply while it is carried out', async () => {
    // Prepare: the reply exists; a second refused delivery found it and is about to rewrite it.
    const { github, approvals, deps, commentId } = await setup();
    await handleIssueCommentWebhook(delivery(commentId, '/guard approve'), deps());
    const hold = github.holdNextUpsert();
    const second = handleIssueCommentWebhook(delivery(commentId, '/guard approve'), deps());
    await hold.reached;
    await approvals.take(INDEXED, PULL_REQUEST, OTHER);

    // Act: a third delivery carries it out and edits the reply; then the second writes its refusal.
    const carried = await handleIssueCommentWebhook(delivery(commentId, '/guard approve'), deps());
    hold.release();
    const refused = await second;

    // Assert
    expect([refused.statusCode, carried.statusCode]).toEqual([200, 202]);
    expect(github.replies(commentId).map((reply) => reply.body)).toEqual([`${commandAnswerMarker(commentId)}\n${CARRIED_OUT}`]);
  });

  it('is told nothing more when a refused delivery comes after it was carried out', async () => {
    // Prepare: refused, then carried out (the reply says so).
    const { github, approvals, deps, commentId } = await setup();
    await handleIssueCommentWebhook(delivery(commentId, '/guard approve'), deps());
    await approvals.take(INDEXED, PULL_REQUEST, OTHER);
    await handleIssueCommentWebhook(delivery(commentId, '/guard approve'), deps());

    // Act: delivered once more, it finds nothing waiting.
    const late = await handleIssueCommentWebhook(delivery(commentId, '/guard approve'), deps());

    // Assert
    expect(late).toEqual({ statusCode: 200, body: { refused: `nothing is waiting for approval on ${REPOSITORY}#${PULL_REQUEST}` } });
    expect(github.replies(commentId).map((reply) => reply.body)).toEqual([`${commandAnswerMarker(commentId)}\n${CARRIED_OUT}`]);
  });
});

describe('a command comment changed after it was answered', () => {
  it('is not acted on or answered again when edited: the reply stays the answer to the text that was delivered', async () => {
    // Prepare: refused while two proposals waited; the maintainer then edits the comment to name one of them.
    const { github, tasks, deps, commentId } = await setup();
    await handleIssueCommentWebhook(delivery(commentId, '/guard approve'), deps());
    const before = github.replies(commentId).map((reply) => reply.body);

    // Act
    const edited = await handleIssueCommentWebhook(delivery(commentId, `/guard approve ${INCIDENT}`, 'edited'), deps());

    // Assert: only a new comment is a command; the reply is left as it was.
    expect(edited).toEqual({ statusCode: 202, body: { ignored: 'issue_comment action edited is not acted on' } });
    expect(tasks).toEqual([]);
    expect(github.replies(commentId).map((reply) => reply.body)).toEqual(before);
  });

  it('is not acted on when deleted, and a later delivery of the same comment still gets one reply', async () => {
    // Prepare
    const { github, deps, commentId } = await setup();
    await handleIssueCommentWebhook(delivery(commentId, '/guard approve'), deps());

    // Act
    const deleted = await handleIssueCommentWebhook(delivery(commentId, '/guard approve', 'deleted'), deps());
    const redelivered = await handleIssueCommentWebhook(delivery(commentId, '/guard approve'), deps());

    // Assert
    expect(deleted).toEqual({ statusCode: 202, body: { ignored: 'issue_comment action deleted is not acted on' } });
    expect(redelivered.statusCode).toBe(200);
    expect(github.replies(commentId)).toHaveLength(1);
  });
});
