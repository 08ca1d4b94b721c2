import { describe, expect, it } from 'vitest';
import { automationClientToken, parseRunbookMappings } from '../../shared/remediation/runbooks.js';
import { ClientTokenUsedError } from '../../shared/remediation/runbook-runner.js';
import { notifyStep } from '../../shared/steps/notify.js';
import { remediateStep } from '../../shared/steps/remediate.js';
import { RunbookHolderStartingError } from '../../shared/errors.js';
import { createEpisodeRunbookClaims } from '../../shared/stores/runbook-checks.js';
import { createMemoryApprovalResumes, createScriptedRunbookRunner, remediationDeps, scriptedAnalyzer, stepDeps } from '../support/fakes.js';
import { scratchStoreForFile } from '../support/harness.js';
import { askedAt } from '../support/alarm-approvals.js';
import { recordAlarmRecovery } from '../../shared/steps/record-outcome.js';
import { pageRunbooksThatDidNotFix } from '../../shared/reconcile/runbook-checks.js';
import { CHECKOUT_RUNBOOK, alarmEvent, holderFollowFailedForGood, holderStartFailedForGood, runbookEpisode } from '../support/alarm-events.js';
import { alarmEventSchema, alarmTriggerFromEvent } from '../../shared/domain/trigger.js';
import { analyzeStep } from '../../shared/steps/analyze.js';
import { classifyStep } from '../../shared/steps/classify.js';

/*
 * Attack pass 44b on session 42's "one runbook run per alarm episode": the holder's decision after its start, the
 * run a later ALARM follows for a dead holder, crashes and retries around that follow.
 */

const HIGH = [{ alarmNamePrefix: 'checkout-api-', document: 'Restart-Checkout-Api', parameters: {}, severity: 'high' }];
const scratch = scratchStoreForFile('guard-a44b-claims');
const tokens = (runner: { started: Array<{ clientToken: string }> }) => runner.started.map((r) => r.clientToken);
let alarms = 0;

/** Two ALARMs of one episode of an automatic runbook's alarm, classified and analysed; the runner answers `status`. */
const episode = (status = 'Success', env: Record<string, string> = {}, policyFile: Record<string, unknown> = {}) => runbookEpisode(scratch.client, 'a44b', ++alarms, { status, env, policyFile });

describe('attack-44b: a holder whose run was started and then decided escalate', () => {
  // attack-44b finding R1: a holder whose run is still running at RUNBOOK_WAIT_SECONDS decides `escalate`, which reads as "no run": the next ALARM of the episode starts a second run while the first still runs (fixed, session 42)
  it('starts no second run in the episode while the holder\'s run is still going (holder stopped following it)', async () => {
    const { deps, runner, first, second } = await episode('InProgress', { RUNBOOK_WAIT_SECONDS: '0' });
    await remediateStep({ trigger: first }, deps);
    await notifyStep({ trigger: first }, deps);
    const holder = await deps.incidents.get(first.incidentId);
    console.log('R1 holder decision', holder?.decision, 'exec', holder?.runbookExecutionId);

    await remediateStep({ trigger: second }, deps);
    console.log('R1 starts', tokens(runner), 'second decision', (await deps.incidents.get(second.incidentId))?.decision);
    expect(new Set(tokens(runner))).toEqual(new Set([automationClientToken(first.incidentId)]));
  });

  // attack-44b finding R2: a holder whose run finished Failed decides `escalate` (applied), which reads as "no run": the episode's next ALARM restarts the service a second time (fixed, session 42)
  it('runs the runbook once in the episode when the holder\'s run failed', async () => {
    const { deps, runner, first, second } = await episode('Failed');
    await remediateStep({ trigger: first }, deps);
    await notifyStep({ trigger: first }, deps);
    console.log('R2 holder decision', (await deps.incidents.get(first.incidentId))?.decision);
    await remediateStep({ trigger: second }, deps);
    await notifyStep({ trigger: second }, deps);
    console.log('R2 starts', tokens(runner), 'second decision', (await deps.incidents.get(second.incidentId))?.decision);
    expect(new Set(tokens(runner))).toEqual(new Set([automationClientToken(first.incidentId)]));
  });
});

/** A third ALARM of `name`'s episode (10:12, after INSUFFICIENT_DATA at 10:11), classified and analysed. */
async function thirdAlarm(deps: Awaited<ReturnType<typeof episode>>['deps'], name: string, minute = '12') {
  const event = alarmEvent('a44b', 'ALARM', `2026-11-20T10:${minute}:00.000+0000`, { name, previous: { value: 'INSUFFICIENT_DATA', at: '2026-11-20T10:11:00.000+0000' } });
  const trigger = alarmTriggerFromEvent(alarmEventSchema.parse(event));
  await classifyStep({ trigger }, deps);
  await analyzeStep({ trigger }, deps);
  return trigger;
}

describe('attack-44b: two later ALARMs and the dead holder\'s run', () => {
  // attack-44b finding R3 (fixed, session 42): a third ALARM handled while the second follows the dead holder's run (up to RUNBOOK_WAIT_SECONDS) follows it too: the one failed run is escalated twice, on two incidents
  it('records and escalates the dead holder\'s failed run once when a third ALARM comes while the second follows it', async () => {
    const { deps, published, runner, first, second, name } = await episode('Failed');
    await holderStartFailedForGood(deps, first);
    const third = await thirdAlarm(deps, name);
    const pagesBefore = published.length;
    const status = deps.remediation.runner.status.bind(deps.remediation.runner);
    let thirdDone = false;
    deps.remediation.runner.status = async (id) => {
      if (!thirdDone) {
        thirdDone = true;
        // The second polls the run (minutes): the third ALARM of the episode is handled meanwhile.
        await remediateStep({ trigger: third }, deps);
        await notifyStep({ trigger: third }, deps);
      }
      return status(id);
    };
    await remediateStep({ trigger: second }, deps);
    await notifyStep({ trigger: second }, deps);

    const decisions = await Promise.all([second, third].map(async (t) => (await deps.incidents.get(t.incidentId))?.decision));
    const escalations = await Promise.all([second, third].map(async (t) => (await deps.incidents.get(t.incidentId))?.notifications.filter((n) => n.target === 'escalation-topic').length));
    console.log('R3 starts', tokens(runner), 'decisions', decisions.map((d) => `${d?.action}/${d?.applied}: ${d?.result}`), 'escalations', escalations, 'published', published.slice(pagesBefore).map((p) => p.subject));
    for (const t of [first, second, third]) console.log('R3 notes', t.incidentId, JSON.stringify((await deps.incidents.get(t.incidentId))?.notifications));
    const claimingTheRun = decisions.filter((d) => d?.result?.includes('(exec-1) finished'));
    expect(claimingTheRun).toHaveLength(1);
  });

  // Session 42 (R3, R4 fix): the follow claim binds no one whose step ended without recording the run: a third ALARM follows it then
  it("lets a third ALARM follow the dead holder's run when the second, which took the follow claim, failed for good", async () => {
    const { deps, first, second, name } = await episode('Success');
    await holderStartFailedForGood(deps, first);
    const status = deps.remediation.runner.status.bind(deps.remediation.runner);
    deps.remediation.runner.status = async () => {
      throw new Error('ThrottlingException: Rate exceeded');
    };
    for (let attempt = 0; attempt < 4; attempt += 1) await expect(remediateStep({ trigger: second }, deps)).rejects.toThrow('Rate exceeded');
    await notifyStep({ trigger: second, remediateError: { Error: 'Error', Cause: 'ThrottlingException: Rate exceeded' } }, deps);
    deps.remediation.runner.status = status;

    const third = await thirdAlarm(deps, name);
    await remediateStep({ trigger: third }, deps);
    expect((await deps.incidents.get(third.incidentId))?.decision).toMatchObject({
      action: 'run_runbook',
      result: expect.stringContaining('(exec-1) finished: Success'),
      followedRun: { holder: first.incidentId, executionId: 'exec-1' },
    });
  });

  // attack-44b finding R4 (fixed, session 42): two later ALARMs at once (concurrent executions) after the holder died both follow its run: a successful run is recorded as applied on both and two runbook checks are scheduled
  it('records the dead holder\'s run on one incident when two later ALARMs are remediated at once', async () => {
    const { deps, runner, runbookChecks, first, second, name } = await episode('Success');
    await holderStartFailedForGood(deps, first);
    const third = await thirdAlarm(deps, name);
    await Promise.all([remediateStep({ trigger: second }, deps), remediateStep({ trigger: third }, deps)]);
    const decisions = await Promise.all([second, third].map(async (t) => (await deps.incidents.get(t.incidentId))?.decision));
    console.log('R4 starts', tokens(runner), 'decisions', decisions.map((d) => `${d?.action}/${d?.applied}: ${d?.result}`), 'checks', runbookChecks.entries);
    expect(new Set(tokens(runner)).size).toBe(1);
    expect(decisions.filter((d) => d?.action === 'run_runbook' && d.applied)).toHaveLength(1);
    expect(runbookChecks.entries).toHaveLength(1);
  });
});

/**
 * A try of the holder's (`first`'s) step whose own calls to SSM time out (its Lambda's network), while the other
 * incidents' starts, from other Lambdas, get through.
 */
function holderTriesTimingOut(deps: Awaited<ReturnType<typeof episode>>['deps'], first: Awaited<ReturnType<typeof episode>>['first']) {
  const start = deps.remediation.runner.start.bind(deps.remediation.runner);
  let inHolder = false;
  deps.remediation.runner.start = async (request) => {
    if (inHolder) throw new Error('connect ETIMEDOUT');
    return start(request);
  };
  return async () => {
    inHolder = true;
    await expect(remediateStep({ trigger: first }, deps)).rejects.toThrow('ETIMEDOUT');
    inHolder = false;
  };
}

describe('attack-44b: the holder dies after a later ALARM counted on it', () => {
  // attack-44b finding R5 (the fixer's known doubt 1, shown): the holder is between its tries when the second ALARM makes its start again (not followed: the holder is not `notified`); the holder then fails for good elsewhere, and the run SSM made is followed by nobody: no decision records it, no check is scheduled
  // Fixed (session 42): the second's start, answered on a live holder, schedules a runbook check of the holder; the
  // reconciler follows the run once the holder's step ended without its outcome, records it and pages.
  it("records the outcome of the run the second ALARM started for a holder still in its retries, once the holder failed for good (fixed, session 42)", async () => {
    const { deps, published, runner, runbookChecks, first, second } = await episode('Failed');
    const holderTry = holderTriesTimingOut(deps, first);
    await holderTry();
    await holderTry();
    console.log('R5 holder between tries', (await deps.incidents.get(first.incidentId))?.status);
    await remediateStep({ trigger: second }, deps);
    await notifyStep({ trigger: second }, deps);
    await holderTry();
    await holderTry();
    await notifyStep({ trigger: first, remediateError: { Error: 'Error', Cause: 'connect ETIMEDOUT' } }, deps);
    const pagesBefore = published.length;
    const reconcile = { ...deps, runbookChecks, runbookRunner: deps.remediation.runner, episodeRunbooks: deps.remediation.episodeRunbooks, policyFile: {}, clock: () => new Date('2026-11-20T14:30:00Z') };
    await pageRunbooksThatDidNotFix(reconcile, { maxPerRun: 25, lookbackHours: 48, notEndedMinutes: 120 });
    await pageRunbooksThatDidNotFix(reconcile, { maxPerRun: 25, lookbackHours: 48, notEndedMinutes: 120 });

    const decisions = await Promise.all([first, second].map(async (t) => (await deps.incidents.get(t.incidentId))?.decision));
    console.log('R5 starts', tokens(runner), 'decisions', decisions.map((d) => `${d?.action}/${d?.applied}: ${d?.result}`), 'checks', runbookChecks.entries);
    expect(tokens(runner)).toEqual([automationClientToken(first.incidentId)]);
    // Required: the run that happened (exec-1, Failed) is recorded on some incident's decision, which its Notify tells.
    expect(decisions.some((d) => d?.result?.includes('(exec-1) finished'))).toBe(true);
    // Told once, on the followed run's own page, with how it ended.
    expect(published.slice(pagesBefore)).toHaveLength(1);
    expect(published.at(-1)?.message).toContain('(exec-1) finished: Failed');
    expect(runbookChecks.entries).toEqual([]);
  });

  // attack-44b finding R5, in part (session 42): the execution the second's start answered is written on the holder, so once the holder failed for good the episode's next ALARM follows that execution by its id, and makes no start again (SSM documents no time for which it remembers a token)
  it("follows, by its execution and with no start made, the run the second ALARM's start answered once the holder failed for good", async () => {
    const { deps, runner, first, second, name } = await episode('Failed');
    const holderTry = holderTriesTimingOut(deps, first);
    await holderTry();
    await remediateStep({ trigger: second }, deps);
    await notifyStep({ trigger: second }, deps);
    await holderTry();
    await notifyStep({ trigger: first, remediateError: { Error: 'Error', Cause: 'connect ETIMEDOUT' } }, deps);
    const starts = runner.started.length;

    const third = await thirdAlarm(deps, name);
    await remediateStep({ trigger: third }, deps);
    expect(runner.started).toHaveLength(starts);
    expect((await deps.incidents.get(third.incidentId))?.decision).toMatchObject({
      action: 'escalate',
      result: expect.stringContaining('(exec-1) finished: Failed'),
      followedRun: { holder: first.incidentId, executionId: 'exec-1' },
    });
  });

  // attack-44b finding R6: a second approved ALARM handled while the approved holder is between its claim and its start counts on it ("approved by …, but … counted on that run"); the holder then dies before its start on every try: the episode runs nothing though a human approved it twice (fixed, session 42)
  // Re-pinned in session 42: the second's step no longer counts on a holder between its claim and its start, it fails
  // with RunbookHolderStartingError, which the state machine retries; the test makes that retry (the step called again,
  // as Step Functions would) once the holder failed for good. Required outcome unchanged: the episode runs once.
  it('runs the runbook once when the approved holder died before its start after the second approval counted on it (fixed, session 42)', async () => {
    const runner = createScriptedRunbookRunner();
    const { deps } = stepDeps({
      analyzer: scriptedAnalyzer({ proposedAction: 'run_runbook', confidence: 0.85 }),
      remediation: remediationDeps({ runbooks: parseRunbookMappings(JSON.stringify(HIGH)), runner }),
      approvalResumes: createMemoryApprovalResumes(),
    });
    const first = await askedAt(deps, '2026-11-20T10:03:12.000Z', 'token-1');
    const second = await askedAt(deps, '2026-11-20T10:07:00.000Z', 'token-2');
    const reserve = deps.remediation.guards.reserve.bind(deps.remediation.guards);
    let secondTried = false;
    deps.remediation.guards.reserve = async (scope, limits, incidentId) => {
      if (incidentId === first.incidentId) {
        if (!secondTried) {
          secondTried = true;
          deps.clock = () => new Date('2026-11-20T10:09:01.000Z');
          await expect(remediateStep({ trigger: second, approval: { approvedBy: 'oncall-ben' } }, deps)).rejects.toThrow(RunbookHolderStartingError);
        }
        throw new Error('Task timed out');
      }
      return reserve(scope, limits, incidentId);
    };
    deps.clock = () => new Date('2026-11-20T10:09:00.000Z');
    for (let attempt = 0; attempt < 4; attempt += 1) {
      await expect(remediateStep({ trigger: first, approval: { approvedBy: 'oncall-ana' } }, deps)).rejects.toThrow('Task timed out');
    }
    await notifyStep({ trigger: first, approval: { approvedBy: 'oncall-ana' }, remediateError: { Error: 'Error', Cause: 'Task timed out' } }, deps);
    deps.remediation.guards.reserve = reserve;

    deps.clock = () => new Date('2026-11-20T10:10:00.000Z');
    await remediateStep({ trigger: second, approval: { approvedBy: 'oncall-ben' } }, deps);
    await notifyStep({ trigger: second, approval: { approvedBy: 'oncall-ben' } }, deps);
    const secondIncident = await deps.incidents.get(second.incidentId);
    console.log('R6 starts', tokens(runner), 'second', secondIncident?.status, secondIncident?.decision?.action, secondIncident?.decision?.reason);
    console.log('R6 first', (await deps.incidents.get(first.incidentId))?.decision);
    expect(tokens(runner)).toEqual([automationClientToken(second.incidentId)]);
    expect(secondIncident?.decision).toMatchObject({ action: 'run_runbook', applied: true });
  });
});

describe('attack-44b: OK between the claim and the start', () => {
  // attack-44b finding R7: the alarm's OK resolves the holder after it took the claim and before its start (its rate-limit reservation): the runbook starts anyway, for an alarm already OK (fixed, session 42)
  it('starts no runbook for an incident its OK resolved between its claim and its start', async () => {
    const { deps, runner, first, name } = await episode('Success');
    const reserve = deps.remediation.guards.reserve.bind(deps.remediation.guards);
    deps.remediation.guards.reserve = async (scope, limits, incidentId) => {
      const ok = alarmEvent('a44b', 'OK', '2026-11-20T10:01:00.000+0000', { name, previous: { value: 'ALARM', at: '2026-11-20T10:00:00.000+0000' } });
      console.log('R7 OK', JSON.stringify(await recordAlarmRecovery(ok, deps as never)));
      return reserve(scope, limits, incidentId);
    };
    await remediateStep({ trigger: first }, deps);
    const holder = await deps.incidents.get(first.incidentId);
    console.log('R7 starts', tokens(runner), 'holder', holder?.status, holder?.decision?.action, holder?.decision?.result);
    expect(holder?.status).toBe('resolved');
    expect(runner.started).toHaveLength(0);
  });
});

describe("attack-44b: a retry of the later incident's step after its last write", () => {
  // attack-44b finding R8 (fixed, session 42): the retry guard (the text "(<executionId>)" in the decision) is reached only when the retry plans run_runbook again; the followed run's own failure, counted on the breaker, makes the retry plan `escalate` ("circuit breaker open") and that decision replaces the run's outcome
  it("keeps the followed run's failure as the decision when the retry re-plans after that failure opened the breaker", async () => {
    const { deps, first, second } = await episode('Failed', {}, { defaults: { circuitBreaker: { minSamples: 1 } } });
    await holderStartFailedForGood(deps, first);
    await remediateStep({ trigger: second }, deps);
    const followed = (await deps.incidents.get(second.incidentId))?.decision;
    // The Lambda dies after the step's last write (the holder's execution), before it answers: the state machine retries it.
    await remediateStep({ trigger: second }, deps);
    await notifyStep({ trigger: second }, deps);
    const later = await deps.incidents.get(second.incidentId);
    console.log('R8 followed', followed?.result, '| after the retry', later?.decision?.action, later?.decision?.reason, '|', later?.decision?.result);
    expect(followed?.result).toContain('(exec-1) finished: Failed');
    expect(later?.decision?.result).toContain('(exec-1) finished: Failed');
  });
});

describe('attack-44b: what held', () => {
  it("leaves the run to the holder's own retry when the second ALARM comes between the holder's tries (the holder then records it)", async () => {
    const { deps, runner, runbookChecks, first, second } = await episode('Success');
    const start = deps.remediation.runner.start.bind(deps.remediation.runner);
    let failHolder = true;
    deps.remediation.runner.start = async (request) => {
      if (failHolder && request.clientToken === automationClientToken(first.incidentId)) {
        failHolder = false;
        throw new Error('connect ETIMEDOUT');
      }
      return start(request);
    };
    await expect(remediateStep({ trigger: first }, deps)).rejects.toThrow('ETIMEDOUT');
    await remediateStep({ trigger: second }, deps);
    await notifyStep({ trigger: second }, deps);
    await remediateStep({ trigger: first }, deps);
    await notifyStep({ trigger: first }, deps);
    const [holder, later] = await Promise.all([first, second].map((t) => deps.incidents.get(t.incidentId)));
    expect(new Set(tokens(runner))).toEqual(new Set([automationClientToken(first.incidentId)]));
    expect(holder?.decision).toMatchObject({ action: 'run_runbook', applied: true, result: expect.stringContaining('(exec-1) finished: Success') });
    expect(later?.decision).toMatchObject({ action: 'comment_only', result: expect.stringContaining('answered exec-1') });
    // One check, the holder's run's: the one the second's answered start scheduled (session 42, R5) was dropped once
    // the holder's own step recorded the run's outcome (session 43: one check of the run, whoever learns it last).
    expect(runbookChecks.entries).toEqual([{ incidentId: first.incidentId, dueAt: '2026-11-20T14:20:00.000Z' }]);
  });

  it('a third ALARM after the second followed the dead holder\'s run neither starts nor follows it again', async () => {
    const { deps, runner, runbookChecks, first, second, name } = await episode('Success');
    await holderStartFailedForGood(deps, first);
    await remediateStep({ trigger: second }, deps);
    await notifyStep({ trigger: second }, deps);
    const third = await thirdAlarm(deps, name);
    await remediateStep({ trigger: third }, deps);
    expect(new Set(tokens(runner)).size).toBe(1);
    expect(runner.started).toHaveLength(1);
    expect((await deps.incidents.get(third.incidentId))?.decision).toMatchObject({ action: 'comment_only', result: 'nothing applied' });
    expect(runbookChecks.entries.map((e) => e.incidentId)).toEqual([second.incidentId]);
  });
});

describe('attack-44b: runs whose outcome nobody records', () => {
  // attack-44b finding R9 (fixed, session 42): a holder whose start answered (runbookExecutionId recorded) but whose following of the run failed on every try (GetAutomationExecution throttled) ends with "failed: …"; the episode's later ALARMs count on it as confirmed and nobody ever reads the run's outcome (session 42 follows only an unconfirmed start)
  it("records the outcome of a holder's run whose following died on every try, when a later ALARM counts on it", async () => {
    const { deps, runner, runbookChecks, first, second } = await episode('Failed');
    await holderFollowFailedForGood(deps, first);

    await remediateStep({ trigger: second }, deps);
    await notifyStep({ trigger: second }, deps);
    const decisions = await Promise.all([first, second].map(async (t) => (await deps.incidents.get(t.incidentId))?.decision));
    console.log('R9 starts', tokens(runner), 'exec', (await deps.incidents.get(first.incidentId))?.runbookExecutionId, 'decisions', decisions.map((d) => `${d?.action}/${d?.applied}: ${d?.reason} — ${d?.result}`), 'checks', runbookChecks.entries);
    expect(new Set(tokens(runner)).size).toBe(1);
    expect(decisions.some((d) => d?.result?.includes('(exec-1) finished'))).toBe(true);
  });

  // attack-44b suspicion (fixed, session 42): the followed run's failure was counted on the holder's page, which said its start failed ("nothing ran"): on-call's only message hid that the runbook ran and failed
  it("pages on-call with the followed run's own outcome, not only a count on the holder's page", async () => {
    const { deps, published, first, second } = await episode('Failed');
    await holderStartFailedForGood(deps, first);
    const before = published.length;
    await remediateStep({ trigger: second }, deps);
    await notifyStep({ trigger: second }, deps);
    const later = await deps.incidents.get(second.incidentId);
    console.log('follow page', later?.notifications, published.slice(before).map((m) => m.subject));
    expect(later?.notifications.filter((n) => n.target === 'escalation-topic').map((n) => n.outcome)).toEqual(['published']);
    expect(JSON.stringify(published.slice(before))).toContain(`the runbook run of its incident ${first.incidentId}`);
  });

  // attack-44b finding R10 (fixed, session 42) (the fixer's known doubt 4, shown): the run a later ALARM follows for a dead holder is counted in no action metric (ActionsAttempted / ActionsSucceeded), while the same run followed by its holder is
  it('counts the followed run of a dead holder in the action metrics', async () => {
    const { deps, first, second } = await episode('Success');
    const counted: Array<{ name: string; dimensions?: Record<string, string> }> = [];
    deps.metrics = { count: (name, _value, dimensions) => void counted.push({ name, dimensions }), measure: () => undefined };
    await holderStartFailedForGood(deps, first);
    const beforeFollow = counted.length;
    await remediateStep({ trigger: second }, deps);
    const actions = counted.slice(beforeFollow).filter((c) => c.name === 'ActionsAttempted' || c.name === 'ActionsSucceeded');
    console.log('R10 metrics of the follow', actions, 'all', counted.slice(beforeFollow).map((c) => c.name));
    expect(actions.map((c) => c.name).sort()).toEqual(['ActionsAttempted', 'ActionsSucceeded']);
  });
});

describe('attack-44b: incidents stored before the start marker', () => {
  // attack-44b finding R11 (the fixer's known doubt 3, shown): a holder stored before session 41 (no runbookStartAttemptedAt) whose start SSM accepted but whose answer was lost on every try reads as "not started" since session 42 (its failed decision no longer counts): the episode's next ALARM starts a second run (fixed, session 42)
  it('starts no second run for an episode whose pre-session-41 holder recorded a failed run_runbook decision', async () => {
    const { deps, runner, first, second } = await episode('Success');
    const start = deps.remediation.runner.start.bind(deps.remediation.runner);
    deps.remediation.runner.start = async (request) => {
      await start(request);
      throw new Error('Task timed out'); // SSM accepted the start; the Lambda died before its answer
    };
    for (let attempt = 0; attempt < 4; attempt += 1) await expect(remediateStep({ trigger: first }, deps)).rejects.toThrow('Task timed out');
    deps.remediation.runner.start = start;
    await notifyStep({ trigger: first, remediateError: { Error: 'Error', Cause: 'Task timed out' } }, deps);
    // As session 40's code stored it: no start marker.
    await deps.incidents.update(first.incidentId, { runbookStartAttemptedAt: undefined });
    await remediateStep({ trigger: second }, deps);
    console.log('R11 starts', tokens(runner), 'second', (await deps.incidents.get(second.incidentId))?.decision?.result);
    expect(new Set(tokens(runner))).toEqual(new Set([automationClientToken(first.incidentId)]));
  });
});

describe('attack-44b: the approved holder between its claim and its runbookClaimedAt write', () => {
  // attack-44b finding R12: the approved holder's claim and its `runbookClaimedAt` are two writes; a second approved ALARM whose claim reads the holder between them finds an approved holder that "waits for approval" without runbookClaimedAt, takes the claim over, and both restart the service (session 42 closed the gap only after that write) (fixed, session 42)
  it('runs once when the second approved ALARM claims between the first\'s claim and its runbookClaimedAt write', async () => {
    const runner = createScriptedRunbookRunner();
    const { deps } = stepDeps({
      analyzer: scriptedAnalyzer({ proposedAction: 'run_runbook', confidence: 0.85 }),
      remediation: remediationDeps({
        runbooks: parseRunbookMappings(JSON.stringify(HIGH)),
        runner,
        episodeRunbooks: createEpisodeRunbookClaims({ client: scratch.client, tableName: 'incidents' }),
      }),
      approvalResumes: createMemoryApprovalResumes(),
    });
    const first = await askedAt(deps, '2026-11-20T10:03:12.000Z', 'token-1', 'checkout-api-a44b-r12');
    const second = await askedAt(deps, '2026-11-20T10:07:00.000Z', 'token-2', 'checkout-api-a44b-r12');
    const update = deps.incidents.update.bind(deps.incidents);
    let secondDone = false;
    deps.incidents.update = async (id, fields, append) => {
      if (id === first.incidentId && 'runbookClaimedAt' in fields && !secondDone) {
        // The first took the claim and has not written runbookClaimedAt yet: the second's approval (one e-mail approving both) is handled now.
        // Since session 42 (R6) the second does not count on a holder that has not gone to its start: its step fails
        // with RunbookHolderStartingError, and the state machine's retry of it (below) counts on the first's run.
        secondDone = true;
        await expect(remediateStep({ trigger: second, approval: { approvedBy: 'oncall-ana' } }, deps)).rejects.toThrow(RunbookHolderStartingError);
      }
      return update(id, fields, append);
    };
    deps.clock = () => new Date('2026-11-20T10:09:00.000Z');
    await remediateStep({ trigger: first, approval: { approvedBy: 'oncall-ana' } }, deps);
    await remediateStep({ trigger: second, approval: { approvedBy: 'oncall-ana' } }, deps);
    console.log('R12 starts', tokens(runner), 'second', (await deps.incidents.get(second.incidentId))?.decision?.result);
    expect(secondDone).toBe(true);
    expect(tokens(runner)).toEqual([automationClientToken(first.incidentId)]);
  });
});

describe("attack-44b: the dead holder's token answered by SSM's refusal", () => {
  // attack-44b finding R13 (fixed, session 42): the runbook mapping's parameters changed (a deploy) after the dead holder's start, which SSM accepted with its answer lost: the later ALARM's start with the holder's token is refused (IdempotentParameterMismatch, "an earlier execution"), nothing is followed, and the holder never gets an execution: the run's outcome is recorded nowhere, and every later ALARM asks again
  it("records the outcome of the holder's run, as not known, once when its token's start is refused for changed parameters", async () => {
    const { deps, runner, first, second, name } = await episode('Failed');
    const start = deps.remediation.runner.start.bind(deps.remediation.runner);
    deps.remediation.runner.start = async (request) => {
      const earlier = runner.started.find((r) => r.clientToken === request.clientToken);
      if (earlier && JSON.stringify(earlier.parameters) !== JSON.stringify(request.parameters)) {
        throw new ClientTokenUsedError(request.clientToken, 'IdempotentParameterMismatch');
      }
      return start(request);
    };
    const accepted = deps.remediation.runner.start;
    deps.remediation.runner.start = async (request) => {
      await accepted(request);
      throw new Error('Task timed out'); // SSM accepted the start; the Lambda died before its answer
    };
    for (let attempt = 0; attempt < 4; attempt += 1) await expect(remediateStep({ trigger: first }, deps)).rejects.toThrow('Task timed out');
    deps.remediation.runner.start = accepted;
    await notifyStep({ trigger: first, remediateError: { Error: 'Error', Cause: 'Task timed out' } }, deps);
    // The deploy: the mapping now passes a parameter.
    deps.remediation.runbooks = parseRunbookMappings(JSON.stringify([{ ...CHECKOUT_RUNBOOK[0], parameters: { Mode: ['graceful'] } }]));

    await remediateStep({ trigger: second }, deps);
    await notifyStep({ trigger: second }, deps);
    const [holder, later] = await Promise.all([first, second].map((t) => deps.incidents.get(t.incidentId)));
    console.log('R13 starts', runner.started.length, 'holder exec', holder?.runbookExecutionId, 'later', later?.decision?.action, later?.decision?.result);
    expect(new Set(tokens(runner)).size).toBe(1);
    // Required (session 42): SSM offers no look-up by client token, so the run is recorded once as one whose outcome is not known, on-call told once, and later ALARMs count on it.
    expect(later?.decision).toMatchObject({ action: 'escalate', applied: true, result: expect.stringContaining('its outcome is not known'), followedRun: { holder: first.incidentId } });
    const starts = runner.started.length;
    const third = await thirdAlarm(deps, name);
    await remediateStep({ trigger: third }, deps);
    await notifyStep({ trigger: third }, deps);
    const thirdIncident = await deps.incidents.get(third.incidentId);
    console.log('R13 third', thirdIncident?.decision);
    expect(runner.started).toHaveLength(starts);
    expect(thirdIncident?.decision).toMatchObject({ action: 'comment_only', reason: expect.stringContaining(`followed by incident ${second.incidentId}`) });
  });
});

/** The reconciler's run at `time` on 2026-11-20 over `runbookChecks`, with the steps' fakes as its ports. */
const reconcileAt = (deps: Awaited<ReturnType<typeof episode>>['deps'], runbookChecks: Awaited<ReturnType<typeof episode>>['runbookChecks'], time: string) =>
  pageRunbooksThatDidNotFix(
    { ...deps, runbookChecks, runbookRunner: deps.remediation.runner, episodeRunbooks: deps.remediation.episodeRunbooks, policyFile: {}, clock: () => new Date(`2026-11-20T${time}Z`) },
    { maxPerRun: 25, lookbackHours: 48, notEndedMinutes: 120 },
  );

describe('session 43: a check of every run whose execution id is known', () => {
  // Known defect 2 as described (the later ALARM writes the holder's execution after the holder's last failed try, before its Notify): held on session 42's code, as the later ALARM's write of the execution (recordRunbookExecution) schedules its check.
  it("follows and tells the run a later ALARM's start answered after the holder's last try and before its Notify, on one check", async () => {
    const { deps, published, runner, runbookChecks, first, second } = await episode('Failed');
    const holderTry = holderTriesTimingOut(deps, first);
    for (let attempt = 0; attempt < 4; attempt += 1) await holderTry();
    await remediateStep({ trigger: second }, deps);
    await notifyStep({ trigger: second }, deps);
    await notifyStep({ trigger: first, remediateError: { Error: 'Error', Cause: 'connect ETIMEDOUT' } }, deps);
    const checks = runbookChecks.entries.map((e) => e.incidentId);
    const pagesBefore = published.length;

    await reconcileAt(deps, runbookChecks, '14:30:00');

    expect(tokens(runner)).toEqual([automationClientToken(first.incidentId)]);
    expect(checks).toEqual([first.incidentId]);
    expect((await deps.incidents.get(first.incidentId))?.decision).toMatchObject({ followedRun: { holder: first.incidentId, executionId: 'exec-1' }, result: expect.stringContaining('(exec-1) finished: Failed') });
    expect(published.slice(pagesBefore)).toHaveLength(1);
    expect(runbookChecks.entries).toEqual([]);
  });

  // Known defect 2, the interleaving that lost it: the later ALARM wrote the holder's execution and died before it scheduled the check; its retry found the execution written and scheduled none, and the holder's Notify none either.
  it("follows the run when the later ALARM died between writing the holder's execution and scheduling its check", async () => {
    const { deps, published, runbookChecks, first, second } = await episode('Failed');
    const holderTry = holderTriesTimingOut(deps, first);
    for (let attempt = 0; attempt < 4; attempt += 1) await holderTry();
    const schedule = runbookChecks.schedule.bind(runbookChecks);
    runbookChecks.schedule = async () => {
      throw new Error('Task timed out');
    };
    await expect(remediateStep({ trigger: second }, deps)).rejects.toThrow('Task timed out');
    runbookChecks.schedule = schedule;
    await remediateStep({ trigger: second }, deps);
    await notifyStep({ trigger: second }, deps);
    await notifyStep({ trigger: first, remediateError: { Error: 'Error', Cause: 'connect ETIMEDOUT' } }, deps);
    const pagesBefore = published.length;

    await reconcileAt(deps, runbookChecks, '14:30:00');

    expect((await deps.incidents.get(first.incidentId))?.decision).toMatchObject({ followedRun: { holder: first.incidentId, executionId: 'exec-1' }, result: expect.stringContaining('(exec-1) finished: Failed') });
    expect(published.slice(pagesBefore)).toHaveLength(1);
  });

  // Known defect 3: a holder that recorded its own execution and whose following died on every try (GetAutomationExecution throttled, or its Lambda killed) had no check; only a later ALARM of the episode would follow its run.
  it('follows the run of a holder that recorded its own execution and lost its follow, with no later ALARM', async () => {
    const { deps, published, runbookChecks, first } = await episode('Failed');
    await holderFollowFailedForGood(deps, first, 'Task timed out');
    const pagesBefore = published.length;

    const early = await reconcileAt(deps, runbookChecks, '14:10:00');
    const due = await reconcileAt(deps, runbookChecks, '14:30:00');

    expect(early.paged).toEqual([]);
    expect(due.paged).toEqual([first.incidentId]);
    expect((await deps.incidents.get(first.incidentId))?.decision).toMatchObject({ followedRun: { holder: first.incidentId, executionId: 'exec-1' }, result: expect.stringContaining('(exec-1) finished: Failed') });
    expect(published.slice(pagesBefore)).toHaveLength(1);
    expect(runbookChecks.entries).toEqual([]);
  });

  it("follows to its end the dead holder's run a later ALARM followed while it still ran, and tells its outcome once", async () => {
    const { deps, published, runner, runbookChecks, first, second } = await episode('InProgress', { RUNBOOK_WAIT_SECONDS: '0' });
    await holderStartFailedForGood(deps, first);
    await remediateStep({ trigger: second }, deps);
    await notifyStep({ trigger: second }, deps);
    expect((await deps.incidents.get(second.incidentId))?.decision).toMatchObject({ followedRun: { holder: first.incidentId, executionId: 'exec-1' }, result: expect.stringContaining('still running') });
    const pagesBefore = published.length;

    const running = await reconcileAt(deps, runbookChecks, '14:30:00');
    runner.status = async (executionId) => ({ executionId, status: 'Failed', failureMessage: 'step failed' });
    const ended = await reconcileAt(deps, runbookChecks, '14:40:00');

    expect(running.paged).toEqual([]);
    expect(ended.paged).toEqual([first.incidentId]);
    expect((await deps.incidents.get(first.incidentId))?.decision).toMatchObject({ followedRun: { holder: first.incidentId, executionId: 'exec-1' }, result: 'runbook (exec-1) finished: Failed — step failed' });
    expect(published.slice(pagesBefore)).toHaveLength(1);
    expect(runbookChecks.entries).toEqual([]);
  });

  it('leaves no extra check of a holder whose own step recorded its run', async () => {
    const { deps, runbookChecks, first } = await episode('Failed');
    await remediateStep({ trigger: first }, deps);
    expect((await deps.incidents.get(first.incidentId))?.decision).toMatchObject({ action: 'escalate', applied: true });
    expect(runbookChecks.entries).toEqual([]);
  });
});
