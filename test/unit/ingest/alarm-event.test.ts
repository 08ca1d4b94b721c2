import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestAlarmEvent } from '../../../shared/ingest/alarm-event.js';
import { staticGitHubClients } from '../../../shared/github/clients.js';
import { routeEscalation } from '../../../shared/notify/escalation-policy.js';
import { silentLogger } from '../../../shared/steps/deps.js';
import { parseState } from '../../../shared/steps/state.js';
import { classifyStep } from '../../../shared/steps/classify.js';
import { recordAlarmRecovery } from '../../../shared/steps/record-outcome.js';
import { createMemoryStore } from '../../support/memory-store.js';

const EVENT = JSON.parse(readFileSync(join(import.meta.dirname, '../../../events/cloudwatch/alarm-state-alarm.json'), 'utf8')) as Record<string, any>;

/** What alarm ingest needs, with a workflow that records the inputs it is started with and scope by name prefix. */
function ingestDeps(prefix: string, started: unknown[]) {
  return {
    incidents: createMemoryStore(),
    workflow: { async start(_name: string, input: unknown) { started.push(input); return { alreadyStarted: false, executionId: 'arn' }; } },
    clock: () => new Date('2026-11-20T10:00:00Z'),
    logger: silentLogger,
    maxRedrives: 3,
    scope: { prefixes: [prefix], tag: null, includeAutoscaling: false },
    alarmTags: null,
  };
}

describe('alarm ingest', () => {
  it('records the incident and leaves its start to the reconciler when Step Functions refuses it, without throwing', async () => {
    // Prepare: a state machine that refuses every start (deleted, or the role lost states:StartExecution).
    const refusal = Object.assign(new Error('State Machine Does Not Exist'), { name: 'StateMachineDoesNotExist' });
    const event = structuredClone(EVENT);
    event.detail.alarmName = 'guard-checkout-5xx';
    const deps = { ...ingestDeps('guard-', []), workflow: { async start(): Promise<never> { throw refusal; } } };
    // Act
    const result = await ingestAlarmEvent(event, deps as never);
    // Assert: recorded with its trigger, so the reconciler can start or escalate it; Lambda is not told to retry.
    expect(result).toMatchObject({ duplicate: false, start: 'deferred' });
    const incidentId = (result as { incidentId: string }).incidentId;
    expect(await deps.incidents.get(incidentId)).toMatchObject({ status: 'received', source: 'cloudwatch' });
  });

  it('redacts the alarm text before it becomes the execution input', async () => {
    // Prepare: a reason that quotes a token the alarmed service logged.
    const token = `ghp_${'A1b2C3d4E5f6G7h8I9j0'.repeat(2).slice(0, 36)}`;
    const event = structuredClone(EVENT);
    event.detail.alarmName = 'guard-checkout-5xx';
    event.detail.state.reason = `Threshold Crossed: 1 datapoint [5.0] after deploy with GITHUB_TOKEN=${token}`;
    event.detail.state.reasonData = JSON.stringify({ note: `token ${token}` });
    event.detail.extra = { deep: { deeper: { deepest: { note: `token ${token}` } } } };
    const started: unknown[] = [];
    const deps = ingestDeps('guard-', started);
    // Act
    const result = await ingestAlarmEvent(event, deps as never);
    // Assert
    expect(result).toMatchObject({ duplicate: false });
    expect(started).toHaveLength(1);
    expect(JSON.stringify(started[0])).not.toContain(token);
    expect(JSON.stringify(started[0])).toContain('Threshold Crossed: 1 datapoint [5.0]');
    expect(JSON.stringify(started[0])).not.toContain('deepest');
  });

  it('keeps alarm text that redaction lengthened within what the pipeline\'s first step accepts', async () => {
    // Prepare: a description at CloudWatch's 1,024-character limit and a reason at the longest the schema takes,
    // each `pwd=…` redacted to a marker three times its length.
    const event = structuredClone(EVENT);
    event.detail.configuration.description = 'pwd=abcd '.repeat(113).padEnd(1_024, '.');
    event.detail.state.reason = 'pwd=abcd '.repeat(444).padEnd(4_000, '.');
    event.detail.previousState.reason = event.detail.state.reason;
    event.detail.state.reasonData = JSON.stringify({ note: 'pwd=abcd '.repeat(1_776) });
    const started: unknown[] = [];
    const deps = ingestDeps('checkout-', started);

    // Act
    await ingestAlarmEvent(event, deps as never);

    // Assert: the execution input is one the stages take (before, it failed their validation and paged on-call).
    const state = parseState(started[0]);
    expect(JSON.stringify(state)).not.toContain('abcd');
  });

  it('keeps the execution input far below Step Functions\' 256 KB when the alarm text is control characters', async () => {
    // Prepare: AWS's Alarm State Change event (events/cloudwatch), every free-text field at the longest the schema takes
    // and made of control characters (6 bytes each as JSON: `\u0001`), the metric queries labelled the same way, and
    // more tags than an alarm shows: the event itself stays within EventBridge's 256 KB.
    const control = (length: number) => '\u0001'.repeat(length);
    const event = structuredClone(EVENT);
    event.detail.state.reason = `Threshold Crossed: 3 datapoints ${control(4_000)}`.slice(0, 4_000);
    event.detail.state.reasonData = control(16_000);
    event.detail.state.actionsSuppressedReason = control(1_024);
    event.detail.previousState.reason = control(4_000);
    event.detail.configuration.description = control(2_000);
    event.detail.configuration.metrics = Array.from({ length: 20 }, (_, i) => ({ id: `m${i}`, label: control(300), returnData: i === 0 }));
    event.detail.alarmTags = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`tag-${i}`, control(100)]));
    expect(Buffer.byteLength(JSON.stringify(event))).toBeLessThan(256 * 1024);
    const started: unknown[] = [];
    const deps = ingestDeps('checkout-', started);

    // Act
    await ingestAlarmEvent(event, deps as never);

    // Assert: the whole input as Step Functions counts it (before: 224 KB, and a stage's output on top of it went over
    // 256 KB, which fails the execution with States.DataLimitExceeded, an error no Catch can take); what the stages
    // parse; the start of the reason, which says what crossed the threshold, kept.
    const input = started[0] as { trigger: { event: typeof EVENT } };
    expect(Buffer.byteLength(JSON.stringify(input))).toBeLessThanOrEqual(128 * 1024);
    expect(parseState(input).trigger).toBeDefined();
    expect(input.trigger.event.detail.state.reason.startsWith('Threshold Crossed: 3 datapoints')).toBe(true);
  });

  it('refuses an alarm trigger over its JSON bound at the first stage, as it refuses a check run\'s', () => {
    // Prepare: a trigger built without ingest's bounds (an old execution's input, a hand-started one).
    const event = structuredClone(EVENT);
    event.detail.state.reasonData = '\u0001'.repeat(16_000);
    event.detail.configuration.metrics = Array.from({ length: 20 }, (_, i) => ({ id: `m${i}`, label: '\u0001'.repeat(1_000) }));

    // Act / Assert
    expect(() => parseState({ trigger: { source: 'cloudwatch', incidentId: 'cw-1', event } })).toThrow(/bytes as JSON/);
  });

  it('reads the tags of an alarm whose event carries none (tag propagation off): prefix OR tag', async () => {
    const started: string[] = [];
    const asked: string[] = [];
    const tagsByAlarm: Record<string, Record<string, string>> = {
      'arn:aws:cloudwatch:us-east-1:123456789012:alarm:payments-latency': { 'pipeline-guard': 'enabled' },
      'arn:aws:cloudwatch:us-east-1:123456789012:alarm:search-latency': { team: 'search' },
    };
    const deps = {
      incidents: createMemoryStore(),
      workflow: { async start(name: string) { started.push(name); return { alreadyStarted: false, executionId: name }; } },
      clock: () => new Date('2026-11-20T10:00:00Z'),
      logger: silentLogger,
      maxRedrives: 3,
      scope: { prefixes: ['checkout-'], tag: { key: 'pipeline-guard', value: 'enabled' }, includeAutoscaling: false },
      alarmTags: { async tagsOf(arn: string) { asked.push(arn); return tagsByAlarm[arn] ?? {}; } },
    };
    const untagged = (name: string) => {
      const event = structuredClone(EVENT);
      delete event.detail.alarmTags;
      event.detail.alarmName = name;
      event.resources = [`arn:aws:cloudwatch:us-east-1:123456789012:alarm:${name}`];
      return event;
    };

    const results = await Promise.all(['checkout-5xx', 'payments-latency', 'search-latency'].map((name) => ingestAlarmEvent(untagged(name), deps as never)));

    expect(results.map((r) => 'ignored' in r)).toEqual([false, false, true]);
    expect(started).toHaveLength(2);
    // The prefix decides without a read; only the other two alarms were looked up.
    expect(asked).toEqual(['arn:aws:cloudwatch:us-east-1:123456789012:alarm:payments-latency', 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:search-latency']);
  });

  it('says why an untagged event is out of scope where no tags can be read (the local runtime), and what to do', async () => {
    // Prepare: a tag scope, no tag reader (npm start has no CloudWatch), and an event in AWS's documented shape,
    // which carries no alarmTags: in AWS the same alarm's tags would have been read and could have opted it in.
    const event = structuredClone(EVENT);
    delete event.detail.alarmTags;
    event.detail.alarmName = 'ServerCpuTooHigh';
    event.resources = ['arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh'];
    const deps = { ...ingestDeps('checkout-', []), scope: { prefixes: [], tag: { key: 'pipeline-guard', value: 'enabled' }, includeAutoscaling: false } };

    // Act
    const result = await ingestAlarmEvent(event, deps as never);

    // Assert
    expect(result).toEqual({ ignored: expect.stringMatching(/^not in scope: .*: the event carries no alarmTags and no tags are read from CloudWatch here/) });
    expect((result as { ignored: string }).ignored).toContain('detail.alarmTags');
    expect((result as { ignored: string }).ignored).toContain('ALARM_NAME_PREFIXES');
  });
});

describe('alarm state changes are applied in the order they happened, not the order they arrive', () => {
  // EventBridge retries each target for up to 2 hours: an OK can arrive before the ALARM it ended, or again later.
  const ARN = 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:checkout-api-5xx-rate';
  function change(value: 'ALARM' | 'OK', timestamp: string) {
    const event = structuredClone(EVENT);
    event.detail.state.value = value;
    event.detail.state.timestamp = timestamp;
    event.detail.previousState.value = value === 'OK' ? 'ALARM' : 'OK';
    return event;
  }
  function setup() {
    let now = new Date('2026-11-20T12:00:00Z');
    const clock = () => now;
    const incidents = createMemoryStore(clock);
    const started: string[] = [];
    const ingest = {
      incidents, clock, logger: silentLogger, maxRedrives: 3, alarmTags: null,
      scope: { prefixes: ['checkout-'], tag: null, includeAutoscaling: false },
      workflow: {
        async start(name: string) {
          const alreadyStarted = started.includes(name);
          if (!alreadyStarted) started.push(name);
          return { alreadyStarted, executionId: name };
        },
        async describe(name: string) { return started.includes(name) ? { status: 'RUNNING', input: {} } : null; },
      },
    };
    const outcome = { incidents, clock, logger: silentLogger, github: staticGitHubClients(null) };
    return {
      incidents, started,
      at: (iso: string) => { now = new Date(iso); },
      alarm: async (timestamp: string) => ingestAlarmEvent(change('ALARM', timestamp), ingest as never) as Promise<{ incidentId: string; duplicate: boolean; recoveredAt?: string }>,
      ok: async (timestamp: string) => recordAlarmRecovery(change('OK', timestamp), outcome as never),
    };
  }

  it('resolves the ALARM an OK followed, and starts the pipeline for the next ALARM after that OK', async () => {
    const d = setup();
    const first = await d.alarm('2026-11-20T10:00:00.000+0000');
    expect(await d.ok('2026-11-20T10:05:00.000+0000')).toEqual({ resolved: [first.incidentId] });
    const second = await d.alarm('2026-11-20T10:20:00.000+0000');

    expect(second).toEqual({ incidentId: second.incidentId, duplicate: false });
    expect(d.started).toEqual([first.incidentId, second.incidentId]);
    expect(await d.incidents.get(first.incidentId)).toMatchObject({ status: 'resolved', resolvedAt: '2026-11-20T10:05:00.000Z', timeToRecoverySeconds: 300, resolvedBy: 'alarm OK' });
    expect((await d.incidents.get(second.incidentId))?.status).toBe('received');
    // An OK at the very instant of the ALARM ends it too.
    expect(await d.ok('2026-11-20T10:20:00.000+0000')).toEqual({ resolved: [second.incidentId] });
  });

  it('does not resolve a newer ALARM with a late or redelivered OK from before it', async () => {
    const d = setup();
    await d.alarm('2026-11-20T10:00:00.000+0000');
    await d.ok('2026-11-20T10:05:00.000+0000');
    const second = await d.alarm('2026-11-20T10:20:00.000+0000');

    // The 10:05 OK is delivered again (an EventBridge retry), and one from before that arrives late.
    expect(await d.ok('2026-11-20T10:05:00.000+0000')).toEqual({ resolved: [] });
    expect(await d.ok('2026-11-20T09:58:00.000+0000')).toEqual({ resolved: [] });

    expect(await d.incidents.get(second.incidentId)).toMatchObject({ status: 'received', resolvedAt: null, timeToRecoverySeconds: null, resolvedBy: null });
    expect(await d.incidents.latestAlarmOk(ARN)).toEqual(new Date('2026-11-20T10:05:00Z'));
  });

  it('records an ALARM processed after its own OK as resolved, and starts nothing: no runbook, no page', async () => {
    const d = setup();
    expect(await d.ok('2026-11-20T10:02:00.000+0000')).toEqual({ resolved: [] }); // nothing open yet
    const late = await d.alarm('2026-11-20T10:01:00.000+0000');

    expect(late).toEqual({ incidentId: late.incidentId, duplicate: false, recoveredAt: '2026-11-20T10:02:00.000Z' });
    expect(d.started).toEqual([]);
    const incident = (await d.incidents.get(late.incidentId))!;
    expect(incident).toMatchObject({
      status: 'resolved',
      failedAt: '2026-11-20T10:01:00.000Z',
      resolvedAt: '2026-11-20T10:02:00.000Z',
      timeToRecoverySeconds: 60,
      resolvedBy: 'alarm OK before the pipeline started',
      alarm: { state: 'OK', previousState: 'ALARM', stateChangedAt: '2026-11-20T10:02:00.000Z' },
    });
    expect(incident.history.at(-1)?.detail).toMatch(/back to OK at 2026-11-20T10:02:00.000Z.*nothing was run and nobody paged/);
    // Recorded with its trigger and scope, as any incident: the alarm's history shows it fired.
    expect(d.incidents.items.get(late.incidentId)).toMatchObject({ scope: `alarm:${ARN}`, trigger: { source: 'cloudwatch' } });
    const route = routeEscalation({ incident, reasons: ['alarm'], guardDegraded: false, commented: false, ownRerun: false, policy: {} as never });
    expect(route.page).toBe(false);
  });

  it('starts nothing and re-drives nothing when an ALARM is redelivered after its OK resolved it', async () => {
    const d = setup();
    const first = await d.alarm('2026-11-20T10:00:00.000+0000');
    await d.ok('2026-11-20T10:05:00.000+0000');

    const again = await d.alarm('2026-11-20T10:00:00.000+0000');

    expect(again).toEqual({ incidentId: first.incidentId, duplicate: true, recoveredAt: '2026-11-20T10:05:00.000Z' });
    expect(d.started).toEqual([first.incidentId]);
    expect(await d.incidents.get(first.incidentId)).toMatchObject({ status: 'resolved', resolvedBy: 'alarm OK', timeToRecoverySeconds: 300 });
  });

  it('keeps the latest OK when an older one arrives after it, so an ALARM between the two is still known to be over', async () => {
    const d = setup();
    await d.ok('2026-11-20T10:30:00.000+0000');
    await d.ok('2026-11-20T10:05:00.000+0000');
    expect(await d.incidents.latestAlarmOk(ARN)).toEqual(new Date('2026-11-20T10:30:00Z'));

    const between = await d.alarm('2026-11-20T10:20:00.000+0000');
    expect(between).toMatchObject({ duplicate: false, recoveredAt: '2026-11-20T10:30:00.000Z' });
    const after = await d.alarm('2026-11-20T10:31:00.000+0000');
    expect(after).toEqual({ incidentId: after.incidentId, duplicate: false });
    expect(d.started).toEqual([after.incidentId]);
  });

  it('keeps each alarm\'s OK to itself', async () => {
    const d = setup();
    await d.ok('2026-11-20T10:30:00.000+0000');
    const other = change('ALARM', '2026-11-20T10:20:00.000+0000');
    other.detail.alarmName = 'checkout-api-latency';
    other.resources = ['arn:aws:cloudwatch:us-east-1:123456789012:alarm:checkout-api-latency'];

    const result = await ingestAlarmEvent(other, {
      incidents: d.incidents, clock: () => new Date('2026-11-20T12:00:00Z'), logger: silentLogger, maxRedrives: 3, alarmTags: null,
      scope: { prefixes: ['checkout-'], tag: null, includeAutoscaling: false },
      workflow: { async start(name: string) { d.started.push(name); return { alreadyStarted: false, executionId: name }; } },
    } as never);

    expect(result).toMatchObject({ duplicate: false });
    expect(result).not.toHaveProperty('recoveredAt');
    expect(d.started).toHaveLength(1);
  });

  // attack-42b G3: an OK stamped a day ahead (a hand-made event POSTed to the local runtime) was noted as the alarm's
  // latest OK, and every real ALARM until that stamp was recorded "already back to OK": no runbook, no page.
  it('trusts no OK stamped a day ahead of the clock (each delivery would read later): nothing noted, the next real ALARM starts the pipeline', async () => {
    const d = setup();
    expect(await d.ok('2026-11-21T12:00:00.000+0000')).toEqual({ resolved: [] });
    expect(await d.incidents.latestAlarmOk(ARN)).toBeFalsy();

    const real = await d.alarm('2026-11-20T12:01:00.000+0000');

    expect(real).toEqual({ incidentId: real.incidentId, duplicate: false });
    expect(d.started).toEqual([real.incidentId]);
  });

  // attack-42b G1: an ALARM stamped a day ahead was older than no real OK until then, so it held the alarm's runbook claim.
  it('reads an ALARM stamped a day ahead as when it was handled, noted in its history, and the OK a moment before it ends it', async () => {
    const d = setup();
    const skewed = await d.alarm('2026-11-21T12:00:00.000+0000');
    const incident = (await d.incidents.get(skewed.incidentId))!;
    expect(incident).toMatchObject({ failedAt: '2026-11-20T12:00:00.000Z', alarm: { stampAhead: true } });
    expect(incident.history.find((entry) => entry.event === 'alarm_time_ahead')?.detail).toContain('2026-11-21T12:00:00.000+0000');

    // The alarm's real OK, stamped by CloudWatch's clock a moment before this guard's clock handled the ALARM.
    expect(await d.ok('2026-11-20T11:59:30.000+0000')).toEqual({ resolved: [skewed.incidentId] });
  });

  // attack-43b F6: a stamp at the earliest time a Date holds was kept as the alarm's time, and broke its group's times.
  it('reads an ALARM stamped before 2000 as when it was handled, noted in its history', async () => {
    const d = setup();
    const early = await d.alarm('-271821-04-20T00:01:00.000Z');
    const incident = (await d.incidents.get(early.incidentId))!;
    expect(incident).toMatchObject({ failedAt: '2026-11-20T12:00:00.000Z', alarm: { stampEarly: true } });
    expect(incident.alarm).not.toHaveProperty('stampAhead');
    expect(incident.history.find((entry) => entry.event === 'alarm_time_too_early')?.detail).toContain('-271821-04-20T00:01:00.000Z');
  });

  it('trusts a stamp ahead of the clock by less than the allowed skew, and a past one, as CloudWatch stamped them', async () => {
    const d = setup();
    const ahead = await d.alarm('2026-11-20T12:01:59.000+0000');
    const delayed = await d.alarm('2026-11-20T09:00:00.000+0000');
    expect(await d.incidents.get(ahead.incidentId)).toMatchObject({ failedAt: '2026-11-20T12:01:59.000Z', alarm: { stateChangedAt: '2026-11-20T12:01:59.000+0000' } });
    expect((await d.incidents.get(ahead.incidentId))?.alarm).not.toHaveProperty('stampAhead');
    expect((await d.incidents.get(delayed.incidentId))?.failedAt).toBe('2026-11-20T09:00:00.000Z');
    // An OK before the trusted stamp leaves that ALARM open, as for any newer ALARM.
    expect(await d.ok('2026-11-20T11:59:30.000+0000')).toEqual({ resolved: [delayed.incidentId] });
  });

  // The review of skew42: an alarm stamp ahead of the clock must read the same whatever the order and the deliveries.
  it('ends an ahead-stamped ALARM by the OK a moment before it whichever of the two is handled first', async () => {
    const d = setup();
    // The OK first this time (the tested order is the ALARM first): the same pair must read the same way.
    expect(await d.ok('2026-11-20T11:59:30.000+0000')).toEqual({ resolved: [] });
    const skewed = await d.alarm('2026-11-21T12:00:00.000+0000');
    expect(skewed.recoveredAt).toBeDefined();
    expect(d.started).toEqual([]);
  });

  // Found by the review of skew42: read as its handling time, each delivery of an ahead-stamped OK was a later OK than
  // the one before; such an OK now resolves nothing, on every delivery.
  it('does not let a redelivery of an ahead-stamped OK end an ALARM that fired after its first delivery', async () => {
    const d = setup();
    expect(await d.ok('2026-11-21T12:00:00.000+0000')).toEqual({ resolved: [] }); // read as 12:00
    d.at('2026-11-20T12:05:00Z');
    const real = await d.alarm('2026-11-20T12:04:00.000+0000'); // a real ALARM after that OK
    expect(d.started).toEqual([real.incidentId]);
    d.at('2026-11-20T12:10:00Z');
    // EventBridge (or Lambda's async retry, or the local queue) delivers the same OK again.
    expect(await d.ok('2026-11-21T12:00:00.000+0000')).toEqual({ resolved: [] });
    expect((await d.incidents.get(real.incidentId))?.status).not.toBe('resolved');
  });

  // Session 41: classify read the ALARM's stamp again at its own later clock, where a stamp ahead at ingest may be
  // within the allowed skew: the OK that ended the ALARM for ingest did not for classify, and the runbook ran.
  it("has classify decide an OK noted before the incident was written by ingest's read of the ALARM's time, not its own later one", async () => {
    // Prepare: an ALARM stamped 12:02:30 is ingested at 12:00 (read as 12:00, ahead); the alarm's OK of 12:01 was
    // noted by record-outcome after ingest read the alarm's latest OK and listed before the incident was written
    const started: unknown[] = [];
    let now = new Date('2026-11-20T12:00:00Z');
    const deps = { ...ingestDeps('checkout-', started), clock: () => now };
    const alarm = change('ALARM', '2026-11-20T12:02:30.000+0000');
    const { incidentId } = (await ingestAlarmEvent(alarm, deps as never)) as { incidentId: string };
    await deps.incidents.noteAlarmOk(ARN, new Date('2026-11-20T12:01:00Z'));

    // Act: classify at 12:01, when the stamp is within the allowed skew of its clock
    now = new Date('2026-11-20T12:01:00Z');
    const result = await classifyStep(started[0], { ...deps, metrics: { count() {}, measure() {} }, github: staticGitHubClients(null) } as never);

    // Assert: over, as ingest and record-outcome read it (an OK within the skew before an ALARM read as handled)
    expect(result).toMatchObject({ incidentId, incidentStatus: 'resolved' });
    expect(await deps.incidents.get(incidentId)).toMatchObject({ status: 'resolved', resolvedBy: 'alarm OK before classify', resolvedAt: '2026-11-20T12:01:00.000Z' });
  });
});
