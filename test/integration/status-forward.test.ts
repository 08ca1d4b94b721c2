import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { githubIncidentFields, githubIncidentScope } from '../../shared/domain/github-incident.js';
import { type Incident, type IncidentStatus, STATUS_MAY_LEAVE, newIncident } from '../../shared/domain/incident.js';
import { LATER_ATTEMPTS_READ } from '../../shared/domain/recovery.js';
import type { GithubTrigger } from '../../shared/domain/trigger.js';
import { triggerFromWorkflowRun } from '../../shared/ingest/github-webhook.js';
import { analyzeStep } from '../../shared/steps/analyze.js';
import { classifyStep } from '../../shared/steps/classify.js';
import { notifyStep } from '../../shared/steps/notify.js';
import { recordWorkflowRecovery } from '../../shared/steps/record-outcome.js';
import { remediateStep } from '../../shared/steps/remediate.js';
import { createGreenRunNotes } from '../../shared/stores/green-run-notes.js';
import { type IncidentStore, createIncidentStore } from '../../shared/stores/incident-store.js';
import { createFakeGitHub, failedRunDelivery, stepDeps } from '../support/fakes.js';
import { alarmEvent, cw } from '../support/alarm-events.js';
import { storeIncidentFromTrigger } from '../../shared/domain/incident-from-trigger.js';
import { alarmArnOf, alarmEventSchema, alarmTriggerFromEvent } from '../../shared/domain/trigger.js';
import { recordAlarmRecovery } from '../../shared/steps/record-outcome.js';
import { type ScratchStore, startScratchStore } from '../support/harness.js';
import { createRecoveryTargets } from '../../shared/stores/recovery-targets.js';
import { FOLLOWED_UP } from '../../shared/outcome/recovery-follow-ups.js';

/**
 * Status only moves forward, against the embedded DynamoDB-compatible server: a green run that resolves the incident
 * while a stage is working (between the stage's read and its write) is never overwritten by that stage.
 */
let store: ScratchStore;
let run = 0;

beforeAll(async () => {
  store = await startScratchStore('guard-status');
});

afterAll(async () => {
  await store?.close();
});

function dynamoStore(): IncidentStore {
  return createIncidentStore({ client: store.documents(), tableName: 'incidents', ttlDays: 30 });
}

function freshTrigger() {
  run += 1;
  const event = failedRunDelivery(900_000 + run, { run: { workflow_id: 700_000 + run } });
  return triggerFromWorkflowRun(event.body as never, `delivery-${run}`);
}

/**
 * The real store, except that the first status write of the stage is preceded by the recovery: the stage has read
 * the incident before the green run arrived and writes after it.
 */
function withRecoveryBeforeFirstStatusWrite(store: IncidentStore, recover: (id: string) => Promise<void>): IncidentStore {
  let interleaved = false;
  const interleave = async (id: string, fields: { status?: string }) => {
    if (!interleaved && fields.status !== undefined && fields.status !== 'resolved') {
      interleaved = true;
      await recover(id);
    }
  };
  // Both writes a stage may set its status with: update (returns the incident) and record (does not).
  return {
    ...store,
    async update(id, fields, append) {
      await interleave(id, fields);
      return store.update(id, fields, append);
    },
    async record(id, fields, append, options) {
      await interleave(id, fields);
      return store.record(id, fields, append, options);
    },
  };
}

/**
 * The incident ingest stores for `trigger` handled now, with `fields` on it: this store and the recoveries here run on
 * the wall clock, so the failure is handled by it too.
 */
function incidentOf(trigger: GithubTrigger, fields: Partial<Incident> = {}): Incident {
  const handledAt = new Date();
  return newIncident({ ...githubIncidentFields(trigger, handledAt), ...fields }, handledAt);
}

type Stage = 'classify' | 'analyze' | 'remediate' | 'notify';
const STAGES: Array<{ stage: Stage; startsAt: IncidentStatus; wrote: (i: Record<string, unknown>) => unknown }> = [
  { stage: 'classify', startsAt: 'received', wrote: (i) => i.category },
  { stage: 'analyze', startsAt: 'classified', wrote: (i) => i.analysis },
  { stage: 'remediate', startsAt: 'analyzed', wrote: (i) => i.decision ?? i.plan },
  { stage: 'notify', startsAt: 'remediated', wrote: (i) => (i.history as Array<{ event: string }>).find((h) => h.event === 'notified') },
];

describe('status moves only forward (DynamoDB condition on the states a status may leave)', () => {
  it.each(STAGES)('a recovery during $stage leaves the incident resolved, with the stage\'s result recorded', async ({ stage, startsAt, wrote }) => {
    const store = dynamoStore();
    const github = createFakeGitHub();
    const trigger = freshTrigger();
    const scope = githubIncidentScope(trigger);
    await store.create(incidentOf(trigger, { status: startsAt, category: 'test_failure', fingerprint: `fp-${run}` }), scope);
    const recover = async () => {
      const { resolved } = await recordWorkflowRecovery(
        { scope, runId: trigger.workflowRun.id + 1, resolvedBy: 'green run', installationId: null, completedAt: new Date() },
        { incidents: store, clock: () => new Date(), github: { forInstallation: () => github.port }, logger: { info() {}, warn() {}, error() {} } },
      );
      expect(resolved).toEqual([trigger.incidentId]);
    };
    const { deps } = stepDeps({ github: github.port, incidents: withRecoveryBeforeFirstStatusWrite(store, recover) });
    const steps = { classify: classifyStep, analyze: analyzeStep, remediate: remediateStep, notify: notifyStep };

    await steps[stage]({ trigger }, deps);

    const incident = (await store.get(trigger.incidentId)) as unknown as Record<string, unknown>;
    expect(incident.status).toBe('resolved');
    expect(incident.resolvedBy).toBe('green run');
    expect(wrote(incident)).toBeTruthy();
  });

  it('moves forward through every stage when nothing interferes, and never back', async () => {
    const store = dynamoStore();
    const trigger = freshTrigger();
    await store.create(incidentOf(trigger), githubIncidentScope(trigger));
    const order: IncidentStatus[] = ['classified', 'analyzed', 'awaiting_approval', 'remediated', 'notified'];
    for (const status of order) expect((await store.update(trigger.incidentId, { status })).status).toBe(status);
    // A late classify (a retried or re-driven stage) records its fields but keeps the status.
    const late = await store.update(trigger.incidentId, { status: 'classified', category: 'lint' });
    expect(late).toMatchObject({ status: 'notified', category: 'lint' });
  });

  it('never leaves resolved, whichever status a late write asks for', async () => {
    const store = dynamoStore();
    const trigger = freshTrigger();
    await store.create(incidentOf(trigger, { status: 'resolved' }), githubIncidentScope(trigger));
    for (const status of Object.keys(STATUS_MAY_LEAVE) as IncidentStatus[]) {
      expect((await store.update(trigger.incidentId, { status })).status).toBe('resolved');
    }
  });

  it('keeps resolved under 20 concurrent late stage writes racing the recovery', async () => {
    const store = dynamoStore();
    const trigger = freshTrigger();
    await store.create(incidentOf(trigger, { status: 'analyzed' }), githubIncidentScope(trigger));
    const late: IncidentStatus[] = ['classified', 'analyzed', 'remediated', 'notified'];
    await Promise.all([
      store.update(trigger.incidentId, { status: 'resolved', resolvedBy: 'green run' }),
      ...Array.from({ length: 20 }, (_, i) => store.update(trigger.incidentId, { status: late[i % late.length] as IncidentStatus })),
    ]);
    expect((await store.get(trigger.incidentId))?.status).toBe('resolved');
  });

  it('writes nothing with updateIfStatusMoves once the status may not move: a recovery that landed first stands whole', async () => {
    const store = dynamoStore();
    const trigger = freshTrigger();
    await store.create(incidentOf(trigger, { status: 'notified' }), githubIncidentScope(trigger));
    const at = new Date().toISOString();
    const recovery = { status: 'resolved', resolvedAt: at, timeToRecoverySeconds: 600, resolvedBy: 'run 999', supersededBy: 'run 999' } as const;

    const first = await store.updateIfStatusMoves(trigger.incidentId, recovery, { history: [{ at, event: 'resolved', detail: 'run 999' }] });
    const late = await store.updateIfStatusMoves(
      trigger.incidentId,
      { status: 'resolved', resolvedAt: at, timeToRecoverySeconds: null, resolvedBy: 'superseded by run 1000', supersededBy: 'run 1000' },
      { history: [{ at, event: 'resolved', detail: 'superseded: run 1000' }] },
    );

    expect(first).toMatchObject(recovery);
    expect(late).toBeNull();
    const stored = await store.get(trigger.incidentId);
    expect(stored).toMatchObject(recovery);
    expect(stored?.history.filter((entry) => entry.event === 'resolved').map((entry) => entry.detail)).toEqual(['run 999']);
    expect(await store.updateIfStatusMoves('gh-0-0-0', { status: 'resolved' })).toBeNull();
  });

  it('still fails for an incident that does not exist', async () => {
    await expect(dynamoStore().update('gh-0-0-0', { status: 'notified' })).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
    await expect(dynamoStore().record('gh-0-0-0', { status: 'notified' }, {}, { claim: 'kbSeenAt' })).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
  });

  it('records like update without reading back, keeps the status the same way, and takes a claim with the first write only', async () => {
    const store = dynamoStore();
    const trigger = freshTrigger();
    await store.create(incidentOf(trigger, { status: 'notified' }), githubIncidentScope(trigger));

    const plain = await store.record(trigger.incidentId, { status: 'classified', category: 'lint' }, { history: [{ at: new Date().toISOString(), event: 'classified' }] });
    const first = await store.record(trigger.incidentId, { category: 'network' }, {}, { claim: 'kbSeenAt' });
    const second = await store.record(trigger.incidentId, { category: 'timeout' }, {}, { claim: 'kbSeenAt' });

    expect([plain.claimed, first.claimed, second.claimed]).toEqual([false, true, false]);
    const stored = (await store.get(trigger.incidentId)) as unknown as Record<string, unknown>;
    expect(stored).toMatchObject({ status: 'notified', category: 'timeout', history: expect.arrayContaining([expect.objectContaining({ event: 'classified' })]) });
    expect(typeof stored.kbSeenAt).toBe('string');
  });
});

describe('an alarm\'s latest OK only moves forward (one conditional write beside its incidents)', () => {
  it('keeps the latest of OKs noted in any order and at once, per alarm, in no index', async () => {
    const incidents = dynamoStore();
    const arn = `arn:aws:cloudwatch:us-east-1:123456789012:alarm:${'checkout-api-5xx-rate-'.repeat(90)}`; // 1,980+ characters
    const other = 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:checkout-api-latency';
    expect(await incidents.latestAlarmOk(arn)).toBeNull();

    expect(await incidents.noteAlarmOk(arn, new Date('2026-11-20T10:05:00Z'))).toBe(true);
    expect(await incidents.noteAlarmOk(arn, new Date('2026-11-20T10:05:00Z'))).toBe(false); // a redelivery
    expect(await incidents.noteAlarmOk(arn, new Date('2026-11-20T09:58:00Z'))).toBe(false); // a late, older one
    const minutes = Array.from({ length: 12 }, (_, i) => new Date(Date.UTC(2026, 10, 20, 10, 10 + ((i * 7) % 12))));
    await Promise.all(minutes.map((at) => incidents.noteAlarmOk(arn, at)));
    await incidents.noteAlarmOk(other, new Date('2026-11-20T08:00:00Z'));

    expect(await incidents.latestAlarmOk(arn)).toEqual(new Date('2026-11-20T10:21:00Z'));
    expect(await incidents.latestAlarmOk(other)).toEqual(new Date('2026-11-20T08:00:00Z'));
    expect(await incidents.listOpenInScope(`alarm:${arn}`, 10)).toEqual([]);
    expect(await incidents.listRecent(50)).not.toContainEqual(expect.objectContaining({ okAt: expect.anything() }));
  });
});

/** A green run as its note reads back: with the time the note was written. */
const stamped = <T extends object>(green: T) => ({ ...green, notedAt: expect.any(Date) });

describe('a scope\'s latest green run only moves forward (one conditional write beside its incidents)', () => {
  it('keeps the latest-completed of green runs noted in any order, per scope, in no index, and reads it with the later attempts\' incidents', async () => {
    const incidents = dynamoStore();
    const greenRuns = createGreenRunNotes({ client: store.documents(), tableName: 'incidents' });
    const trigger = freshTrigger();
    const scope = githubIncidentScope(trigger);
    const other = `${scope}-other`;
    const note = (runId: number, minute: number) => ({ runId, runAttempt: 2, runNumber: 7, resolvedBy: `run ${runId} (attempt 2)`, completedAt: new Date(Date.UTC(2026, 10, 20, 10, minute)) });
    expect(await greenRuns.laterOnRecord(scope, [])).toEqual({ green: null, newestRun: null, laterAttemptFailed: null });

    expect(await greenRuns.noteGreenRun(scope, note(1, 5))).toBe(true);
    expect(await greenRuns.noteGreenRun(scope, note(1, 5))).toBe(false); // a redelivery
    expect(await greenRuns.noteGreenRun(scope, note(2, 1))).toBe(false); // a late, older one
    await Promise.all(Array.from({ length: 12 }, (_, i) => greenRuns.noteGreenRun(scope, note(10 + i, 10 + ((i * 7) % 12)))));
    await greenRuns.noteGreenRun(other, note(3, 0));

    // A later attempt's incident exists once it is stored, and only then; the latest stored of those read counts.
    const { attempt } = trigger.workflowRun;
    const attemptId = (n: number) => `gh-${trigger.repository.id}-${trigger.workflowRun.id}-${n}`;
    const storeAttempt = (n: number) => incidents.create(incidentOf(trigger, { id: attemptId(n), runAttempt: n }), scope);
    const laterAttempts = Array.from({ length: LATER_ATTEMPTS_READ }, (_, i) => ({ attempt: attempt + 1 + i, incidentId: attemptId(attempt + 1 + i) }));
    expect((await greenRuns.laterOnRecord(scope, laterAttempts)).laterAttemptFailed).toBeNull();
    // One past those read is not seen: the read is bounded.
    await storeAttempt(attempt + 1 + LATER_ATTEMPTS_READ);
    expect((await greenRuns.laterOnRecord(scope, laterAttempts)).laterAttemptFailed).toBeNull();
    await storeAttempt(attempt + 3);
    expect((await greenRuns.laterOnRecord(scope, laterAttempts)).laterAttemptFailed).toBe(attempt + 3);
    await storeAttempt(attempt + 1);
    const later = await greenRuns.laterOnRecord(scope, laterAttempts);
    // Every note is of one run number: the newest run is the latest completed of them.
    expect(later).toEqual({ green: stamped(note(15, 21)), newestRun: stamped(note(15, 21)), laterAttemptFailed: attempt + 3 });
    expect((await greenRuns.laterOnRecord(scope, laterAttempts.slice(0, 1))).laterAttemptFailed).toBe(attempt + 1);
    expect((await greenRuns.laterOnRecord(other, [])).green).toEqual(stamped(note(3, 0)));
    expect((await incidents.listOpenInScope(scope, 10)).map((i) => i.id).sort()).toEqual([attemptId(attempt + 1), attemptId(attempt + 3), attemptId(attempt + 1 + LATER_ATTEMPTS_READ)].sort());
    expect(await incidents.listRecent(50)).not.toContainEqual(expect.objectContaining({ completedAt: expect.anything() }));
  });

  it('keeps the newest run (highest run number, then latest completed) beside the latest, whatever order they complete in', async () => {
    const greenRuns = createGreenRunNotes({ client: store.documents(), tableName: 'incidents' });
    const scope = `${githubIncidentScope(freshTrigger())}-newest`;
    const run = (runNumber: number | null, minute: number, runAttempt = 1) => ({ runId: runNumber ?? 1, runAttempt, runNumber, resolvedBy: `run ${runNumber} (${runAttempt})`, completedAt: new Date(Date.UTC(2026, 10, 20, 10, minute)) });

    expect(await greenRuns.noteGreenRun(scope, run(483, 30))).toBe(true);
    expect(await greenRuns.noteGreenRun(scope, run(481, 50))).toBe(true); // the latest, not the newest
    expect(await greenRuns.noteGreenRun(scope, run(482, 40))).toBe(false); // neither
    expect(await greenRuns.noteGreenRun(scope, run(null, 45))).toBe(false); // no number, not the latest
    expect(await greenRuns.laterOnRecord(scope, [])).toEqual({ green: stamped(run(481, 50)), newestRun: stamped(run(483, 30)), laterAttemptFailed: null });

    // Noted in any order, concurrently: the newest number wins, and among its attempts the latest completed.
    await Promise.all([run(484, 20), run(484, 35, 2), run(484, 25, 3), run(480, 59)].map((green) => greenRuns.noteGreenRun(scope, green)));
    expect(await greenRuns.laterOnRecord(scope, [])).toEqual({ green: stamped(run(480, 59)), newestRun: stamped(run(484, 35, 2)), laterAttemptFailed: null });
  });
});

/** A failure ingest stored, a green run of its branch after it, and the stages that race on them (the real local store). */
async function failureWithGreenRun() {
  const incidents = dynamoStore();
  const greenRuns = createGreenRunNotes({ client: store.documents(), tableName: 'incidents' });
  const github = createFakeGitHub();
  const trigger = freshTrigger();
  const scope = githubIncidentScope(trigger);
  await incidents.create(incidentOf(trigger), scope);
  const green = { scope, runId: trigger.workflowRun.id + 1, runAttempt: 1, runNumber: null, resolvedBy: `run ${trigger.workflowRun.id + 1}`, installationId: null, completedAt: new Date() };
  const outcomeDeps = { incidents, greenRuns, clock: () => new Date(), github: { forInstallation: () => github.port }, logger: { info() {}, warn() {}, error() {} } };
  const classify = (classifyIncidents: IncidentStore) => classifyStep({ trigger, incidentStored: true }, stepDeps({ github: github.port, incidents: classifyIncidents, greenRuns }).deps);
  const resolvedEntries = async () => ((await incidents.get(trigger.incidentId))?.history ?? []).filter((entry) => entry.event === 'resolved');
  return { incidents, greenRuns, github, trigger, green, outcomeDeps, classify, resolvedEntries };
}

/**
 * A green run of the failure's scope (or an alarm's OK) recorded after ingest accepted the failure and before classify
 * read it: the outcome recorder notes it, then lists the scope's open incidents and resolves them; classify reads the
 * note and records the failure superseded (the alarm over). Whichever write lands first, the incident is resolved
 * once, by that writer, and its history says what happened (the green run was not delivered before the failure:
 * ingest had stored it already).
 */
describe('a recovery recorded between the failure\'s acceptance and its classification', () => {
  /** The real store, except that `before` runs ahead of classify's first write of any kind (once). */
  function withWorkBeforeFirstWrite(store: IncidentStore, before: () => Promise<void>): IncidentStore {
    let done = false;
    const once = async () => {
      if (done) return;
      done = true;
      await before();
    };
    return {
      ...store,
      async update(...args) {
        await once();
        return store.update(...args);
      },
      async record(...args) {
        await once();
        return store.record(...args);
      },
      async updateIfStatusMoves(...args) {
        await once();
        return store.updateIfStatusMoves(...args);
      },
    };
  }


  it('records one resolution, the outcome recorder\'s, when its write lands between classify\'s read and classify\'s write', async () => {
    const { incidents, greenRuns, trigger, green, outcomeDeps, classify, resolvedEntries } = await failureWithGreenRun();
    // The outcome recorder's first step: the note classify reads.
    await greenRuns.noteGreenRun(green.scope, green);
    let recovered: string[] = [];
    const result = await classify(
      withWorkBeforeFirstWrite(incidents, async () => {
        recovered = (await recordWorkflowRecovery(green, outcomeDeps)).resolved;
      }),
    );

    expect(recovered).toEqual([trigger.incidentId]);
    expect(result.incidentStatus).toBe('resolved');
    expect((await resolvedEntries()).map((entry) => entry.detail)).toEqual([green.resolvedBy]);
    const stored = await incidents.get(trigger.incidentId);
    expect(stored).toMatchObject({ status: 'resolved', resolvedBy: green.resolvedBy, category: expect.any(String) });
    // The outcome recorder's ending stands whole: classify did not mark it superseded after it.
    expect(stored?.supersededBy ?? null).toBeNull();
  });

  it('records one resolution, the OK\'s, when an alarm\'s OK is recorded between classify\'s read of it and classify\'s write', async () => {
    const incidents = dynamoStore();
    const now = Date.now();
    const name = `race-${run += 1}`;
    const alarmed = alarmEvent('race', 'ALARM', cw(now, -10 * 60_000), { name });
    const ok = alarmEvent('race', 'OK', cw(now, -5 * 60_000), { name });
    const trigger = alarmTriggerFromEvent(alarmEventSchema.parse(alarmed));
    await storeIncidentFromTrigger(incidents, trigger, new Date());
    const outcomeDeps = { incidents, clock: () => new Date(), github: { forInstallation: () => null }, logger: { info() {}, warn() {}, error() {} } };
    // The outcome recorder's first step: the OK classify reads.
    await incidents.noteAlarmOk(alarmArnOf(ok as never), new Date(now - 5 * 60_000));
    let recovered: string[] = [];
    const { deps } = stepDeps({
      clock: () => new Date(),
      incidents: withWorkBeforeFirstWrite(incidents, async () => {
        recovered = (await recordAlarmRecovery(ok, outcomeDeps)).resolved;
      }),
    });

    const result = await classifyStep({ trigger, incidentStored: true }, deps);

    expect(recovered).toEqual([trigger.incidentId]);
    expect(result.incidentStatus).toBe('resolved');
    const stored = await incidents.get(trigger.incidentId);
    expect(stored).toMatchObject({ status: 'resolved', resolvedBy: 'alarm OK', category: expect.any(String) });
    expect(stored?.history.filter((entry) => entry.event === 'resolved').map((entry) => entry.detail)).toEqual(['alarm OK']);
  });

  it('comments on the pull request neither way: Notify after classify says nothing for a failure a green run on record had resolved', async () => {
    for (const recorderFirst of [false, true]) {
      const { incidents, greenRuns, trigger, green, outcomeDeps, resolvedEntries } = await failureWithGreenRun();
      const github = createFakeGitHub();
      await greenRuns.noteGreenRun(green.scope, green);
      const classifyIncidents = recorderFirst
        ? withWorkBeforeFirstWrite(incidents, async () => {
            await recordWorkflowRecovery(green, outcomeDeps);
          })
        : incidents;
      const { deps } = stepDeps({ github: github.port, incidents: classifyIncidents, greenRuns });
      const classify = await classifyStep({ trigger, incidentStored: true }, deps);
      await notifyStep({ trigger, classify }, stepDeps({ github: github.port, incidents, greenRuns }).deps);

      const stored = await incidents.get(trigger.incidentId);
      expect({ recorderFirst, pullRequest: stored?.pullRequest ?? null }).toEqual({ recorderFirst, pullRequest: expect.any(Number) });
      expect({ recorderFirst, resolved: (await resolvedEntries()).length, comments: [...github.comments.keys()] }).toEqual({ recorderFirst, resolved: 1, comments: [] });
    }
  });

  it('tells in the resolved entry whether the green run was delivered before the failure or only before its classification', async () => {
    for (const [notedAfterMs, says] of [
      [-60_000, 'before this failure was delivered'],
      [1_000, 'after this failure was delivered'],
    ] as const) {
      // Prepare: the failure is delivered (its incident stored); the green run's note is written a minute before that,
      // or a second after, and classify runs last
      const { incidents, trigger, green, classify, resolvedEntries } = await failureWithGreenRun();
      const deliveredAt = Date.parse((await incidents.get(trigger.incidentId))?.createdAt ?? '');
      const notedAt = new Date(deliveredAt + notedAfterMs);
      await createGreenRunNotes({ client: store.documents(), tableName: 'incidents', clock: () => notedAt }).noteGreenRun(green.scope, green);

      // Act
      await classify(incidents);

      // Assert
      const [entry] = await resolvedEntries();
      expect({ notedAfterMs, detail: entry?.detail }).toEqual({ notedAfterMs, detail: expect.stringContaining(says) });
      expect(entry?.detail).toContain(notedAt.toISOString());
    }
  });

  it('records one resolution when Step Functions retries a classify killed after its ending landed', async () => {
    const { incidents, greenRuns, trigger, green, classify, resolvedEntries } = await failureWithGreenRun();
    await greenRuns.noteGreenRun(green.scope, green);
    const killed: IncidentStore = {
      ...incidents,
      async updateIfStatusMoves(...args) {
        await incidents.updateIfStatusMoves(...args);
        throw new Error('killed after its ending landed');
      },
    };
    await expect(classify(killed)).rejects.toThrow('killed');

    const retried = await classify(incidents);

    expect(retried.incidentStatus).toBe('resolved');
    expect((await resolvedEntries()).map((entry) => entry.detail)).toEqual([expect.stringContaining(`${green.resolvedBy} passed at`)]);
    expect(await incidents.get(trigger.incidentId)).toMatchObject({ status: 'resolved', resolvedBy: green.resolvedBy, supersededBy: green.resolvedBy });
  });

  it('records one resolution, classify\'s, when classify\'s write lands first, and does not call the green run delivered before the failure', async () => {
    const { incidents, greenRuns, trigger, green, outcomeDeps, classify, resolvedEntries } = await failureWithGreenRun();
    await greenRuns.noteGreenRun(green.scope, green);
    const result = await classify(incidents);
    const { resolved } = await recordWorkflowRecovery(green, outcomeDeps);

    expect(result.incidentStatus).toBe('resolved');
    expect(resolved).toEqual([]);
    const entries = await resolvedEntries();
    expect(entries).toHaveLength(1);
    expect(entries[0]?.detail).toContain(`${green.resolvedBy} passed at`);
    expect(entries[0]?.detail).not.toContain('delivered before this failure');
    expect(await incidents.get(trigger.incidentId)).toMatchObject({ status: 'resolved', resolvedBy: green.resolvedBy, supersededBy: green.resolvedBy });
  });
});

/**
 * The outcome recorder lists the failure open and notes it among its targets; classify's superseded write lands before
 * the recorder's own (refused: classify's ending stands, "nothing was run, commented or paged"); the recorder dies
 * before it marks its targets finished. Its redelivery (or the reconciler's backstop, which reads the same targets) must
 * not take classify's ending for its own: classify writes the same `resolvedBy` and `resolvedAt` as the green run
 * (and `alarm OK before classify` starts with `alarm OK `), and `resolvedByRecovery` matched them, so the follow-ups of a
 * recovery (learning's outcome, the PR comment's rewrite, the proposal's withdrawal) ran on an incident nobody handled.
 */
describe('classify\'s ending is not an earlier delivery\'s of the green run it read', () => {
  it('a redelivered recovery does no follow-ups on a failure classify recorded superseded by it', async () => {
    const { incidents, greenRuns, github, trigger, green } = await failureWithGreenRun();
    const recoveryTargets = createRecoveryTargets({ client: store.documents(), tableName: 'incidents' });
    const logger = { info() {}, warn() {}, error() {} };
    // The recorder's first delivery: classify runs (and writes) between its listing and its write, then it is killed.
    const killedRecorder: IncidentStore = {
      ...incidents,
      async updateIfStatusMoves() {
        await classifyStep({ trigger, incidentStored: true }, stepDeps({ github: github.port, incidents, greenRuns }).deps);
        throw new Error('killed before its resolved write');
      },
    };
    await expect(recordWorkflowRecovery(green, { incidents: killedRecorder, greenRuns, recoveryTargets, clock: () => new Date(), github: { forInstallation: () => github.port }, logger })).rejects.toThrow('killed');
    expect(await incidents.get(trigger.incidentId)).toMatchObject({ status: 'resolved', supersededBy: green.resolvedBy });

    const { resolved } = await recordWorkflowRecovery(green, { incidents, greenRuns, recoveryTargets, clock: () => new Date(), github: { forInstallation: () => github.port }, logger });

    expect(resolved).toEqual([]);
    const history = (await incidents.get(trigger.incidentId))?.history ?? [];
    expect(history.filter((entry) => entry.event === FOLLOWED_UP)).toEqual([]);
    expect(history.filter((entry) => entry.event === 'resolved')).toHaveLength(1);
  });
});
