/**
 * CloudWatch "Alarm State Change" events of the fixtures' shape for the alarm attack tests (passes 15, 17–19) and the
 * carried e-mailed approvals' restart test, what reached on-call in a local runtime's outbox, and an alarm incident's
 * two ALARMs of one episode run through the steps, and an alarm incident's Remediate failing on every try (at a write,
 * or at its runbook start) for the episode claim's tests.
 */
import { expect } from 'vitest';
import { deliverAlarm, loadAlarmEvent } from '../../infra/local/replay.js';
import { type AlarmTrigger, type Trigger, alarmEventSchema, alarmTriggerFromEvent } from '../../shared/domain/trigger.js';
import { analyzeStep } from '../../shared/steps/analyze.js';
import { classifyStep } from '../../shared/steps/classify.js';
import { notifyStep } from '../../shared/steps/notify.js';
import { remediateStep } from '../../shared/steps/remediate.js';
import { parseRunbookMappings } from '../../shared/remediation/runbooks.js';
import { createEpisodeRunbookClaims } from '../../shared/stores/runbook-checks.js';
import { type RunbookCheckOptions, pageRunbooksThatDidNotFix } from '../../shared/reconcile/runbook-checks.js';
import { createMemoryIncidentDueList, createScriptedRunbookRunner, remediationDeps, scriptedAnalyzer, stepDeps } from './fakes.js';
import type { Harness } from './harness.js';

/** The account of the sample events in `events/cloudwatch`, the local runtime's deployment account. */
export const ALARM_ACCOUNT = '123456789012';

export interface AlarmOptions {
  name?: string;
  previous?: { value: string; at: string };
  account?: string;
  region?: string;
  id?: string;
  tags?: Record<string, string>;
}

/**
 * An alarm of the fixture's shape entering `state` at `at` (its `time` and `detail.state.timestamp`); `idPrefix`
 * starts its EventBridge id unless `options.id` gives one.
 */
export function alarmEvent(idPrefix: string, state: 'ALARM' | 'OK' | 'INSUFFICIENT_DATA', at: string, options: AlarmOptions = {}) {
  const event = structuredClone(loadAlarmEvent(state === 'OK' ? 'alarm-state-ok' : 'alarm-state-alarm')) as Record<string, any>;
  const name = options.name ?? 'checkout-api-5xx-rate';
  const account = options.account ?? ALARM_ACCOUNT;
  const region = options.region ?? 'us-east-1';
  Object.assign(event, { id: options.id ?? `${idPrefix}-${name}-${state}-${at}`, account, region, time: at, resources: [`arn:aws:cloudwatch:${region}:${account}:alarm:${name}`] });
  event.detail.alarmName = name;
  event.detail.state.value = state;
  event.detail.state.timestamp = at;
  event.detail.previousState = {
    value: options.previous?.value ?? (state === 'ALARM' ? 'OK' : 'ALARM'),
    reason: 'previous',
    timestamp: options.previous?.at ?? '2026-11-20T08:00:00.000+0000',
  };
  if (options.tags) event.detail.alarmTags = options.tags;
  return event;
}

/** A composite alarm `name` (the fixture's shape) entering ALARM at `at`, fired by `children` ([name, time]). */
export function compositeEvent(idPrefix: string, at: string, children: Array<readonly [string, string]>, name = 'orders-service-health') {
  const composite = structuredClone(loadAlarmEvent('alarm-composite')) as Record<string, any>;
  composite.id = `${idPrefix}-${name}-${at}`;
  composite.time = at;
  composite.resources = [`arn:aws:cloudwatch:us-east-1:${ALARM_ACCOUNT}:alarm:${name}`];
  composite.detail.alarmName = name;
  composite.detail.state.timestamp = at;
  composite.detail.state.reasonData = JSON.stringify({
    triggeringAlarms: children.map(([child, when]) => ({ arn: `arn:aws:cloudwatch:us-east-1:${ALARM_ACCOUNT}:alarm:${child}`, state: { value: 'ALARM', timestamp: when } })),
  });
  return composite;
}

/** Everything e-mailed to on-call (the escalation topic's stand-in): pages, approval requests and digests. */
export async function toOnCall(harness: Harness) {
  return (await harness.outbox()).filter((e) => e.kind === 'escalation').map((e) => ({ subject: String(e.subject), message: String(e.message) }));
}

/** The e-mails to on-call that name `name`. */
export const naming = async (harness: Harness, name: string) => (await toOnCall(harness)).filter((m) => m.message.includes(name) || m.subject.includes(name));

/** The e-mails to on-call but the digests. */
export const pagesOnly = async (harness: Harness) => (await toOnCall(harness)).filter((m) => !m.subject.includes('Still happening'));

/** CloudWatch's time format, `ms` after `t0`. */
export const cw = (t0: number, ms = 0) => new Date(t0 + ms).toISOString().replace('Z', '+0000');

/**
 * A "10:00" for tests of alarm groups: an hour and a half before the wall clock, on a group index bucket (5 minutes).
 * Alarms are handled by the wall clock, and one that fired more than a day before it leads no group (page-claims.ts).
 */
export const recentT0 = () => Math.floor((Date.now() - 90 * 60_000) / 300_000) * 300_000;

/**
 * A fast flap of the fixture's alarm that ends in ALARM (ALARM at 10:03:12, OK at 10:08, ALARM at 10:12), each state
 * change delivered to the runtime and run until it ends or waits for approval: the incident that recovered, the one
 * still firing, what was e-mailed to on-call, and the task token of the first approval request e-mailed.
 */
export async function flapEndingInAlarm(harness: Harness, idPrefix: string) {
  const incidents: string[] = [];
  for (const [state, at, previous] of [
    ['ALARM', '2026-11-20T10:03:12.000+0000', '2026-11-20T08:00:00.000+0000'],
    ['OK', '2026-11-20T10:08:00.000+0000', '2026-11-20T10:03:12.000+0000'],
    ['ALARM', '2026-11-20T10:12:00.000+0000', '2026-11-20T10:08:00.000+0000'],
  ] as const) {
    const answer = await deliverAlarm(harness.runtime.url, alarmEvent(idPrefix, state, at, { previous: { value: state === 'ALARM' ? 'OK' : 'ALARM', at: previous } }));
    if (answer.body.incidentId) incidents.push(String(answer.body.incidentId));
    await harness.runtime.idle();
  }
  const [recovered = '', firing = ''] = incidents;
  const requests = await toOnCall(harness);
  const token = /--task-token '([^']+)'/.exec(requests[0]?.message ?? '')?.[1] ?? 'no token in the e-mail';
  return { recovered, firing, requests, token };
}

/**
 * One episode of the fixture's alarm whose runbook waits for on-call's e-mailed approval (ALARM at 10:00, and again at
 * 10:07 after INSUFFICIENT_DATA, counted on the first one's request), each delivered to the runtime and run until it
 * waits: the two incidents, what was e-mailed to on-call, and the task token of the first approval request.
 */
export async function episodeAwaitingEmailedApproval(harness: Harness, idPrefix: string) {
  const incidents: string[] = [];
  for (const event of [
    alarmEvent(idPrefix, 'ALARM', '2026-11-20T10:00:00.000+0000'),
    alarmEvent(idPrefix, 'ALARM', '2026-11-20T10:07:00.000+0000', { previous: { value: 'INSUFFICIENT_DATA', at: '2026-11-20T10:05:00.000+0000' } }),
  ]) {
    incidents.push(String((await deliverAlarm(harness.runtime.url, event)).body.incidentId));
    await harness.runtime.idle();
  }
  const requests = await toOnCall(harness);
  const token = /--task-token '([^']+)'/.exec(requests[0]?.message ?? '')?.[1] ?? 'no token';
  return { incidents, requests, token };
}

/**
 * The state machine's four tries (its Retry) of `trigger`'s Remediate, each dying ('Task timed out': a Lambda timeout
 * while DynamoDB hangs) at the incident's write of `field`, its plan or its decision; the writes work again after.
 */
export async function remediateDiesAtWrite(deps: ReturnType<typeof stepDeps>['deps'], trigger: Trigger, field: 'plan' | 'decision') {
  const update = deps.incidents.update.bind(deps.incidents);
  deps.incidents.update = async (id, fields, append) => {
    if (id === trigger.incidentId && field in fields) throw new Error('Task timed out');
    return update(id, fields, append);
  };
  for (let attempt = 0; attempt < 4; attempt += 1) await expect(remediateStep({ trigger }, deps)).rejects.toThrow('Task timed out');
  deps.incidents.update = update;
}

/**
 * The holder's (`first`'s) Remediate failing at its runbook start on every try (4, as the state machine's Retry:
 * 'connect ETIMEDOUT'), then its Catch's Notify recording the failure; the runner's start works again after.
 */
export async function holderStartFailedForGood(deps: ReturnType<typeof stepDeps>['deps'], first: Trigger) {
  const start = deps.remediation.runner.start.bind(deps.remediation.runner);
  deps.remediation.runner.start = async () => {
    throw new Error('connect ETIMEDOUT');
  };
  for (let attempt = 0; attempt < 4; attempt += 1) await expect(remediateStep({ trigger: first }, deps)).rejects.toThrow('ETIMEDOUT');
  deps.remediation.runner.start = start;
  await notifyStep({ trigger: first, remediateError: { Error: 'Error', Cause: 'connect ETIMEDOUT' } }, deps);
}

/**
 * The holder's (`first`'s) Remediate, its start answered, failing to read its run's status on every try (4, as the
 * state machine's Retry, with `error`: GetAutomationExecution throttled, or its Lambda timing out), then its Catch's
 * Notify recording the failure (unless not `notified`: its step still in its retries); the runner's status works again after.
 */
export async function holderFollowFailedForGood(deps: ReturnType<typeof stepDeps>['deps'], first: Trigger, error = 'ThrottlingException: Rate exceeded', notified = true) {
  const status = deps.remediation.runner.status.bind(deps.remediation.runner);
  deps.remediation.runner.status = async () => {
    throw new Error(error);
  };
  for (let attempt = 0; attempt < 4; attempt += 1) await expect(remediateStep({ trigger: first }, deps)).rejects.toThrow(error);
  deps.remediation.runner.status = status;
  if (notified) await notifyStep({ trigger: first, remediateError: { Error: 'Error', Cause: error } }, deps);
}

/**
 * Two ALARMs of one episode of the alarm `name` (at `hour`:00, and at `hour`:07 after INSUFFICIENT_DATA at `hour`:05,
 * on 2026-11-20; their ids started by `idPrefix`) as the steps' triggers, each classified and analysed.
 */
export async function twoAlarmsOfOneEpisode(deps: ReturnType<typeof stepDeps>['deps'], idPrefix: string, name: string, hour = 10) {
  const at = (minute: string) => `2026-11-20T${String(hour).padStart(2, '0')}:${minute}:00.000+0000`;
  const [first, second] = [
    alarmEvent(idPrefix, 'ALARM', at('00'), { name }),
    alarmEvent(idPrefix, 'ALARM', at('07'), { name, previous: { value: 'INSUFFICIENT_DATA', at: at('05') } }),
  ].map((event) => alarmTriggerFromEvent(alarmEventSchema.parse(event))) as [AlarmTrigger, AlarmTrigger];
  for (const trigger of [first, second]) {
    await classifyStep({ trigger }, deps);
    await analyzeStep({ trigger }, deps);
  }
  return [first, second] as const;
}

/** A third ALARM of {@link twoAlarmsOfOneEpisode}'s episode (10:12, after INSUFFICIENT_DATA at 10:11), classified and analysed. */
export async function thirdAlarmOfEpisode(deps: ReturnType<typeof stepDeps>['deps'], idPrefix: string, name: string) {
  const event = alarmEvent(idPrefix, 'ALARM', '2026-11-20T10:12:00.000+0000', { name, previous: { value: 'INSUFFICIENT_DATA', at: '2026-11-20T10:11:00.000+0000' } });
  const trigger = alarmTriggerFromEvent(alarmEventSchema.parse(event));
  await classifyStep({ trigger }, deps);
  await analyzeStep({ trigger }, deps);
  return trigger;
}

/** The automatic runbook of every `checkout-` alarm, of medium severity (it runs without approval). */
export const CHECKOUT_RUNBOOK = [{ alarmNamePrefix: 'checkout-', document: 'Restart-Checkout-Api', parameters: {}, severity: 'medium' }];

/**
 * Two ALARMs of one episode of {@link CHECKOUT_RUNBOOK}'s alarm `<idPrefix>`-numbered, classified and analysed as
 * `run_runbook`, handled at 14:00 after both fired; the scripted runner answers `status`, the episode's claims live on
 * `claims` (a file's scratch store), and runbook checks on an in-memory due list.
 */
export async function runbookEpisode(claims: Parameters<typeof createEpisodeRunbookClaims>[0]['client'], idPrefix: string, number: number, options: { status?: string; env?: Record<string, string>; policyFile?: Record<string, unknown> } = {}) {
  // The runner reports each run's start at the steps' clock, read when the start is made.
  const runner = createScriptedRunbookRunner(options.status ?? 'Success', () => deps.clock());
  const runbookChecks = createMemoryIncidentDueList();
  const { deps, published } = stepDeps({
    env: options.env ?? {},
    clock: () => new Date('2026-11-20T14:00:00Z'),
    analyzer: scriptedAnalyzer({ proposedAction: 'run_runbook', confidence: 0.85 }),
    remediation: remediationDeps({
      runbooks: parseRunbookMappings(JSON.stringify(CHECKOUT_RUNBOOK)),
      policyFile: options.policyFile ?? {},
      runner,
      runbookChecks,
      episodeRunbooks: createEpisodeRunbookClaims({ client: claims, tableName: 'incidents' }),
    }),
  });
  const name = `checkout-${idPrefix}-${number}`;
  const [first, second] = await twoAlarmsOfOneEpisode(deps, idPrefix, name);
  return { deps, published, runner, runbookChecks, first, second, name };
}

/** The reconciler's limits in the runbook episodes' tests: as deployed (25 a run, 48 hours back, 120 minutes unended). */
export const RUNBOOK_CHECK_LIMITS: RunbookCheckOptions = { maxPerRun: 25, lookbackHours: 48, notEndedMinutes: 120 };

/** The reconciler's runbook checks run at `time` on 2026-11-20 over a {@link runbookEpisode}'s checks, with its steps' fakes as its ports. */
export function reconcileRunbookChecksAt(
  episode: Pick<Awaited<ReturnType<typeof runbookEpisode>>, 'deps' | 'runbookChecks'>,
  time: string,
  limits: RunbookCheckOptions = RUNBOOK_CHECK_LIMITS,
) {
  const { deps, runbookChecks } = episode;
  return pageRunbooksThatDidNotFix(
    { ...deps, runbookChecks, runbookRunner: deps.remediation.runner, episodeRunbooks: deps.remediation.episodeRunbooks, policyFile: {}, clock: () => new Date(`2026-11-20T${time}Z`) },
    limits,
  );
}

/** A {@link runbookEpisode} of the runbook-check tests. */
export type RunbookEpisode = Awaited<ReturnType<typeof runbookEpisode>>;

/**
 * A file's {@link runbookEpisode}s, alarms `<idPrefix>`-1, -2, … with their claims on the file's scratch store
 * (`scratch.client`, read when an episode is made).
 */
export function runbookEpisodesOf(scratch: { readonly client: Parameters<typeof createEpisodeRunbookClaims>[0]['client'] }, idPrefix: string) {
  let alarms = 0;
  return (status: string, env: Record<string, string> = {}) => runbookEpisode(scratch.client, idPrefix, ++alarms, { status, env });
}

/** A later ALARM of the episode remediated and notified with the steps' clock at `time` (2026-11-20). */
export async function runbookAlarmHandledAt(ep: RunbookEpisode, trigger: RunbookEpisode['second'], time: string) {
  const clock = ep.deps.clock;
  ep.deps.clock = () => new Date(`2026-11-20T${time}Z`);
  await remediateStep({ trigger }, ep.deps);
  await notifyStep({ trigger }, ep.deps);
  ep.deps.clock = clock;
}
