import { describe, expect, it } from 'vitest';
import { automationClientToken, parseRunbookMappings } from '../../shared/remediation/runbooks.js';
import { notifyStep } from '../../shared/steps/notify.js';
import { remediateStep } from '../../shared/steps/remediate.js';
import { RunbookHolderStartingError } from '../../shared/errors.js';
import { createEpisodeRunbookClaims } from '../../shared/stores/runbook-checks.js';
import { createMemoryApprovalResumes, createMemoryIncidentDueList, createScriptedRunbookRunner, remediationDeps, scriptedAnalyzer, stepDeps } from '../support/fakes.js';
import { scratchStoreForFile } from '../support/harness.js';
import { alarmEvent, holderStartFailedForGood, twoAlarmsOfOneEpisode } from '../support/alarm-events.js';
import { askedAt } from '../support/alarm-approvals.js';
import { alarmEventSchema, alarmTriggerFromEvent } from '../../shared/domain/trigger.js';
import { analyzeStep } from '../../shared/steps/analyze.js';
import { classifyStep } from '../../shared/steps/classify.js';

/*
 * Session 42: the two gaps session 41 left in "one runbook run per alarm episode".
 * (1) An approved holder between its claim and its start marker (its rate-limit reservation): a second approved ALARM
 *     of the episode took the claim over and ran the runbook a second time.
 * (2) A later ALARM that made a dead holder's start again (confirmRunbookStart) started the run and followed it
 *     nowhere: its outcome was recorded on no incident, and nobody was told.
 */

const HIGH = [{ alarmNamePrefix: 'checkout-api-', document: 'Restart-Checkout-Api', parameters: {}, severity: 'high' }];
const MEDIUM = [{ alarmNamePrefix: 'checkout-', document: 'Restart-Checkout-Api', parameters: {}, severity: 'medium' }];
const scratch = scratchStoreForFile('guard-rb42-claims');
const distinctRuns = (runner: ReturnType<typeof createScriptedRunbookRunner>) => new Set(runner.started.map((r) => r.clientToken)).size;

/** An alarm whose runbook needs approval (high), e-mailed: its episode's first ALARM (10:03:12) and second (10:07) both asking. */
async function twoAskingIncidents() {
  const runner = createScriptedRunbookRunner();
  const { deps, published } = stepDeps({
    analyzer: scriptedAnalyzer({ proposedAction: 'run_runbook', confidence: 0.85 }),
    remediation: remediationDeps({ runbooks: parseRunbookMappings(JSON.stringify(HIGH)), runner }),
    approvalResumes: createMemoryApprovalResumes(),
  });
  const first = await askedAt(deps, '2026-11-20T10:03:12.000Z', 'token-1');
  const second = await askedAt(deps, '2026-11-20T10:07:00.000Z', 'token-2');
  return { deps, published, runner, first, second };
}

let alarms = 0;

/** Two ALARMs of one episode of an automatic runbook's alarm (finishing as `finalStatus`), classified and analysed. */
async function twoAutomaticIncidents(finalStatus = 'Success') {
  const runner = createScriptedRunbookRunner(finalStatus);
  const runbookChecks = createMemoryIncidentDueList();
  const { deps } = stepDeps({
    clock: () => new Date('2026-11-20T14:00:00Z'),
    analyzer: scriptedAnalyzer({ proposedAction: 'run_runbook', confidence: 0.85 }),
    remediation: remediationDeps({
      runbooks: parseRunbookMappings(JSON.stringify(MEDIUM)),
      runner,
      runbookChecks,
      episodeRunbooks: createEpisodeRunbookClaims({ client: scratch.client, tableName: 'incidents' }),
    }),
  });
  const name = `checkout-rb42-${++alarms}`;
  const [first, second] = await twoAlarmsOfOneEpisode(deps, 'rb42', name);
  return { deps, runner, runbookChecks, first, second, name };
}

describe('session 42: an approved holder between its claim and its start', () => {
  it('runs once when the second approved ALARM is handled while the first reserves its rate-limit slot', async () => {
    const { deps, runner, first, second } = await twoAskingIncidents();
    const reserve = deps.remediation.guards.reserve.bind(deps.remediation.guards);
    let secondDone = false;
    deps.remediation.guards.reserve = async (scope, limits, incidentId) => {
      if (incidentId === first.incidentId && !secondDone) {
        // The first holds the claim and has written nothing since: the second's approval is handled at this moment.
        // Since session 42 (attack-44b R6) it does not count on a holder that has not gone to its start: its step
        // fails with RunbookHolderStartingError, which the state machine retries; the retry below counts on the run.
        secondDone = true;
        deps.clock = () => new Date('2026-11-20T10:09:01.000Z');
        await expect(remediateStep({ trigger: second, approval: { approvedBy: 'oncall-ben' } }, deps)).rejects.toThrow(RunbookHolderStartingError);
      }
      return reserve(scope, limits, incidentId);
    };

    deps.clock = () => new Date('2026-11-20T10:09:00.000Z');
    await remediateStep({ trigger: first, approval: { approvedBy: 'oncall-ana' } }, deps);
    await remediateStep({ trigger: second, approval: { approvedBy: 'oncall-ben' } }, deps);

    // Before session 42: two runs (the first's status still said it waited, so it stood for nothing and the second took the claim over).
    expect(runner.started.map((r) => r.clientToken)).toEqual([automationClientToken(first.incidentId)]);
    expect((await deps.incidents.get(second.incidentId))?.decision).toMatchObject({ action: 'comment_only', reason: expect.stringContaining(first.incidentId) });
  });

  it('leaves the run to the next approved ALARM when the first approved one died in that gap on every try', async () => {
    const { deps, runner, first, second } = await twoAskingIncidents();
    const reserve = deps.remediation.guards.reserve.bind(deps.remediation.guards);
    deps.remediation.guards.reserve = async (scope, limits, incidentId) => {
      if (incidentId === first.incidentId) throw new Error('Task timed out');
      return reserve(scope, limits, incidentId);
    };
    deps.clock = () => new Date('2026-11-20T10:09:00.000Z');
    for (let attempt = 0; attempt < 4; attempt += 1) {
      await expect(remediateStep({ trigger: first, approval: { approvedBy: 'oncall-ana' } }, deps)).rejects.toThrow('Task timed out');
    }
    await notifyStep({ trigger: first, approval: { approvedBy: 'oncall-ana' }, remediateError: { Error: 'Error', Cause: 'Task timed out' } }, deps);

    deps.clock = () => new Date('2026-11-20T10:10:00.000Z');
    await remediateStep({ trigger: second, approval: { approvedBy: 'oncall-ben' } }, deps);

    // Before session 42: no run at all (the first's decision that its step failed, written before it went to start the
    // runbook, read as the episode's run: "whose runbook failed ... counted on that run").
    expect(runner.started.map((r) => r.clientToken)).toEqual([automationClientToken(second.incidentId)]);
  });
});

describe('session 42: a later ALARM whose holder never goes to its start (attack-44b R6)', () => {
  it("ends the later incident notified, telling on-call its episode's runbook state is unknown, once its retries are spent", async () => {
    const { deps, published, runner, first, second } = await twoAskingIncidents();
    const before = published.length;
    const reserve = deps.remediation.guards.reserve.bind(deps.remediation.guards);
    let caught: unknown;
    deps.remediation.guards.reserve = async (scope, limits, incidentId) => {
      if (incidentId === first.incidentId) {
        // The holder hangs at its reservation for longer than the later ALARM's retries of RunbookHolderStartingError.
        deps.clock = () => new Date('2026-11-20T10:09:01.000Z');
        for (let attempt = 0; attempt < 3; attempt += 1) caught = await remediateStep({ trigger: second, approval: { approvedBy: 'oncall-ben' } }, deps).catch((error: unknown) => error);
        // Its retries spent, the Catch goes to Notify with the error as Lambda reports it.
        await notifyStep({ trigger: second, approval: { approvedBy: 'oncall-ben' }, remediateError: { Error: (caught as Error).name, Cause: (caught as Error).message } }, deps);
        throw new Error('Task timed out');
      }
      return reserve(scope, limits, incidentId);
    };
    deps.clock = () => new Date('2026-11-20T10:09:00.000Z');
    await expect(remediateStep({ trigger: first, approval: { approvedBy: 'oncall-ana' } }, deps)).rejects.toThrow('Task timed out');

    expect(caught).toBeInstanceOf(RunbookHolderStartingError);
    const incident = await deps.incidents.get(second.incidentId);
    // Nothing silent: the incident is finished, its step's failure recorded, and on-call paged that the runbook's state is unknown.
    expect(runner.started).toHaveLength(0);
    expect(incident?.status).toBe('notified');
    expect(incident?.stageErrors).toEqual([expect.objectContaining({ stage: 'remediate', error: expect.stringContaining('RunbookHolderStartingError') })]);
    expect(published.slice(before)).toHaveLength(1);
    expect(published[before]?.message).toContain(`whether the episode's runbook runs is not known; incident ${second.incidentId} started none, look at ${first.incidentId}`);
  });
});

describe('session 42: an automatic holder between its claim and its start (attack-44b R6, same rule)', () => {
  it('runs the runbook once when the automatic holder died at its reservation after a later ALARM was handled', async () => {
    const { deps, runner, first, second } = await twoAutomaticIncidents();
    const reserve = deps.remediation.guards.reserve.bind(deps.remediation.guards);
    let secondTried: unknown = null;
    deps.remediation.guards.reserve = async (scope, limits, incidentId) => {
      if (incidentId === first.incidentId) {
        // Counted on here before session 42: the holder then died before its start and the episode ran nothing.
        secondTried ??= await remediateStep({ trigger: second }, deps).catch((error: unknown) => error);
        throw new Error('Task timed out');
      }
      return reserve(scope, limits, incidentId);
    };
    for (let attempt = 0; attempt < 4; attempt += 1) await expect(remediateStep({ trigger: first }, deps)).rejects.toThrow('Task timed out');
    await notifyStep({ trigger: first, remediateError: { Error: 'Error', Cause: 'Task timed out' } }, deps);
    deps.remediation.guards.reserve = reserve;

    // The state machine's retry of the later ALARM's step takes over the holder that failed before its start.
    if (secondTried instanceof RunbookHolderStartingError) await remediateStep({ trigger: second }, deps);
    expect(runner.started.map((r) => r.clientToken)).toEqual([automationClientToken(second.incidentId)]);
  });
});

describe("session 42: the run a later ALARM started for a dead holder is followed", () => {
  it('records the run once, on the later incident, and checks later whether it fixed the alarm', async () => {
    const { deps, runner, runbookChecks, first, second } = await twoAutomaticIncidents();
    await holderStartFailedForGood(deps, first);
    expect(runner.started).toHaveLength(0);

    await remediateStep({ trigger: second }, deps);
    await notifyStep({ trigger: second }, deps);

    expect(distinctRuns(runner)).toBe(1);
    expect((await deps.incidents.get(second.incidentId))?.decision).toMatchObject({ action: 'run_runbook', applied: true, result: expect.stringContaining('exec-1') });
    expect(runbookChecks.entries.map((entry) => entry.incidentId)).toEqual([second.incidentId]);
    expect((await deps.incidents.get(first.incidentId))?.runbookExecutionId).toBe('exec-1');
  });

  it("keeps the run's outcome when the later incident's step is retried after its last write", async () => {
    const { deps, runbookChecks, first, second } = await twoAutomaticIncidents();
    await holderStartFailedForGood(deps, first);
    await remediateStep({ trigger: second }, deps);
    // The Lambda dies after the step's last write (the holder's execution), before it answers: the state machine retries it.
    await remediateStep({ trigger: second }, deps);
    await notifyStep({ trigger: second }, deps);

    expect((await deps.incidents.get(second.incidentId))?.decision).toMatchObject({ action: 'run_runbook', applied: true, result: expect.stringContaining('exec-1') });
    expect(runbookChecks.entries.map((entry) => entry.incidentId)).toEqual([second.incidentId]);
  });

  it('escalates the failed run once, on the later incident; a third ALARM of the episode records it on no other incident', async () => {
    const { deps, runner, first, second, name } = await twoAutomaticIncidents('Failed');
    await holderStartFailedForGood(deps, first);

    await remediateStep({ trigger: second }, deps);
    await notifyStep({ trigger: second }, deps);
    const third = alarmTriggerFromEvent(alarmEventSchema.parse(alarmEvent('rb42', 'ALARM', '2026-11-20T10:12:00.000+0000', { name, previous: { value: 'INSUFFICIENT_DATA', at: '2026-11-20T10:11:00.000+0000' } })));
    await classifyStep({ trigger: third }, deps);
    await analyzeStep({ trigger: third }, deps);
    await remediateStep({ trigger: third }, deps);
    await notifyStep({ trigger: third }, deps);

    expect(distinctRuns(runner)).toBe(1);
    const later = await deps.incidents.get(second.incidentId);
    // The escalation Notify sends for it (counted on the problem's open page, the holder's failed start, as any escalation of the problem).
    expect(later?.decision).toMatchObject({ action: 'escalate', result: expect.stringContaining('(exec-1) finished: Failed') });
    expect(later?.notifications.filter((n) => n.target === 'escalation-topic')).toHaveLength(1);
    const thirdIncident = await deps.incidents.get(third.incidentId);
    expect(thirdIncident?.decision).toMatchObject({ action: 'comment_only', result: 'nothing applied' });
    expect(thirdIncident?.decision?.reason).toContain(first.incidentId);
  });
});
