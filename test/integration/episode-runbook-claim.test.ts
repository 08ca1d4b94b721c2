import { describe, expect, it } from 'vitest';
import { deliverAlarm } from '../../infra/local/replay.js';
import { type AlarmTrigger, alarmArnOf, alarmEventSchema, alarmTriggerFromEvent } from '../../shared/domain/trigger.js';
import { ClientTokenUsedError } from '../../shared/remediation/runbook-runner.js';
import { automationClientToken, parseRunbookMappings } from '../../shared/remediation/runbooks.js';
import { analyzeStep } from '../../shared/steps/analyze.js';
import { classifyStep } from '../../shared/steps/classify.js';
import { notifyStep } from '../../shared/steps/notify.js';
import { recordAlarmRecovery } from '../../shared/steps/record-outcome.js';
import { remediateStep } from '../../shared/steps/remediate.js';
import { createEpisodeRunbookClaims } from '../../shared/stores/runbook-checks.js';
import { createScriptedRunbookRunner, remediationDeps, scriptedAnalyzer, stepDeps } from '../support/fakes.js';
import { scratchStoreForFile, useLocalRuntimePerTest } from '../support/harness.js';
import { alarmEvent, holderStartFailedForGood, remediateDiesAtWrite, toOnCall, twoAlarmsOfOneEpisode } from '../support/alarm-events.js';

/*
 * One unbroken alarm episode (ALARM, INSUFFICIENT_DATA, ALARM: no OK between) runs its runbook once, also when its
 * incidents are remediated at the same moment by concurrent executions (attack pass 18, F7: each saw no plan stored
 * by the other and both restarted the service). The per-episode claim (shared/stores/runbook-checks.ts) decides.
 */
const scratch = scratchStoreForFile('guard-episode-runbooks');
const RUNBOOKS = [{ alarmNamePrefix: 'checkout-', document: 'Restart-Checkout-Api', parameters: {}, severity: 'medium' }];
const ARN = 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:checkout-api-5xx-rate';

describe('the claim on an alarm episode’s runbook (DynamoDB)', () => {
  const standing = async () => true;

  it('is held by the first claimant, granted to it again, and refused to every other while it stands, also when they claim at once', async () => {
    const claims = createEpisodeRunbookClaims({ client: scratch.client, tableName: 'incidents' });
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => claims.claim({ alarmArn: ARN, incidentId: `cw-${i}` }, standing)));
    const holder = answers[0]!.heldBy;
    expect(answers).toEqual(answers.map(() => ({ heldBy: holder })));
    expect(await claims.claim({ alarmArn: ARN, incidentId: holder }, standing)).toEqual({ heldBy: holder });
    // Another alarm is claimed apart.
    expect(await claims.claim({ alarmArn: `${ARN}-other`, incidentId: 'cw-other' }, standing)).toEqual({ heldBy: 'cw-other' });
  });

  it('is taken over by exactly one of the claimants at once when its holder no longer stands (a new episode, or a holder that ended without a run)', async () => {
    const claims = createEpisodeRunbookClaims({ client: scratch.client, tableName: 'incidents' });
    const alarmArn = `${ARN}-taken-over`;
    expect(await claims.claim({ alarmArn, incidentId: 'cw-old' }, standing)).toEqual({ heldBy: 'cw-old' });
    const asked: string[] = [];
    const standsUnlessOld = async (holderId: string) => {
      asked.push(holderId);
      return holderId !== 'cw-old';
    };
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => claims.claim({ alarmArn, incidentId: `cw-next-${i}` }, standsUnlessOld)));
    const holder = answers[0]!.heldBy;
    expect(holder).toMatch(/^cw-next-/);
    expect(answers).toEqual(answers.map(() => ({ heldBy: holder })));
    expect(asked).toContain('cw-old');
    // The old holder, retried (an execution redriven), counts on the new one.
    expect(await claims.claim({ alarmArn, incidentId: 'cw-old' }, standsUnlessOld)).toEqual({ heldBy: holder });
  });

  it('tells whoever finds it held whether an approved step took it, from the write that took it (attack-44b R12)', async () => {
    const claims = createEpisodeRunbookClaims({ client: scratch.client, tableName: 'incidents' });
    const alarmArn = `${ARN}-approved`;
    expect(await claims.claim({ alarmArn, incidentId: 'cw-approved', approved: true }, standing)).toEqual({ heldBy: 'cw-approved' });
    const told: unknown[] = [];
    const standsIfApproved = async (_holderId: string, held: { approved: boolean }) => told.push(held) > 0 && held.approved;
    expect(await claims.claim({ alarmArn, incidentId: 'cw-later' }, standsIfApproved)).toEqual({ heldBy: 'cw-approved' });
    expect(told).toEqual([{ approved: true }]);
    const automaticArn = `${ARN}-automatic`;
    await claims.claim({ alarmArn: automaticArn, incidentId: 'cw-automatic' }, standing);
    expect(await claims.claim({ alarmArn: automaticArn, incidentId: 'cw-later' }, standsIfApproved)).toEqual({ heldBy: 'cw-later' });
  });

  it('takes an alarm ARN of the longest length EventBridge may carry', async () => {
    const claims = createEpisodeRunbookClaims({ client: scratch.client, tableName: 'incidents' });
    expect(await claims.claim({ alarmArn: `arn:aws:cloudwatch:us-east-1:123456789012:alarm:${'x'.repeat(2000)}`, incidentId: 'cw-long' }, standing)).toEqual({ heldBy: 'cw-long' });
  });
});

let alarms = 0;

/** Two incidents of one episode (ALARM at 10:00, and at 10:07 after INSUFFICIENT_DATA) classified and analysed, for remediate to run with the embedded claims. */
async function twoIncidentsOfOneEpisode() {
  const runner = createScriptedRunbookRunner();
  const { deps } = stepDeps({
    // Handled after the file's alarms fired (10:00 to 11:00): an alarm's time ahead of the handling clock is not trusted.
    clock: () => new Date('2026-11-20T11:05:00Z'),
    analyzer: scriptedAnalyzer({ proposedAction: 'run_runbook', confidence: 0.85 }),
    remediation: remediationDeps({ runbooks: parseRunbookMappings(JSON.stringify(RUNBOOKS)), runner, episodeRunbooks: createEpisodeRunbookClaims({ client: scratch.client, tableName: 'incidents' }) }),
  });
  // Each test its own alarm: the claims of the file's tests are in one table.
  const name = `checkout-api-${++alarms}`;
  const [first, second] = await twoAlarmsOfOneEpisode(deps, 'ep42', name);
  return { deps, runner, first, second };
}

describe('one runbook run per alarm episode, under concurrent executions', () => {
  it('starts the runbook once when both incidents read the alarm’s open incidents before either stored its plan', async () => {
    const { deps, runner, first, second } = await twoIncidentsOfOneEpisode();
    // The same instant: each execution lists the alarm's open incidents, and neither goes on before both have.
    const list = deps.incidents.listOpenInScope.bind(deps.incidents);
    let release: () => void = () => {};
    const bothListed = new Promise<void>((resolve) => (release = resolve));
    let listed = 0;
    deps.incidents.listOpenInScope = async (scope, limit) => {
      const open = await list(scope, limit);
      if (++listed === 2) release();
      await bothListed;
      return open;
    };

    await Promise.all([first, second].map((trigger) => remediateStep({ trigger }, deps)));

    expect(runner.started).toHaveLength(1);
    const [a, b] = await Promise.all([first, second].map((trigger) => deps.incidents.get(trigger.incidentId)));
    const ran = [a, b].filter((incident) => incident?.decision?.action === 'run_runbook');
    const counted = [a, b].filter((incident) => incident?.decision?.action === 'comment_only');
    expect(ran).toHaveLength(1);
    expect(counted[0]?.decision?.reason).toContain(`its incident ${ran[0]!.id} claimed first`);
    // Not lost: the one that did not run it is notified as any incident counted on its episode's run.
    for (const trigger of [first, second]) await notifyStep({ trigger }, deps);
    expect((await deps.incidents.get(counted[0]!.id))?.status).toBe('notified');
  });

  it('lets the claimant start it after a crash between its claim and the start, and no other incident meanwhile', async () => {
    const { deps, runner, first, second } = await twoIncidentsOfOneEpisode();
    // The first execution dies after its claim, before its plan is stored (a Lambda timeout).
    const update = deps.incidents.update.bind(deps.incidents);
    let crashed = false;
    deps.incidents.update = async (id, fields, append) => {
      if (!crashed && id === first.incidentId && 'plan' in fields) {
        crashed = true;
        throw new Error('Task timed out');
      }
      return update(id, fields, append);
    };
    await expect(remediateStep({ trigger: first }, deps)).rejects.toThrow('Task timed out');

    await remediateStep({ trigger: second }, deps);
    expect(runner.started).toHaveLength(0);
    expect((await deps.incidents.get(second.incidentId))?.decision).toMatchObject({ action: 'comment_only', reason: expect.stringContaining(first.incidentId) });

    // The state machine retries the first execution's step: it holds the claim, and starts the runbook.
    await remediateStep({ trigger: first }, deps);
    expect(runner.started).toHaveLength(1);
    expect((await deps.incidents.get(first.incidentId))?.decision).toMatchObject({ action: 'run_runbook', applied: true });
  });
});

describe("a holder whose runbook start is not known to have happened (session 41)", () => {
  const distinctRuns = (runner: ReturnType<typeof createScriptedRunbookRunner>) => new Set(runner.started.map((r) => r.clientToken)).size;

  it("runs the episode's runbook for a later incident when the holder recorded that its start failed", async () => {
    const { deps, runner, first, second } = await twoIncidentsOfOneEpisode();
    await holderStartFailedForGood(deps, first);
    // The control: the holder recorded its start's failure, and nothing ran.
    expect((await deps.incidents.get(first.incidentId))?.decision).toMatchObject({ action: 'run_runbook', applied: false });
    expect(runner.started).toHaveLength(0);

    await remediateStep({ trigger: second }, deps);

    // The one run is the holder's (its client token): its own retry, or another incident's, would get it back.
    expect(runner.started.map((r) => r.clientToken)).toEqual([automationClientToken(first.incidentId)]);
    // It followed that run, the holder's execution being over (session 42): the run's outcome is its decision.
    expect((await deps.incidents.get(second.incidentId))?.decision).toMatchObject({ action: 'run_runbook', applied: true, result: expect.stringContaining('exec-1') });
  });

  it('starts once when the later incident and the holder are both retried after the later one made the start', async () => {
    const { deps, runner, first, second } = await twoIncidentsOfOneEpisode();
    await holderStartFailedForGood(deps, first);
    // The later incident's decision is lost after its start (a Lambda timeout): the state machine retries its step.
    const update = deps.incidents.update.bind(deps.incidents);
    let lose = true;
    deps.incidents.update = async (id, fields, append) => {
      if (lose && id === second.incidentId && 'decision' in fields) throw new Error('Task timed out');
      return update(id, fields, append);
    };
    await expect(remediateStep({ trigger: second }, deps)).rejects.toThrow('Task timed out');
    lose = false;
    await remediateStep({ trigger: second }, deps);
    // The holder's execution redriven: its own start is the same run.
    await remediateStep({ trigger: first }, deps).catch(() => undefined);

    expect(distinctRuns(runner)).toBe(1);
  });

  it('starts nothing for a holder that recorded its execution before its decision was lost, and follows that execution', async () => {
    const { deps, runner, first, second } = await twoIncidentsOfOneEpisode();
    // The holder starts the runbook; its decision's write fails on every try (the Catch's Notify records none).
    await remediateDiesAtWrite(deps, first, 'decision');
    await notifyStep({ trigger: first, remediateError: { Error: 'Error', Cause: 'Task timed out' } }, deps);
    const starts = runner.started.length;

    await remediateStep({ trigger: second }, deps);

    // Its state says its start happened: hours later, SSM may no longer know the token (it documents no window), and
    // the start made again would be a second run. Its outcome nobody recorded: the later incident follows that
    // execution by its id (session 42, attack-44b R9).
    expect(runner.started).toHaveLength(starts);
    const executionId = (await deps.incidents.get(first.incidentId))?.runbookExecutionId;
    expect((await deps.incidents.get(second.incidentId))?.decision).toMatchObject({
      action: 'run_runbook',
      applied: true,
      result: expect.stringContaining(`(${executionId}) finished: Success`),
      followedRun: { holder: first.incidentId, executionId },
    });
  });

  it("asks for the approval the later incident's plan needs before making the holder's start, and makes it once approved (attack-43a F2)", async () => {
    const { deps, runner, first, second } = await twoIncidentsOfOneEpisode();
    await holderStartFailedForGood(deps, first);
    deps.remediation.runbooks = parseRunbookMappings(JSON.stringify([{ ...RUNBOOKS[0], severity: 'high' }]));

    expect(await remediateStep({ trigger: second }, deps)).toMatchObject({ awaitingApproval: true });
    expect(runner.started).toHaveLength(0);

    await remediateStep({ trigger: second, approval: { approvedBy: 'oncall-ana' } }, deps);
    expect(runner.started.map((r) => r.clientToken)).toEqual([automationClientToken(first.incidentId)]);
    expect((await deps.incidents.get(second.incidentId))?.decision).toMatchObject({ action: 'run_runbook', applied: true, reason: expect.stringContaining('approved by oncall-ana') });
  });

  it("escalates the holder's run as one whose outcome is not known when SSM refuses its token as used with other parameters (the mapping changed since)", async () => {
    const { deps, runner, first, second } = await twoIncidentsOfOneEpisode();
    await holderStartFailedForGood(deps, first);
    deps.remediation.runner.start = async (request) => Promise.reject(new ClientTokenUsedError(request.clientToken, 'IdempotentParameterMismatch'));

    await remediateStep({ trigger: second }, deps);

    // The run happened, and nobody can follow it by its token: told once, as such (session 42, attack-44b R13).
    expect(runner.started).toHaveLength(0);
    expect((await deps.incidents.get(second.incidentId))?.decision).toMatchObject({
      action: 'escalate',
      applied: true,
      result: expect.stringContaining('its outcome is not known'),
      followedRun: { holder: first.incidentId },
    });
  });
});

describe('a new episode of the alarm runs its runbook again', () => {
  /** An alarm's ALARM at 10:00 that ran its runbook, and one at 11:00, classified and analysed, for remediate. */
  async function ranThenFiresAgain() {
    const { deps, runner, first } = await twoIncidentsOfOneEpisode();
    await remediateStep({ trigger: first }, deps);
    expect(runner.started).toHaveLength(1);
    const name = first.event.detail.alarmName;
    const [again] = [alarmEvent('ep42', 'ALARM', '2026-11-20T11:00:00.000+0000', { name })].map((event) => alarmTriggerFromEvent(alarmEventSchema.parse(event))) as [AlarmTrigger];
    await classifyStep({ trigger: again }, deps);
    await analyzeStep({ trigger: again }, deps);
    return { deps, runner, first, again, name };
  }

  it('after an OK that resolved the incident holding the claim', async () => {
    const { deps, runner, first, again, name } = await ranThenFiresAgain();
    await recordAlarmRecovery(alarmEvent('ep42', 'OK', '2026-11-20T10:30:00.000+0000', { name }), deps);
    expect((await deps.incidents.get(first.incidentId))?.status).toBe('resolved');

    expect(await remediateStep({ trigger: again }, deps)).toMatchObject({ action: 'run_runbook', applied: true });
    expect(runner.started).toHaveLength(2);
  });

  it('after an OK that left the incident holding the claim open (an OK resolves the 25 newest open incidents only)', async () => {
    const { deps, runner, first, again } = await ranThenFiresAgain();
    // The OK noted for the alarm, the holder not among the incidents it resolved.
    await deps.incidents.noteAlarmOk(alarmArnOf(first.event), new Date('2026-11-20T10:30:00.000Z'));
    expect((await deps.incidents.get(first.incidentId))?.status).not.toBe('resolved');

    expect(await remediateStep({ trigger: again }, deps)).toMatchObject({ action: 'run_runbook', applied: true });
    expect(runner.started).toHaveLength(2);
  });
});

describe('one runbook run per alarm episode, end to end (local runtime)', () => {
  const runtimes = useLocalRuntimePerTest();

  it('restarts each of several alarms once when the two ALARMs of each one’s episode are delivered together', async () => {
    const harness = await runtimes.start({ secret: 'ep42', name: 'guard-ep42-race', env: { GITHUB_TOKEN: undefined, RUNBOOKS_JSON: JSON.stringify(RUNBOOKS) } });
    const names = Array.from({ length: 6 }, (_, i) => `checkout-svc-${i}`);
    // Delivered together, the two executions of each alarm reach remediate at about the same moment.
    const answers = await Promise.all(
      names.flatMap((name) => [
        deliverAlarm(harness.runtime.url, alarmEvent('ep42', 'ALARM', '2026-11-20T10:00:00.000+0000', { name })),
        deliverAlarm(harness.runtime.url, alarmEvent('ep42', 'ALARM', '2026-11-20T10:07:00.000+0000', { name, previous: { value: 'INSUFFICIENT_DATA', at: '2026-11-20T10:05:00.000+0000' } })),
      ]),
    );
    await harness.runtime.idle();
    const restarts = (await harness.outbox()).filter((e) => e.kind === 'runbook');
    expect(restarts).toHaveLength(names.length);
    // Nothing lost: every incident, the one that restarted and the one counted on it, is finished and notified.
    const incidents = await Promise.all(answers.map((answer) => harness.incident(String(answer.body.incidentId))));
    expect(incidents.map((incident) => incident.status)).toEqual(incidents.map(() => 'notified'));
    expect(incidents.filter((incident) => incident.decision?.action === 'comment_only')).toHaveLength(names.length);
    // The runbooks succeeded: nobody is paged now. The reconciler's checks page once per alarm still firing.
    expect(await toOnCall(harness)).toEqual([]);
    await harness.runtime.reconcile(new Date(Date.now() + 3 * 3_600_000));
    await harness.runtime.idle();
    expect(await toOnCall(harness)).toHaveLength(names.length);
  }, 90_000);
});
