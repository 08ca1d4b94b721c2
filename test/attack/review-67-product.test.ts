import { describe, expect, it } from 'vitest';
import type { ApprovalState } from '../../shared/domain/incident.js';
import { sweepFailedWaits } from '../../shared/notify/failed-wait-sweep.js';
import { TaskTokenSpentError } from '../../shared/errors.js';
import type { EscalationMessage } from '../../shared/ports.js';
import { silentLogger } from '../../shared/steps/deps.js';
import { createDynamoEscalationLedger } from '../../shared/stores/escalation-ledger.js';
import { createIncidentStore } from '../../shared/stores/incident-store.js';
import { scratchStoreForFile } from '../support/harness.js';
import { FAILED_AT, TOKENLESS as TOKENLESS_UNDATED, tokenlessWaitIncidents } from '../support/tokenless-waits.js';
import { type CommandAnswers, createDynamoCommandAnswers } from '../../shared/stores/command-answers.js';
import { staticGitHubClients } from '../../shared/github/clients.js';
import { handleIssueCommentWebhook } from '../../shared/ingest/comment-commands.js';
import { resumeRecordedDecisions } from '../../shared/reconcile/approval-resumes.js';
import { createFakeGitHub, createMemoryCommandAnswers, remediationDeps, stepDeps, taskPort } from '../support/fakes.js';
import { PENDING_INCIDENT, pendingApproval, signedCommentDelivery } from '../support/comment-commands.js';

/**
 * Review of session 67 (product67), on the embedded DynamoDB where the store's behaviour matters.
 */
const scratch = scratchStoreForFile('review-67-product');
const NOW = new Date('2026-11-29T12:00:00Z');
const clock = () => NOW;

/** As the version before session 65 left a failed wait: pending, its token dropped, decidedAt the failure's time. */
const TOKENLESS: ApprovalState = { ...TOKENLESS_UNDATED, decidedAt: FAILED_AT };
const stored = tokenlessWaitIncidents(scratch, clock, 7000);

/** The command answers on the memory fake and on the embedded DynamoDB (its claims' conditions are what matter). */
const ANSWER_STORES: Array<[string, () => CommandAnswers]> = [
  ['memory', () => createMemoryCommandAnswers()],
  ['DynamoDB', () => createDynamoCommandAnswers({ client: scratch.client, tableName: 'incidents', leaseMs: 60_000, clock: () => new Date('2026-11-20T10:05:00Z') })],
];

function sweeper() {
  const incidents = createIncidentStore({ client: scratch.client, tableName: 'incidents', ttlDays: 400, clock });
  const published: EscalationMessage[] = [];
  const deps = {
    incidents,
    githubWriter: async () => staticGitHubClients(createFakeGitHub().port),
    escalations: { publish: async (message: EscalationMessage) => (published.push(message), { messageId: `page-${published.length}` }) },
    escalationLedger: createDynamoEscalationLedger({ client: scratch.client, tableName: 'incidents' }),
    policyFile: {},
    clock,
    logger: silentLogger,
  };
  const sweep = (ids: string[]) => sweepFailedWaits((async function* () { yield { incidentIds: ids, scanned: ids.length }; })(), deps, { dryRun: false });
  return { sweep, published, incidents };
}

describe('F1: the sweep takes the approval request e-mail for the page of the failed wait', () => {
  it('pages a wait whose only published SNS record is its own approval request (e-mailed before the wait failed)', async () => {
    // Prepare: a pull request's incident whose request went out by e-mail (no GitHub writer for its installation then):
    // published on the escalation topic at the request, then the wait failed, and the version then paged nobody.
    const id = await stored(TOKENLESS, {
      notifications: [{ channel: 'sns', target: 'escalation-topic', outcome: 'published', detail: 'request-mail-1', at: '2026-11-01T10:05:00Z' }],
    });
    const { sweep, published, incidents } = sweeper();

    // Act
    const done = await sweep([id]);

    // Assert: nobody was ever told the wait failed (the e-mail asked for an approval its token could no longer give).
    expect(done.paged).toEqual([id]);
    expect(published.filter((message) => message.message.includes(id))).toHaveLength(1);
    expect((await incidents.get(id))?.approval?.status).toBe('failed');
  });

  it('still pages nobody for a wait whose failure was paged (a page after the wait failed)', async () => {
    // Prepare
    const id = await stored(TOKENLESS, {
      pullRequest: null,
      notifications: [
        { channel: 'sns', target: 'escalation-topic', outcome: 'published', detail: 'request-mail-2', at: '2026-11-01T10:05:00Z' },
        { channel: 'sns', target: 'escalation-topic', outcome: 'published', detail: 'failure-page-2', at: '2026-11-01T10:20:01Z' },
      ],
    });
    const { sweep, published } = sweeper();

    // Act
    const done = await sweep([id]);

    // Assert
    expect(done.recorded).toEqual([id]);
    expect(published).toHaveLength(0);
  });
});

describe("F2: the first /guard approve answered \"not carried out yet\", a second maintainer's same command carries it out", () => {
  it.each(ANSWER_STORES)("the first command's reply is told the decision was carried out (%s)", async (_store, answersOf) => {
    // Prepare: the first command's resume fails (Step Functions 5xx); the second maintainer's same command resumes it.
    const github = createFakeGitHub();
    github.permissions.set('maintainer', 'maintain');
    github.permissions.set('second', 'maintain');
    const answers = answersOf();
    const made = await pendingApproval({ secret: 'review-67', github: github.port, answers: () => answers, taskError: Object.assign(new Error('service unavailable'), { name: 'ServiceUnavailable' }) });
    await handleIssueCommentWebhook(signedCommentDelivery({ secret: 'review-67', login: 'maintainer', body: '/guard approve', commentId: 197 }), made.deps()).catch(() => undefined);
    const reply = (commentId: number) => [...github.comments.entries()].filter(([key]) => key.includes(`command-answer:${commentId} `)).map(([, body]) => body);
    expect(reply(197)).toEqual([expect.stringMatching(/not carried out yet/)]);
    const sent: string[] = [];
    const working = { ...made.deps(), tasks: { succeed: async (token: string) => void sent.push(token), fail: async (token: string) => void sent.push(token) } };
    await handleIssueCommentWebhook(signedCommentDelivery({ secret: 'review-67', login: 'second', body: '/guard approve', commentId: 198 }), working);
    expect(sent).toEqual(['token-1']);
    const logger = silentLogger;

    // Act: the reconciler meets the first command's entry.
    const { deps } = stepDeps({ github: github.port, incidents: made.incidents, approvalResumes: made.approvalResumes, remediation: remediationDeps({ approvals: made.approvals }), clock: () => new Date('2026-11-20T10:06:00Z') });
    await resumeRecordedDecisions({
      approvalResumes: made.approvalResumes, incidents: made.incidents, approvals: made.approvals, tasks: taskPort(), clock: () => new Date('2026-11-20T10:20:00Z'), logger,
      metrics: deps.metrics, escalations: deps.escalations, escalationLedger: deps.escalationLedger, policyFile: deps.remediation.policyFile,
      githubWriter: async () => staticGitHubClients(github.port), answers,
    }, { maxPerRun: 5, afterMinutes: 5, lookbackHours: 48 });

    // Assert: the first reply no longer says "not carried out yet" (it was carried out).
    expect(reply(197)).toEqual(['The `/guard approve` from `maintainer` was carried out.']);
  });
});

describe('F3: a same command past the 5 kept with the decision, answered "not carried out yet"', () => {
  it('is not promised an edit the reconciler never makes', async () => {
    // Prepare: the first command and six other maintainers' same ones, every resume failing (Step Functions 5xx).
    const github = createFakeGitHub();
    const logins = ['maintainer', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6'];
    for (const login of logins) github.permissions.set(login, 'maintain');
    const answers = createMemoryCommandAnswers();
    const made = await pendingApproval({ secret: 'review-67', github: github.port, answers: () => answers, taskError: Object.assign(new Error('service unavailable'), { name: 'ServiceUnavailable' }) });
    for (const [i, login] of logins.entries()) {
      await handleIssueCommentWebhook(signedCommentDelivery({ secret: 'review-67', login, body: '/guard approve', commentId: 300 + i }), made.deps()).catch(() => undefined);
    }
    const reply = (commentId: number) => [...github.comments.entries()].filter(([key]) => key.includes(`command-answer:${commentId} `)).map(([, body]) => body);

    // Assert: the five kept are promised the edit; the one past them is not (nothing will edit it).
    expect((await made.incidents.get(PENDING_INCIDENT))?.approval?.alsoCommanded?.map((kept) => kept.commentId)).toEqual([301, 302, 303, 304, 305]);
    expect(reply(305)).toEqual([expect.stringMatching(/edits this reply when the decision is carried out or given up/)]);
    expect(reply(306)).toEqual([expect.stringMatching(/not carried out yet/)]);
    expect(reply(306)[0]).not.toMatch(/edits this reply/);
  });
});

describe('F4: the first /guard approve answered "not carried out yet", a second maintainer\'s same command finds the token spent', () => {
  it.each(ANSWER_STORES)("the first command's reply is told its pipeline no longer waits for it, the entry that would have told it dropped (%s)", async (_store, answersOf) => {
    // Prepare: the first command's SendTaskSuccess reached the execution but answered a 5xx; the second maintainer's
    // same command is told the token is spent. Its handling marks the decision resumed, dropping the reconciler's entry.
    const github = createFakeGitHub();
    github.permissions.set('maintainer', 'maintain');
    github.permissions.set('second', 'maintain');
    const answers = answersOf();
    const made = await pendingApproval({ secret: 'review-67', github: github.port, answers: () => answers, taskError: Object.assign(new Error('service unavailable'), { name: 'ServiceUnavailable' }) });
    await handleIssueCommentWebhook(signedCommentDelivery({ secret: 'review-67', login: 'maintainer', body: '/guard approve', commentId: 401 }), made.deps()).catch(() => undefined);
    const reply = (commentId: number) => [...github.comments.entries()].filter(([key]) => key.includes(`command-answer:${commentId} `)).map(([, body]) => body);
    expect(reply(401)).toEqual([expect.stringMatching(/not carried out yet/)]);
    const spent = async () => {
      throw new TaskTokenSpentError('Task Timed Out');
    };

    // Act
    await handleIssueCommentWebhook(signedCommentDelivery({ secret: 'review-67', login: 'second', body: '/guard approve', commentId: 402 }), { ...made.deps(), tasks: { succeed: spent, fail: spent } });

    // Assert: the decision's entry is gone (nothing edits the first reply later as "not carried out"), so it is told
    // now; listed again only from now, for the reconciler to write a final reply it found being created.
    expect([...made.approvalResumes.entries.values()].map((listed) => listed.entry.dueAt)).toEqual(['2026-11-20T10:05:00.000Z']);
    expect(reply(401)).toEqual([expect.stringMatching(/needs nothing more from the guard/)]);
  });
});

describe('the sweep run twice at once (regression rows, holding)', () => {
  it('records each wait failed once, and pages a problem once more at most', async () => {
    // Prepare: three failed waits of one problem.
    const shared = 7900;
    const ids = [await stored(TOKENLESS, { repositoryId: shared }), await stored(TOKENLESS, { repositoryId: shared }), await stored(TOKENLESS, { repositoryId: shared })];
    const [one, two] = [sweeper(), sweeper()];

    // Act
    const [a, b] = await Promise.all([one.sweep(ids), two.sweep(ids)]);

    // Assert
    expect([...a.failed, ...b.failed]).toEqual([]);
    expect(one.published.length + two.published.length).toBeGreaterThanOrEqual(1);
    expect(one.published.length + two.published.length).toBeLessThanOrEqual(2);
    for (const id of ids) {
      const swept = await one.incidents.get(id);
      expect(swept?.approval?.status).toBe('failed');
      expect(swept?.history.filter((entry) => entry.event === 'approval_wait_failed_swept')).toHaveLength(1);
    }
  });
});
