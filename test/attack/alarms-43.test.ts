import { describe, expect, it } from 'vitest';
import { type AlarmTrigger, alarmEventSchema, alarmTriggerFromEvent } from '../../shared/domain/trigger.js';
import { parseRunbookMappings } from '../../shared/remediation/runbooks.js';
import { analyzeStep } from '../../shared/steps/analyze.js';
import { classifyStep } from '../../shared/steps/classify.js';
import { notifyStep } from '../../shared/steps/notify.js';
import { remediateStep } from '../../shared/steps/remediate.js';
import { createEpisodeRunbookClaims } from '../../shared/stores/runbook-checks.js';
import { createMemoryApprovalResumes, createScriptedRunbookRunner, remediationDeps, scriptedAnalyzer, stepDeps } from '../support/fakes.js';
import { scratchStoreForFile } from '../support/harness.js';
import { alarmEvent as sharedAlarmEvent } from '../support/alarm-events.js';
import { askedAt } from '../support/alarm-approvals.js';

/*
 * Attack pass 43a (session 41): the per-episode runbook claim after runbook41 (approved runbooks take the claim; a later
 * ALARM makes its holder's start again with the holder's client token, `confirmRunbookStart`; `runbookExecutionId`
 * recorded right after the start) and the approvals after a local restart and across retries (local41, the carry of a
 * decision refused for an old token to its retry's new token). Each finding is an `it.fails` whose body asserts the
 * behaviour required, with an `attack-43a finding Fn` comment; what held is kept as ordinary tests. No product code
 * was changed by the pass.
 */

const alarmEvent = (state: 'ALARM' | 'OK' | 'INSUFFICIENT_DATA', at: string, options?: Parameters<typeof sharedAlarmEvent>[3]) => sharedAlarmEvent('a43', state, at, options);
const MEDIUM = [{ alarmNamePrefix: 'checkout-', document: 'Restart-Checkout-Api', parameters: {}, severity: 'medium' }];
const HIGH = [{ alarmNamePrefix: 'checkout-', document: 'Restart-Checkout-Api', parameters: {}, severity: 'high' }];
const scratch = scratchStoreForFile('guard-a43-claims');
const triggers = (events: object[]) => events.map((event) => alarmTriggerFromEvent(alarmEventSchema.parse(event))) as AlarmTrigger[];
const distinctRuns = (runner: ReturnType<typeof createScriptedRunbookRunner>) => new Set(runner.started.map((r) => r.clientToken)).size;

let alarms = 0;

/** Two ALARMs of one episode of an automatic (medium) runbook's alarm, classified and analysed; the claims in DynamoDB. */
async function twoAutomaticIncidents() {
  const runner = createScriptedRunbookRunner();
  const { deps, published } = stepDeps({
    clock: () => new Date('2026-11-20T14:00:00Z'),
    analyzer: scriptedAnalyzer({ proposedAction: 'run_runbook', confidence: 0.85 }),
    remediation: remediationDeps({ runbooks: parseRunbookMappings(JSON.stringify(MEDIUM)), runner, episodeRunbooks: createEpisodeRunbookClaims({ client: scratch.client, tableName: 'incidents' }) }),
  });
  const name = `checkout-a43-${++alarms}`;
  const [first, second] = triggers([
    alarmEvent('ALARM', '2026-11-20T10:00:00.000+0000', { name }),
    alarmEvent('ALARM', '2026-11-20T10:07:00.000+0000', { name, previous: { value: 'INSUFFICIENT_DATA', at: '2026-11-20T10:05:00.000+0000' } }),
  ]) as [AlarmTrigger, AlarmTrigger];
  for (const trigger of [first, second]) {
    await classifyStep({ trigger }, deps);
    await analyzeStep({ trigger }, deps);
  }
  return { deps, runner, published, first, second };
}

/** The first incident's Remediate fails at its runbook start on every try (4), then its Catch's Notify records the failure. */
async function holderStartFailedForGood(deps: Awaited<ReturnType<typeof twoAutomaticIncidents>>['deps'], first: AlarmTrigger) {
  const start = deps.remediation.runner.start.bind(deps.remediation.runner);
  deps.remediation.runner.start = async () => {
    throw new Error('connect ETIMEDOUT');
  };
  for (let attempt = 0; attempt < 4; attempt += 1) await expect(remediateStep({ trigger: first }, deps)).rejects.toThrow('ETIMEDOUT');
  deps.remediation.runner.start = start;
  await notifyStep({ trigger: first, remediateError: { Error: 'Error', Cause: 'connect ETIMEDOUT' } }, deps);
}

/** An alarm whose runbook needs approval (high), e-mailed: its episode's first ALARM (10:03:12) and second (10:07) both asking. */
async function twoAskingIncidents() {
  const runner = createScriptedRunbookRunner();
  const approvalResumes = createMemoryApprovalResumes();
  const { deps, published } = stepDeps({
    analyzer: scriptedAnalyzer({ proposedAction: 'run_runbook', confidence: 0.85 }),
    remediation: remediationDeps({ runbooks: parseRunbookMappings(JSON.stringify([{ ...HIGH[0], alarmNamePrefix: 'checkout-api-' }])), runner }),
    approvalResumes,
  });
  const first = await askedAt(deps, '2026-11-20T10:03:12.000Z', 'token-1');
  const second = await askedAt(deps, '2026-11-20T10:07:00.000Z', 'token-2');
  return { deps, runner, published, first, second };
}

describe('attack pass 43a: the episode claim of an approved runbook', () => {
  // attack-43a finding F1: an approved holder does not hold the episode's claim between its claim and the write of runbookExecutionId (it is still awaiting_approval, and awaiting_approval without an execution id neither "started" nor is BEFORE_DECISION), so a second approved ALARM of the episode handled in that window takes the claim over and starts a second run.
  it.fails('runs once when the second ALARM of the episode is approved while the first approved one is starting its run', async () => {
    const { deps, runner, first, second } = await twoAskingIncidents();
    // The first's approved Remediate: SSM answers its start; before the step records the execution (a DynamoDB write
    // that takes its time, or a Lambda that dies there and is retried a few seconds later), the second's approval is handled.
    const start = runner.start.bind(runner);
    let secondDone = false;
    runner.start = async (request) => {
      const answered = await start(request);
      if (!secondDone) {
        secondDone = true;
        deps.clock = () => new Date('2026-11-20T10:09:01.000Z');
        await remediateStep({ trigger: second, approval: { approvedBy: 'oncall-ben' } }, deps);
      }
      return answered;
    };

    deps.clock = () => new Date('2026-11-20T10:09:00.000Z');
    await remediateStep({ trigger: first, approval: { approvedBy: 'oncall-ana' } }, deps);

    // Required: one run for the episode (the service restarted once); the second counted on the first's run.
    expect(distinctRuns(runner)).toBe(1);
    expect((await deps.incidents.get(second.incidentId))?.decision).toMatchObject({ action: 'comment_only' });
  });

  // Held: an approved holder whose start answered (runbookExecutionId recorded) stands while its run is followed, also when its decision's write then dies on every try.
  it('runs once when the first approved run recorded its execution and its decision was then lost', async () => {
    const { deps, runner, first, second } = await twoAskingIncidents();
    const update = deps.incidents.update.bind(deps.incidents);
    deps.incidents.update = async (id, fields, append) => {
      if (id === first.incidentId && 'decision' in fields) throw new Error('Task timed out');
      return update(id, fields, append);
    };
    deps.clock = () => new Date('2026-11-20T10:09:00.000Z');
    for (let attempt = 0; attempt < 4; attempt += 1) {
      await expect(remediateStep({ trigger: first, approval: { approvedBy: 'oncall-ana' } }, deps)).rejects.toThrow('Task timed out');
    }
    deps.incidents.update = update;

    deps.clock = () => new Date('2026-11-20T10:10:00.000Z');
    await remediateStep({ trigger: second, approval: { approvedBy: 'oncall-ben' } }, deps);

    expect(distinctRuns(runner)).toBe(1);
    expect((await deps.incidents.get(second.incidentId))?.decision).toMatchObject({ action: 'comment_only', reason: expect.stringContaining(first.incidentId) });
  });
});

describe("attack pass 43a: a later ALARM making its holder's start again (confirmRunbookStart)", () => {
  // attack-43a finding F2: the episode check (and confirmRunbookStart in countedOnEpisodeRun) comes before the plan's requiresApproval: a later ALARM whose plan now needs a human's approval (the runbook's severity raised to high after the holder's start failed and on-call was paged) starts the runbook without anyone approving it.
  it.fails("starts no runbook without approval when the later ALARM's plan needs approval and the holder's start had failed", async () => {
    const { deps, runner, second, first } = await twoAutomaticIncidents();
    await holderStartFailedForGood(deps, first);
    expect(runner.started).toHaveLength(0);
    // The operator makes the runbook need approval (severity high) after the failed start was paged.
    deps.remediation.runbooks = parseRunbookMappings(JSON.stringify(HIGH));

    const result = await remediateStep({ trigger: second }, deps);

    // Required: nothing runs before someone approves; the later ALARM asks for approval.
    expect(runner.started).toHaveLength(0);
    expect(result).toMatchObject({ awaitingApproval: true });
  });

  // Held: the control of F2 — the same later ALARM with the automatic mapping makes the holder's start, with the holder's token, once.
  it("makes the holder's start once, with the holder's token, when its plan is automatic", async () => {
    const { deps, runner, second, first } = await twoAutomaticIncidents();
    await holderStartFailedForGood(deps, first);
    await remediateStep({ trigger: second }, deps);
    await remediateStep({ trigger: second }, deps).catch(() => undefined);
    expect(distinctRuns(runner)).toBe(1);
    expect(runner.started[0]?.parameters).toEqual(runner.started.at(-1)?.parameters);
  });
});
