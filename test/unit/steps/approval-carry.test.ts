import { describe, expect, it } from 'vitest';
import { parseRunbookMappings } from '../../../shared/remediation/runbooks.js';
import { TaskTokenSpentError } from '../../../shared/errors.js';
import { notifyStep } from '../../../shared/steps/notify.js';
import type { Trigger } from '../../../shared/domain/trigger.js';
import { remediateStep } from '../../../shared/steps/remediate.js';
import { createMemoryApprovalResumes, createScriptedRunbookRunner, remediationDeps, scriptedAnalyzer, stepDeps, taskPort } from '../../support/fakes.js';
import { answeredByEmail, askedAt, mailedTokens, recoveredAt, resumeDecisionsAt } from '../../support/alarm-approvals.js';

const runbooks = parseRunbookMappings(JSON.stringify([{ alarmNamePrefix: 'checkout-api-', document: 'Restart-Checkout-Api', parameters: {}, severity: 'high' }]));

/** An alarm whose runbook waits for approval, e-mailed; the reconciler's list of decisions to resume kept to read. */
function carryDeps() {
  const approvalResumes = createMemoryApprovalResumes();
  const runner = createScriptedRunbookRunner();
  const made = stepDeps({ analyzer: scriptedAnalyzer({ proposedAction: 'run_runbook', confidence: 0.85 }), remediation: remediationDeps({ runbooks, runner }), approvalResumes });
  return { ...made, approvalResumes, runner };
}

/** ALARM at 10:03 (e-mailed with token-1), OK at 10:08, ALARM again at 10:12 (within the flap window: counted, token-2). */
async function fastFlapEndingInAlarm(deps: ReturnType<typeof carryDeps>['deps']) {
  const first = await askedAt(deps, '2026-11-20T10:03:12.000Z', 'token-1');
  await recoveredAt(deps, '2026-11-20T10:08:00.000Z');
  const firing = await askedAt(deps, '2026-11-20T10:12:00.000Z', 'token-2');
  return { first, firing };
}

describe("an answer to the problem's e-mailed request, given after its incident recovered", () => {
  it('approves the runbook for the firing counted on the request: the reconciler resumes it, nobody is paged', async () => {
    const { deps, published, approvalResumes, runner } = carryDeps();
    const { first, firing } = await fastFlapEndingInAlarm(deps);

    // Act: on-call answers the e-mail they have; the reconciler runs a minute later.
    await answeredByEmail(deps, first, '2026-11-20T10:15:00.000Z', { approvedBy: 'oncall-ana' });
    const tasks = taskPort();
    const run = await resumeDecisionsAt(deps, approvalResumes, tasks, '2026-11-20T10:16:00.000Z');

    // Assert: the waiting execution is resumed with the approval, once; then it runs the runbook for the firing alarm.
    expect(tasks.calls).toEqual([['succeed', 'token-2', { approvedBy: 'oncall-ana' }]]);
    expect(run.resumed).toEqual([firing.incidentId]);
    expect((await deps.incidents.get(firing.incidentId))?.approval).toMatchObject({ status: 'approved', decidedBy: 'oncall-ana', carriedFrom: first.incidentId, taskToken: null });
    expect((await deps.incidents.get(first.incidentId))?.history.find((entry) => entry.event === 'approval_carried_over')?.detail).toBe(firing.incidentId);
    expect(runner.started).toEqual([]);
    deps.clock = () => new Date('2026-11-20T10:16:05.000Z');
    expect(await remediateStep({ trigger: firing, approval: { approvedBy: 'oncall-ana' } }, deps)).toMatchObject({ action: 'run_runbook', applied: true });
    expect(runner.started).toHaveLength(1);
    expect(published).toHaveLength(1);
  });

  it('carries a rejection over as a rejection', async () => {
    const { deps, approvalResumes } = carryDeps();
    const { first, firing } = await fastFlapEndingInAlarm(deps);

    await answeredByEmail(deps, first, '2026-11-20T10:15:00.000Z', { rejected: 'investigating by hand' });
    const tasks = taskPort();
    await resumeDecisionsAt(deps, approvalResumes, tasks, '2026-11-20T10:16:00.000Z');

    expect(tasks.calls).toEqual([['fail', 'token-2', 'ApprovalRejected: investigating by hand']]);
    expect((await deps.incidents.get(firing.incidentId))?.approval).toMatchObject({ status: 'rejected', reason: 'investigating by hand', carriedFrom: first.incidentId });
  });

  it('decides only the newest of two firings waiting under the request: one answer runs the runbook once, the older wait ends', async () => {
    const { deps, approvalResumes } = carryDeps();
    const { first, firing: older } = await fastFlapEndingInAlarm(deps);
    const newest = await askedAt(deps, '2026-11-20T10:14:00.000Z', 'token-3');

    await answeredByEmail(deps, first, '2026-11-20T10:15:00.000Z', { approvedBy: 'oncall-ana' });
    const tasks = taskPort();
    await resumeDecisionsAt(deps, approvalResumes, tasks, '2026-11-20T10:16:00.000Z');

    // Only the newest is resumed with the approval (ApplyApproved); the older one's wait ends with nothing applied,
    // where it used to wait out its timeout and page that nobody had answered.
    expect(tasks.calls.map(([kind, token]) => `${kind} ${token}`).sort()).toEqual(['fail token-2', 'succeed token-3']);
    expect(tasks.calls.find(([, token]) => token === 'token-2')?.[2]).toMatch(/^ApprovalDecidedOnAnother: /);
    expect((await deps.incidents.get(newest.incidentId))?.approval?.status).toBe('approved');
    expect((await deps.incidents.get(older.incidentId))?.approval).toMatchObject({ status: 'approved', decidedOn: newest.incidentId, taskToken: null });
  });

  it('carries it to nothing when no incident of the problem waits, and says so on the timeline', async () => {
    const { deps, published, approvalResumes } = carryDeps();
    const first = await askedAt(deps, '2026-11-20T10:03:12.000Z', 'token-1');
    await recoveredAt(deps, '2026-11-20T10:08:00.000Z');

    await answeredByEmail(deps, first, '2026-11-20T10:15:00.000Z', { approvedBy: 'oncall-ana' });

    expect(approvalResumes.entries.size).toBe(0);
    expect((await deps.incidents.get(first.incidentId))?.history.find((entry) => entry.event === 'approval_not_carried_over')?.detail).toMatch(
      /^approved by oncall-ana by e-mail after cw-\w+ had recovered, and no incident of its problem waits for approval under its request: nothing is applied$/,
    );
    expect(published).toHaveLength(1);
  });

  it('creates nothing new when the answered execution runs its Notify again (a retry, a redelivery)', async () => {
    const { deps, published, approvalResumes } = carryDeps();
    const { first, firing } = await fastFlapEndingInAlarm(deps);

    await answeredByEmail(deps, first, '2026-11-20T10:15:00.000Z', { approvedBy: 'oncall-ana' });
    await answeredByEmail(deps, first, '2026-11-20T10:15:30.000Z', { approvedBy: 'oncall-ana' });
    const tasks = taskPort();
    await resumeDecisionsAt(deps, approvalResumes, tasks, '2026-11-20T10:16:00.000Z');
    await resumeDecisionsAt(deps, approvalResumes, tasks, '2026-11-20T10:17:00.000Z');

    expect(tasks.calls).toHaveLength(1);
    expect((await deps.incidents.get(firing.incidentId))?.audit?.filter((entry) => entry.status === 'approved')).toHaveLength(1);
    expect((await deps.incidents.get(first.incidentId))?.history.filter((entry) => entry.event.startsWith('approval_carried') || entry.event.startsWith('approval_not_carried'))).toHaveLength(1);
    expect(published).toHaveLength(1);
  });

  it('is delivered once after a Notify killed between recording the decision and its note, and a failed first resume', async () => {
    const { deps, approvalResumes } = carryDeps();
    const { first, firing } = await fastFlapEndingInAlarm(deps);
    const update = deps.incidents.update.bind(deps.incidents);
    deps.incidents.update = async (id, fields, append) => {
      if (append?.history?.some((entry) => entry.event === 'approval_carried_over')) throw new Error('killed');
      return update(id, fields, append);
    };
    await expect(answeredByEmail(deps, first, '2026-11-20T10:15:00.000Z', { approvedBy: 'oncall-ana' })).rejects.toThrow('killed');
    deps.incidents.update = update;
    await answeredByEmail(deps, first, '2026-11-20T10:15:10.000Z', { approvedBy: 'oncall-ana' });

    // The reconciler's first call fails (Step Functions throttled it); the next run resumes it.
    const down = taskPort(() => Object.assign(new Error('throttled'), { name: 'ThrottlingException' }));
    expect((await resumeDecisionsAt(deps, approvalResumes, down, '2026-11-20T10:16:00.000Z')).failed).toEqual([firing.incidentId]);
    const tasks = taskPort();
    await resumeDecisionsAt(deps, approvalResumes, tasks, '2026-11-20T10:22:00.000Z');
    await resumeDecisionsAt(deps, approvalResumes, tasks, '2026-11-20T10:40:00.000Z');

    expect(tasks.calls).toEqual([['succeed', 'token-2', { approvedBy: 'oncall-ana' }]]);
    expect(approvalResumes.entries.size).toBe(0);
  });

  it('keeps the carried decision when the waiting execution asks again with its token (the local runtime restarted it)', async () => {
    const { deps, published, approvalResumes } = carryDeps();
    const { first, firing } = await fastFlapEndingInAlarm(deps);
    await answeredByEmail(deps, first, '2026-11-20T10:15:00.000Z', { approvedBy: 'oncall-ana' });

    // Act: the restarted execution reaches its wait again, with the token it kept.
    deps.clock = () => new Date('2026-11-20T10:15:20.000Z');
    await notifyStep({ trigger: firing, approvalRequest: { taskToken: 'token-2' } }, deps);
    const tasks = taskPort();
    await resumeDecisionsAt(deps, approvalResumes, tasks, '2026-11-20T10:16:00.000Z');

    expect(tasks.calls).toEqual([['succeed', 'token-2', { approvedBy: 'oncall-ana' }]]);
    expect(published).toHaveLength(1);
  });

  it("e-mails a firing counted while the answer was recorded without it: it reads the holder again after naming itself", async () => {
    const { deps, published } = carryDeps();
    const first = await askedAt(deps, '2026-11-20T10:03:12.000Z', 'token-1');
    await recoveredAt(deps, '2026-11-20T10:08:00.000Z');
    const before = await deps.incidents.get(first.incidentId);
    await answeredByEmail(deps, first, '2026-11-20T10:11:59.000Z', { approvedBy: 'oncall-ana' });
    // The firing's Notify read the holder just before the answer was recorded (and carried to nothing).
    const get = deps.incidents.get.bind(deps.incidents);
    let stale = true;
    deps.incidents.get = async (id) => (id === first.incidentId && stale ? ((stale = false), structuredClone(before)) : get(id));

    await askedAt(deps, '2026-11-20T10:12:00.000Z', 'token-2');

    expect(mailedTokens(published)).toEqual(['token-1', 'token-2']);
  });

  it('e-mails the waiting firing its own request when what it would apply is not what the e-mail showed', async () => {
    const { deps, published, approvalResumes } = carryDeps();
    const { first, firing } = await fastFlapEndingInAlarm(deps);
    // What the counted request recorded is not what its incident would apply now (an analysis since changed it).
    const waiting = await deps.incidents.get(firing.incidentId);
    await deps.incidents.update(firing.incidentId, { approval: { ...waiting!.approval!, digest: '0123456789ab' } });

    await answeredByEmail(deps, first, '2026-11-20T10:15:00.000Z', { approvedBy: 'oncall-ana' });

    expect(approvalResumes.entries.size).toBe(0);
    expect((await deps.incidents.get(firing.incidentId))?.approval?.status).toBe('pending');
    expect(mailedTokens(published)).toEqual(['token-1', 'token-2']);
  });
});

/** ALARM at 10:03 (e-mailed with token-1) and, still firing, ALARM again at 10:12 (counted on it, token-2). */
async function firingTwice(deps: ReturnType<typeof carryDeps>['deps']) {
  const first = await askedAt(deps, '2026-11-20T10:03:12.000Z', 'token-1');
  const counted = await askedAt(deps, '2026-11-20T10:12:00.000Z', 'token-2');
  return { first, counted };
}

describe("an answer to the problem's e-mailed request, given while its incident still fires", () => {
  it('ends the wait counted on it with nothing applied: the runbook runs once, nobody is paged', async () => {
    // Prepare
    const { deps, published, approvalResumes, runner } = carryDeps();
    const { first, counted } = await firingTwice(deps);

    // Act: on-call approves the one e-mail; the runbook runs for the first firing; the reconciler runs a minute later.
    await answeredByEmail(deps, first, '2026-11-20T10:15:00.000Z', { approvedBy: 'oncall-ana' });
    const tasks = taskPort();
    const run = await resumeDecisionsAt(deps, approvalResumes, tasks, '2026-11-20T10:16:00.000Z');
    deps.clock = () => new Date('2026-11-20T10:16:01.000Z');
    const [, , cause] = tasks.calls[0] ?? [];
    await notifyStep({ trigger: counted, approvalError: { Error: 'ApprovalDecidedOnAnother', Cause: String(cause).replace(/^ApprovalDecidedOnAnother: /, '') } }, deps);

    // Assert: the counted execution is resumed with a failure that applies nothing (never ApplyApproved), once.
    expect(tasks.calls).toEqual([['fail', 'token-2', expect.stringMatching(/^ApprovalDecidedOnAnother: approved by oncall-ana by e-mail on the request of cw-\w+/)]]);
    expect(run.resumed).toEqual([counted.incidentId]);
    expect(runner.started).toHaveLength(1);
    const ended = await deps.incidents.get(counted.incidentId);
    expect(ended?.approval).toMatchObject({ status: 'approved', decidedBy: 'oncall-ana', decidedOn: first.incidentId, taskToken: null });
    expect(ended?.decision).toMatchObject({ action: 'comment_only', applied: false });
    expect(ended?.decision?.reason).toContain(`decided on ${first.incidentId}`);
    expect(ended?.history.find((entry) => entry.event === 'approval_resumed_late')?.detail).toBe(
      `the reconciler ended the execution's wait: approved by oncall-ana by e-mail on the request of ${first.incidentId}, which this firing was counted on, and decided on ${first.incidentId}: nothing is applied for this firing`,
    );
    expect(published).toHaveLength(1);
  });

  it('pages nobody when the counted wait times out before the reconciler ended it (the reconciler was down)', async () => {
    const { deps, published, runner } = carryDeps();
    const { first, counted } = await firingTwice(deps);
    await answeredByEmail(deps, first, '2026-11-20T10:15:00.000Z', { approvedBy: 'oncall-ana' });

    deps.clock = () => new Date('2026-11-20T14:12:00.000Z');
    await notifyStep({ trigger: counted, approvalError: { Error: 'States.Timeout', Cause: 'timed out' } }, deps);

    expect(published).toHaveLength(1);
    expect(runner.started).toHaveLength(1);
    expect((await deps.incidents.get(counted.incidentId))?.approval).toMatchObject({ status: 'approved', decidedOn: first.incidentId, taskToken: null });
  });

  it("keeps the reconciler's end of a timed-out counted wait recorded between its Notify's read and its write", async () => {
    // Prepare: the reconciler, back at 14:12:30, ends the counted wait Step Functions already timed out (the token is
    // spent) after the timed-out wait's Notify read the incident and before it wrote.
    const { deps, published, approvalResumes } = carryDeps();
    const { first, counted } = await firingTwice(deps);
    await answeredByEmail(deps, first, '2026-11-20T10:15:00.000Z', { approvedBy: 'oncall-ana' });
    const store = deps.incidents;
    const spent = taskPort(() => new TaskTokenSpentError('TaskTimedOut: Task Timed Out'));
    const reconciled: string[][] = [];
    deps.incidents = {
      ...store,
      async get(id) {
        const read = await store.get(id);
        if (id === counted.incidentId && reconciled.length === 0) {
          reconciled.push((await resumeDecisionsAt({ ...deps, incidents: store }, approvalResumes, spent, '2026-11-20T14:12:30.000Z')).spent);
        }
        return read;
      },
    };
    deps.clock = () => new Date('2026-11-20T14:12:00.000Z');

    // Act
    await notifyStep({ trigger: counted, approvalError: { Error: 'States.Timeout', Cause: 'timed out' } }, deps);

    // Assert: the reconciler's take stays on the record (an unconditional write put the approval back as Notify read
    // it), the wait is recorded ended with nothing applied, and nobody is paged for it.
    expect(reconciled).toEqual([[counted.incidentId]]);
    const ended = await store.get(counted.incidentId);
    expect(ended?.approval).toMatchObject({ status: 'approved', decidedOn: first.incidentId, taskToken: null, resumeTakenAt: '2026-11-20T14:12:30.000Z' });
    expect(ended?.decision).toMatchObject({ action: 'comment_only', applied: false });
    expect(ended?.history.filter((entry) => entry.event === 'approval_wait_ended')).toHaveLength(1);
    expect(published).toHaveLength(1);
  });

  it('ends the counted wait on a rejection too, and pages nobody', async () => {
    const { deps, published, approvalResumes } = carryDeps();
    const { first, counted } = await firingTwice(deps);

    await answeredByEmail(deps, first, '2026-11-20T10:15:00.000Z', { rejected: 'investigating by hand' });
    const tasks = taskPort();
    await resumeDecisionsAt(deps, approvalResumes, tasks, '2026-11-20T10:16:00.000Z');
    deps.clock = () => new Date('2026-11-20T10:16:01.000Z');
    await notifyStep({ trigger: counted, approvalError: { Error: 'ApprovalDecidedOnAnother', Cause: 'rejected' } }, deps);

    expect(tasks.calls).toEqual([['fail', 'token-2', expect.stringMatching(/^ApprovalDecidedOnAnother: rejected by on-call by e-mail on the request of cw-\w+/)]]);
    expect((await deps.incidents.get(counted.incidentId))?.approval).toMatchObject({ status: 'rejected', decidedOn: first.incidentId });
    expect(published).toHaveLength(1);
  });

  it('pages nobody when the reconciler gives up ending a counted wait: its timeout ends it, with nothing to do', async () => {
    // Prepare: the counted wait outlasts the reconciler's tries (a long approvalTimeoutMinutes), and Step Functions refuses each.
    const { deps, published, approvalResumes } = carryDeps();
    const { first, counted } = await firingTwice(deps);
    const waiting = await deps.incidents.get(counted.incidentId);
    await deps.incidents.update(counted.incidentId, { approval: { ...waiting!.approval!, expiresAt: '2026-11-22T10:12:00.000Z' } });
    await answeredByEmail(deps, first, '2026-11-20T10:15:00.000Z', { approvedBy: 'oncall-ana' });
    const refused = taskPort(() => Object.assign(new Error('AccessDeniedException'), { name: 'AccessDeniedException' }));

    // Act: the reconciler tries at each due time until it gives up.
    const abandoned: string[] = [];
    let at = Date.parse('2026-11-20T10:16:00.000Z');
    for (let run = 0; run < 10 && abandoned.length === 0; run += 1) {
      abandoned.push(...(await resumeDecisionsAt(deps, approvalResumes, refused, new Date(at).toISOString())).abandoned);
      at = Date.parse([...approvalResumes.entries.values()][0]?.entry.dueAt ?? new Date(at).toISOString()) + deps.config.RECONCILE_AFTER_MINUTES * 60_000;
    }
    deps.clock = () => new Date('2026-11-22T10:12:00.000Z');
    await notifyStep({ trigger: counted, approvalError: { Error: 'States.Timeout', Cause: 'timed out' } }, deps);

    // Assert: given up without a page (nothing is left for anyone to do), and its timeout pages nobody either.
    expect(abandoned).toEqual([counted.incidentId]);
    expect(published).toHaveLength(1);
    expect((await deps.incidents.get(counted.incidentId))?.history.find((entry) => entry.event === 'approval_resume_abandoned')?.detail).toMatch(/ends at its timeout, with nothing applied/);
  });

  it('e-mails nothing for a firing whose wait the answer ended while it was being counted', async () => {
    const { deps, published, runner } = carryDeps();
    const first = await askedAt(deps, '2026-11-20T10:03:12.000Z', 'token-1');
    // The answer's Notify runs just after the firing's Notify named itself on the holder, before it read the holder again.
    const update = deps.incidents.update.bind(deps.incidents);
    let answered = false;
    deps.incidents.update = async (id, fields, append) => {
      const updated = await update(id, fields, append);
      if (!answered && append?.history?.some((entry) => entry.event === 'approval_request_counted')) {
        answered = true;
        await answeredByEmail(deps, first, '2026-11-20T10:12:00.500Z', { approvedBy: 'oncall-ana' });
      }
      return updated;
    };

    const counted = await askedAt(deps, '2026-11-20T10:12:00.000Z', 'token-2');

    expect(answered).toBe(true);
    expect(mailedTokens(published)).toEqual(['token-1']);
    expect((await deps.incidents.get(counted.incidentId))?.approval).toMatchObject({ status: 'approved', decidedOn: first.incidentId });
    expect(runner.started).toHaveLength(1);
  });

  it('ends each counted wait once after a Notify killed midway, and the reconciler resumes each once', async () => {
    const { deps, published, approvalResumes, runner } = carryDeps();
    const { first, counted } = await firingTwice(deps);
    const third = await askedAt(deps, '2026-11-20T10:13:00.000Z', 'token-3');
    const replaceApproval = deps.incidents.replaceApproval.bind(deps.incidents);
    let ended = 0;
    deps.incidents.replaceApproval = async (id, expected, approval, append) => {
      if (approval.decidedOn && ++ended === 2) throw new Error('killed');
      return replaceApproval(id, expected, approval, append);
    };
    await expect(answeredByEmail(deps, first, '2026-11-20T10:15:00.000Z', { approvedBy: 'oncall-ana' })).rejects.toThrow('killed');
    deps.incidents.replaceApproval = replaceApproval;
    // Step Functions retries the Notify that died (the runbook ran before it: ApplyApproved is not run again).
    deps.clock = () => new Date('2026-11-20T10:15:10.000Z');
    await notifyStep({ trigger: first, approval: { approvedBy: 'oncall-ana' } }, deps);

    const tasks = taskPort();
    await resumeDecisionsAt(deps, approvalResumes, tasks, '2026-11-20T10:16:00.000Z');
    await resumeDecisionsAt(deps, approvalResumes, tasks, '2026-11-20T10:40:00.000Z');

    expect(tasks.calls.map(([kind, token]) => `${kind} ${token}`).sort()).toEqual(['fail token-2', 'fail token-3']);
    expect(approvalResumes.entries.size).toBe(0);
    for (const { incidentId } of [counted, third]) expect((await deps.incidents.get(incidentId))?.approval).toMatchObject({ decidedOn: first.incidentId, taskToken: null });
    expect(runner.started).toHaveLength(1);
    expect(published).toHaveLength(1);
  });
});

describe("an approved runbook and its alarm's episode (session 41)", () => {
  const distinctRuns = (runner: ReturnType<typeof createScriptedRunbookRunner>) => new Set(runner.started.map((r) => r.clientToken)).size;

  /** The episode's first ALARM (10:03:12) asks for approval; its second (10:07, no OK between) asks too while the first waits. */
  async function twoAskingIncidentsOfOneEpisode() {
    const { deps, runner } = carryDeps();
    const first = await askedAt(deps, '2026-11-20T10:03:12.000Z', 'token-1');
    const second = await askedAt(deps, '2026-11-20T10:07:00.000Z', 'token-2');
    return { deps, runner, first, second };
  }

  // In the answers' order: the second approved after the first's run counts on the run it finds among the episode's
  // earlier incidents; the first (older) approved after the second's finds none earlier, and counts on the claim.
  it.each([
    { answered: 'first, then second', order: ['first', 'second'] as const, counted: (ran: string) => `still fires since its incident ${ran}, whose runbook ran` },
    { answered: 'second, then first', order: ['second', 'first'] as const, counted: (ran: string) => `its incident ${ran} claimed first` },
  ])('runs once for an episode both of whose ALARMs are approved, answered $answered', async ({ order, counted }) => {
    const incidents = await twoAskingIncidentsOfOneEpisode();
    const { deps, runner } = incidents;
    const [ran, later] = order.map((which) => incidents[which]) as [Trigger, Trigger];

    // Act: one is approved and runs the runbook; then the other's request is answered as well.
    await answeredByEmail(deps, ran, '2026-11-20T10:09:00.000Z', { approvedBy: 'oncall-ana' });
    expect(distinctRuns(runner)).toBe(1);
    await answeredByEmail(deps, later, '2026-11-20T10:10:00.000Z', { approvedBy: 'oncall-ben' });

    // Assert: one run for the episode; the later answered is counted on it.
    expect(distinctRuns(runner)).toBe(1);
    expect((await deps.incidents.get(later.incidentId))?.decision).toMatchObject({ action: 'comment_only', reason: expect.stringContaining(counted(ran.incidentId)) });
  });

  it('runs once when a second incident of the episode is approved while the first approved run is being followed', async () => {
    const { deps, runner, first, second } = await twoAskingIncidentsOfOneEpisode();
    // The second's answer is handled while the first's runbook runs (its step follows the run for minutes, its
    // incident still awaiting_approval until the decision is recorded).
    const status = runner.status.bind(runner);
    let answered = false;
    runner.status = async (executionId) => {
      if (!answered) {
        answered = true;
        await remediateStep({ trigger: second, approval: { approvedBy: 'oncall-ben' } }, deps);
      }
      return status(executionId);
    };

    deps.clock = () => new Date('2026-11-20T10:09:00.000Z');
    await remediateStep({ trigger: first, approval: { approvedBy: 'oncall-ana' } }, deps);

    expect(distinctRuns(runner)).toBe(1);
    expect((await deps.incidents.get(second.incidentId))?.decision).toMatchObject({ action: 'comment_only', reason: expect.stringContaining(first.incidentId) });
  });
});
