import { expect, vi } from 'vitest';
import { alarmEventSchema, alarmTriggerFromEvent } from '../../shared/domain/trigger.js';
import { analyzeStep } from '../../shared/steps/analyze.js';
import { classifyStep } from '../../shared/steps/classify.js';
import { notifyStep } from '../../shared/steps/notify.js';
import { recordAlarmRecovery } from '../../shared/steps/record-outcome.js';
import { remediateStep } from '../../shared/steps/remediate.js';
import { loadAlarmEvent } from '../../infra/local/replay.js';
import { createMemoryCommandAnswers, createScriptedRunbookRunner, remediationDeps, scriptedAnalyzer, stepDeps } from './fakes.js';
import { parseRunbookMappings } from '../../shared/remediation/runbooks.js';
import { createDynamoEscalationDigests, createDynamoEscalationLedger } from '../../shared/stores/escalation-ledger.js';
import type { Trigger } from '../../shared/domain/trigger.js';
import type { EscalationOccurrence, TaskTokenControl } from '../../shared/ports.js';
import { resumeRecordedDecisions } from '../../shared/reconcile/approval-resumes.js';
import type { ApprovalResumes } from '../../shared/stores/approval-resumes.js';

/*
 * An alarm mapped to a runbook that waits for approval, driven through the stages one state change at a time: the
 * e-mailed approval requests' tests (test/unit/steps/approval-requests.test.ts, test/unit/steps/approval-carry.test.ts,
 * test/attack/pass-16-approval-claims.test.ts).
 */

/** The fixture's alarm (or one renamed) entering ALARM at `at`, planned and asking for approval with `token`. */
export async function askedAt(deps: ReturnType<typeof stepDeps>['deps'], at: string, token: string, alarmName?: string) {
  const trigger = alarmTriggerAt(at, alarmName);
  deps.clock = () => new Date(at);
  await classifyStep({ trigger }, deps);
  await analyzeStep({ trigger }, deps);
  expect(await remediateStep({ trigger }, deps)).toMatchObject({ action: 'run_runbook', awaitingApproval: true });
  await notifyStep({ trigger, approvalRequest: { taskToken: token } }, deps);
  return trigger;
}

/**
 * The fixture's alarm (or one renamed) entering ALARM at `at` (the clock then, unless `now`), through every stage to
 * its page (no runbook: escalate); the incident as Notify left it.
 */
export async function alarmPagedAt(deps: ReturnType<typeof stepDeps>['deps'], at: string, alarmName?: string, now = at) {
  const trigger = alarmTriggerAt(at, alarmName);
  deps.clock = () => new Date(now);
  for (const step of [classifyStep, analyzeStep, remediateStep, notifyStep]) await step({ trigger }, deps);
  return (await deps.incidents.get(trigger.incidentId))!;
}

/** The trigger of the fixture's alarm (or one renamed) entering ALARM at `at`. */
export function alarmTriggerAt(at: string, alarmName?: string) {
  const event = structuredClone(loadAlarmEvent('alarm-state-alarm')) as Record<string, any>;
  event.time = at;
  event.detail.state.timestamp = at;
  if (alarmName) {
    event.detail.alarmName = alarmName;
    event.resources = [String(event.resources[0]).replace(/alarm:.*$/, `alarm:${alarmName}`)];
  }
  return alarmTriggerFromEvent(alarmEventSchema.parse(event));
}

/**
 * Makes the publish of e-mails fail as SNS does when it is down, until `heal()`: an attempt that e-mailed nothing
 * (`down` says whether it still fails, for a fault that lasts as long).
 */
export function failingPublish(deps: ReturnType<typeof stepDeps>['deps']) {
  const publish = deps.escalations.publish.bind(deps.escalations);
  let down = true;
  deps.escalations.publish = async (message) => {
    if (down) throw Object.assign(new Error('SNS is down'), { name: 'InternalErrorException' });
    return publish(message);
  };
  return {
    heal: () => void (down = false),
    get down() {
      return down;
    },
  };
}

/**
 * `token`'s request for the fixture's alarm entering ALARM at `at`, e-mailed by an attempt that dies before the ledger
 * marks it published (killed here by a mark that never answers; the mark works again after): session 43's intent.
 */
export async function diedAfterPublish(deps: ReturnType<typeof stepDeps>['deps'], published: ReturnType<typeof stepDeps>['published'], at: string, token: string) {
  const mark = deps.escalationLedger.published.bind(deps.escalationLedger);
  deps.escalationLedger.published = () => new Promise<void>(() => {});
  void askedAt(deps, at, token);
  await vi.waitFor(() => expect(published).toHaveLength(1));
  deps.escalationLedger.published = mark;
}

/**
 * Makes the write that records an approval request (its `approval_requested` entry) fail as a throttled DynamoDB write,
 * `times` times or until `heal()`: an attempt failing after its request went out (session 42).
 */
export function throttleRequestRecord(deps: ReturnType<typeof stepDeps>['deps'], times = Number.POSITIVE_INFINITY) {
  const update = deps.incidents.update.bind(deps.incidents);
  let left = times;
  deps.incidents.update = async (id, fields, append, options) => {
    if (left > 0 && append?.history?.some((entry) => entry.event === 'approval_requested')) {
      left -= 1;
      throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    }
    return update(id, fields, append, options);
  };
  return { heal: () => void (left = 0) };
}

/**
 * Holds the first escalation-ledger write `at` picks until `release()`: a Notify paused between two of its writes, as a
 * slow or busy one is, for another Notify to run meanwhile (`paused()` says the hold began).
 */
export function pauseLedgerRecord(deps: ReturnType<typeof stepDeps>['deps'], at: (occurrence: EscalationOccurrence) => boolean) {
  const record = deps.escalationLedger.record.bind(deps.escalationLedger);
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => { release = resolve; });
  let paused = false;
  deps.escalationLedger.record = async (occurrence) => {
    if (!paused && at(occurrence)) {
      paused = true;
      await released;
    }
    return record(occurrence);
  };
  return { paused: () => paused, release };
}

/**
 * Calls `release` once the steps' clock is `ms` past the first read of incident `id`: a paused holder going on while
 * a later Notify waits for it, on the clock that Notify's sleeps move on, not in real time (session 45).
 */
export function releaseAfterFirstRead(deps: ReturnType<typeof stepDeps>['deps'], id: string, ms: number, release: () => void) {
  const get = deps.incidents.get.bind(deps.incidents);
  let releaseAt: number | null = null;
  deps.incidents.get = async (read) => {
    if (read === id && releaseAt === null) releaseAt = deps.clock().getTime() + ms;
    return get(read);
  };
  const sleep = deps.sleep;
  deps.sleep = async (slept) => {
    await sleep(slept);
    if (releaseAt !== null && deps.clock().getTime() >= releaseAt) release();
  };
}

/** The e-mailed task tokens, in order. */
export const mailedTokens = (published: ReturnType<typeof stepDeps>['published']) => published.flatMap((p) => p.message.match(/--task-token '([^']+)'/)?.[1] ?? []);

/** The fixture's alarm returning to OK at `at`. */
export async function recoveredAt(deps: ReturnType<typeof stepDeps>['deps'], at: string) {
  const event = structuredClone(loadAlarmEvent('alarm-state-ok')) as Record<string, any>;
  event.time = at;
  event.detail.state.timestamp = at;
  deps.clock = () => new Date(at);
  await recordAlarmRecovery(event, deps as never);
}

/**
 * On-call's answer to the request e-mailed with `trigger`'s token, at `at`: its execution resumed with it, as Step
 * Functions runs it (ApplyApproved then Notify for an approval; Notify with the Catch's error for a rejection).
 */
export async function answeredByEmail(deps: ReturnType<typeof stepDeps>['deps'], trigger: Trigger, at: string, answer: { approvedBy: string } | { rejected: string }) {
  deps.clock = () => new Date(at);
  if ('approvedBy' in answer) {
    await remediateStep({ trigger, approval: answer }, deps);
    return notifyStep({ trigger, approval: answer }, deps);
  }
  return notifyStep({ trigger, approvalError: { Error: 'ApprovalRejected', Cause: answer.rejected } }, deps);
}

/** One run of the reconciler's resumes of recorded decisions at `at`, over the steps' stores, resuming through `tasks`. */
export function resumeDecisionsAt(deps: ReturnType<typeof stepDeps>['deps'], approvalResumes: ApprovalResumes, tasks: TaskTokenControl, at: string) {
  return resumeRecordedDecisions(
    {
      approvalResumes,
      incidents: deps.incidents,
      approvals: deps.remediation.approvals,
      tasks,
      clock: () => new Date(at),
      logger: deps.logger,
      metrics: deps.metrics,
      escalations: deps.escalations,
      escalationLedger: deps.escalationLedger,
      policyFile: deps.remediation.policyFile,
      githubWriter: async () => deps.github,
      answers: createMemoryCommandAnswers(),
    },
    { maxPerRun: 5, afterMinutes: deps.config.RECONCILE_AFTER_MINUTES, lookbackHours: 48 },
  );
}

/** The `checkout-api-` alarms' runbook, of high severity: each run waits for a human's approval. */
export const APPROVED_CHECKOUT_RUNBOOK = parseRunbookMappings(JSON.stringify([{ alarmNamePrefix: 'checkout-api-', document: 'Restart-Checkout-Api', parameters: {}, severity: 'high' }]));

/**
 * The steps' dependencies for an alarm storm whose runbooks need approval, with the escalation ledger and its digests
 * on `client` (a file's scratch store), as the reconciler reads them to send the grouped requests.
 */
export function approvalStormSteps(client: Parameters<typeof createDynamoEscalationLedger>[0]['client']) {
  const tables = { client, tableName: 'incidents' };
  const { deps, published } = stepDeps({
    analyzer: scriptedAnalyzer({ proposedAction: 'run_runbook', confidence: 0.85 }),
    remediation: remediationDeps({ runbooks: APPROVED_CHECKOUT_RUNBOOK }),
    escalationLedger: createDynamoEscalationLedger(tables),
  });
  return { deps, published, digests: createDynamoEscalationDigests(tables) };
}

/**
 * Step deps whose analyzer proposes the `checkout-api-` alarms' runbook (high severity: its request is e-mailed for
 * approval), with a scripted SSM runner: the set-up of the e-mailed-request retry tests.
 */
export function checkoutRunbookDeps() {
  const runbooks = parseRunbookMappings(JSON.stringify([{ alarmNamePrefix: 'checkout-api-', document: 'Restart-Checkout-Api', parameters: {}, severity: 'high' }]));
  return stepDeps({
    analyzer: scriptedAnalyzer({ proposedAction: 'run_runbook', confidence: 0.85 }),
    remediation: remediationDeps({ runbooks, runner: createScriptedRunbookRunner() }),
  });
}
