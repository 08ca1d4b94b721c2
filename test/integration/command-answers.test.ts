import { createHmac } from 'node:crypto';
import { Webhooks } from '@octokit/webhooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withCommentSlot, withCommentSlots } from '../../shared/github/comment-slot.js';
import { staticGitHubClients } from '../../shared/github/clients.js';
import { createPermissionCache } from '../../shared/github/permission-cache.js';
import { type CommentCommandDeps, commandAnswerMarker, handleIssueCommentWebhook } from '../../shared/ingest/comment-commands.js';
import type { Learning } from '../../shared/knowledge/learning.js';
import { COMMENT_MARKER } from '../../shared/notify/comment.js';
import { createDynamoCommentSlots } from '../../shared/stores/comment-slots.js';
import { createDynamoCommandAnswers } from '../../shared/stores/command-answers.js';
import { silentLogger } from '../../shared/steps/deps.js';
import { BOT_LOGIN, FakeGitHub, clientFor } from '../support/fake-github.js';
import { createMemoryApprovalIndex, createMemoryApprovalResumes } from '../support/fakes.js';
import { scratchStoreForFile } from '../support/harness.js';
import { createMemoryStore } from '../support/memory-store.js';

/**
 * Answers to /guard commands through the ingest Lambda's GitHub clients (the real client, a real-HTTP fake GitHub,
 * dynalite for the comment slots): they are comments of their own, beside the pull request's one incident comment.
 */
const scratch = scratchStoreForFile('guard-answer-slot');
let fake: FakeGitHub;
const SECRET = 'answer-secret';
const repo = { owner: 'octo', repo: 'app' };
const LEASE_MS = 60_000;

beforeEach(async () => {
  fake = await FakeGitHub.start();
  fake.permissions.set('maintainer', 'maintain');
});
afterEach(async () => {
  await fake.close();
});

const slots = () => createDynamoCommentSlots({ client: scratch.client, tableName: 'incidents', leaseMs: LEASE_MS });

function delivery(pullRequest: number, commentId: number, body: string) {
  const payload = JSON.stringify({
    action: 'created',
    issue: { number: pullRequest, pull_request: { url: 'x' } },
    comment: { id: commentId, body, user: { login: 'maintainer', type: 'User' }, author_association: 'MEMBER' },
    repository: { id: 1296269, full_name: 'octo/app', name: 'app', owner: { login: 'octo' } },
  });
  const signature = `sha256=${createHmac('sha256', SECRET).update(payload).digest('hex')}`;
  return { headers: { 'x-github-event': 'issue_comment', 'x-hub-signature-256': signature }, body: payload, isBase64Encoded: false };
}

/** The ingest Lambda's dependencies, with its GitHub clients behind the comment slot as in shared/runtime/deps.ts. */
function deps(): CommentCommandDeps {
  return {
    webhooks: new Webhooks({ secret: SECRET }),
    maxBodyBytes: 1_048_576,
    incidents: createMemoryStore(),
    github: withCommentSlots(staticGitHubClients(clientFor(fake)), slots()),
    clock: () => new Date(),
    logger: silentLogger,
    learning: {} as Learning,
    approvals: createMemoryApprovalIndex(),
    approvalResumes: createMemoryApprovalResumes(),
    answers: createDynamoCommandAnswers({ client: scratch.client, tableName: 'incidents', leaseMs: LEASE_MS }),
    permissions: createPermissionCache(),
    tasks: { async succeed() {}, async fail() {} },
  };
}

const incidentComments = (pullRequest: number) => (fake.comments.get(pullRequest) ?? []).filter((c) => c.body?.includes(COMMENT_MARKER));

describe('answers to /guard commands and the pull request comment slot', () => {
  it('an answer on a pull request without an incident comment does not take the incident comment\'s slot', async () => {
    // A maintainer types `/guard approve` on a pull request the guard has not commented on yet: it is answered.
    const response = await handleIssueCommentWebhook(delivery(31, 9001, '/guard approve'), deps());
    expect(response.statusCode).toBe(200);
    expect(fake.comments.get(31)).toHaveLength(1);

    // Later two executions (CI and lint failing on the same push) comment on that pull request at once.
    const ports = Array.from({ length: 4 }, () => withCommentSlot(clientFor(fake), slots(), { pollMs: 20 }));
    await Promise.all(ports.map((port, i) => port.upsertComment(repo, 31, COMMENT_MARKER, `${COMMENT_MARKER}\nexecution ${i}`)));

    // One incident comment, as the slot promises.
    expect(incidentComments(31)).toHaveLength(1);
  });

  it('an answer does not wait on an incident comment being created (the webhook has 10 s in all)', async () => {
    // An execution is creating the incident comment of the pull request right now: it holds the slot.
    const held = await slots().claim('octo/app#32');
    expect(held.won).toBe(true);

    const response = await handleIssueCommentWebhook(delivery(32, 9002, '/guard approve'), deps());

    // Answered while the slot is still held: through the slot it would have waited (15 s) past its own 3 s and given up.
    expect(response.statusCode).toBe(200);
    expect(fake.comments.get(32)?.map((c) => c.body)).toEqual([expect.stringContaining(commandAnswerMarker(9002))]);
  }, 30_000);
});

describe('the answer marker in text of the incident comment', () => {
  it('a refused command is not answered over the incident comment that quotes a log line holding its marker', async () => {
    // A failing job of a pull request prints `<!-- pipeline-guard:command-answer:N -->` (anyone can make CI print
    // anything); the incident comment shows the failure lines as code, where the text is kept as it is.
    const target = 9003;
    const incident = fake.addComment(33, BOT_LOGIN, `${COMMENT_MARKER}\n\n\`\`\`text\nError: ${commandAnswerMarker(target)}\n\`\`\``);

    // A maintainer's `/guard approve` with that comment id decides nothing, and is answered.
    const response = await handleIssueCommentWebhook(delivery(33, target, '/guard approve'), deps());

    expect(response.statusCode).toBe(200);
    expect(fake.comments.get(33)?.find((c) => c.id === incident.id)?.body).toContain(COMMENT_MARKER);
    expect(fake.comments.get(33)).toHaveLength(2);
  });
});
