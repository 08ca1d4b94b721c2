import { describe, expect, it } from 'vitest';
import { alarmArnOf, alarmEventSchema, alarmTriggerFromEvent } from '../../../shared/domain/trigger.js';
import { guardHandoff } from '../../../shared/domain/handoff.js';
import { pageRunbooksThatDidNotFix } from '../../../shared/reconcile/runbook-checks.js';
import { parseRunbookMappings } from '../../../shared/remediation/runbooks.js';
import { analyzeStep } from '../../../shared/steps/analyze.js';
import { classifyStep } from '../../../shared/steps/classify.js';
import { notifyStep } from '../../../shared/steps/notify.js';
import { recordAlarmRecovery } from '../../../shared/steps/record-outcome.js';
import { remediateStep } from '../../../shared/steps/remediate.js';
import { loadAlarmEvent } from '../../../infra/local/replay.js';
import { createMemoryIncidentDueList, createScriptedRunbookRunner, remediationDeps, scriptedAnalyzer, stepDeps } from '../../support/fakes.js';

const runbooks = parseRunbookMappings(JSON.stringify([{ alarmNamePrefix: 'checkout-api-', document: 'Restart-Checkout-Api', severity: 'medium' }]));
const LIMITS = { maxPerRun: 25, lookbackHours: 48, notEndedMinutes: 120 };
/** The steps' clock (stepDeps) is 10:00; the runbook finishes then. */
const at = (time: string) => () => new Date(`2026-11-20T${time}Z`);

/** The reconciler's ports the steps' fakes have under `remediation`: the runner, the claims, the policy file. */
const reconcilerParts = (deps: ReturnType<typeof stepDeps>['deps']) => ({
  ...deps,
  runbookRunner: deps.remediation.runner,
  episodeRunbooks: deps.remediation.episodeRunbooks,
  policyFile: deps.remediation.policyFile,
});

/** An alarm whose runbook ran and reported `status`, notified as the pipeline leaves it, with its checks and pages. */
async function afterRunbook(status = 'Success') {
  const runbookChecks = createMemoryIncidentDueList();
  const { deps, published } = stepDeps({
    analyzer: scriptedAnalyzer({ proposedAction: 'run_runbook', confidence: 0.85 }),
    remediation: remediationDeps({ runbooks, runner: createScriptedRunbookRunner(status), runbookChecks }),
  });
  const trigger = alarmTriggerFromEvent(alarmEventSchema.parse(loadAlarmEvent('alarm-state-alarm')));
  await classifyStep({ trigger }, deps);
  await analyzeStep({ trigger }, deps);
  await remediateStep({ trigger }, deps);
  await notifyStep({ trigger }, deps);
  const check = (clock: () => Date, escalations = deps.escalations) => pageRunbooksThatDidNotFix({ ...reconcilerParts(deps), runbookChecks, escalations, clock }, LIMITS);
  return { deps, published, runbookChecks, check, id: trigger.incidentId };
}

describe('reconciler: runbooks that reported success while the alarm kept firing', () => {
  it('pages on-call once, RUNBOOK_VERIFY_MINUTES after the runbook finished, and the incident then needs a person', async () => {
    // Prepare: the runbook succeeded at 10:00 and nobody was paged.
    const { deps, published, runbookChecks, check, id } = await afterRunbook();
    expect(published).toEqual([]);
    expect(runbookChecks.entries).toEqual([{ incidentId: id, dueAt: '2026-11-20T10:20:00.000Z' }]);

    // Act: a run before the alarm had time to recover, one after, and one more.
    const early = await check(at('10:15:00'));
    const due = await check(at('10:25:00'));
    const again = await check(at('10:30:00'));

    // Assert
    expect(early).toEqual({ paged: [], dropped: 0, failed: [] });
    expect(due).toEqual({ paged: [id], dropped: 0, failed: [] });
    expect(again).toEqual({ paged: [], dropped: 0, failed: [] });
    expect(published).toHaveLength(1);
    expect(published[0]?.message).toContain('Why you are getting this: the runbook ran and reported success (runbook Restart-Checkout-Api (exec-1) finished: Success), but the alarm still fired at 2026-11-20T10:25:00.000Z');
    expect(runbookChecks.entries).toEqual([]);
    const incident = (await deps.incidents.get(id))!;
    expect(incident.history.at(-1)).toMatchObject({ event: 'runbook_unverified', at: '2026-11-20T10:25:00.000Z' });
    expect(guardHandoff(incident)).toMatchObject({ mustAct: true, why: [{ kind: 'runbook_unverified' }], tried: { onCall: { outcome: 'paged' } } });
  });

  it('pages nobody when the alarm returned to OK after the runbook', async () => {
    const { deps, published, runbookChecks, check } = await afterRunbook();
    // Handled as it comes: an OK stamped ahead of the handling clock (10:22:40 against the steps' 10:00) is not trusted.
    await recordAlarmRecovery(loadAlarmEvent('alarm-state-ok'), { ...deps, clock: at('10:22:45') });

    expect(await check(at('10:25:00'))).toEqual({ paged: [], dropped: 1, failed: [] });
    expect(published).toEqual([]);
    expect(runbookChecks.entries).toEqual([]);
  });

  it('schedules no check for a runbook that failed: that escalated already', async () => {
    const { published, runbookChecks } = await afterRunbook('Failed');

    expect(runbookChecks.entries).toEqual([]);
    expect(published).toHaveLength(1);
  });

  it('pages again for the next episode of an alarm whose earlier incident the OK between ended but left open', async () => {
    // Prepare: the first episode's runbook did not fix the alarm, and on-call was paged.
    const { deps, published, runbookChecks, check, id } = await afterRunbook();
    expect(await check(at('10:25:00'))).toEqual({ paged: [id], dropped: 0, failed: [] });
    // An OK at 10:30 ended the episode without resolving its incident (an OK resolves the 25 newest open ones only).
    const event = alarmEventSchema.parse(loadAlarmEvent('alarm-state-alarm'));
    await deps.incidents.noteAlarmOk(alarmArnOf(event), new Date('2026-11-20T10:30:00.000Z'));
    // The alarm fires again at 11:00: a new episode, whose runbook runs and does not fix it either.
    const next = alarmTriggerFromEvent(alarmEventSchema.parse({ ...event, id: 'next-episode', time: '2026-11-20T11:00:00Z', detail: { ...event.detail, state: { ...event.detail.state, timestamp: '2026-11-20T11:00:00.000+0000' } } }));
    // Handled as it fires: an alarm's time ahead of the handling clock is not trusted.
    deps.clock = () => new Date('2026-11-20T11:00:05Z');
    await classifyStep({ trigger: next }, deps);
    await analyzeStep({ trigger: next }, deps);
    expect(await remediateStep({ trigger: next }, deps)).toMatchObject({ action: 'run_runbook', applied: true });
    await notifyStep({ trigger: next }, deps);

    // Act
    const result = await check(at('11:30:00'));

    // Assert: the new episode's page, not counted on the first's.
    expect(next.incidentId).not.toBe(id);
    expect(result).toEqual({ paged: [next.incidentId], dropped: 0, failed: [] });
    expect(published).toHaveLength(2);
    expect(runbookChecks.entries).toEqual([]);
  });

  it('keeps the check due and fails the run when the page cannot go out, and sends it on the next run', async () => {
    const { published, runbookChecks, check, id } = await afterRunbook();
    const refusing = { publish: async () => Promise.reject(new Error('SNS throttled')) };

    const refused = await check(at('10:25:00'), refusing);
    const left = runbookChecks.entries.length;
    const next = await check(at('10:30:00'));

    expect(refused).toEqual({ paged: [], dropped: 0, failed: [id] });
    expect(left).toBe(1);
    expect(next).toEqual({ paged: [id], dropped: 0, failed: [] });
    expect(published).toHaveLength(1);
  });
});

/**
 * A holder whose own start timed out on every try and whose step ended (notified), with the execution a later ALARM's
 * start answered written on it and its check scheduled, as remediate leaves it (attack-44b R5); the runner reports
 * `status` for that execution.
 */
async function holderWithUnfollowedRun(status: string) {
  const runbookChecks = createMemoryIncidentDueList();
  const runner = createScriptedRunbookRunner(status);
  const { deps, published } = stepDeps({
    analyzer: scriptedAnalyzer({ proposedAction: 'run_runbook', confidence: 0.85 }),
    remediation: remediationDeps({ runbooks, runner, runbookChecks }),
  });
  const trigger = alarmTriggerFromEvent(alarmEventSchema.parse(loadAlarmEvent('alarm-state-alarm')));
  await classifyStep({ trigger }, deps);
  await analyzeStep({ trigger }, deps);
  runner.start = async () => {
    throw new Error('connect ETIMEDOUT');
  };
  await expect(remediateStep({ trigger }, deps)).rejects.toThrow('ETIMEDOUT');
  await deps.incidents.update(trigger.incidentId, { runbookExecutionId: 'exec-7' });
  await runbookChecks.schedule({ incidentId: trigger.incidentId, dueAt: '2026-11-20T10:25:00.000Z' });
  await notifyStep({ trigger, remediateError: { Error: 'Error', Cause: 'connect ETIMEDOUT' } }, deps);
  const check = (clock: () => Date) => pageRunbooksThatDidNotFix({ ...reconcilerParts(deps), runbookChecks, clock }, LIMITS);
  return { deps, published, runbookChecks, runner, check, id: trigger.incidentId };
}

describe('reconciler: the run of a holder whose step ended without its outcome (attack-44b R5, session 42)', () => {
  it('records the run once it ended as the holder\'s decision and pages its outcome once', async () => {
    // Prepare: the run is still going at the first due run.
    const { deps, published, runbookChecks, runner, check, id } = await holderWithUnfollowedRun('InProgress');
    const pagesBefore = published.length;

    // Act
    const running = await check(at('10:30:00'));
    runner.status = async (executionId) => ({ executionId, status: 'Failed', failureMessage: 'step failed' });
    const ended = await check(at('10:35:00'));
    const again = await check(at('10:40:00'));

    // Assert
    expect(running).toEqual({ paged: [], dropped: 0, failed: [] });
    expect(ended).toEqual({ paged: [id], dropped: 0, failed: [] });
    expect(again).toEqual({ paged: [], dropped: 0, failed: [] });
    expect(runbookChecks.entries).toEqual([]);
    expect((await deps.incidents.get(id))?.decision).toMatchObject({
      action: 'escalate',
      applied: true,
      result: 'runbook (exec-7) finished: Failed — step failed',
      followedRun: { holder: id, executionId: 'exec-7' },
    });
    expect(published.slice(pagesBefore)).toHaveLength(1);
    expect(published.at(-1)?.message).toContain('(exec-7) finished: Failed');
  });

  it('leaves the run to the later ALARM that took its follow claim first', async () => {
    const { deps, published, runbookChecks, check, id } = await holderWithUnfollowedRun('Failed');
    const holder = (await deps.incidents.get(id))!;
    // A later incident of the episode, still running, follows the run.
    const { runbookExecutionId: _, ...rest } = holder;
    const later = { ...rest, id: `${id}-later`, status: 'remediated' as const, decision: null };
    await deps.incidents.create(later, null);
    const claimed = await deps.remediation.episodeRunbooks.claimRunFollow(holder, later.id, async () => true);
    expect(claimed.heldBy).toBe(later.id);
    const pagesBefore = published.length;

    expect(await check(at('10:30:00'))).toEqual({ paged: [], dropped: 1, failed: [] });
    expect(runbookChecks.entries).toEqual([]);
    expect((await deps.incidents.get(id))?.decision?.followedRun).toBeUndefined();
    expect(published.slice(pagesBefore)).toEqual([]);
  });
});

describe('reconciler: a followed run that does not end (session 43)', () => {
  it('pages once that the run has not ended past RUNBOOK_NOT_ENDED_MINUTES, keeps checking, and tells its outcome once it ended', async () => {
    // Prepare: the holder went to its start at 10:00; its run stays InProgress (a stuck approval step).
    const { deps, published, runbookChecks, runner, check, id } = await holderWithUnfollowedRun('InProgress');
    const pagesBefore = published.length;

    // Act: runs before the bound, past it, and again; then the run ends.
    const before = await check(at('11:55:00'));
    const past = await check(at('12:05:00'));
    const again = await check(at('12:11:00'));
    const later = await check(at('14:30:00'));
    runner.status = async (executionId) => ({ executionId, status: 'Failed', failureMessage: 'approval rejected' });
    const ended = await check(at('14:40:00'));

    // Assert: one page that it has not ended, with its execution and how long; then the outcome's own page.
    expect(before).toEqual({ paged: [], dropped: 0, failed: [] });
    expect(past).toEqual({ paged: [id], dropped: 0, failed: [] });
    expect(again).toEqual({ paged: [], dropped: 0, failed: [] });
    expect(later).toEqual({ paged: [], dropped: 0, failed: [] });
    expect(ended).toEqual({ paged: [id], dropped: 0, failed: [] });
    const pages = published.slice(pagesBefore);
    expect(pages).toHaveLength(2);
    expect(pages[0]?.message).toContain('exec-7');
    expect(pages[0]?.message).toContain('has not ended (InProgress) 125 minutes after its start');
    expect(pages[1]?.message).toContain('(exec-7) finished: Failed');
    expect((await deps.incidents.get(id))?.decision).toMatchObject({ followedRun: { holder: id, executionId: 'exec-7' } });
    expect(runbookChecks.entries).toEqual([]);
  });

  it("follows the holder's own run still going when its step stopped waiting (RUNBOOK_WAIT_SECONDS), and tells its outcome once it ended", async () => {
    // Prepare: the holder's step followed its run for RUNBOOK_WAIT_SECONDS (0 here) and escalated it as still running.
    const runbookChecks = createMemoryIncidentDueList();
    const runner = createScriptedRunbookRunner('InProgress');
    const { deps, published } = stepDeps({
      env: { RUNBOOK_WAIT_SECONDS: '0' },
      analyzer: scriptedAnalyzer({ proposedAction: 'run_runbook', confidence: 0.85 }),
      remediation: remediationDeps({ runbooks, runner, runbookChecks }),
    });
    const trigger = alarmTriggerFromEvent(alarmEventSchema.parse(loadAlarmEvent('alarm-state-alarm')));
    await classifyStep({ trigger }, deps);
    await analyzeStep({ trigger }, deps);
    await remediateStep({ trigger }, deps);
    await notifyStep({ trigger }, deps);
    const id = trigger.incidentId;
    expect((await deps.incidents.get(id))?.decision?.result).toContain('still running when Pipeline Guard stopped waiting');
    const pagesBefore = published.length;
    const check = (clock: () => Date) => pageRunbooksThatDidNotFix({ ...reconcilerParts(deps), runbookChecks, clock }, LIMITS);

    // Act
    const running = await check(at('10:30:00'));
    runner.status = async (executionId) => ({ executionId, status: 'Failed', failureMessage: 'approval rejected' });
    const ended = await check(at('10:35:00'));

    // Assert
    expect(running).toEqual({ paged: [], dropped: 0, failed: [] });
    expect(ended).toEqual({ paged: [id], dropped: 0, failed: [] });
    expect((await deps.incidents.get(id))?.decision).toMatchObject({ action: 'escalate', result: 'runbook (exec-1) finished: Failed — approval rejected', followedRun: { holder: id, executionId: 'exec-1' } });
    expect(published.slice(pagesBefore)).toHaveLength(1);
    expect(runbookChecks.entries).toEqual([]);
  });

  it('moves the check of a run past the bound a reconciler period later, behind the other checks and inside the look-back', async () => {
    const { runbookChecks, check } = await holderWithUnfollowedRun('Waiting');

    await check(at('12:05:00'));

    expect(runbookChecks.entries.map((entry) => entry.dueAt)).toEqual([expect.stringMatching(/^2026-11-20T12:/)]);
  });
});

