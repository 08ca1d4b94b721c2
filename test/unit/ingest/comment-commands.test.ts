import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type AnalysisSummary, type Incident, newIncident } from '../../../shared/domain/incident.js';
import { TaskTokenSpentError } from '../../../shared/errors.js';
import { plannedProposalDigest } from '../../../shared/remediation/proposal-digest.js';
import { type CommentCommandDeps, commandAnswerMarker, handleIssueCommentWebhook, parseApprovalCommand } from '../../../shared/ingest/comment-commands.js';
import { staticGitHubClients } from '../../../shared/github/clients.js';
import { GITHUB_COMMENT_MAX_BYTES } from '../../../shared/domain/comment-limit.js';
import { cpuGrowthExponent, LINEAR_EXPONENT_BOUND, repeatedTo } from '../../support/growth.js';
import { createPermissionCache } from '../../../shared/github/permission-cache.js';
import type { Learning } from '../../../shared/knowledge/learning.js';
import { notifyStep } from '../../../shared/steps/notify.js';
import { COMMENT_MARKER } from '../../../shared/notify/comment.js';
import { triggerFromWorkflowRun } from '../../../shared/ingest/github-webhook.js';
import { githubIncidentFields, githubIncidentScope } from '../../../shared/domain/github-incident.js';
import { loadWebhook } from '../../../infra/local/replay.js';
import { createMemoryStore } from '../../support/memory-store.js';
import { createFakeGitHub, createMemoryCommandAnswers, stepDeps } from '../../support/fakes.js';
import { INDEXED_REPOSITORY, PENDING_INCIDENT, pendingApproval } from '../../support/comment-commands.js';

const SECRET = 'comment-secret';
const INCIDENT = PENDING_INCIDENT;
const INDEXED = INDEXED_REPOSITORY;

function delivery(login: string, body: string, createdAt?: string, association?: string, repositoryId = 714523861, fullName = 'acme-shop/checkout-service') {
  const payload = JSON.stringify({
    action: 'created',
    issue: { number: 1287, pull_request: { url: 'x' } },
    comment: { id: 1, body, user: { login, type: 'User' }, ...(createdAt ? { created_at: createdAt } : {}), ...(association ? { author_association: association } : {}) },
    repository: { id: repositoryId, full_name: fullName, name: fullName.split('/')[1], owner: { login: fullName.split('/')[0] } },
  });
  const signature = `sha256=${createHmac('sha256', SECRET).update(payload).digest('hex')}`;
  return { headers: { 'x-github-event': 'issue_comment', 'x-hub-signature-256': signature }, body: payload, isBase64Encoded: false };
}

async function setup(taskError?: Error, fields: Partial<Incident> = {}) {
  const github = createFakeGitHub();
  github.permissions.set('maintainer', 'maintain');
  github.permissions.set('reader', 'read');
  const made = await pendingApproval({ secret: SECRET, github: github.port, answers: createMemoryCommandAnswers, fields, ...(taskError ? { taskError } : {}) });
  return { deps: made.deps(), tasks: made.tasks, incidents: made.incidents, approvals: made.approvals, github };
}

describe('/guard approve and reject', () => {
  it('parses the first command line of a comment', () => {
    expect(parseApprovalCommand('LGTM\n/guard approve')).toEqual({ decision: 'approve', incidentId: null, digest: null, reason: null });
    expect(parseApprovalCommand('/guard reject  not flaky, a real bug\u0007')).toEqual({ decision: 'reject', incidentId: null, digest: null, reason: 'not flaky, a real bug' });
    expect(parseApprovalCommand('/guard reject gh-1-2-1 flaky')).toEqual({ decision: 'reject', incidentId: 'gh-1-2-1', digest: null, reason: 'flaky' });
    expect(parseApprovalCommand('please /guard approve')).toBeNull();
  });

  it('reads the decision and the vote whatever their case: "/guard Approve" (a phone capitalises it) is no rejection', async () => {
    const { parseFeedbackCommand } = await import('../../../shared/knowledge/feedback.js');
    expect(parseApprovalCommand('/guard Approve')).toEqual({ decision: 'approve', incidentId: null, digest: null, reason: null });
    expect(parseApprovalCommand('/GUARD APPROVE 0123456789AB')).toEqual({ decision: 'approve', incidentId: null, digest: '0123456789ab', reason: null });
    expect(parseApprovalCommand('/guard REJECT flaky')).toEqual({ decision: 'reject', incidentId: null, digest: null, reason: 'flaky' });
    expect(parseFeedbackCommand('/guard feedback Up')).toEqual({ vote: 'up', incidentId: null, comment: null });
    expect(parseFeedbackCommand('/guard Feedback DOWN')).toEqual({ vote: 'down', incidentId: null, comment: null });
  });

  it('approves, not rejects, for a writer who capitalised the command', async () => {
    const { deps, tasks, incidents } = await setup();

    const response = await handleIssueCommentWebhook(delivery('maintainer', '/guard Approve'), deps);

    expect(response).toEqual({ statusCode: 202, body: { incidentId: INCIDENT, decision: 'approve' } });
    expect(tasks).toEqual([['succeed', 'token-1', { approvedBy: 'maintainer' }]]);
    expect((await incidents.get(INCIDENT))?.approval).toMatchObject({ status: 'approved', decidedBy: 'maintainer' });
  });

  it.each([
    ['a fenced code block', 'To approve, comment:\n```\n/guard approve\n```'],
    ['a tilde fence that is never closed', '~~~text\n/guard approve'],
    ['an HTML comment', 'Looks fine <!-- \n/guard approve\n-->'],
    ['an indented code block', 'Run this:\n\n    /guard approve'],
    ['a fence inside a list item', 'Steps:\n\n- ```\n  /guard approve\n  ```'],
    ['a fence whose "closing" line is indented four spaces (still code)', '```\nlog:\n    ```\n/guard approve\n```'],
    ['a fence with an info string, and CRLF line ends', '```text\r\n/guard approve\r\n```\r\n'],
    ['a fence that a quoted fence line does not close', '```\n> ```\n/guard approve'],
    ['a new fence after a quote ended the quoted one', '> ```\n> x\n```\n/guard approve'],
    ['a new fence after a list item ended its fence', '- ```\n  x\n```\n/guard approve'],
    ['a fence whose "closing" line starts with a tab (four columns)', '```\n\t```\n/guard approve'],
    ['an HTML comment opened in a list item, across a blank line', '- <!--\n\n  /guard approve\n  -->'],
    ['a fenced code block whose lines end in a lone CR (a line ending in Markdown too)', '```\r/guard approve\r```'],
    ['an indented code block after lone-CR line ends', 'Run this:\r\r    /guard approve'],
    ['the middle of a line, after U+2028 (no line break in Markdown)', 'Looks odd:\u2028/guard approve'],
    ['the middle of a line, after U+2029', 'not yet\u2029/guard approve'],
    ['nothing visible: 40 levels of quote (read in linear time)', `${'> '.repeat(40)}x\n${'> '.repeat(40)}/guard approve`],
    // attack-47 I1: what GitHub renders as quoted or as code, or does not show, beyond the attack's own inputs.
    ['a quote in a list item, continued lazily', '- > quoted\n/guard approve'],
    ['a <pre> block across a blank line', '<pre>\n\n/guard approve\n</pre>'],
    ['an HTML block that a blank line ends', '<div>\n/guard approve\n</div>'],
    ['a double-backtick code span over lines', 'run ``\n/guard approve\n`` here'],
    ['a code span opened after a run that nothing closes', '``` a ` b\n/guard approve`'],
    ['a code span opened on a line indented as code (a paragraph continuation)', 'Then\n    run `\n/guard approve\n`'],
    ['an attribute whose quoted value holds ">"', 'ok <img alt="a>b\n/guard approve\n">'],
  ])('ignores a command shown in %s', (_, body) => {
    expect(parseApprovalCommand(body)).toBeNull();
  });

  it('ignores feedback shown in a code block too', async () => {
    const { parseFeedbackCommand } = await import('../../../shared/knowledge/feedback.js');
    expect(parseFeedbackCommand('Vote with:\n```\n/guard feedback up\n```')).toBeNull();
    expect(parseFeedbackCommand('/guard feedback up')).toEqual({ vote: 'up', incidentId: null, comment: null });
  });

  it.each([
    ['a stray <!-- in the middle of a line', 'I removed the stray `<!--` from the template.\n\n/guard approve'],
    ['an <!-- inside an indented code block', 'Add this line:\n\n    <!-- guard: ignore\n\n/guard approve'],
    ['<!--> (a comment that closes at once)', '<!-->\n\n/guard approve'],
    ['a backtick run that is inline code, not a fence', '``` a ` b\n/guard approve'],
    ['a list item whose fence the next unindented line ends', '* ```\n/guard approve'],
    ['a quote that a blank line ended', '> quoted\n\n/guard approve'],
    ['a <pre> block closed before it', '<pre>\nx\n</pre>\n/guard approve'],
    ['a code span closed on its line', 'run `npm test` first\n/guard approve'],
    ['a backtick run that no later run closes', 'a `` b\n/guard approve\n`'],
    ['a tag closed on its line', 'LGTM <b>really</b>\n/guard approve'],
    ['an autolink', 'see <https://example.com/log>\n/guard approve'],
  ])('refuses a command, visible though it is, after %s (markup before it: attack-48)', (_, body) => {
    expect(parseApprovalCommand(body)).toBeNull();
  });

  it('reads a visible command after a line that a lone CR ends', () => {
    expect(parseApprovalCommand('LGTM\r/guard approve')).toEqual({ decision: 'approve', incidentId: null, digest: null, reason: null });
  });

  // Refused at GitHub's bound, and read in linear time below it: the cost's growth, not a time limit, which a busy
  // machine breaks and a fast one lets a quadratic reading pass.
  it.each(['` \n', '<a b="', '<a ', '> ', '<pre>\n', '<!--\n', 'x\n'])('reads %j repeated, open code spans, tags, quotes and HTML blocks, in linear time up to 256 KB (GitHub\'s bound)', (unit) => {
    const commentOf = (size: number) => `${repeatedTo(unit)(size)}\n/guard approve`;
    expect(parseApprovalCommand(commentOf(GITHUB_COMMENT_MAX_BYTES + unit.length))).toBeNull();
    const sizes = [GITHUB_COMMENT_MAX_BYTES / 8, GITHUB_COMMENT_MAX_BYTES / 4, GITHUB_COMMENT_MAX_BYTES / 2, GITHUB_COMMENT_MAX_BYTES - 16];
    expect(cpuGrowthExponent(sizes, commentOf, (comment) => parseApprovalCommand(comment))).toBeLessThan(LINEAR_EXPONENT_BOUND);
  });

  it('refuses a command after a closed code block or comment (markup before it: attack-48)', () => {
    expect(parseApprovalCommand('```\nnpm test\n```\n<!-- note -->\n/guard approve')).toBeNull();
  });

  it('resumes the waiting execution for a user with write access and records who decided', async () => {
    const { deps, tasks, incidents } = await setup();

    const response = await handleIssueCommentWebhook(delivery('maintainer', '/guard approve'), deps);

    expect(response).toEqual({ statusCode: 202, body: { incidentId: INCIDENT, decision: 'approve' } });
    expect(tasks).toEqual([['succeed', 'token-1', { approvedBy: 'maintainer' }]]);
    const incident = await incidents.get(INCIDENT);
    expect(incident?.approval).toMatchObject({ status: 'approved', decidedBy: 'maintainer', taskToken: null });
    expect(incident?.audit).toEqual([expect.objectContaining({ actor: 'maintainer', status: 'approved', action: 'rerun_failed_jobs' })]);
  });

  // GitHub bounds a comment at 262,144 UTF-8 bytes, its "65,536 characters" at four bytes each (measured by bisection:
  // dead-claudia/github-limits#13, objectstack-ai/objectstack#18826): both comments below are real ones it delivers.
  it.each([
    ['an emoji-heavy comment of fewer than 65,536 characters but more UTF-16 units', `/guard approve\n${'\u{1F680}'.repeat(40_000)}`],
    ['an ASCII comment of 200,000 characters', `/guard approve\n${'x'.repeat(200_000)}`],
  ])('takes the command of %s', async (_, body) => {
    const { deps, tasks } = await setup();

    const response = await handleIssueCommentWebhook(delivery('maintainer', body), deps);

    expect(response).toEqual({ statusCode: 202, body: { incidentId: INCIDENT, decision: 'approve' } });
    expect(tasks).toEqual([['succeed', 'token-1', { approvedBy: 'maintainer' }]]);
  });

  it('refuses a comment over 262,144 UTF-8 bytes, which GitHub cannot have delivered', async () => {
    const { deps, tasks } = await setup();

    const response = await handleIssueCommentWebhook(delivery('maintainer', `/guard approve\n${'\u{1F680}'.repeat(65_533)}`), deps);

    expect(response.statusCode).toBe(400);
    expect(tasks).toEqual([]);
  });

  it('sends the rejection reason as the task failure', async () => {
    const { deps, tasks } = await setup();

    await handleIssueCommentWebhook(delivery('maintainer', '/guard reject it is a real bug'), deps);

    expect(tasks).toEqual([['fail', 'token-1', 'ApprovalRejected', 'it is a real bug']]);
  });

  it('refuses a user without write access and changes nothing', async () => {
    const { deps, tasks, incidents } = await setup();

    const response = await handleIssueCommentWebhook(delivery('reader', '/guard approve'), deps);

    expect(response.body).toEqual({ ignored: 'reader has read access; /guard approve needs write access' });
    expect(tasks).toEqual([]);
    expect((await incidents.get(INCIDENT))?.approval?.status).toBe('pending');
  });

  it('asks GitHub nothing for a command that could decide nothing: no API quota for comment spam', async () => {
    const { deps, approvals } = await setup();
    await approvals.take(INDEXED, 1287, INCIDENT);
    const github = createFakeGitHub();
    deps.github = staticGitHubClients(github.port);

    // Nothing waits for approval any more, and a pull request without incidents has nothing to vote on.
    const approve = await handleIssueCommentWebhook(delivery('stranger', '/guard approve'), deps);
    const vote = await handleIssueCommentWebhook(delivery('stranger', '/guard feedback down'), { ...deps, incidents: createMemoryStore() });

    expect(approve.statusCode).toBe(200);
    expect(vote).toEqual({ statusCode: 200, body: { refused: 'no incident recorded for acme-shop/checkout-service#1287' } });
    expect(github.calls.filter((c) => c.method === 'repositoryPermission')).toEqual([]);
  });

  it('asks which proposal when several wait on the pull request, and takes the named one', async () => {
    const { deps, tasks, approvals } = await setup();
    await approvals.add(INDEXED, 1287, 'gh-714523861-999-1');

    const ambiguous = await handleIssueCommentWebhook(delivery('maintainer', '/guard approve'), deps);
    const named = await handleIssueCommentWebhook(delivery('maintainer', `/guard approve ${INCIDENT}`), deps);

    expect(ambiguous.statusCode).toBe(200);
    expect(ambiguous.body.refused).toMatch(/several proposals wait .* gh-714523861-11862439017-1, gh-714523861-999-1/);
    expect(named.body).toEqual({ incidentId: INCIDENT, decision: 'approve' });
    expect(tasks).toHaveLength(1);
    expect(await approvals.pending(INDEXED, 1287)).toEqual(['gh-714523861-999-1']);
  });

  it('lets only one of two concurrent commands decide', async () => {
    const { deps, tasks } = await setup();

    const results = await Promise.all([
      handleIssueCommentWebhook(delivery('maintainer', '/guard approve'), deps),
      handleIssueCommentWebhook(delivery('maintainer', '/guard reject no'), deps),
    ]);

    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 202]);
    expect(tasks).toHaveLength(1);
  });

  it('keeps the decision when resuming fails (Step Functions may have taken the call), for the same command or the reconciler to resume', async () => {
    const { deps, tasks, approvals, incidents } = await setup();
    let failures = 1;
    const failsOnce: CommentCommandDeps['tasks'] = {
      succeed: async (token, output) => {
        if (failures-- > 0) throw Object.assign(new Error('throttled'), { name: 'ThrottlingException' });
        tasks.push(['succeed', token, output]);
      },
      fail: () => Promise.reject(new Error('no rejection in this test')),
    };

    await expect(handleIssueCommentWebhook(delivery('maintainer', '/guard approve'), { ...deps, tasks: failsOnce })).rejects.toThrow('throttled');
    const failed = await incidents.get(INCIDENT);
    const again = await handleIssueCommentWebhook(delivery('maintainer', '/guard approve'), { ...deps, tasks: failsOnce });

    expect(failed?.approval).toMatchObject({ status: 'approved', decidedBy: 'maintainer', taskToken: 'token-1' });
    expect(failed?.history.at(-1)).toMatchObject({ event: 'approval_resume_failed', detail: expect.stringMatching(/ThrottlingException.*the decision stands/) });
    expect(again).toEqual({ statusCode: 202, body: { incidentId: INCIDENT, decision: 'approve' } });
    expect(tasks).toEqual([['succeed', 'token-1', { approvedBy: 'maintainer' }]]);
    expect((await incidents.get(INCIDENT))?.approval).toMatchObject({ status: 'approved', taskToken: null });
    expect(await approvals.pending(INDEXED, 1287)).toEqual([]);
  });

  it("leaves the proposal indexed when its token was spent because its request was asked again meanwhile: the new request's /guard approve decides it", async () => {
    // Prepare: the request with token-1 failed; while the command decides token-1, AwaitApproval's retry asks again
    // with token-2 (Notify writes the proposal pending again and indexes it), and Step Functions calls token-1 spent
    const { deps, tasks, incidents, approvals } = await setup();
    let asked = false;
    const spentByRetry: CommentCommandDeps['tasks'] = {
      async succeed(token, output) {
        if (!asked) {
          asked = true;
          const current = await incidents.get(INCIDENT);
          await incidents.update(INCIDENT, { approval: { ...(current?.approval as NonNullable<Incident['approval']>), status: 'pending', taskToken: 'token-2', decidedAt: null, decidedBy: null, reason: null } });
          await approvals.add(INDEXED, 1287, INCIDENT);
          throw new TaskTokenSpentError('TaskTimedOut: the task has already been closed');
        }
        tasks.push(['succeed', token, output]);
      },
      fail: () => Promise.reject(new Error('no rejection in this test')),
    };

    // Act
    const first = await handleIssueCommentWebhook(delivery('maintainer', '/guard approve'), { ...deps, tasks: spentByRetry });
    const stillWaiting = await approvals.pending(INDEXED, 1287);
    const again = await handleIssueCommentWebhook(delivery('maintainer', '/guard approve'), { ...deps, tasks: spentByRetry });

    // Assert
    expect(first.body.refused).toMatch(/asked for approval again meanwhile: nothing is applied for this command/);
    expect(stillWaiting).toEqual([INCIDENT]);
    expect(again).toEqual({ statusCode: 202, body: { incidentId: INCIDENT, decision: 'approve' } });
    expect(tasks).toEqual([['succeed', 'token-2', { approvedBy: 'maintainer' }]]);
  });

  it('answers 200 with the reason when the token was already used or expired', async () => {
    const { deps } = await setup(new TaskTokenSpentError('TaskTimedOut: Task Timed Out'));

    const response = await handleIssueCommentWebhook(delivery('maintainer', '/guard approve'), deps);

    expect(response.statusCode).toBe(200);
  });

  it('does not record as approved a proposal whose wait had already ended', async () => {
    // Prepare: the wait timed out, and the command came before Notify recorded it.
    const { deps, incidents } = await setup(new TaskTokenSpentError('TaskTimedOut: Task Timed Out'));

    // Act
    await handleIssueCommentWebhook(delivery('maintainer', '/guard approve'), deps);

    // Assert: not pending, not approved; the audit says the approval came too late.
    const incident = await incidents.get(INCIDENT);
    expect(incident?.approval).toMatchObject({ status: 'timed_out', taskToken: null, decidedBy: null });
    expect(incident?.audit?.at(-1)).toMatchObject({ actor: 'maintainer', status: 'skipped', detail: expect.stringMatching(/after the wait had ended/) });
    expect(incident?.history.map((entry) => entry.event)).toContain('approval_too_late');
  });

  describe('a decision whose handler died before Step Functions answered', () => {
    /**
     * `command` by `login`, handled with `deps` whose Step Functions call never answers (a Lambda timeout, OOM): what it
     * recorded before that call stays. `answer` settles the call after all, for a handler that was only slow.
     */
    async function handledUntilResuming(deps: CommentCommandDeps, login: string, command: string) {
      let settle: ((error: Error) => void) | null = null;
      const hung = () => new Promise<void>((_, reject) => { settle = reject; });
      const response = handleIssueCommentWebhook(delivery(login, command), { ...deps, tasks: { succeed: hung, fail: hung } });
      await vi.waitFor(() => expect(settle).not.toBeNull());
      return { response, answer: (error: Error) => settle?.(error) };
    }

    it('resumes a rejection on the redelivery, with the recorded reason, and then forgets the token', async () => {
      const { deps, tasks, incidents } = await setup();
      await handledUntilResuming(deps, 'maintainer', '/guard reject it is a real bug');

      const redelivered = await handleIssueCommentWebhook(delivery('maintainer', '/guard reject it is a real bug'), deps);
      const again = await handleIssueCommentWebhook(delivery('maintainer', '/guard reject it is a real bug'), deps);

      expect(redelivered).toEqual({ statusCode: 202, body: { incidentId: INCIDENT, decision: 'reject' } });
      expect(tasks).toEqual([['fail', 'token-1', 'ApprovalRejected', 'it is a real bug']]);
      expect(again.statusCode).toBe(200);
      expect((await incidents.get(INCIDENT))?.approval).toMatchObject({ status: 'rejected', decidedBy: 'maintainer', taskToken: null });
    });

    it("lets another maintainer's same decision resume the recorded one, and the opposite one decide nothing", async () => {
      const { deps, tasks, incidents, github } = await setup();
      github.permissions.set('other', 'admin');
      await handledUntilResuming(deps, 'maintainer', '/guard approve');

      const rejected = await handleIssueCommentWebhook(delivery('other', '/guard reject no'), deps);
      const approved = await handleIssueCommentWebhook(delivery('other', '/guard approve'), deps);

      expect(rejected.statusCode).toBe(200);
      expect(rejected.body.refused).toMatch(/already decided/);
      expect(approved.statusCode).toBe(202);
      expect(tasks).toEqual([['succeed', 'token-1', { approvedBy: 'maintainer' }]]);
      expect((await incidents.get(INCIDENT))?.audit?.filter((entry) => entry.status === 'approved' || entry.status === 'rejected')).toEqual([
        expect.objectContaining({ actor: 'maintainer', status: 'approved' }),
      ]);
    });

    it('answers a redelivery that finds the token spent after the approval wait ended that nothing is applied, not that the approval was decided', async () => {
      // Prepare: the request's wait ended at 10:04:30 (recorded with the request); the first handling recorded the
      // approval just after, and died before Step Functions answered; its redelivery comes, and the token is spent.
      const { deps, github, incidents } = await setup(new TaskTokenSpentError('TaskTimedOut: Task Timed Out'), {
        approval: { status: 'pending', taskToken: 'token-1', requestedAt: '2026-11-20T10:00:00Z', expiresAt: '2026-11-20T10:04:30.000Z', decidedAt: null, decidedBy: null, reason: null },
      });
      await handledUntilResuming(deps, 'maintainer', '/guard approve');

      // Act
      const redelivered = await handleIssueCommentWebhook(delivery('maintainer', '/guard approve'), deps);

      // Assert: the reply says the approval came after the wait, and that nothing is applied.
      const message = 'the approval wait of gh-714523861-11862439017-1 had ended (at 2026-11-20T10:04:30.000Z) before its pipeline could be resumed: nothing is applied';
      expect(redelivered).toEqual({ statusCode: 200, body: { refused: message } });
      const replies = github.calls.filter((call) => call.method === 'upsertComment').map((call) => call.args[3]);
      expect(replies).toEqual([
        'The `/guard approve` from `maintainer` decided nothing: the approval wait of `gh-714523861-11862439017-1` had ended (at `2026-11-20T10:04:30.000Z`) before its pipeline could be resumed: nothing is applied.',
      ]);
      expect((await incidents.get(INCIDENT))?.approval).toMatchObject({ status: 'approved', decidedBy: 'maintainer', taskToken: null });
    });

    it('answers the command that comes after the approval wait ended, before Notify recorded it, that nothing is applied', async () => {
      const { deps } = await setup(new TaskTokenSpentError('TaskTimedOut: Task Timed Out'), {
        approval: { status: 'pending', taskToken: 'token-1', requestedAt: '2026-11-20T10:00:00Z', expiresAt: '2026-11-20T10:04:30.000Z', decidedAt: null, decidedBy: null, reason: null },
      });

      const response = await handleIssueCommentWebhook(delivery('maintainer', '/guard approve'), deps);

      expect(response).toEqual({ statusCode: 200, body: { refused: 'the approval wait of gh-714523861-11862439017-1 had ended (at 2026-11-20T10:04:30.000Z) before its pipeline could be resumed: nothing is applied' } });
    });

    it('answers "already decided" when Step Functions says the token is spent, and forgets it without calling the approval late', async () => {
      const { deps, incidents } = await setup(new TaskTokenSpentError('TaskTimedOut: the task has already been closed'));
      await handledUntilResuming(deps, 'maintainer', '/guard approve');

      const redelivered = await handleIssueCommentWebhook(delivery('maintainer', '/guard approve'), deps);

      expect(redelivered.statusCode).toBe(200);
      expect(redelivered.body.refused).toMatch(/the approval of gh-714523861-11862439017-1 was already decided/);
      const incident = await incidents.get(INCIDENT);
      expect(incident?.approval).toMatchObject({ status: 'approved', decidedBy: 'maintainer', taskToken: null });
      expect(incident?.history.map((entry) => entry.event)).not.toContain('approval_too_late');
    });

    it('keeps the approval a slow first handling finds resumed by its redelivery: the spent token is no late approval', async () => {
      const { deps, tasks, incidents } = await setup();
      const first = await handledUntilResuming(deps, 'maintainer', '/guard approve');
      const redelivered = await handleIssueCommentWebhook(delivery('maintainer', '/guard approve'), deps);

      first.answer(new TaskTokenSpentError('TaskTimedOut: the task has already been closed'));

      expect(redelivered.statusCode).toBe(202);
      expect((await first.response).statusCode).toBe(200);
      expect(tasks).toEqual([['succeed', 'token-1', { approvedBy: 'maintainer' }]]);
      const incident = await incidents.get(INCIDENT);
      expect(incident?.approval).toMatchObject({ status: 'approved', decidedBy: 'maintainer', taskToken: null });
      expect(incident?.history.map((entry) => entry.event)).not.toContain('approval_too_late');
    });

    it('does not call an approval late when another maintainer resumed it first and its own call then found the token spent', async () => {
      // Two maintainers approve at once. The first records its decision and calls SendTaskSuccess; the second finds the
      // decision recorded and resumes the execution with it; Step Functions answers the first's call "spent" before
      // the second has forgotten the token. This task port plays that interleaving: the first call waits; the second
      // resumes, answers the first "spent" and returns only once the first handling has finished.
      const { deps, tasks, incidents, approvals, github } = await setup();
      github.permissions.set('other', 'admin');
      let spend: ((error: Error) => void) | null = null;
      let first: ReturnType<typeof handleIssueCommentWebhook> | null = null;
      const interleaved: CommentCommandDeps['tasks'] = {
        succeed: async (token, output) => {
          if (!spend) return new Promise<void>((_, reject) => { spend = reject; });
          tasks.push(['succeed', token, output]);
          spend(new TaskTokenSpentError('TaskTimedOut: the task has already been closed'));
          await first;
        },
        fail: () => Promise.reject(new Error('no rejection in this test')),
      };
      first = handleIssueCommentWebhook(delivery('maintainer', '/guard approve'), { ...deps, tasks: interleaved });
      await vi.waitFor(() => expect(spend).not.toBeNull());

      const second = await handleIssueCommentWebhook(delivery('other', '/guard approve'), { ...deps, tasks: interleaved });

      const firstAnswer = await first;
      expect(second).toEqual({ statusCode: 202, body: { incidentId: INCIDENT, decision: 'approve' } });
      expect(firstAnswer.statusCode).toBe(200);
      expect(firstAnswer.body.refused).toMatch(/was already decided/);
      expect(tasks).toEqual([['succeed', 'token-1', { approvedBy: 'maintainer' }]]);
      const incident = await incidents.get(INCIDENT);
      expect(incident?.approval).toMatchObject({ status: 'approved', decidedBy: 'maintainer', taskToken: null });
      expect(incident?.history.map((entry) => entry.event)).not.toContain('approval_too_late');
      expect(incident?.audit?.map((entry) => entry.status)).not.toContain('skipped');
      expect(await approvals.pending(INDEXED, 1287)).toEqual([]);
    });

    it("keeps the approval another handler resumes while its own call fails", async () => {
      // The first handling records the decision and calls SendTaskSuccess; its redelivery finds the decision, marks it
      // taken and calls too; the first call then fails for a transient reason; the redelivery's call succeeds. The
      // execution runs with the approval: the failed handling must not have undone it.
      const { deps, tasks, incidents, approvals } = await setup();
      const calls: Array<{ token: string; output: Record<string, unknown>; settle: (error?: Error) => void }> = [];
      const held: CommentCommandDeps['tasks'] = {
        succeed: (token, output) => new Promise<void>((resolve, reject) => {
          calls.push({ token, output, settle: (error) => (error ? reject(error) : (tasks.push(['succeed', token, output]), resolve())) });
        }),
        fail: () => Promise.reject(new Error('no rejection in this test')),
      };
      const first = handleIssueCommentWebhook(delivery('maintainer', '/guard approve'), { ...deps, tasks: held });
      await vi.waitFor(() => expect(calls).toHaveLength(1));
      const redelivered = handleIssueCommentWebhook(delivery('maintainer', '/guard approve'), { ...deps, tasks: held });
      await vi.waitFor(() => expect(calls).toHaveLength(2));

      calls[0]?.settle(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }));
      await expect(first).rejects.toThrow('throttled');
      calls[1]?.settle();

      expect(await redelivered).toEqual({ statusCode: 202, body: { incidentId: INCIDENT, decision: 'approve' } });
      expect(tasks).toEqual([['succeed', 'token-1', { approvedBy: 'maintainer' }]]);
      const incident = await incidents.get(INCIDENT);
      expect(incident?.approval).toMatchObject({ status: 'approved', decidedBy: 'maintainer', taskToken: null });
      expect(incident?.history.map((entry) => entry.event)).toContain('approval_resume_failed');
      expect(await approvals.pending(INDEXED, 1287)).toEqual([]);
    });

    it.each([
      ['the decision is recorded on the incident', 'incident'],
      ['the proposal is taken off the approval index', 'index'],
    ])('loses no approval whose handler was killed as %s: the execution is resumed, once', async (_, where) => {
      // The handler dies at that write: every write before it stands, none after it is made.
      const { deps, tasks, incidents, approvals } = await setup();
      let killed = false;
      const kill = () => {
        killed = true;
        throw new Error('killed (Lambda timeout)');
      };
      const dying: CommentCommandDeps = {
        ...deps,
        incidents: {
          ...incidents,
          update: async (id, fields, append) => (where === 'incident' && !killed && fields.approval?.status === 'approved' ? kill() : incidents.update(id, fields, append)),
          replaceApproval: async (id, expected, approval, append) => (where === 'incident' && !killed && approval.status === 'approved' ? kill() : incidents.replaceApproval(id, expected, approval, append)),
        },
        approvals: { ...approvals, take: async (...args) => (where === 'index' && !killed ? kill() : approvals.take(...args)) },
      };
      await expect(handleIssueCommentWebhook(delivery('maintainer', '/guard approve'), dying)).rejects.toThrow('killed');
      expect(killed).toBe(true);

      const redelivered = await handleIssueCommentWebhook(delivery('maintainer', '/guard approve'), deps);

      // Killed before the execution was resumed, the redelivery resumes it; killed after (the index is left last), it
      // finds the proposal no longer waiting and takes it off the index.
      const resumedBefore = where === 'index';
      expect(redelivered.statusCode).toBe(resumedBefore ? 200 : 202);
      expect(tasks).toEqual([['succeed', 'token-1', { approvedBy: 'maintainer' }]]);
      expect((await incidents.get(INCIDENT))?.approval).toMatchObject({ status: 'approved', decidedBy: 'maintainer', taskToken: null });
      expect(await approvals.pending(INDEXED, 1287)).toEqual([]);
    });

    it('reads no incident for a /guard approve of an author without write access when nothing waits on the index', async () => {
      const { deps, incidents, approvals } = await setup();
      await handledUntilResuming(deps, 'maintainer', '/guard approve');
      await approvals.take(INDEXED, 1287, INCIDENT);
      let reads = 0;
      const counted: CommentCommandDeps = {
        ...deps,
        incidents: {
          ...incidents,
          get: async (id) => ((reads += 1), incidents.get(id)),
          listByPullRequest: async (...args) => ((reads += 1), incidents.listByPullRequest(...args)),
        },
      };

      const response = await handleIssueCommentWebhook(delivery('reader', '/guard approve', undefined, 'COLLABORATOR'), counted);

      expect(reads).toBe(0);
      expect(response).toEqual({ statusCode: 200, body: { refused: 'nothing is waiting for approval on acme-shop/checkout-service#1287' } });
    });
  });

  it('lets a comment written before the proposal decide nothing: a redelivered old /guard approve meant an earlier one', async () => {
    // Prepare: the proposal waits since 10:00; a maintainer's approval of an earlier proposal was written at 09:12.
    const { deps, tasks, incidents, approvals } = await setup();

    // Act
    const old = await handleIssueCommentWebhook(delivery('maintainer', '/guard approve', '2026-11-20T09:12:00Z'), deps);
    const named = await handleIssueCommentWebhook(delivery('maintainer', `/guard reject ${INCIDENT} stale`, '2026-11-20T09:59:00Z'), deps);
    const fresh = await handleIssueCommentWebhook(delivery('maintainer', '/guard approve', '2026-11-20T10:04:00Z'), deps);

    // Assert
    expect(old.statusCode).toBe(200);
    expect(old.body.refused).toMatch(/written before gh-714523861-11862439017-1 was proposed/);
    expect(named.statusCode).toBe(200);
    expect(fresh.body).toEqual({ incidentId: INCIDENT, decision: 'approve' });
    expect(tasks).toEqual([['succeed', 'token-1', { approvedBy: 'maintainer' }]]);
    expect((await incidents.get(INCIDENT))?.audit?.filter((entry) => entry.status === 'approved' || entry.status === 'rejected')).toHaveLength(1);
    expect(await approvals.pending(INDEXED, 1287)).toEqual([]);
  });

  it('parses the digest an approval names, after the incident or alone; a rejection names none', () => {
    expect(parseApprovalCommand('/guard approve gh-1-2-1 0123456789ab looks right')).toEqual({ decision: 'approve', incidentId: 'gh-1-2-1', digest: '0123456789ab', reason: 'looks right' });
    expect(parseApprovalCommand('/guard approve 0123456789AB')).toEqual({ decision: 'approve', incidentId: null, digest: '0123456789ab', reason: null });
    expect(parseApprovalCommand('/guard reject gh-1-2-1 0123456789ab')).toEqual({ decision: 'reject', incidentId: 'gh-1-2-1', digest: null, reason: '0123456789ab' });
  });

  describe('a fix PR whose proposal a re-analysis changed while it waited', () => {
    const patch = (rate: string) => ['--- a/src/tax.ts', '+++ b/src/tax.ts', '@@ -1 +1 @@', '-export const rate = 0.2;', `+export const rate = ${rate};`, ''].join('\n');
    const analysis = (rate: string): AnalysisSummary => ({
      provider: 'openai', model: 'm', rootCause: 'r', fix: [], confidence: 0.95, proposedAction: 'open_fix_pr', rationale: 'r', evidence: [], latencyMs: 1,
      patch: { diff: patch(rate), files: ['src/tax.ts'] },
    });
    const plan = { action: 'open_fix_pr' as const, proposed: 'open_fix_pr' as const, reasons: ['fix PR'], requiresApproval: true, dryRun: false, experiment: null, plannedAt: '2026-11-20T10:00:00Z' };
    const digestOf = (rate: string) => plannedProposalDigest({ id: INCIDENT, analysis: analysis(rate), plan }) as string;
    const request = (rate: string, revision: number, shown = rate) => ({
      plan,
      analysis: analysis(rate),
      approval: { status: 'pending' as const, taskToken: 'token-1', requestedAt: '2026-11-20T10:00:00Z', decidedAt: null, decidedBy: null, reason: null, digest: digestOf(shown), revision },
    });

    it('decides nothing with the digest shown before the change, nor without one, and says how to approve the one shown now', async () => {
      // Prepare: 0.18 was shown first; the second request shows 0.19.
      const { deps, tasks, incidents, approvals } = await setup(undefined, request('0.19', 2));

      // Act
      const old = await handleIssueCommentWebhook(delivery('maintainer', `/guard approve ${INCIDENT} ${digestOf('0.18')}`), deps);
      const bare = await handleIssueCommentWebhook(delivery('maintainer', '/guard approve'), deps);
      const shown = await handleIssueCommentWebhook(delivery('maintainer', `/guard approve ${INCIDENT} ${digestOf('0.19')}`), deps);

      // Assert
      expect(old.statusCode).toBe(200);
      expect(old.body.refused).toContain(`${digestOf('0.18')} is not the proposal of ${INCIDENT} waiting now`);
      expect(old.body.refused).toContain(`reply /guard approve ${INCIDENT} ${digestOf('0.19')}`);
      expect(bare.statusCode).toBe(200);
      expect(bare.body.refused).toMatch(/changed since it was first shown, and this approval names no digest/);
      expect(shown.body).toEqual({ incidentId: INCIDENT, decision: 'approve' });
      expect(tasks).toEqual([['succeed', 'token-1', { approvedBy: 'maintainer' }]]);
      expect((await incidents.get(INCIDENT))?.approval).toMatchObject({ status: 'approved', decidedBy: 'maintainer', digest: digestOf('0.19') });
      expect(await approvals.pending(INDEXED, 1287)).toEqual([]);
    });

    it('decides nothing while the changed proposal is yet to be asked again; a rejection still decides', async () => {
      // Prepare: the request showed 0.18; a re-analysis has since stored 0.19, and its request has not come yet.
      const { deps, tasks, approvals } = await setup(undefined, request('0.19', 1, '0.18'));

      // Act
      const approvalsSent = await Promise.all([digestOf('0.18'), digestOf('0.19')].map((digest) => handleIssueCommentWebhook(delivery('maintainer', `/guard approve ${INCIDENT} ${digest}`), deps)));
      const stillWaiting = await approvals.pending(INDEXED, 1287);
      const rejected = await handleIssueCommentWebhook(delivery('maintainer', `/guard reject ${INCIDENT} not this way`), deps);

      // Assert: approving needs the proposal shown; rejecting applies nothing, whatever was shown.
      expect(approvalsSent.map((r) => r.statusCode)).toEqual([200, 200]);
      expect(approvalsSent[0]?.body.refused).toMatch(/changed after it was shown and is being asked again/);
      expect(stillWaiting).toEqual([INCIDENT]);
      expect(rejected.body).toEqual({ incidentId: INCIDENT, decision: 'reject' });
      expect(tasks).toEqual([['fail', 'token-1', 'ApprovalRejected', 'not this way']]);
    });
  });

  it('refuses a forged comment before reading it', async () => {
    const { deps, tasks } = await setup();
    const forged = { ...delivery('maintainer', '/guard approve'), body: delivery('maintainer', '/guard approve').body.replace('maintainer', 'attacker') };

    expect((await handleIssueCommentWebhook(forged, deps)).statusCode).toBe(401);
    expect(tasks).toEqual([]);
  });
});

describe('/guard feedback', () => {
  const OLDER = INCIDENT;
  const NEWER = 'gh-714523861-11862439999-1';

  /** The pull request's incident (setup's), votes recorded as the learning loop receives them, and another incident to add. */
  async function feedbackSetup() {
    const { deps, incidents } = await setup();
    const votes: Array<[string, string, string, string | null]> = [];
    const sources: unknown[] = [];
    deps.learning = {
      async onFeedback(incident, vote, user, comment, source) {
        votes.push([incident.id, vote, user, comment]);
        sources.push(source);
        return { counted: true, previous: null };
      },
    } as Learning;
    const addIncident = async (runId: number, pullRequest: number) => {
      const body = structuredClone(loadWebhook('workflow_run-failure')).body as Record<string, any>;
      body.workflow_run.id = runId;
      for (const pr of body.workflow_run.pull_requests) pr.number = pullRequest;
      const trigger = triggerFromWorkflowRun(body as never, `d-${runId}`);
      await incidents.create(newIncident(githubIncidentFields(trigger, new Date('2026-11-20T10:03:00Z')), new Date('2026-11-20T10:03:00Z')), githubIncidentScope(trigger));
      return trigger.incidentId;
    };
    return { deps, votes, sources, addIncident };
  }

  it('records a vote as said when its comment was written, so that a redelivery of an old command is known as one', async () => {
    // Prepare
    const { deps, sources } = await feedbackSetup();

    // Act: the delivery of a command written at 10:05
    await handleIssueCommentWebhook(delivery('maintainer', '/guard feedback up', '2026-11-20T10:05:00Z'), deps);

    // Assert: the learning loop hears when it was written, not only that it arrived (attacker pass, session 28)
    expect(sources).toEqual([{ via: 'command', writtenAt: '2026-11-20T10:05:00Z' }]);
  });

  it('counts a vote without an incident only while the pull request has one; with several it asks which', async () => {
    // Prepare
    const { deps, votes, addIncident } = await feedbackSetup();

    // Act: a vote on the only incident; then another workflow fails on the same pull request.
    const only = await handleIssueCommentWebhook(delivery('maintainer', '/guard feedback up'), deps);
    expect(await addIncident(11862439999, 1287)).toBe(NEWER);
    const unnamed = await handleIssueCommentWebhook(delivery('maintainer', '/guard feedback down the re-run hid a race'), deps);
    const named = await handleIssueCommentWebhook(delivery('maintainer', `/guard feedback down ${OLDER} the re-run hid a race`), deps);

    // Assert: the vote about the older incident is credited to it, not to the newest.
    expect(only.body).toEqual({ incidentId: OLDER, vote: 'up', counted: true });
    expect(unnamed.statusCode).toBe(200);
    expect(unnamed.body.refused).toBe(`several incidents on acme-shop/checkout-service#1287: reply /guard feedback down <incident> with one of ${NEWER}, ${OLDER}`);
    expect(named.body).toEqual({ incidentId: OLDER, vote: 'down', counted: true });
    expect(votes).toEqual([[OLDER, 'up', 'maintainer', null], [OLDER, 'down', 'maintainer', 'the re-run hid a race']]);
  });

  it('refuses an incident of another pull request or none at all, and still needs write access', async () => {
    // Prepare: an incident of another pull request of the same repository.
    const { deps, votes, addIncident } = await feedbackSetup();
    const elsewhere = await addIncident(11862438888, 42);

    // Act
    const other = await handleIssueCommentWebhook(delivery('maintainer', `/guard feedback down ${elsewhere}`), deps);
    const unknown = await handleIssueCommentWebhook(delivery('maintainer', '/guard feedback down gh-714523861-1-1'), deps);
    const reader = await handleIssueCommentWebhook(delivery('reader', `/guard feedback down ${OLDER}`), deps);

    // Assert
    expect(other).toEqual({ statusCode: 200, body: { refused: `${elsewhere} is not an incident of acme-shop/checkout-service#1287` } });
    expect(unknown.statusCode).toBe(200);
    expect(reader.body).toEqual({ ignored: 'reader has read access; feedback needs write access' });
    expect(votes).toEqual([]);
  });

  it('counts a vote naming its incident after the repository moved to another owner (GitHub keeps its id)', async () => {
    // Prepare: acme-shop/checkout-service (id 714523861) was transferred to acme-payments; its pull requests keep
    // their numbers, and the incident its old name.
    const { deps, votes } = await feedbackSetup();

    // Act
    const moved = await handleIssueCommentWebhook(delivery('maintainer', `/guard feedback up ${INCIDENT}`, undefined, undefined, 714523861, 'acme-payments/checkout-service'), deps);

    // Assert
    expect(moved.body).toEqual({ incidentId: INCIDENT, vote: 'up', counted: true });
    expect(votes).toEqual([[INCIDENT, 'up', 'maintainer', null]]);
  });

  it("asks GitHub an outsider's permission once however often they comment, until the answer is a minute old", async () => {
    // Prepare: the deps of one ingest process, whose clock the test moves
    const { deps, votes } = await feedbackSetup();
    const github = createFakeGitHub();
    github.permissions.set('maintainer', 'maintain');
    let now = 0;
    const process = { ...deps, github: staticGitHubClients(github.port), permissions: createPermissionCache(() => now) };
    const lookups = (user: string) => github.calls.filter((c) => c.method === 'repositoryPermission' && c.args[1] === user).length;

    // Act: 20 comments from a stranger, the first 10 at once; then two from a maintainer
    await Promise.all(Array.from({ length: 10 }, () => handleIssueCommentWebhook(delivery('stranger', '/guard feedback down'), process)));
    for (let i = 0; i < 10; i += 1) await handleIssueCommentWebhook(delivery('Stranger', '/guard feedback up'), process);
    const withinTtl = lookups('stranger') + lookups('Stranger');
    now += 60_000;
    await handleIssueCommentWebhook(delivery('stranger', '/guard feedback up'), process);
    for (let i = 0; i < 2; i += 1) await handleIssueCommentWebhook(delivery('maintainer', '/guard feedback up'), process);

    // Assert: each comment used to cost a lookup; write access is asked every time, so a removed one stops counting
    expect(withinTtl).toBe(1);
    expect(lookups('stranger') + lookups('Stranger')).toBe(2);
    expect(lookups('maintainer')).toBe(2);
    expect(votes.map(([, vote, user]) => [vote, user])).toEqual([['up', 'maintainer'], ['up', 'maintainer']]);
  });
});

describe('notify after the approval wait', () => {
  it('escalates when nobody approved in time', async () => {
    const { deps, published } = stepDeps({ github: createFakeGitHub().port });
    const { incidents } = await setup();
    const incident = await incidents.get(INCIDENT);
    await deps.incidents.create(incident!, null);
    const trigger = triggerFromWorkflowRun(structuredClone(loadWebhook('workflow_run-failure')).body as never, 'd');

    await notifyStep({ trigger, approvalError: { Error: 'States.Timeout', Cause: '' } }, deps);

    const after = await deps.incidents.get(INCIDENT);
    expect(after?.approval?.status).toBe('timed_out');
    expect(after?.decision).toMatchObject({ action: 'escalate', applied: false });
    expect(after?.decision?.reason).toMatch(/nobody approved "re-run the failed jobs" in time/);
    expect(published).toHaveLength(1);
  });
});

describe('answers on the pull request', () => {
  const REPO = { owner: 'acme-shop', repo: 'checkout-service' };
  const answers = (github: ReturnType<typeof createFakeGitHub>) => github.calls.filter((c) => c.method === 'upsertComment');
  const reactions = (github: ReturnType<typeof createFakeGitHub>) => github.calls.filter((c) => c.method === 'addCommentReaction');
  const permissionChecks = (github: ReturnType<typeof createFakeGitHub>) => github.calls.filter((c) => c.method === 'repositoryPermission');

  it('reacts to a command that was carried out, and writes nothing else', async () => {
    const { deps, github } = await setup();

    const response = await handleIssueCommentWebhook(delivery('maintainer', '/guard approve'), deps);

    expect(response.statusCode).toBe(202);
    expect(reactions(github).map((c) => c.args)).toEqual([[REPO, 1, '+1']]);
    expect(answers(github)).toEqual([]);
  });

  it('tells a writer why the command decided nothing, with the ids to copy as code', async () => {
    const { deps, github, tasks } = await setup();
    await deps.approvals.add(INDEXED, 1287, 'gh-714523861-999-1');

    const response = await handleIssueCommentWebhook(delivery('maintainer', '/guard approve'), deps);
    const again = await handleIssueCommentWebhook(delivery('maintainer', '/guard approve'), deps);

    // The webhook's answer is as before; the pull request is told the same, once (a redelivery edits nothing).
    expect(response.body.refused).toBe(`several proposals wait on acme-shop/checkout-service#1287: reply /guard approve <incident> with one of ${INCIDENT}, gh-714523861-999-1`);
    expect(again).toEqual(response);
    expect(tasks).toEqual([]);
    const [first, second] = answers(github).map((c) => c.args);
    expect(first?.slice(0, 3)).toEqual([REPO, 1287, commandAnswerMarker(1)]);
    expect(first?.[3]).toBe(
      'The `/guard approve` from `maintainer` decided nothing: several proposals wait on `acme-shop/checkout-service#1287`: ' +
        `reply \`/guard approve <incident>\` with one of \`${INCIDENT}, gh-714523861-999-1\`.`,
    );
    expect(second).toEqual(first);
    expect(github.comments.size).toBe(1);
    expect(reactions(github)).toEqual([]);
  });

  it('answers a /guard approve with nothing waiting 200 with the reason, a delivery GitHub lists as delivered, and replies once however often it is redelivered', async () => {
    // Prepare: the proposal was decided (or withdrawn) before the maintainer's comment arrived.
    const { deps, approvals, github } = await setup();
    await approvals.take(INDEXED, 1287, INCIDENT);
    const comment = delivery('maintainer', '/guard approve', undefined, 'MEMBER');

    // Act: GitHub's delivery, and the operator's redelivery of it from the delivery log.
    const first = await handleIssueCommentWebhook(comment, deps);
    const redelivered = await handleIssueCommentWebhook(comment, deps);

    // Assert: understood and answered, so a 2xx (GitHub lists any other status as a failed delivery); told once.
    const answer = { statusCode: 200, body: { refused: 'nothing is waiting for approval on acme-shop/checkout-service#1287' } };
    expect(first).toEqual(answer);
    expect(redelivered).toEqual(answer);
    // One reply under the comment: the redelivery's answer is an edit of it to the same text, not a second reply.
    const [reply, again] = answers(github).map((c) => c.args);
    expect(reply?.slice(0, 3)).toEqual([REPO, 1287, commandAnswerMarker(1)]);
    expect(again).toEqual(reply);
    expect(github.comments.size).toBe(1);
  });

  it('keeps 4xx for a delivery GitHub should list as failed: a bad signature, a body that is no issue_comment', async () => {
    const { deps } = await setup();
    const unsigned = { ...delivery('maintainer', '/guard approve'), headers: { ...delivery('maintainer', '/guard approve').headers, 'x-hub-signature-256': 'sha256=00' } };
    const malformed = delivery('maintainer', '/guard approve');
    const body = JSON.stringify({ action: 'created', comment: 'not an object' });
    malformed.body = body;
    malformed.headers = { ...malformed.headers, 'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}` };

    expect((await handleIssueCommentWebhook(unsigned, deps)).statusCode).toBe(401);
    expect((await handleIssueCommentWebhook(malformed, deps)).statusCode).toBe(400);
  });

  it('asks GitHub about an author only when the association says they may write, and answers only a writer', async () => {
    const { deps, approvals, github } = await setup();
    await approvals.take(INDEXED, 1287, INCIDENT);

    // Nothing waits for approval: the refusal comes before any permission check.
    await handleIssueCommentWebhook(delivery('stranger', '/guard approve', undefined, 'NONE'), deps);
    await handleIssueCommentWebhook(delivery('stranger', '/guard approve', undefined, 'CONTRIBUTOR'), deps);
    expect(permissionChecks(github)).toEqual([]);
    await handleIssueCommentWebhook(delivery('reader', '/guard approve', undefined, 'COLLABORATOR'), deps);
    expect(answers(github)).toEqual([]);
    const response = await handleIssueCommentWebhook(delivery('maintainer', '/guard approve', undefined, 'MEMBER'), deps);

    expect(response).toEqual({ statusCode: 200, body: { refused: 'nothing is waiting for approval on acme-shop/checkout-service#1287' } });
    expect(permissionChecks(github).map((c) => c.args[1])).toEqual(['reader', 'maintainer']);
    expect(answers(github).map((c) => c.args[3])).toEqual([
      'The `/guard approve` from `maintainer` decided nothing: nothing is waiting for approval on `acme-shop/checkout-service#1287`.',
    ]);
  });

  it('answers nobody without write access, whatever they wrote', async () => {
    const { deps, github } = await setup();

    await handleIssueCommentWebhook(delivery('reader', '/guard approve', undefined, 'COLLABORATOR'), deps);
    await handleIssueCommentWebhook(delivery('reader', '/guard feedback up', undefined, 'COLLABORATOR'), deps);

    expect(answers(github)).toEqual([]);
    expect(reactions(github)).toEqual([]);
  });

  it("decides nothing, and votes on nothing, for a repository that took over the failing one's name (its id differs)", async () => {
    // Prepare: the incident is of repository 714523861; after its owner renamed the account, someone registered the
    // old name and created a repository of the old name, whose pull request 1287 they comment on as its maintainer.
    const { deps, tasks, incidents } = await setup();
    const impostor = 999_999_001;

    // Act
    const approval = await handleIssueCommentWebhook(delivery('maintainer', '/guard approve', undefined, undefined, impostor), deps);
    const vote = await handleIssueCommentWebhook(delivery('maintainer', '/guard feedback up', undefined, undefined, impostor), deps);
    const own = await handleIssueCommentWebhook(delivery('maintainer', '/guard approve', undefined, undefined, 714523861), deps);

    // Assert: the proposal kept waiting for its own repository, which then approved it.
    expect(approval.statusCode).toBe(200);
    expect(vote.statusCode).toBe(200);
    // Answered as if nothing were recorded there: the real incident's id (its repository's and run's ids) is not told.
    expect(JSON.stringify([approval.body, vote.body])).not.toContain(INCIDENT);
    expect(own).toEqual({ statusCode: 202, body: { incidentId: INCIDENT, decision: 'approve' } });
    expect(tasks).toEqual([['succeed', 'token-1', { approvedBy: 'maintainer' }]]);
    expect((await incidents.get(INCIDENT))?.feedbackUp).toBeUndefined();
  });

  it("lists none of the failing repository's waiting incidents to a repository that took over its name", async () => {
    // Prepare: the proposal is indexed by name only (as before ids were used); after the account was renamed, someone
    // created a repository of the old name and comments on its pull request 1287 as its maintainer.
    const { deps, approvals, github, incidents } = await setup();
    const second = { ...(await incidents.get(INCIDENT)), id: 'gh-714523861-11862439018-1' } as Incident;
    await incidents.create(second, githubIncidentScope(triggerFromWorkflowRun(structuredClone(loadWebhook('workflow_run-failure')).body as never, 'd')));
    await approvals.take(INDEXED, 1287, INCIDENT);
    await approvals.add({ name: INDEXED.name, id: null }, 1287, INCIDENT);
    await approvals.add({ name: INDEXED.name, id: null }, 1287, second.id);
    const impostor = 999_999_001;

    // Act: naming an incident of its own, then naming none.
    const named = await handleIssueCommentWebhook(delivery('maintainer', '/guard approve gh-999999001-5-1', undefined, undefined, impostor), deps);
    const unnamed = await handleIssueCommentWebhook(delivery('maintainer', '/guard reject', undefined, undefined, impostor), deps);

    // Assert: answered as if nothing waited there; neither the answers nor the replies name the other repository's incidents.
    expect([named.statusCode, unnamed.statusCode]).toEqual([200, 200]);
    const told = JSON.stringify([named.body, unnamed.body, answers(github).map((c) => c.args[3])]);
    expect(told).not.toContain('gh-714523861');
    expect(told).toContain('nothing is waiting for approval');
    expect(await approvals.pending({ name: INDEXED.name, id: null }, 1287)).toEqual(['gh-714523861-11862439017-1', 'gh-714523861-11862439018-1']);
  });

  it("tells a repository that took over the failing one's name no id of a decision of that repository's still on the index, and leaves it there", async () => {
    // Prepare: the failing repository's maintainer approved; its execution was not resumed yet (the handler died), so the
    // proposal stays on the index, by name only (as before ids were used). After the account was renamed, someone
    // created a repository of the old name and comments `/guard approve` on its own pull request 1287.
    const decided = { status: 'approved', taskToken: 'token-1', requestedAt: '2026-11-20T10:00:00Z', decidedAt: '2026-11-20T10:02:00Z', decidedBy: 'maintainer', reason: null, resumeListed: true } as const;
    const { deps, approvals, github, tasks } = await setup(undefined, { approval: decided });
    await approvals.take(INDEXED, 1287, INCIDENT);
    await approvals.add({ name: INDEXED.name, id: null }, 1287, INCIDENT);
    const impostor = 999_999_001;

    // Act
    const response = await handleIssueCommentWebhook(delivery('maintainer', '/guard approve', undefined, undefined, impostor), deps);

    // Assert: answered as if nothing waited (before: "gh-714523861-… is not waiting for approval", and the entry taken).
    expect(response).toEqual({ statusCode: 200, body: { refused: 'nothing is waiting for approval on acme-shop/checkout-service#1287' } });
    expect(JSON.stringify(answers(github).map((c) => c.args[3]))).not.toContain('gh-714523861');
    expect(tasks).toEqual([]);
    expect(await approvals.pending({ name: INDEXED.name, id: null }, 1287)).toEqual([INCIDENT]);
  });

  it("lists none of the failing repository's incidents to a repository that took over its name when it votes, and counts its vote on its own", async () => {
    // Prepare: two failures of repository 714523861 on pull request 1287; then, under its old name, a repository of its
    // own (another id) whose pull request 1287 failed once.
    const { deps, incidents } = await setup();
    const second = { ...(await incidents.get(INCIDENT)), id: 'gh-714523861-11862439018-1' } as Incident;
    await incidents.create(second, githubIncidentScope(triggerFromWorkflowRun(structuredClone(loadWebhook('workflow_run-failure')).body as never, 'd')));
    const impostor = 999_999_001;
    const votes: string[] = [];
    deps.learning = {
      async onFeedback(incident, vote, user, comment, source) {
        votes.push(incident.id);
        return { counted: true, previous: null };
      },
    } as Learning;

    // Act: a vote before the new repository has an incident there, and one after.
    const before = await handleIssueCommentWebhook(delivery('maintainer', '/guard feedback up', undefined, undefined, impostor), deps);
    const own = { ...second, id: 'gh-999999001-5-1', repositoryId: impostor, createdAt: '2026-11-20T10:04:00Z' } as Incident;
    await incidents.create(own, githubIncidentScope(triggerFromWorkflowRun(structuredClone(loadWebhook('workflow_run-failure')).body as never, 'd')));
    const after = await handleIssueCommentWebhook(delivery('maintainer', '/guard feedback down', undefined, undefined, impostor), deps);

    // Assert: before, "several incidents on …: … one of gh-714523861-…, gh-714523861-…" (both ids of the other repository).
    expect(before).toEqual({ statusCode: 200, body: { refused: 'no incident recorded for acme-shop/checkout-service#1287' } });
    expect(after.body).toEqual({ incidentId: own.id, vote: 'down', counted: true });
    expect(votes).toEqual([own.id]);
  });

  it('approves a proposal made before the repository moved to another owner (GitHub keeps its id)', async () => {
    // Prepare: notify indexed the proposal as acme-shop/checkout-service (714523861), which was then transferred.
    const { deps, tasks, approvals } = await setup();

    // Act
    const moved = await handleIssueCommentWebhook(delivery('maintainer', '/guard approve', undefined, undefined, 714523861, 'acme-payments/checkout-service'), deps);

    // Assert
    expect(moved).toEqual({ statusCode: 202, body: { incidentId: INCIDENT, decision: 'approve' } });
    expect(tasks).toEqual([['succeed', 'token-1', { approvedBy: 'maintainer' }]]);
    expect(await approvals.pending(INDEXED, 1287)).toEqual([]);
  });

  it('takes no command from a comment that is one of its own answers', async () => {
    const { deps, tasks } = await setup();
    const answer = `${commandAnswerMarker(7)}\n/guard approve`;

    const response = await handleIssueCommentWebhook(delivery('maintainer', answer), deps);

    expect(response).toEqual({ statusCode: 202, body: { ignored: 'a Pipeline Guard comment is not a command' } });
    expect(tasks).toEqual([]);
  });

  it('takes no command from its own incident comment, whatever text from a log or a model it shows', async () => {
    // With a personal token the incident comment is written by a user with write access: a command in it (a field
    // shown as prose that a future rendering mistake lets through) would approve the proposal it describes.
    const { deps, tasks } = await setup();
    const ours = `${COMMENT_MARKER}\n\n**Pipeline Guard** found the failure.\n\n/guard approve`;

    const response = await handleIssueCommentWebhook(delivery('maintainer', ours), deps);

    expect(response).toEqual({ statusCode: 202, body: { ignored: 'a Pipeline Guard comment is not a command' } });
    expect(tasks).toEqual([]);
  });

  it('keeps the outcome when GitHub refuses the answer', async () => {
    const { deps, tasks, github } = await setup();
    github.port.addCommentReaction = async () => {
      throw new Error('403 resource not accessible by integration');
    };

    const response = await handleIssueCommentWebhook(delivery('maintainer', '/guard approve'), deps);

    expect(response).toEqual({ statusCode: 202, body: { incidentId: INCIDENT, decision: 'approve' } });
    expect(tasks).toHaveLength(1);
  });

  it('tells a carried-out approval delivered again nothing more: "decided nothing" would contradict its 👍', async () => {
    const { deps, github, tasks } = await setup();

    const first = await handleIssueCommentWebhook(delivery('maintainer', '/guard approve'), deps);
    const again = await handleIssueCommentWebhook(delivery('maintainer', '/guard approve'), deps);

    expect([first.statusCode, again.statusCode]).toEqual([202, 200]);
    expect(tasks).toHaveLength(1);
    expect(reactions(github)).toHaveLength(1);
    expect(answers(github)).toEqual([]);
  });

  describe('within the webhook\'s time', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    /** The delivery's answer once `ms` have passed, with GitHub taking as long as it likes over the answer. */
    async function answeredWithin(ms: number, slowly: (port: ReturnType<typeof createFakeGitHub>['port']) => void, extra?: string) {
      vi.useFakeTimers();
      const { deps, github, tasks } = await setup();
      if (extra) await deps.approvals.add(INDEXED, 1287, extra);
      slowly(github.port);
      let response: Awaited<ReturnType<typeof handleIssueCommentWebhook>> | undefined;
      void handleIssueCommentWebhook(delivery('maintainer', '/guard approve'), deps).then((r) => {
        response = r;
      });
      // The ingest Lambda is stopped at 10 s; the answer must leave the rest of that to the command itself.
      await vi.advanceTimersByTimeAsync(ms);
      return { response, tasks };
    }

    it('answers the delivery when GitHub is slow to take the 👍 on a carried-out approval', async () => {
      const { response, tasks } = await answeredWithin(5_000, (port) => {
        port.addCommentReaction = () => new Promise((resolve) => setTimeout(resolve, 30_000));
      });

      expect(tasks).toHaveLength(1);
      expect(response).toEqual({ statusCode: 202, body: { incidentId: INCIDENT, decision: 'approve' } });
    });

    it('answers the delivery when GitHub is slow to take a reply', async () => {
      const { response } = await answeredWithin(5_000, (port) => {
        port.upsertComment = () => new Promise(() => undefined);
      }, 'gh-714523861-999-1');

      expect(response?.statusCode).toBe(200);
    });
  });

  it('quotes no login GitHub would not have made', async () => {
    const { deps, github } = await setup();
    github.permissions.set('evil`login', 'admin');
    await deps.approvals.add(INDEXED, 1287, 'gh-714523861-999-1');

    await handleIssueCommentWebhook(delivery('evil`login', '/guard approve'), deps);

    expect(answers(github)[0]?.args[3]).toMatch(/^The `\/guard approve` decided nothing: /);
  });
});

describe('a column-0 /guard command refused for the markup before it (attack-48)', () => {
  const NOT_READ = 'it was not read as a command, because text before it in the comment can be read as code, a quote or HTML. Send the command on its own line at the start of a new comment.';
  const upserts = (github: ReturnType<typeof createFakeGitHub>) => github.calls.filter((call) => call.method === 'upsertComment');

  it('tells a writer once, across a redelivery, that it was not read and how to send it', async () => {
    const { deps, tasks, github, incidents } = await setup();
    const body = 'Fixed the `Map<String, Integer>` cast.\n/guard reject not yet';

    const first = await handleIssueCommentWebhook(delivery('maintainer', body, undefined, 'MEMBER'), deps);
    await handleIssueCommentWebhook(delivery('maintainer', body, undefined, 'MEMBER'), deps);

    expect(first).toEqual({ statusCode: 202, body: { ignored: NOT_READ.slice(0, -1) } });
    expect(tasks).toEqual([]);
    expect((await incidents.get(INCIDENT))?.approval?.status).toBe('pending');
    const answered = [...github.comments].filter(([key]) => key.includes(commandAnswerMarker(1)));
    expect(answered.map(([, text]) => text)).toEqual([`The \`/guard reject\` from \`maintainer\` decided nothing: ${NOT_READ}`]);
    expect(upserts(github).every((call) => call.args[2] === commandAnswerMarker(1))).toBe(true);
  });

  it('tells a writer about refused feedback too', async () => {
    const { deps, github } = await setup();

    await handleIssueCommentWebhook(delivery('maintainer', '> vote up\n\n/guard feedback up', undefined, 'OWNER'), deps);

    expect(upserts(github).map((call) => call.args[3])).toEqual([`The \`/guard feedback\` from \`maintainer\` decided nothing: ${NOT_READ}`]);
  });

  it.each([
    ['an outsider', 'stranger', 'NONE'],
    ['an author whose association may write but whom GitHub gives read access', 'reader', 'MEMBER'],
  ])('says nothing to %s', async (_, login, association) => {
    const { deps, github } = await setup();

    const response = await handleIssueCommentWebhook(delivery(login, 'see <https://example.com>\n/guard approve', undefined, association), deps);

    expect(response.statusCode).toBe(202);
    expect(upserts(github)).toEqual([]);
  });

  it('asks GitHub nothing for an outsider', async () => {
    const { deps, github } = await setup();

    await handleIssueCommentWebhook(delivery('stranger', '`x`\n/guard approve', undefined, 'NONE'), deps);

    expect(github.calls).toEqual([]);
  });

  it.each([
    ['inside a quote of our instructions', '> To approve, reply:\n> /guard approve'],
    ['indented', 'Run `this`:\n\n    /guard approve'],
    ['in the middle of a line', 'Type `/guard approve` to approve'],
  ])('says nothing about a /guard line that is not at column 0: %s', async (_, body) => {
    const { deps, github } = await setup();

    const response = await handleIssueCommentWebhook(delivery('maintainer', body, undefined, 'MEMBER'), deps);

    expect(response).toEqual({ statusCode: 202, body: { ignored: 'no /guard command' } });
    expect(upserts(github)).toEqual([]);
  });
});

/**
 * A command answered 200 {refused} is one that decides nothing for good; a store that fails for now decides nothing
 * yet, and must fail the delivery (the Lambda answers 500) so GitHub lists it for redelivery, not be read as "nothing
 * waiting" or "no incident recorded" and answered as a delivery that worked.
 */
describe('a store failing for now is no refusal', () => {
  it('fails the delivery of /guard approve when the proposals waiting cannot be read', async () => {
    const { deps } = await setup();
    const throttled = Object.assign(new Error('Rate of requests exceeds the allowed throughput'), { name: 'ProvisionedThroughputExceededException' });
    deps.approvals = { ...deps.approvals, pending: async () => Promise.reject(throttled) };

    await expect(handleIssueCommentWebhook(delivery('maintainer', '/guard approve'), deps)).rejects.toBe(throttled);
  });

  it('fails the delivery of /guard feedback when the pull request\'s incidents cannot be read', async () => {
    const { deps } = await setup();
    const throttled = Object.assign(new Error('Rate of requests exceeds the allowed throughput'), { name: 'ProvisionedThroughputExceededException' });
    deps.incidents = { ...deps.incidents, listByPullRequest: async () => Promise.reject(throttled) };

    await expect(handleIssueCommentWebhook(delivery('maintainer', '/guard feedback up'), deps)).rejects.toBe(throttled);
  });
});
