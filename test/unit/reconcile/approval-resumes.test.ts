import { createHmac } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { RECONCILER_METRIC } from '../../../shared/adapters/metric-names.js';
import { newIncident } from '../../../shared/domain/incident.js';
import { TaskNotWaitingYetError, TaskTokenSpentError } from '../../../shared/errors.js';
import { commandAnswerMarker, handleIssueCommentWebhook } from '../../../shared/ingest/comment-commands.js';
import { staticGitHubClients } from '../../../shared/github/clients.js';
import { type ApprovalResumeDeps, resumeDecisionOfWait, resumeRecordedDecisions } from '../../../shared/reconcile/approval-resumes.js';
import { reconcile } from '../../../shared/reconcile/redrive.js';
import type { TaskTokenControl } from '../../../shared/ports.js';
import { silentLogger } from '../../../shared/steps/deps.js';
import { INDEXED_REPOSITORY, PENDING_INCIDENT, PENDING_PULL_REQUEST, pendingApproval } from '../../support/comment-commands.js';
import { createFakeGitHub, createMemoryApprovalResumes, createMemoryCommandAnswers, createMemoryEscalationLedger, remediationDeps, stepDeps, taskPort } from '../../support/fakes.js';
import { resumeDecisionsAt } from '../../support/alarm-approvals.js';
import { incidentTimeline } from '../../../shared/api/timeline.js';
import { triggerFromWorkflowRun } from '../../../shared/ingest/github-webhook.js';
import { notifyStep } from '../../../shared/steps/notify.js';
import { loadWebhook } from '../../../infra/local/replay.js';
import { asRead } from '../../../shared/remediation/approval-resume.js';

const SECRET = 'approval-resumes-secret';
/** The command's handler records its decision at 10:05 (pendingApproval's clock); the reconciler waits 10 minutes. */
const OPTIONS = { maxPerRun: 5, afterMinutes: 10, lookbackHours: 48 };
const AFTER_GRACE = new Date('2026-11-20T10:16:00Z');

function approveDelivery() {
  const payload = JSON.stringify({
    action: 'created',
    issue: { number: PENDING_PULL_REQUEST, pull_request: { url: 'x' } },
    comment: { id: 5, body: '/guard approve', user: { login: 'maintainer', type: 'User' }, created_at: '2026-11-20T10:04:00Z' },
    repository: { id: INDEXED_REPOSITORY.id, full_name: INDEXED_REPOSITORY.name, name: 'checkout-service', owner: { login: 'acme-shop' } },
  });
  const signature = `sha256=${createHmac('sha256', SECRET).update(payload).digest('hex')}`;
  return { headers: { 'x-github-event': 'issue_comment', 'x-hub-signature-256': signature }, body: payload, isBase64Encoded: false };
}

/**
 * A `/guard approve` whose handler dies once it has recorded the decision: its SendTaskSuccess never answers (a Lambda
 * timeout), and GitHub does not redeliver. What it left, and the reconciler's dependencies over the same stores.
 */
async function approvalWhoseHandlerDied(fields?: Parameters<typeof pendingApproval>[0]['fields']) {
  const github = createFakeGitHub();
  github.permissions.set('maintainer', 'maintain');
  const made = await pendingApproval({ secret: SECRET, github: github.port, answers: createMemoryCommandAnswers, ...(fields ? { fields } : {}) });
  let reached = false;
  const hung = () => ((reached = true), new Promise<void>(() => {}));
  void handleIssueCommentWebhook(approveDelivery(), { ...made.deps(), tasks: { succeed: hung, fail: hung } });
  await vi.waitFor(() => expect(reached).toBe(true));
  const { deps: told, published: pages } = stepDeps();
  const reconciler = (tasks: TaskTokenControl, at: Date): ApprovalResumeDeps => ({
    approvalResumes: made.approvalResumes,
    incidents: made.incidents,
    approvals: made.approvals,
    tasks,
    clock: () => at,
    logger: silentLogger,
    metrics: { count() {}, measure() {} },
    escalations: told.escalations,
    escalationLedger: told.escalationLedger,
    policyFile: {},
    githubWriter: async () => staticGitHubClients(github.port),
    answers: createMemoryCommandAnswers(),
  });
  return { ...made, reconciler, pages };
}

describe('the reconciler resumes /guard decisions their handler left unresumed', () => {
  it("keeps a decision whose SendTaskSuccess Step Functions took though its handler saw an error, and finishes its record", async () => {
    // Prepare: Step Functions takes the handler's SendTaskSuccess (the execution runs on with the approval), and the
    // answer is lost on the way back: the handler sees a network error.
    const github = createFakeGitHub();
    github.permissions.set('maintainer', 'maintain');
    const made = await pendingApproval({ secret: SECRET, github: github.port, answers: createMemoryCommandAnswers });
    const stepFunctions = taskPort((token) => (stepFunctions.calls.some(([, spent]) => spent === token) ? new TaskTokenSpentError('TaskTimedOut: the task has already been closed') : null));
    const answerLost: TaskTokenControl = {
      succeed: async (token, output) => {
        await stepFunctions.succeed(token, output);
        throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
      },
      fail: () => Promise.reject(new Error('no rejection in this test')),
    };

    // Act
    await expect(handleIssueCommentWebhook(approveDelivery(), { ...made.deps(), tasks: answerLost })).rejects.toThrow('socket hang up');
    const recorded = await made.incidents.get(PENDING_INCIDENT);
    const run = await resumeRecordedDecisions({
      approvalResumes: made.approvalResumes, incidents: made.incidents, approvals: made.approvals, tasks: stepFunctions,
      clock: () => AFTER_GRACE, logger: silentLogger, metrics: { count() {}, measure() {} },
      escalations: { publish: async () => ({ messageId: 'm' }) }, escalationLedger: createMemoryEscalationLedger(), policyFile: {},
      githubWriter: async () => staticGitHubClients(github.port), answers: createMemoryCommandAnswers(),
    }, OPTIONS);

    // Assert: the incident never says the proposal waits while its execution runs with the approval; the reconciler
    // finds the token spent and forgets it, and the proposal leaves the index.
    expect(recorded?.approval).toMatchObject({ status: 'approved', decidedBy: 'maintainer', taskToken: 'token-1' });
    expect(run).toMatchObject({ resumed: [], spent: [PENDING_INCIDENT], failed: [] });
    expect(stepFunctions.calls).toEqual([['succeed', 'token-1', { approvedBy: 'maintainer' }]]);
    expect((await made.incidents.get(PENDING_INCIDENT))?.approval).toMatchObject({ status: 'approved', decidedBy: 'maintainer', taskToken: null });
    expect(await made.approvals.pending(INDEXED_REPOSITORY, PENDING_PULL_REQUEST)).toEqual([]);
    expect(made.approvalResumes.entries.size).toBe(0);
  });

  it('resumes the execution once with the recorded approval, after the grace and without a redelivery', async () => {
    const { reconciler, incidents, approvals, approvalResumes } = await approvalWhoseHandlerDied();
    const tasks = taskPort();

    const early = await resumeRecordedDecisions(reconciler(tasks, new Date('2026-11-20T10:06:00Z')), OPTIONS);
    const run = await resumeRecordedDecisions(reconciler(tasks, AFTER_GRACE), OPTIONS);
    const again = await resumeRecordedDecisions(reconciler(tasks, new Date('2026-11-20T10:21:00Z')), OPTIONS);

    expect(early.resumed).toEqual([]);
    expect(run.resumed).toEqual([PENDING_INCIDENT]);
    expect(again).toMatchObject({ resumed: [], spent: [], failed: [] });
    expect(tasks.calls).toEqual([['succeed', 'token-1', { approvedBy: 'maintainer' }]]);
    const incident = await incidents.get(PENDING_INCIDENT);
    expect(incident?.approval).toMatchObject({ status: 'approved', decidedBy: 'maintainer', taskToken: null, resumeTakenAt: AFTER_GRACE.toISOString() });
    expect(incident?.history.map((entry) => entry.event)).toContain('approval_resumed_late');
    expect(await approvals.pending(INDEXED_REPOSITORY, PENDING_PULL_REQUEST)).toEqual([]);
    expect(approvalResumes.entries.size).toBe(0);
  });

  it('resumes it once when two reconcilers run at once', async () => {
    const { reconciler } = await approvalWhoseHandlerDied();
    const tasks = taskPort();

    const runs = await Promise.all([resumeRecordedDecisions(reconciler(tasks, AFTER_GRACE), OPTIONS), resumeRecordedDecisions(reconciler(tasks, AFTER_GRACE), OPTIONS)]);

    expect(tasks.calls).toEqual([['succeed', 'token-1', { approvedBy: 'maintainer' }]]);
    expect(runs.flatMap((run) => run.resumed)).toEqual([PENDING_INCIDENT]);
    expect(runs.map((run) => run.busy + run.gone).reduce((a, b) => a + b)).toBe(1);
  });

  it('leaves a decision another worker took within the grace to it, and takes over one whose taker is gone', async () => {
    const { reconciler, incidents } = await approvalWhoseHandlerDied();
    const recorded = (await incidents.get(PENDING_INCIDENT))?.approval;
    // A redelivery took it at 10:14 and is calling Step Functions (or died doing so).
    await incidents.update(PENDING_INCIDENT, { approval: { ...recorded!, resumeTakenAt: '2026-11-20T10:14:00Z' } });
    const tasks = taskPort();

    const whileTaken = await resumeRecordedDecisions(reconciler(tasks, AFTER_GRACE), OPTIONS);
    const takerGone = await resumeRecordedDecisions(reconciler(tasks, new Date('2026-11-20T10:25:00Z')), OPTIONS);

    expect(whileTaken).toMatchObject({ resumed: [], busy: 1 });
    expect(takerGone.resumed).toEqual([PENDING_INCIDENT]);
    expect(tasks.calls).toHaveLength(1);
  });

  it('handles a spent token as the live path does: nothing left to resume, the token forgotten, no late approval', async () => {
    const { reconciler, incidents, approvals, approvalResumes } = await approvalWhoseHandlerDied();
    const tasks = taskPort(() => new TaskTokenSpentError('TaskTimedOut: the task has already been closed'));

    const run = await resumeRecordedDecisions(reconciler(tasks, AFTER_GRACE), OPTIONS);

    expect(run).toMatchObject({ resumed: [], spent: [PENDING_INCIDENT], failed: [] });
    const incident = await incidents.get(PENDING_INCIDENT);
    expect(incident?.approval).toMatchObject({ status: 'approved', decidedBy: 'maintainer', taskToken: null });
    expect(incident?.history.map((entry) => entry.event)).not.toContain('approval_too_late');
    expect(await approvals.pending(INDEXED_REPOSITORY, PENDING_PULL_REQUEST)).toEqual([]);
    expect(approvalResumes.entries.size).toBe(0);
  });

  it("keeps a decision refused for a failed request's token before the wait's end for the retry, sends it there no more, and ends it at the wait's end", async () => {
    // Prepare: the request with token-1 waits until 16:00 and then failed (its retry backs off): Step Functions calls
    // token-1 spent. The handler that recorded the decision died before its own call.
    const approval = { status: 'pending' as const, taskToken: 'token-1', requestedAt: '2026-11-20T10:00:00Z', expiresAt: '2026-11-20T16:00:00.000Z', decidedAt: null, decidedBy: null, reason: null };
    const { reconciler, incidents, approvals, approvalResumes } = await approvalWhoseHandlerDied({ status: 'awaiting_approval', approval });
    const tasks = taskPort((token) => (token === 'token-1' ? new TaskTokenSpentError('TaskDoesNotExist: Task does not exist anymore') : null));
    let sent = 0;
    const counted: TaskTokenControl = { succeed: (token, output) => ((sent += 1), tasks.succeed(token, output)), fail: (token, error, cause) => ((sent += 1), tasks.fail(token, error, cause)) };

    const first = await resumeRecordedDecisions(reconciler(counted, AFTER_GRACE), OPTIONS);
    const second = await resumeRecordedDecisions(reconciler(counted, new Date('2026-11-20T10:30:00Z')), OPTIONS);

    // Assert: kept, untaken and listed at its wait's end (since session 42: the retry lists the decision it carries
    // anew), with the refused token noted; the next run sends nothing to it.
    expect(first).toMatchObject({ resumed: [], spent: [], keptForRetry: [PENDING_INCIDENT], failed: [] });
    expect(second).toMatchObject({ resumed: [], spent: [], keptForRetry: [] });
    expect([...approvalResumes.entries.values()].map((listed) => listed.entry.dueAt)).toEqual(['2026-11-20T16:00:00.000Z']);
    expect(sent).toBe(1);
    expect((await incidents.get(PENDING_INCIDENT))?.approval).toMatchObject({ status: 'approved', taskToken: 'token-1', spentToken: 'token-1', resumeTakenAt: null });
    expect(await approvals.pending(INDEXED_REPOSITORY, PENDING_PULL_REQUEST)).toEqual([PENDING_INCIDENT]);
    expect(approvalResumes.entries.size).toBe(1);

    // Past the wait's end without a retry: its token is the timeout's, and the decision ends as the live path ends it.
    const ended = await resumeRecordedDecisions(reconciler(counted, new Date('2026-11-20T16:10:00Z')), OPTIONS);
    expect(ended).toMatchObject({ spent: [PENDING_INCIDENT], keptForRetry: [] });
    expect((await incidents.get(PENDING_INCIDENT))?.approval).toMatchObject({ status: 'approved', taskToken: null });
    expect(approvalResumes.entries.size).toBe(0);
  });

  it("resumes the decision of one wait at once, within the grace, when the local runtime's restarted execution is back at it; another wait's token sends nothing", async () => {
    // Prepare: a decision recorded at 10:05 with token-1; it is 10:06, well within the reconciler's grace.
    const { reconciler, incidents, approvalResumes } = await approvalWhoseHandlerDied();
    const tasks = taskPort(() => null);
    const deps = reconciler(tasks, new Date('2026-11-20T10:06:00Z'));

    // Act
    const other = await resumeDecisionOfWait(deps, { incidentId: PENDING_INCIDENT, taskToken: 'token-2' }, { afterMinutes: 10 });
    const own = await resumeDecisionOfWait(deps, { incidentId: PENDING_INCIDENT, taskToken: 'token-1' }, { afterMinutes: 10 });

    // Assert
    expect([other, own]).toEqual(['none', 'resumed']);
    expect(tasks.calls).toEqual([['succeed', 'token-1', { approvedBy: 'maintainer' }]]);
    expect((await incidents.get(PENDING_INCIDENT))?.approval).toMatchObject({ status: 'approved', taskToken: null });
    expect(approvalResumes.entries.size).toBe(0);
  });

  it('resumes, for a wait that ended while the local runtime was down, only a decision taken before that end (session 43)', async () => {
    // Prepare: a decision recorded at 10:05 with token-1.
    const { reconciler } = await approvalWhoseHandlerDied();
    const tasks = taskPort(() => null);
    const deps = reconciler(tasks, new Date('2026-11-20T10:06:00Z'));
    const wait = { incidentId: PENDING_INCIDENT, taskToken: 'token-1' };

    // Act: told the wait ended at 10:04 (before the decision), then at 10:05:30 (after it).
    const tooLate = await resumeDecisionOfWait(deps, { ...wait, endedAt: '2026-11-20T10:04:00.000Z' }, { afterMinutes: 10 });
    const inTime = await resumeDecisionOfWait(deps, { ...wait, endedAt: '2026-11-20T10:05:30.000Z' }, { afterMinutes: 10 });

    // Assert
    expect([tooLate, inTime]).toEqual(['none', 'resumed']);
    expect(tasks.calls).toEqual([['succeed', 'token-1', { approvedBy: 'maintainer' }]]);
  });

  it('keeps a decision whose execution is not back at its wait yet (a restarted local runtime) and resumes it on the next run', async () => {
    // Prepare: the first call finds the execution running again from its first state, the token not re-issued yet.
    const { reconciler, incidents, approvalResumes } = await approvalWhoseHandlerDied();
    let reissued = false;
    const tasks = taskPort(() => (reissued ? null : new TaskNotWaitingYetError('TaskNotWaitingYet: the execution is not back at its wait yet')));

    // Act
    const early = await resumeRecordedDecisions(reconciler(tasks, AFTER_GRACE), OPTIONS);
    const kept = await incidents.get(PENDING_INCIDENT);
    reissued = true;
    const next = await resumeRecordedDecisions(reconciler(tasks, new Date('2026-11-20T10:17:00Z')), OPTIONS);

    // Assert: neither spent nor failed at first (no failure counted, nobody paged); the decision, its token and its
    // entry kept and not left taken; the next run resumes it.
    expect(early).toMatchObject({ resumed: [], spent: [], failed: [], abandoned: [], notWaitingYet: [PENDING_INCIDENT] });
    expect(kept?.approval).toMatchObject({ status: 'approved', decidedBy: 'maintainer', taskToken: 'token-1', resumeTakenAt: null });
    expect(next).toMatchObject({ resumed: [PENDING_INCIDENT], notWaitingYet: [] });
    expect(tasks.calls).toEqual([['succeed', 'token-1', { approvedBy: 'maintainer' }]]);
    expect((await incidents.get(PENDING_INCIDENT))?.approval).toMatchObject({ taskToken: null });
    expect(approvalResumes.entries.size).toBe(0);
  });

  it("gives a decision back untaken, not to an earlier worker's take: that worker's writes over its own take no longer land", async () => {
    // Prepare: an earlier worker took the decision at 10:05:30 (its call hung past the reconciler's grace); this run
    // takes it over and finds the execution not back at its wait.
    const { reconciler, incidents } = await approvalWhoseHandlerDied();
    const recorded = (await incidents.get(PENDING_INCIDENT))!.approval!;
    const earlierTake = { ...recorded, resumeTakenAt: '2026-11-20T10:05:30.000Z' };
    expect(await incidents.replaceApproval(PENDING_INCIDENT, asRead(recorded), earlierTake)).toBe(true);
    const tasks = taskPort(() => new TaskNotWaitingYetError('TaskNotWaitingYet: the execution is not back at its wait yet'));

    // Act: the run gives its take back; then the earlier worker wakes up and forgets the token over the take it made.
    const run = await resumeRecordedDecisions(reconciler(tasks, AFTER_GRACE), OPTIONS);
    const staleWrite = await incidents.replaceApproval(PENDING_INCIDENT, asRead(earlierTake), { ...earlierTake, taskToken: null });

    // Assert: the decision waits, untaken, with its token, for the next run.
    expect(run).toMatchObject({ notWaitingYet: [PENDING_INCIDENT] });
    expect(staleWrite).toBe(false);
    expect((await incidents.get(PENDING_INCIDENT))?.approval).toMatchObject({ status: 'approved', taskToken: 'token-1', resumeTakenAt: null });
  });

  it('drops the entry of a decision no longer recorded (its wait recorded over), resuming nothing', async () => {
    const { reconciler, incidents, approvalResumes } = await approvalWhoseHandlerDied();
    const recorded = (await incidents.get(PENDING_INCIDENT))?.approval;
    await incidents.update(PENDING_INCIDENT, { approval: { ...recorded!, status: 'timed_out', taskToken: null } });
    const tasks = taskPort();

    const run = await resumeRecordedDecisions(reconciler(tasks, AFTER_GRACE), OPTIONS);

    expect(run).toMatchObject({ resumed: [], gone: 1 });
    expect(tasks.calls).toEqual([]);
    expect(approvalResumes.entries.size).toBe(0);
  });

  it('is bounded per run, oldest first, and a decision that fails every time holds back no other', async () => {
    const { reconciler, incidents, approvalResumes } = await approvalWhoseHandlerDied();
    // Two more decisions left unresumed, recorded after the first: one failing nowhere, and the first failing always.
    for (const [n, decidedAt] of [[2, '2026-11-20T10:05:30Z'], [3, '2026-11-20T10:05:40Z']] as const) {
      const base = await incidents.get(PENDING_INCIDENT);
      const id = `gh-714523861-1186243901${n}-1`;
      await incidents.create(newIncident({
        ...base!, id, approval: { ...base!.approval!, status: 'approved', taskToken: `token-${n}`, decidedAt, resumeTakenAt: null, decidedBy: 'maintainer' },
      }, new Date('2026-11-20T10:00:00Z')), null);
      await approvalResumes.schedule({ incidentId: id, decidedAt });
    }
    const tasks = taskPort((token) => (token === 'token-1' ? Object.assign(new Error('throttled'), { name: 'ThrottlingException' }) : null));
    const one = { ...OPTIONS, maxPerRun: 1 };

    const first = await resumeRecordedDecisions(reconciler(tasks, AFTER_GRACE), one);
    const second = await resumeRecordedDecisions(reconciler(tasks, new Date('2026-11-20T10:17:00Z')), one);
    const third = await resumeRecordedDecisions(reconciler(tasks, new Date('2026-11-20T10:18:00Z')), one);

    expect(first).toMatchObject({ resumed: [], failed: [PENDING_INCIDENT] });
    expect(second.resumed).toEqual(['gh-714523861-11862439012-1']);
    expect(third.resumed).toEqual(['gh-714523861-11862439013-1']);
    expect(tasks.calls.map(([, token]) => token)).toEqual(['token-2', 'token-3']);
    // The failing one waits behind them, its failure counted, until it is due again.
    expect([...approvalResumes.entries.values()]).toEqual([expect.objectContaining({ incidentId: PENDING_INCIDENT, failures: 1 })]);
  });

  it('gives a decision up once it failed too often: its entry goes, with an error log and the metric charted beside the other sweeps\' give-ups', async () => {
    const { reconciler, approvalResumes } = await approvalWhoseHandlerDied();
    const tasks = taskPort(() => Object.assign(new Error('AccessDeniedException'), { name: 'AccessDeniedException' }));
    const errors: string[] = [];
    const counted: Record<string, number> = {};
    const metrics = { count: (name: string, value: number) => void (counted[name] = (counted[name] ?? 0) + value), measure() {} };
    let at = AFTER_GRACE.getTime();
    const results = [];
    for (let run = 0; run < 8; run += 1) {
      const deps = { ...reconciler(tasks, new Date(at)), metrics, logger: { ...silentLogger, error: (message: string) => errors.push(message) } };
      results.push(await resumeRecordedDecisions(deps, OPTIONS));
      // The next run after the entry is due again (its retry time, listed `afterMinutes` after it).
      at = Date.parse([...approvalResumes.entries.values()][0]?.entry.dueAt ?? new Date(at).toISOString()) + OPTIONS.afterMinutes * 60_000;
    }

    expect(results.slice(0, 7).map((r) => r.failed)).toEqual(Array(7).fill([PENDING_INCIDENT]));
    expect(results[7]?.abandoned).toEqual([PENDING_INCIDENT]);
    expect(errors).toEqual([expect.stringMatching(/given up/)]);
    expect(counted[RECONCILER_METRIC.approvalResumesAbandoned]).toBe(1);
    expect(approvalResumes.entries.size).toBe(0);
  });

  it("says, when the wait times out while it still tries the decision (the default approval timeout), that a maintainer approved and the guard could not resume it: the page and the timeline", async () => {
    // Prepare: the reconciler tries the decision, failing, until the execution's wait times out (240 minutes after
    // the request, before the tries would end).
    const { reconciler, incidents, approvals, approvalResumes, pages } = await approvalWhoseHandlerDied();
    const tasks = taskPort(() => Object.assign(new Error('AccessDeniedException'), { name: 'AccessDeniedException' }));
    const timeout = Date.parse('2026-11-20T10:00:00Z') + 240 * 60_000;
    let at = AFTER_GRACE.getTime();
    const abandoned: string[] = [];
    for (let run = 0; run < 8 && at < timeout; run += 1) {
      abandoned.push(...(await resumeRecordedDecisions(reconciler(tasks, new Date(at)), OPTIONS)).abandoned);
      at = Date.parse([...approvalResumes.entries.values()][0]?.entry.dueAt ?? new Date(at).toISOString()) + OPTIONS.afterMinutes * 60_000;
    }
    const { deps, published } = stepDeps({ github: createFakeGitHub().port, incidents, remediation: remediationDeps({ approvals }) });
    const trigger = triggerFromWorkflowRun(structuredClone(loadWebhook('workflow_run-failure')).body as never, 'd');

    // Act: Notify, and a second round of it (a retry, or a round after its comment waited for the write budget).
    await notifyStep({ trigger, approvalError: { Error: 'States.Timeout', Cause: '' } }, deps);
    await notifyStep({ trigger, approvalError: { Error: 'States.Timeout', Cause: '' } }, deps);

    // Assert: the reconciler paged nothing; the timeout's page says what happened.
    expect(abandoned).toEqual([]);
    expect(pages).toEqual([]);
    const page = published[0]?.message ?? '';
    const line = (label: string) => page.split('\n').find((text) => text.startsWith(label))?.slice(label.length);
    expect(line('Why you are getting this: ')).toBe(
      'maintainer approved "re-run the failed jobs" at 2026-11-20T10:05:00.000Z, but the guard could not resume its execution with that decision before the approval wait timed out, so nothing was applied.',
    );
    expect(line('What the guard tried: ')).toBe('nothing: it could not resume its execution with the approval of maintainer, and the wait timed out.');
    expect(line('What it needs from you: ')).toBe(
      "Re-run the failed jobs by hand if it is still wanted, as maintainer approved: the guard's execution has ended and applies nothing. " +
        "The incident's timeline and the reconciler's log say why the guard could not resume it.",
    );
    expect(page).not.toMatch(/nobody/i);
    const after = await incidents.get(PENDING_INCIDENT);
    expect(after?.approval).toMatchObject({ status: 'timed_out', unresumed: 'approved', decidedBy: 'maintainer', decidedAt: '2026-11-20T10:05:00.000Z', taskToken: null });
    expect(after?.decision?.reason).toMatch(/^maintainer approved "re-run the failed jobs" at 2026-11-20T10:05:00.000Z, but the guard could not resume/);
    const timeline = incidentTimeline(after!).map((entry) => `${entry.title}: ${entry.detail ?? ''}`);
    expect(timeline).toContain(`approval approved, never resumed: the guard could not resume the execution with it before its wait timed out`);
    expect(timeline.join('\n')).not.toMatch(/nobody/i);
  });

  it('pages once when it gives up a decision whose approval wait outlasts its tries (a long approvalTimeoutMinutes), and not again when the wait times out', async () => {
    // Prepare: the repository waits 24 hours for approvals; the reconciler's tries end long before that.
    const { reconciler, incidents, approvals, approvalResumes } = await approvalWhoseHandlerDied();
    const policyFile = { defaults: { approvalTimeoutMinutes: 24 * 60 } };
    const { deps: notify, published } = stepDeps({ github: createFakeGitHub().port, incidents, remediation: remediationDeps({ approvals, policyFile }) });
    const tasks = taskPort(() => Object.assign(new Error('AccessDeniedException'), { name: 'AccessDeniedException' }));
    const requestedAt = Date.parse('2026-11-20T10:00:00Z');
    let at = AFTER_GRACE.getTime();
    const pagesAfterPass: number[] = [];
    let givenUpAt = 0;
    for (let run = 0; run < 8 && givenUpAt === 0; run += 1) {
      const deps = { ...reconciler(tasks, new Date(at)), escalations: notify.escalations, escalationLedger: notify.escalationLedger, policyFile };
      const result = await resumeRecordedDecisions(deps, OPTIONS);
      pagesAfterPass.push(published.length);
      if (result.abandoned.length > 0) givenUpAt = at;
      at = Date.parse([...approvalResumes.entries.values()][0]?.entry.dueAt ?? new Date(at).toISOString()) + OPTIONS.afterMinutes * 60_000;
    }
    const given = await incidents.get(PENDING_INCIDENT);
    const trigger = triggerFromWorkflowRun(structuredClone(loadWebhook('workflow_run-failure')).body as never, 'd');

    // Act: the wait times out, 24 hours after the request; Notify runs (twice: a retried round).
    const timedOut = { ...notify, clock: () => new Date(requestedAt + 24 * 3_600_000) };
    await notifyStep({ trigger, approvalError: { Error: 'States.Timeout', Cause: '' } }, timedOut);
    await notifyStep({ trigger, approvalError: { Error: 'States.Timeout', Cause: '' } }, timedOut);

    // Assert: no page while the reconciler still tried; one when it gave up, while the wait still ran; none after.
    expect(givenUpAt).toBeGreaterThan(0);
    expect(givenUpAt).toBeLessThan(requestedAt + 24 * 3_600_000);
    expect(pagesAfterPass).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
    expect(given?.history.find((entry) => entry.event === 'approval_resume_abandoned')).toMatchObject({
      detail: 'approved by maintainer at 2026-11-20T10:05:00.000Z: the guard could not resume the execution with it after 8 tries ' +
        '(AccessDeniedException), and gave up; the execution waits until its approval times out, and nothing is applied. ' +
        `To try again, repeat the command on the pull request: /guard approve ${PENDING_INCIDENT}`,
    });
    expect(published).toHaveLength(1);
    const page = published[0]?.message ?? '';
    const line = (label: string) => page.split('\n').find((text) => text.startsWith(label))?.slice(label.length);
    expect(line('Why you are getting this: ')).toMatch(/^maintainer approved "re-run the failed jobs" at 2026-11-20T10:05:00.000Z, but the guard could not resume its execution with that decision and gave up/);
    expect(line('What it needs from you: ')).toMatch(/^Re-run the failed jobs by hand if it is still wanted, as maintainer approved/);
    expect(line('What it needs from you: ')).toContain(`/guard approve ${PENDING_INCIDENT}`);
    expect(page).not.toMatch(/nobody|timed out/i);
    const after = await incidents.get(PENDING_INCIDENT);
    expect(after?.approval).toMatchObject({ status: 'timed_out', unresumed: 'approved' });
    expect(after?.notifications.filter((n) => n.channel === 'sns')).toEqual([
      expect.objectContaining({ outcome: 'published', at: new Date(givenUpAt).toISOString() }),
      expect.objectContaining({ outcome: 'skipped', detail: `on-call was told when the reconciler gave the decision up, at ${new Date(givenUpAt).toISOString()}` }),
      expect.objectContaining({ outcome: 'skipped' }),
    ]);
  });

  it('pages at the timeout when the page of its give-up never went out (SNS refused it, or the run died after the mark) and the wait timed out before the next run', async () => {
    // Prepare: a 24-hour wait; the reconciler's last try gives the decision up, marks it, and its page is refused.
    const { reconciler, incidents, approvals, approvalResumes } = await approvalWhoseHandlerDied();
    const policyFile = { defaults: { approvalTimeoutMinutes: 24 * 60 } };
    const { deps: notify, published } = stepDeps({ github: createFakeGitHub().port, incidents, remediation: remediationDeps({ approvals, policyFile }) });
    const refused = { async publish(): Promise<{ messageId: string }> { throw Object.assign(new Error('SNS is throttling'), { name: 'ThrottlingException' }); } };
    const tasks = taskPort(() => Object.assign(new Error('AccessDeniedException'), { name: 'AccessDeniedException' }));
    const requestedAt = Date.parse('2026-11-20T10:00:00Z');
    let at = AFTER_GRACE.getTime();
    for (let run = 0; run < 8; run += 1) {
      const deps = { ...reconciler(tasks, new Date(at)), escalations: refused, escalationLedger: notify.escalationLedger, policyFile };
      await resumeRecordedDecisions(deps, OPTIONS);
      at = Date.parse([...approvalResumes.entries.values()][0]?.entry.dueAt ?? new Date(at).toISOString()) + OPTIONS.afterMinutes * 60_000;
    }
    const given = await incidents.get(PENDING_INCIDENT);
    expect(given?.approval?.resumeAbandonedAt).toBeDefined();
    expect(published).toEqual([]);
    const trigger = triggerFromWorkflowRun(structuredClone(loadWebhook('workflow_run-failure')).body as never, 'd');

    // Act: the wait times out before the reconciler's next run; Notify runs.
    await notifyStep({ trigger, approvalError: { Error: 'States.Timeout', Cause: '' } }, { ...notify, clock: () => new Date(requestedAt + 24 * 3_600_000) });
    // The reconciler's next run finds the wait over.
    await resumeRecordedDecisions({ ...reconciler(tasks, new Date(requestedAt + 24 * 3_600_000 + 60_000)), escalations: notify.escalations, escalationLedger: notify.escalationLedger, policyFile }, OPTIONS);

    // Assert: on-call is paged once, by Notify, and nothing says they were told at the give-up.
    expect(published).toHaveLength(1);
    const after = await incidents.get(PENDING_INCIDENT);
    expect(after?.notifications.map((n) => n.detail ?? '').join('\n')).not.toMatch(/on-call was told when the reconciler gave the decision up/);
  });

  it('pages nobody when the decision that never reached the execution was a rejection: nothing was applied, as it asked', async () => {
    // Prepare: a maintainer's rejection recorded on the incident, never resumed; the wait times out
    const { incidents, approvals } = await approvalWhoseHandlerDied();
    const recorded = (await incidents.get(PENDING_INCIDENT))!.approval!;
    await incidents.update(PENDING_INCIDENT, { approval: { ...recorded, status: 'rejected', reason: 'a real bug' } });
    const { deps, published } = stepDeps({ github: createFakeGitHub().port, incidents, remediation: remediationDeps({ approvals }) });
    const trigger = triggerFromWorkflowRun(structuredClone(loadWebhook('workflow_run-failure')).body as never, 'd');

    // Act
    await notifyStep({ trigger, approvalError: { Error: 'States.Timeout', Cause: '' } }, deps);

    // Assert: recorded as the rejection it was, told on the pull request only
    const after = await incidents.get(PENDING_INCIDENT);
    expect(after?.approval).toMatchObject({ status: 'timed_out', unresumed: 'rejected', decidedBy: 'maintainer' });
    expect(after?.decision).toMatchObject({ action: 'comment_only', applied: false });
    expect(published).toEqual([]);
  });

  it('resumes a decision recorded before decisions were listed (during a deploy): the re-drive pass, finding it running, lists it', async () => {
    // As the code before this recorded it: the decision with its token, and no entry; the code before that had also
    // taken the proposal off the index first, so no redelivery finds it.
    const { reconciler, incidents, approvals, approvalResumes } = await approvalWhoseHandlerDied();
    approvalResumes.entries.clear();
    await approvals.take(INDEXED_REPOSITORY, PENDING_PULL_REQUEST, PENDING_INCIDENT);
    // ...and without the mark of a decision its command listed itself.
    const { resumeListed: _listed, ...asRecordedBefore } = (await incidents.get(PENDING_INCIDENT))!.approval!;
    await incidents.update(PENDING_INCIDENT, { status: 'awaiting_approval', approval: asRecordedBefore });
    const tasks = taskPort();
    const sweep = reconciler(tasks, AFTER_GRACE);
    const running = { async start() { return { executionId: PENDING_INCIDENT, alreadyStarted: true }; }, async describe() { return { status: 'RUNNING' as const, input: null }; } };
    const redrive = {
      ...sweep, incidents: { ...incidents, listUnfinished: async () => [(await incidents.get(PENDING_INCIDENT))!] }, workflow: running,
      metrics: { count() {}, measure() {} }, escalations: { publish: async () => ({ messageId: 'm' }) }, escalationLedger: createMemoryEscalationLedger(), policyFile: {},
    };

    const redriven = await reconcile(redrive, { ...OPTIONS, maxAttempts: 3 });
    const run = await resumeRecordedDecisions(sweep, OPTIONS);

    expect(redriven.running).toBe(1);
    expect(run.resumed).toEqual([PENDING_INCIDENT]);
    expect(tasks.calls).toEqual([['succeed', 'token-1', { approvedBy: 'maintainer' }]]);
    expect((await incidents.get(PENDING_INCIDENT))?.approval).toMatchObject({ status: 'approved', taskToken: null });
  });
});

describe('the reply to a /guard decision whose resume failed', () => {
  const REPO = { owner: 'acme-shop', repo: 'checkout-service' };
  const REPLY = `acme-shop/checkout-service#${PENDING_PULL_REQUEST} ${commandAnswerMarker(5)}`;
  const throttled = (): TaskTokenControl => {
    const error = () => Object.assign(new Error('throttled'), { name: 'ThrottlingException' });
    return { succeed: () => Promise.reject(error()), fail: () => Promise.reject(error()) };
  };

  /** A `/guard approve` delivered `deliveries` times (the first, then GitHub's redeliveries), each seeing SendTaskSuccess fail. */
  async function approvalWhoseResumeFailed(deliveries: number) {
    const github = createFakeGitHub();
    github.permissions.set('maintainer', 'maintain');
    // One record of the command's reply, as the incidents table is one for every delivery.
    const answers = createMemoryCommandAnswers();
    const made = await pendingApproval({ secret: SECRET, github: github.port, answers: () => answers });
    for (let delivery = 0; delivery < deliveries; delivery += 1) {
      await expect(handleIssueCommentWebhook(approveDelivery(), { ...made.deps(), tasks: throttled() })).rejects.toThrow('throttled');
    }
    const { deps: told } = stepDeps();
    const reconciler = (tasks: TaskTokenControl, at: Date): ApprovalResumeDeps => ({
      approvalResumes: made.approvalResumes, incidents: made.incidents, approvals: made.approvals, tasks, clock: () => at, logger: silentLogger,
      metrics: { count() {}, measure() {} }, escalations: told.escalations, escalationLedger: told.escalationLedger, policyFile: {},
      githubWriter: async () => staticGitHubClients(github.port), answers,
    });
    return { ...made, github, reconciler };
  }
  const replies = (github: ReturnType<typeof createFakeGitHub>) => [...github.comments.keys()].filter((key) => key.includes('command-answer'));
  const reactions = (github: ReturnType<typeof createFakeGitHub>) => github.calls.filter((call) => call.method === 'addCommentReaction').map((call) => call.args);

  it('tells the pull request once that the decision is recorded and not carried out yet, and edits that reply when the reconciler carries it out', async () => {
    // Prepare: the command and its redelivery both fail to resume the execution.
    const { github, reconciler } = await approvalWhoseResumeFailed(2);
    const received = github.comments.get(REPLY);
    const repliesBefore = replies(github);
    const tasks = taskPort();

    // Act
    const run = await resumeRecordedDecisions(reconciler(tasks, AFTER_GRACE), OPTIONS);

    // Assert: one reply, which said what was true then and says what is true now, with the 👍 of a command carried out.
    expect(repliesBefore).toEqual([REPLY]);
    expect(received).toBe(
      'The `/guard approve` from `maintainer` is recorded, but not carried out yet: the guard could not resume its pipeline with it (`ThrottlingException`). ' +
        'It tries again while the approval wait runs, and edits this reply when the decision is carried out or given up; nothing is applied before then, and nothing at all if the wait ends first.',
    );
    expect(run.resumed).toEqual([PENDING_INCIDENT]);
    expect(replies(github)).toEqual([REPLY]);
    expect(github.comments.get(REPLY)).toBe('The `/guard approve` from `maintainer` was carried out.');
    expect(reactions(github)).toEqual([[REPO, 5, '+1']]);
  });

  it('edits the reply to say the decision was given up, and nothing applied, when the reconciler gives it up', async () => {
    const { github, reconciler, approvalResumes } = await approvalWhoseResumeFailed(1);
    const tasks = throttled();
    let at = AFTER_GRACE.getTime();
    const abandoned: string[] = [];
    for (let run = 0; run < 8 && abandoned.length === 0; run += 1) {
      abandoned.push(...(await resumeRecordedDecisions(reconciler(tasks, new Date(at)), OPTIONS)).abandoned);
      at = Date.parse([...approvalResumes.entries.values()][0]?.entry.dueAt ?? new Date(at).toISOString()) + OPTIONS.afterMinutes * 60_000;
    }

    expect(abandoned).toEqual([PENDING_INCIDENT]);
    expect(replies(github)).toEqual([REPLY]);
    expect(github.comments.get(REPLY)).toBe(
      'The `/guard approve` from `maintainer` was not carried out: the guard could not resume its pipeline with it after 8 tries and gave up, and nothing is applied. ' +
        `To have it try again while the approval wait runs, repeat \`/guard approve ${PENDING_INCIDENT}\`.`,
    );
    expect(reactions(github)).toEqual([]);
  });

  it('tells a decision whose token it finds spent after the wait ended that the wait had ended and nothing was applied', async () => {
    // Prepare: the request's wait ends at 10:15 (recorded by Notify), and the reconciler's run at 10:16 finds the token
    // spent: the timeout's, before Notify recorded it, not a first try that reached the execution.
    const { github, reconciler, incidents } = await approvalWhoseResumeFailed(1);
    const recorded = (await incidents.get(PENDING_INCIDENT))!.approval!;
    await incidents.update(PENDING_INCIDENT, { approval: { ...recorded, expiresAt: '2026-11-20T10:15:00.000Z' } });
    const spent = taskPort(() => new TaskTokenSpentError('TaskTimedOut: the task has already been closed'));

    const run = await resumeRecordedDecisions(reconciler(spent, AFTER_GRACE), OPTIONS);

    expect(run.spent).toEqual([PENDING_INCIDENT]);
    expect(github.comments.get(REPLY)).toBe(
      'The `/guard approve` from `maintainer` was not carried out: the approval wait timed out before the guard could resume its pipeline with it, and nothing was applied.',
    );
  });

  it('tells a decision whose token it finds spent before the wait ended that nothing more is needed', async () => {
    const { github, reconciler, incidents } = await approvalWhoseResumeFailed(1);
    const recorded = (await incidents.get(PENDING_INCIDENT))!.approval!;
    await incidents.update(PENDING_INCIDENT, { approval: { ...recorded, expiresAt: '2026-11-20T11:05:00.000Z' } });
    const spent = taskPort(() => new TaskTokenSpentError('TaskTimedOut: the task has already been closed'));

    await resumeRecordedDecisions(reconciler(spent, AFTER_GRACE), OPTIONS);

    expect(github.comments.get(REPLY)).toMatch(/^The `\/guard approve` from `maintainer` needs nothing more from the guard/);
  });

  it('does not promise another try when the command, delivered again after the give-up, fails again: nothing tries it by itself any more', async () => {
    const { github, reconciler, approvalResumes, deps } = await approvalWhoseResumeFailed(1);
    const tasks = throttled();
    let at = AFTER_GRACE.getTime();
    for (let run = 0; run < 8 && approvalResumes.entries.size > 0; run += 1) {
      await resumeRecordedDecisions(reconciler(tasks, new Date(at)), OPTIONS);
      at = Date.parse([...approvalResumes.entries.values()][0]?.entry.dueAt ?? new Date(at).toISOString()) + OPTIONS.afterMinutes * 60_000;
    }

    await expect(handleIssueCommentWebhook(approveDelivery(), { ...deps(), tasks: throttled() })).rejects.toThrow('throttled');

    expect(approvalResumes.entries.size).toBe(0);
    expect(replies(github)).toEqual([REPLY]);
    expect(github.comments.get(REPLY)).toBe(
      'The `/guard approve` from `maintainer` was not carried out: the guard could not resume its pipeline with it (`ThrottlingException`), and no longer tries by itself; ' +
        'nothing is applied. Repeat the command to try again while the approval wait runs.',
    );
  });
});

/**
 * Decisions kept for their request's retry (refused for a failed request's token before the wait's end) are listed
 * oldest first among the run's due decisions (RECONCILE_MAX_PER_RUN, 25 by default; 5 here). Until session 42 each
 * stayed where it was listed until its retry came or its wait ended (up to ~5.5 h of write-budget backoffs): as many
 * kept decisions as a run lists held every run's share, and a decision recorded after them whose handler died was not
 * resumed (nor given up and told) before they left. The retry lists its carried decision anew (shared/steps/notify.ts),
 * so a kept one's entry moves to its wait's end, where it ends as before.
 */
describe('decisions kept for their request\'s retry, as many as a run lists', () => {
  const KEPT = OPTIONS.maxPerRun;
  const WAIT_ENDS = '2026-11-20T16:00:00.000Z';

  async function keptAndOneToResume() {
    const { deps } = stepDeps({ clock: () => new Date('2026-11-20T10:00:00Z') });
    const approvalResumes = deps.approvalResumes as ReturnType<typeof createMemoryApprovalResumes>;
    const decided = (token: string, decidedAt: string) => ({
      status: 'approved' as const, taskToken: token, requestedAt: '2026-11-20T10:00:00Z', expiresAt: WAIT_ENDS, decidedAt, decidedBy: 'maintainer', reason: null, resumeListed: true as const,
    });
    for (let i = 0; i < KEPT; i += 1) {
      const id = `gh-kept-${i}`;
      const decidedAt = `2026-11-20T10:0${i}:00.000Z`;
      await deps.incidents.create(newIncident({ id, source: 'github', status: 'awaiting_approval', approval: { ...decided(`spent-${i}`, decidedAt), spentToken: `spent-${i}` } }, new Date(decidedAt)), null);
      await approvalResumes.schedule({ incidentId: id, decidedAt });
    }
    const decidedAt = '2026-11-20T10:20:00.000Z';
    await deps.incidents.create(newIncident({ id: 'gh-handler-died', source: 'github', status: 'awaiting_approval', approval: decided('live-token', decidedAt) }, new Date(decidedAt)), null);
    await approvalResumes.schedule({ incidentId: 'gh-handler-died', decidedAt });
    const tasks = taskPort((token) => (token.startsWith('spent-') ? new TaskTokenSpentError('TaskDoesNotExist: Task does not exist anymore') : null));
    return { deps, approvalResumes, tasks };
  }

  it('do not hold back a later decision whose handler died', async () => {
    const { deps, approvalResumes, tasks } = await keptAndOneToResume();

    // Act: the reconciler's runs past the later decision's grace, while every kept one's retry backs off.
    const runs = [];
    for (const at of ['2026-11-20T10:31:00Z', '2026-11-20T10:32:00Z', '2026-11-20T11:30:00Z']) runs.push(await resumeDecisionsAt(deps, approvalResumes, tasks, at));

    // Assert: the later decision reaches its execution at the first run past its grace; the kept ones are sent nothing
    // and stay kept, listed at their wait's end.
    expect(runs[0]?.resumed).toEqual(['gh-handler-died']);
    expect(tasks.calls).toEqual([['succeed', 'live-token', { approvedBy: 'maintainer' }]]);
    for (let i = 0; i < KEPT; i += 1) expect((await deps.incidents.get(`gh-kept-${i}`))?.approval).toMatchObject({ status: 'approved', taskToken: `spent-${i}`, spentToken: `spent-${i}` });
    expect([...approvalResumes.entries.values()].map((listed) => listed.entry.dueAt)).toEqual(Array(KEPT).fill(WAIT_ENDS));
  });

  it('end as before at their wait\'s end when no retry came', async () => {
    const { deps, approvalResumes, tasks } = await keptAndOneToResume();
    await resumeDecisionsAt(deps, approvalResumes, tasks, '2026-11-20T10:31:00Z');

    const ended = await resumeDecisionsAt(deps, approvalResumes, tasks, '2026-11-20T16:10:00Z');

    expect(ended.spent).toHaveLength(KEPT);
    expect(approvalResumes.entries.size).toBe(0);
  });
});
