import { describe, expect, it } from 'vitest';
import { newIncident } from '../../../shared/domain/incident.js';
import { nextStep } from '../../../infra/dashboard/src/next-step.js';
import { incidentTimeline } from '../../../shared/api/timeline.js';
import { listItemOf } from '../../../shared/api/list-item.js';
import { guardHandoff } from '../../../shared/domain/handoff.js';
import type { ExecutionStatus, WorkflowStarter } from '../../../shared/ports.js';
import { RECONCILE_GIVEN_UP_KEY, executionNameFor, incompleteRunError, reconcile, redriveIfStalled } from '../../../shared/reconcile/redrive.js';
import { NOTIFY_FAILED_KEY } from '../../../shared/reconcile/notify-failed.js';
import type { EscalationMessage } from '../../../shared/ports.js';
import { createMemoryEscalationLedger } from '../../support/fakes.js';
import { ReconcileIncompleteError } from '../../../shared/errors.js';
import { silentLogger } from '../../../shared/steps/deps.js';
import { createMemoryStore, dyingBeforeNotified } from '../../support/memory-store.js';
import type { PolicyFile } from '../../../shared/remediation/policy.js';

const NOW = new Date('2026-11-20T12:00:00Z');
const options = { afterMinutes: 10, maxPerRun: 2, maxAttempts: 2, lookbackHours: 48 };

function fakeWorkflow(executions: Record<string, ExecutionStatus>) {
  const started: string[] = [];
  const workflow: WorkflowStarter = {
    async start(name) {
      const alreadyStarted = name in executions;
      if (!alreadyStarted) {
        executions[name] = 'RUNNING';
        started.push(name);
      }
      return { executionId: name, alreadyStarted };
    },
    async describe(name) {
      const status = executions[name];
      return status ? { status, input: { trigger: { incidentId: name } } } : null;
    },
  };
  return { workflow, started };
}

async function seed(store: ReturnType<typeof createMemoryStore>, id: string, minutesAgo: number, fields: Record<string, unknown> = {}) {
  const at = new Date(NOW.getTime() - minutesAgo * 60_000);
  await store.create({ ...newIncident({ id, source: 'github' }, at), ...fields }, null, { source: 'github', incidentId: id });
}

function deps(store: ReturnType<typeof createMemoryStore>, workflow: WorkflowStarter, policyFile: PolicyFile = {}) {
  const counts: Record<string, number> = {};
  const published: EscalationMessage[] = [];
  const escalations = { publish: async (message: EscalationMessage) => (published.push(message), { messageId: `m${published.length}` }) };
  return {
    counts,
    published,
    deps: {
      incidents: store,
      workflow,
      clock: () => NOW,
      logger: silentLogger,
      metrics: { count: (name: string, value: number) => void (counts[name] = (counts[name] ?? 0) + value), measure() {} },
      escalations,
      escalationLedger: createMemoryEscalationLedger(),
      policyFile,
    },
  };
}

describe('reconciler', () => {
  it('names attempts within the 80-character execution-name limit', () => {
    expect(executionNameFor('gh-1-2-1', 0)).toBe('gh-1-2-1');
    expect(executionNameFor('gh-1-2-1', 2)).toBe('gh-1-2-1-a2');
    expect(executionNameFor(`cw-${'x'.repeat(77)}`, 3)).toHaveLength(80);
  });

  it('re-drives stalled incidents (never started, failed), skips running and finished ones, and counts them', async () => {
    const store = createMemoryStore(() => NOW);
    await seed(store, 'never-started', 30);
    await seed(store, 'failed', 30);
    await seed(store, 'running', 30);
    await seed(store, 'done', 30, { status: 'notified' });
    await seed(store, 'fresh', 1);
    const { workflow, started } = fakeWorkflow({ failed: 'FAILED', running: 'RUNNING', done: 'SUCCEEDED' });
    const { deps: d, counts } = deps(store, workflow);

    const result = await reconcile(d, { ...options, maxPerRun: 10 });

    expect(started.sort()).toEqual(['failed-a1', 'never-started']);
    expect(result).toMatchObject({ running: 1, exhausted: [], failed: [] });
    expect(counts.IncidentsRedriven).toBe(2);
    expect((await store.get('failed'))?.executionAttempt).toBe(1);
  });

  it('is bounded per run and idempotent: a second run starts nothing new while the re-drives run', async () => {
    const store = createMemoryStore(() => NOW);
    for (const id of ['a', 'b', 'c']) await seed(store, id, 60);
    const { workflow, started } = fakeWorkflow({ a: 'FAILED', b: 'FAILED', c: 'FAILED' });
    const { deps: d } = deps(store, workflow);

    const first = await reconcile(d, options);
    const second = await reconcile(d, options);

    expect(first.redriven).toHaveLength(2);
    expect(second.redriven).toEqual(['c-a1']);
    expect(started).toHaveLength(3);
  });

  it('stops after maxAttempts re-drives of one incident, escalates what it knows once, and ends it notified', async () => {
    const store = createMemoryStore(() => NOW);
    await seed(store, 'stubborn', 60, { executionAttempt: 2, repository: 'octo/app', branch: 'main', workflowName: 'CI' });
    const { workflow, started } = fakeWorkflow({ 'stubborn-a2': 'FAILED' });
    const { deps: d, counts, published } = deps(store, workflow);

    const result = await reconcile(d, options);
    const again = await reconcile(d, options);

    expect(started).toEqual([]);
    expect(result.exhausted).toEqual(['stubborn']);
    expect(counts.IncidentsRedriveExhausted).toBe(1);
    expect(published).toHaveLength(1);
    expect(published[0]?.message).toContain('its pipeline ran 3 times and the last run (stubborn-a2) ended FAILED');
    expect(published[0]?.subject).toContain('octo/app');
    expect(await store.get('stubborn')).toMatchObject({ status: 'notified', notifiedByFallback: true });
    expect(again.examined).toBe(0);
  });

  it('asks on-call in its escalation what the dashboard asks of the incident it leaves (told by the fallback)', async () => {
    const store = createMemoryStore(() => NOW);
    await seed(store, 'stubborn', 60, { executionAttempt: 2, repository: 'octo/app', branch: 'main', workflowName: 'CI' });
    const { workflow } = fakeWorkflow({ 'stubborn-a2': 'FAILED' });
    const { deps: d, published } = deps(store, workflow);

    await reconcile(d, options);

    const needs = published[0]?.message.split('\n').find((l) => l.startsWith('What it needs from you: '));
    expect(nextStep((await store.get('stubborn'))!).human).toBe(true);
    expect(needs).toMatch(/^What it needs from you: Look at the run/);
  });

  it('pages once per repository and window when many incidents ran out of re-drives (a stage failing on every input), counting the rest', async () => {
    const store = createMemoryStore(() => NOW);
    const ids = ['s1', 's2', 's3', 's4'];
    for (const id of ids) await seed(store, id, 60, { executionAttempt: 2, repository: id === 's4' ? 'octo/other' : 'octo/app' });
    const { workflow } = fakeWorkflow(Object.fromEntries(ids.map((id) => [`${id}-a2`, 'FAILED' as const])));
    const { deps: d, published } = deps(store, workflow);

    await reconcile(d, { ...options, maxPerRun: 10 });

    // One page for octo/app (three incidents) and one for octo/other; every incident ends notified.
    expect(published).toHaveLength(2);
    for (const id of ids) expect((await store.get(id))?.status).toBe('notified');
    const counted = (await Promise.all(ids.map((id) => store.get(id)))).filter((i) => i?.history.at(-1)?.detail?.includes('counted on the open escalation'));
    expect(counted).toHaveLength(2);
  });

  it("groups those pages by the escalation policy's window for the repository, as notify does", async () => {
    // Three hours for everyone, half an hour for octo/quiet: one source of truth for how often a problem pages.
    const policy: PolicyFile = { defaults: { escalation: { windowMinutes: 180 } }, repositories: { 'octo/quiet': { escalation: { windowMinutes: 30 } } } };
    const store = createMemoryStore(() => NOW);
    for (const [id, repository] of [['early', 'octo/app'], ['late', 'octo/app'], ['quiet-early', 'octo/quiet'], ['quiet-late', 'octo/quiet']] as const) {
      await seed(store, id, 60, { executionAttempt: 2, repository });
    }
    const { workflow } = fakeWorkflow({ 'early-a2': 'FAILED', 'late-a2': 'FAILED', 'quiet-early-a2': 'FAILED', 'quiet-late-a2': 'FAILED' });
    const { deps: d, published } = deps(store, workflow, policy);
    const at = (hours: number) => (d.clock = () => new Date(NOW.getTime() + hours * 3_600_000));

    // The incidents found two hours apart: inside octo/app's window, past octo/quiet's.
    const only = (ids: string[]) => (d.incidents = { ...store, listUnfinished: async (o) => (await store.listUnfinished(o)).filter((i) => ids.includes(i.id)) });
    only(['early', 'quiet-early']);
    await reconcile(d, { ...options, maxPerRun: 10 });
    at(2);
    only(['late', 'quiet-late']);
    await reconcile(d, { ...options, maxPerRun: 10 });

    expect(published.map((m) => m.subject.includes('octo/quiet'))).toEqual([false, true, true]);
    expect((await store.get('late'))?.history.at(-1)?.detail).toContain('counted on the open escalation (2 in this window), reported in its digest');
  });

  it('says why the pipeline did not finish when its executions ended without a failure, left for the re-drive', async () => {
    // Classify could not check whether the failure was superseded, through its retries, in every execution: each
    // ended SUCCEEDED at LeftForRedrive with the incident unfinished. "ended SUCCEEDED" would read as a contradiction.
    const store = createMemoryStore(() => NOW);
    await seed(store, 'unchecked', 60, { executionAttempt: 2 });
    const { workflow } = fakeWorkflow({ 'unchecked-a2': 'SUCCEEDED' });
    const { deps: d, published } = deps(store, workflow);

    await reconcile(d, options);

    expect(published[0]?.message).toContain('its pipeline ran 3 times and the last run (unchecked-a2) ended without finishing it');
    expect(published[0]?.message).toContain('whether a later attempt or a green run had superseded this failure');
    expect(published[0]?.message).not.toContain('ended SUCCEEDED');
    expect((await store.get('unchecked'))?.history.find((h) => h.event === 'escalated_after_redrives')?.detail).toBe('3 executions did not finish it; the last, unchecked-a2, ended without finishing it');
  });

  it('lists for resuming only a decision recorded before decisions were listed by their command, not one listed already', async () => {
    // A decision the command listed itself (and whose failed resumes moved its entry) would get a fresh entry every
    // run, due at once and with no failures counted: retried for ever, never given up, ahead of the others.
    const store = createMemoryStore(() => NOW);
    const decided = { status: 'approved', taskToken: 'tok', requestedAt: NOW.toISOString(), decidedAt: NOW.toISOString(), decidedBy: 'octo', reason: null };
    await seed(store, 'listed', 60, { status: 'awaiting_approval', executionAttempt: 0, approval: { ...decided, resumeListed: true } });
    await seed(store, 'older-format', 60, { status: 'awaiting_approval', executionAttempt: 0, approval: decided });
    const { workflow } = fakeWorkflow({ listed: 'RUNNING', 'older-format': 'RUNNING' });
    const scheduled: string[] = [];
    const { deps: d } = deps(store, workflow);

    await reconcile({ ...d, approvalResumes: { schedule: async (decision) => void scheduled.push(decision.incidentId) } }, options);

    expect(scheduled).toEqual(['older-format']);
  });

  it('says how many times the pipeline really ran when the incident had more re-drives than the limit now allows', async () => {
    // RECONCILE_MAX_ATTEMPTS lowered after an incident was re-driven three times: it ran four times, not three.
    const store = createMemoryStore(() => NOW);
    await seed(store, 'stubborn', 60, { executionAttempt: 3 });
    const { workflow } = fakeWorkflow({ 'stubborn-a3': 'TIMED_OUT' });
    const { deps: d, published } = deps(store, workflow);

    await reconcile(d, options);

    expect(published[0]?.message).toContain('its pipeline ran 4 times and the last run (stubborn-a3) ended TIMED_OUT');
  });

  it('pages at most once more when every run crashes between the page and recording it', async () => {
    const store = createMemoryStore(() => NOW);
    await seed(store, 'stubborn', 60, { executionAttempt: 2, repository: 'octo/app' });
    const { workflow } = fakeWorkflow({ 'stubborn-a2': 'FAILED' });
    const { deps: d, published } = deps(store, workflow);
    // The write that records the escalation: the reconciler dies right before it, three runs in a row.
    d.incidents = dyingBeforeNotified(store, 3, 'Lambda timed out');

    // Every 5 minutes, as scheduled: after the second failure the incident waits 5 minutes, after the third 10.
    for (let run = 0; run < 5; run++) {
      const at = new Date(NOW.getTime() + run * 5 * 60_000);
      d.clock = () => at;
      await reconcile(d, options);
    }

    expect(published).toHaveLength(2);
    expect(await store.get('stubborn')).toMatchObject({ status: 'notified', notifiedByFallback: true });
  });

  it('sends the page in a later run when the publish failed (the send is given back)', async () => {
    const store = createMemoryStore(() => NOW);
    await seed(store, 'stubborn', 60, { executionAttempt: 2 });
    const { workflow } = fakeWorkflow({ 'stubborn-a2': 'FAILED' });
    const { deps: d, published } = deps(store, workflow);
    const publish = d.escalations.publish;
    let failures = 3;
    d.escalations.publish = async (message) => (failures-- > 0 ? Promise.reject(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' })) : publish(message));

    // Every 5 minutes, as scheduled: after the second failure the incident waits 5 minutes, after the third 10.
    for (let run = 0; run < 5; run++) {
      const at = new Date(NOW.getTime() + run * 5 * 60_000);
      d.clock = () => at;
      await reconcile(d, options);
    }

    expect(published).toHaveLength(1);
    expect((await store.get('stubborn'))?.status).toBe('notified');
  });

  it('leaves an exhausted incident unfinished when its escalation cannot be published, for the next run', async () => {
    const store = createMemoryStore(() => NOW);
    await seed(store, 'stubborn', 60, { executionAttempt: 2 });
    const { workflow } = fakeWorkflow({ 'stubborn-a2': 'FAILED' });
    const { deps: d } = deps(store, workflow);
    d.escalations.publish = async () => Promise.reject(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));

    const result = await reconcile(d, options);

    expect(result.failed).toEqual(['stubborn']);
    expect((await store.get('stubborn'))?.status).toBe('received');
  });

  it("escalates an incident whose execution Step Functions refuses for good, once, with the repository's exhausted ones", async () => {
    const store = createMemoryStore(() => NOW);
    await seed(store, 'too-big', 60, { repository: 'octo/app' });
    await seed(store, 'stubborn', 60, { executionAttempt: 2, repository: 'octo/app' });
    const { workflow } = fakeWorkflow({ 'stubborn-a2': 'FAILED' });
    const refusing: WorkflowStarter = {
      ...workflow,
      async start(name, input) {
        if (name === 'too-big') throw Object.assign(new Error('1 validation error detected'), { name: 'InvalidExecutionInput' });
        return workflow.start(name, input);
      },
    };
    const { deps: d, published, counts } = deps(store, refusing);

    const result = await reconcile(d, { ...options, maxPerRun: 10 });
    const again = await reconcile(d, { ...options, maxPerRun: 10 });

    expect(result).toMatchObject({ unstartable: ['too-big'], exhausted: ['stubborn'], failed: [] });
    expect(counts.IncidentsRedriveExhausted).toBe(2);
    // One page for the repository: the first of the two, the other counted on it for the digest.
    expect(published).toHaveLength(1);
    expect(published[0]?.message).toContain('Step Functions refused to start its pipeline (InvalidExecutionInput), which no retry fixes');
    const tooBig = await store.get('too-big');
    expect(tooBig).toMatchObject({ status: 'notified', notifiedByFallback: true, startFailures: 1 });
    expect(tooBig?.history.map((h) => h.event).slice(-2)).toEqual(['start_failed', 'escalated_unstarted']);
    expect(again.examined).toBe(0);
  });

  it("keys a repository's exhausted incidents by its GitHub id: one page across a rename", async () => {
    // Prepare: two incidents the pipeline could not finish, of one repository (id 4242) renamed between them.
    const store = createMemoryStore(() => NOW);
    await seed(store, 'before-rename', 60, { executionAttempt: 2, repository: 'octo/app', repositoryId: 4242 });
    await seed(store, 'after-rename', 60, { executionAttempt: 2, repository: 'octo/renamed', repositoryId: 4242 });
    const { workflow } = fakeWorkflow({ 'before-rename-a2': 'FAILED', 'after-rename-a2': 'FAILED' });
    const { deps: d, published } = deps(store, workflow);

    // Act
    const result = await reconcile(d, { ...options, maxPerRun: 10 });

    // Assert: the first paged, the second counted on it.
    expect(result.exhausted).toHaveLength(2);
    expect(published).toHaveLength(1);
    expect(await d.escalationLedger.opener('guard-exhausted:gh:id-4242')).toMatchObject({ owner: 'before-rename' });
  });

  it("counts an exhausted incident on the page its repository's name key opened before the deploy, while that window lasts", async () => {
    // Prepare: the version before keyed the give-ups by name; its page for octo/app went out 10 minutes ago.
    const store = createMemoryStore(() => NOW);
    await seed(store, 'stubborn', 60, { executionAttempt: 2, repository: 'octo/app', repositoryId: 4242 });
    const { workflow } = fakeWorkflow({ 'stubborn-a2': 'FAILED' });
    const { deps: d, published } = deps(store, workflow);
    const opened = await d.escalationLedger.record({ key: 'guard-exhausted:octo/app', incidentId: 'paged-before', at: new Date(NOW.getTime() - 10 * 60_000), windowMinutes: 60, mayOpen: true, label: 'x', digest: false });
    expect(opened.send).toBe(true);

    // Act
    await reconcile(d, options);

    // Assert: counted on the open page, nobody paged again.
    expect(published).toHaveLength(0);
    expect((await store.get('stubborn'))?.status).toBe('notified');
  });

  it("pages an exhausted incident of a repository created again under a name whose page went out before the deploy", async () => {
    // Prepare: the version before paged octo/app's give-ups by name (repository 1111's); 1111 was deleted since and
    // repository 4242 now has the name.
    const store = createMemoryStore(() => NOW);
    await seed(store, 'paged-before', 60, { executionAttempt: 2, repository: 'octo/app', repositoryId: 1111, status: 'notified' });
    await seed(store, 'stubborn', 60, { executionAttempt: 2, repository: 'octo/app', repositoryId: 4242 });
    const { workflow } = fakeWorkflow({ 'stubborn-a2': 'FAILED' });
    const { deps: d, published } = deps(store, workflow);
    await d.escalationLedger.record({ key: 'guard-exhausted:octo/app', incidentId: 'paged-before', at: new Date(NOW.getTime() - 10 * 60_000), windowMinutes: 60, mayOpen: true, label: 'x', digest: false });

    // Act
    await reconcile(d, options);

    // Assert: its own page, on its id's key.
    expect(published).toHaveLength(1);
    expect(await d.escalationLedger.opener('guard-exhausted:gh:id-4242')).toMatchObject({ owner: 'stubborn' });
  });

  it('escalates an incident whose start keeps failing once its start budget is spent (maxAttempts + 1 starts)', async () => {
    let now = NOW;
    const store = createMemoryStore(() => now);
    await seed(store, 'throttled', 60);
    const { workflow } = fakeWorkflow({});
    const throttled: WorkflowStarter = { ...workflow, start: async () => Promise.reject(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' })) };
    const { deps: d, published } = deps(store, throttled);
    d.clock = () => now;

    const runs = [];
    for (let run = 0; run < 4; run++) {
      runs.push(await reconcile(d, options));
      // Runs 15 minutes apart: each failed start counts against the incident's start budget.
      now = new Date(now.getTime() + 15 * 60_000);
    }

    expect(runs.map((r) => [r.failed.length, r.unstartable.length])).toEqual([[1, 0], [1, 0], [0, 1], [0, 0]]);
    expect(published).toHaveLength(1);
    expect(published[0]?.message).toContain('Step Functions refused to start its pipeline 3 times (the last: ThrottlingException)');
    expect(await store.get('throttled')).toMatchObject({ status: 'notified', notifiedByFallback: true, startFailures: 3 });
  });

  it('pages once for incidents the notify function failed on, whatever their repository, and re-drives none of them', async () => {
    const store = createMemoryStore(() => NOW);
    const marked = (error: string) => ({ notifyFailed: true, history: [{ at: NOW.toISOString(), event: 'notify_failed', detail: error }] });
    await seed(store, 'app', 60, { repository: 'octo/app', ...marked('GitHubRequestError') });
    await seed(store, 'other', 50, { repository: 'octo/other', ...marked('GitHubRequestError') });
    // What the state machine recorded as the error's name is shown only when it looks like one.
    await seed(store, 'odd', 40, { repository: 'octo/third', ...marked('Error: token ghp_x leaked here') });
    const { workflow, started } = fakeWorkflow({ app: 'SUCCEEDED', other: 'SUCCEEDED', odd: 'FAILED' });
    const { deps: d, published, counts } = deps(store, workflow);

    const result = await reconcile(d, { ...options, maxPerRun: 10 });

    expect(started).toEqual([]);
    expect(result.notifyFailed).toEqual(['app', 'other', 'odd']);
    expect(counts.IncidentsRedriveExhausted).toBe(3);
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({ subject: '[Pipeline Guard] The notify function failed: an incident was not reported', attributes: { kind: 'notify-failed' } });
    expect(published[0]?.message).toContain('failed on incident app after its retries (GitHubRequestError)');
    for (const id of ['app', 'other', 'odd']) expect(await store.get(id)).toMatchObject({ status: 'notified', notifiedByFallback: true, notifyFailed: false });
    expect((await store.get('odd'))?.history.at(-1)?.detail).toBe('notify failed (unnamed error) on odd; counted on the open escalation (3 in this window)');
  });

  it('records for each incident it told on-call of why, and whether its own page went out or it was counted on the open one', async () => {
    // Prepare: two incidents Notify failed on, and one whose every execution failed.
    const store = createMemoryStore(() => NOW);
    const marked = { notifyFailed: true, history: [{ at: NOW.toISOString(), event: 'notify_failed', detail: 'Lambda.Unknown' }] };
    await seed(store, 'first', 60, { repository: 'octo/app', ...marked });
    await seed(store, 'second', 50, { repository: 'octo/app', ...marked });
    await seed(store, 'stubborn', 40, { executionAttempt: 2, repository: 'octo/app' });
    const { workflow } = fakeWorkflow({ first: 'SUCCEEDED', second: 'SUCCEEDED', 'stubborn-a2': 'FAILED' });
    const { deps: d } = deps(store, workflow);

    // Act
    await reconcile(d, { ...options, maxPerRun: 10 });

    // Assert
    const at = NOW.toISOString();
    expect((await store.get('first'))?.fallbackEscalation).toEqual({ cause: 'notify_failed', paged: true, at });
    expect((await store.get('second'))?.fallbackEscalation).toEqual({ cause: 'notify_failed', paged: false, at });
    expect((await store.get('stubborn'))?.fallbackEscalation).toEqual({ cause: 'pipeline_failed', paged: true, at });
  });

  it('keeps going when one re-drive fails', async () => {
    const store = createMemoryStore(() => NOW);
    await seed(store, 'x', 60);
    await seed(store, 'y', 50);
    const { workflow, started } = fakeWorkflow({});
    const throttled: WorkflowStarter = {
      ...workflow,
      async start(name, input) {
        if (name === 'x') throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
        return workflow.start(name, input);
      },
    };
    const { deps: d } = deps(store, throttled);

    const result = await reconcile(d, options);

    expect(result.failed).toEqual(['x']);
    expect(started).toEqual(['y']);
  });
});

describe('reconciler fairness: an incident whose re-drive or escalation keeps failing', () => {
  /** The schedule's defaults (infra/stack.ts): a run every 5 minutes, 25 re-drives a run, 48 h of look-back. */
  const scheduled = { afterMinutes: 10, maxPerRun: 25, maxAttempts: 3, lookbackHours: 48 };
  const FIVE_MINUTES = 5 * 60_000;
  const throttling = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });

  /** The time of the run under way, for the store's clock and the run's. */
  let now = NOW;
  const newStore = () => {
    now = NOW;
    return createMemoryStore(() => now);
  };

  /** {@link deps} with every page refused (SNS: InvalidParameterException): a give-up is recorded unpaged. */
  function refusingPages(store: ReturnType<typeof createMemoryStore>, workflow: WorkflowStarter) {
    const made = deps(store, workflow);
    made.deps.escalations.publish = async () => Promise.reject(Object.assign(new Error('Invalid parameter'), { name: 'InvalidParameterException' }));
    return made;
  }

  /** Runs the reconciler every 5 minutes from NOW, `runs` times or until `done`; the runs made. */
  async function everyFiveMinutes(d: ReturnType<typeof deps>['deps'], runs: number, done: (result: Awaited<ReturnType<typeof reconcile>>) => boolean = () => false) {
    const results = [];
    d.clock = () => now;
    for (let run = 0; run < runs; run++) {
      now = new Date(NOW.getTime() + run * FIVE_MINUTES);
      const result = await reconcile(d, scheduled);
      results.push(result);
      if (done(result)) break;
    }
    return results;
  }

  it('does not hold back a newer incident behind 100 that fail every time: it is re-driven within 4 runs, not after 48 h', async () => {
    const store = newStore();
    // 50 whose execution cannot even be looked at, 50 the notify function failed on whose page cannot be claimed:
    // all older than the one incident whose re-drive works.
    const notifyFailed = { notifyFailed: true, history: [{ at: NOW.toISOString(), event: 'notify_failed', detail: 'GitHubRequestError' }] };
    for (let n = 0; n < 100; n++) await seed(store, `stuck-${String(n).padStart(3, '0')}`, 120 - n * 0.1, { repository: 'octo/app', ...(n % 2 ? notifyFailed : {}) });
    await seed(store, 'newer', 60, { repository: 'octo/app' });
    const { workflow, started } = fakeWorkflow({ newer: 'FAILED' });
    const stuck: WorkflowStarter = {
      ...workflow,
      async describe(name) {
        if (name.startsWith('stuck-') && Number(name.slice(6)) % 2 === 0) throw Object.assign(new Error('not allowed'), { name: 'AccessDeniedException' });
        return workflow.describe(name);
      },
    };
    const { deps: d, published } = deps(store, stuck);
    const ledger = d.escalationLedger;
    d.escalationLedger = { ...ledger, record: async (occurrence) => (occurrence.key === NOTIFY_FAILED_KEY ? Promise.reject(throttling()) : ledger.record(occurrence)) };

    const runs = await everyFiveMinutes(d, 48 * 12, () => started.includes('newer-a1'));

    // Runs 1 to 3 try the 100 (at once after their first failure, 5 minutes after their second); run 4 finds them
    // waiting and reaches the newer one.
    expect(runs).toHaveLength(4);
    expect(runs.map((r) => r.failed.length)).toEqual([100, 100, 100, 0]);
    expect(runs[3]?.redriven).toEqual(['newer-a1']);
    expect(published).toEqual([]);
  });

  it('tries it at once in the next run, then 5, 10, 20, 40, 80 and 160 minutes later, and gives it up at the 8th failure with a page', async () => {
    const store = newStore();
    await seed(store, 'stuck', 60, { repository: 'octo/app' });
    const tried: number[] = [];
    const { workflow } = fakeWorkflow({});
    const failing: WorkflowStarter = {
      ...workflow,
      async describe() {
        tried.push((now.getTime() - NOW.getTime()) / 60_000);
        throw Object.assign(new Error('not allowed'), { name: 'AccessDeniedException' });
      },
    };
    const { deps: d, published, counts } = deps(store, failing);

    const runs = await everyFiveMinutes(d, 12 * 12);

    expect(tried).toEqual([0, 5, 10, 20, 40, 80, 160, 320]);
    // Seven runs failed (the reconciler alarm counts them); the eighth gave it up and paged.
    expect(runs.filter((r) => incompleteRunError({ ...r, digests: { failed: [] }, approvalResumes: { failed: [], abandoned: [], unlisted: null } }) !== null)).toHaveLength(7);
    expect(runs[320 / 5]).toMatchObject({ failed: [], givenUp: ['stuck'] });
    expect(counts.IncidentRedrivesAbandoned).toBe(1);
    expect(published).toHaveLength(1);
    expect(published[0]?.message).toContain("its reconciler's tries to re-drive it failed 8 times over more than five hours (the last: AccessDeniedException)");
    const told = await store.get('stuck');
    expect(told).toMatchObject({ status: 'notified', notifiedByFallback: true, fallbackEscalation: { cause: 'reconcile_given_up', paged: true } });
    expect(told?.history.at(-1)?.event).toBe('escalated_reconcile_given_up');
  });

  it('backs off an incident with no recorded trigger like a failing one, and pages about it at the 8th run instead of listing it for ever', async () => {
    const store = newStore();
    await seed(store, 'orphan', 60, { repository: 'octo/app' });
    await seed(store, 'newer', 30, { repository: 'octo/app' });
    // Its trigger was never stored (or is unreadable) and no execution holds it: nothing to re-drive it with.
    const orphan = store.items.get('orphan');
    if (orphan) delete orphan.trigger;
    const { workflow, started } = fakeWorkflow({ newer: 'FAILED' });
    const { deps: d, published, counts } = deps(store, workflow);

    const runs = await everyFiveMinutes(d, 12 * 12);

    expect(started).toContain('newer-a1');
    expect(runs.filter((r) => r.failed.includes('orphan'))).toHaveLength(7);
    expect(runs.filter((r) => r.givenUp.includes('orphan'))).toHaveLength(1);
    expect(counts.IncidentRedrivesAbandoned).toBe(1);
    expect(published).toHaveLength(1);
    expect(published[0]?.message).toContain('NoRecordedTriggerError');
    expect(await store.get('orphan')).toMatchObject({ status: 'notified', notifiedByFallback: true });
  });

  it('pages through the fallback escalation for an incident the notify function failed on whose own page kept failing', async () => {
    const store = newStore();
    await seed(store, 'unreported', 60, { repository: 'octo/app', pullRequest: 12, notifyFailed: true, history: [{ at: NOW.toISOString(), event: 'notify_failed', detail: 'GitHubRequestError' }] });
    const { workflow } = fakeWorkflow({ unreported: 'SUCCEEDED' });
    const { deps: d, published, counts } = deps(store, workflow);
    const ledger = d.escalationLedger;
    d.escalationLedger = { ...ledger, record: async (occurrence) => (occurrence.key === NOTIFY_FAILED_KEY ? Promise.reject(throttling()) : ledger.record(occurrence)) };

    const runs = await everyFiveMinutes(d, 12 * 12);

    expect(runs.filter((r) => r.failed.length > 0)).toHaveLength(7);
    expect(counts.IncidentRedrivesAbandoned).toBe(1);
    expect(published[0]?.message).toContain("its reconciler's tries to tell on-call that the notify function failed on it failed 8 times");
    expect(await store.get('unreported')).toMatchObject({
      status: 'notified',
      notifiedByFallback: true,
      notifyFailed: false,
      fallbackEscalation: { cause: 'reconcile_given_up', paged: true },
    });
    // Notify failed before it recorded its comment: given up or not, whether the comment is there is not known.
    expect(guardHandoff((await store.get('unreported'))!).tried.comment).toEqual({ state: 'unknown', on: { kind: 'pull_request', number: 12 } });
  });

  it('pages a give-up as a give-up: its own subject tag, kind and chat keyword, and not counted on a page about a pipeline that failed', async () => {
    const store = newStore();
    await seed(store, 'stuck', 60, { repository: 'octo/app', branch: 'main', workflowName: 'CI', category: 'test_failure' });
    await seed(store, 'stuck-too', 59, { repository: 'octo/other', branch: 'main', workflowName: 'CI' });
    const { workflow } = fakeWorkflow({});
    const failing: WorkflowStarter = { ...workflow, describe: async () => Promise.reject(Object.assign(new Error('not allowed'), { name: 'AccessDeniedException' })) };
    const { deps: d, published } = deps(store, failing);
    await everyFiveMinutes(d, 12 * 12);
    // In the same window, an incident of the same repository whose every execution failed.
    await seed(store, 'stubborn', 60, { executionAttempt: 2, repository: 'octo/app', branch: 'main', workflowName: 'CI' });
    d.workflow = fakeWorkflow({ 'stubborn-a2': 'FAILED' }).workflow;
    await reconcile(d, { afterMinutes: 10, maxPerRun: 25, maxAttempts: 2, lookbackHours: 48 });

    // One page for the two given up (one reconciler, whatever the repository), and one for the exhausted incident.
    expect(published.map((m) => m.attributes.kind)).toEqual(['reconcile-given-up', 'pipeline-unfinished']);
    const [gaveUp, exhausted] = published;
    expect(gaveUp?.subject).toBe('[Pipeline Guard] [Given up] [CI failed] CI in octo/app on main: a test failed');
    expect(gaveUp?.chat).toMatchObject({ content: { title: '[Given up] [CI failed] CI in octo/app on main: a test failed' } });
    expect(gaveUp?.chat?.content.keywords).toContain('reconcile-given-up');
    expect(gaveUp?.message).toContain("Why you are getting this: Pipeline Guard could not finish handling this failure: its reconciler's tries to re-drive it failed 8 times");
    expect(exhausted?.subject).toMatch(/^\[Pipeline Guard\] \[CI failed\] /);
    expect(await store.get('stuck-too')).toMatchObject({ fallbackEscalation: { cause: 'reconcile_given_up', paged: false } });
    expect(await store.get('stubborn')).toMatchObject({ fallbackEscalation: { cause: 'pipeline_failed', paged: true } });
  });

  it("groups give-up pages by the escalation policy's window and digest for the incident's repository, as every other page", async () => {
    // Three hours for everyone; half an hour and no digest for octo/quiet, whose give-ups come two hours apart.
    const policy: PolicyFile = { defaults: { escalation: { windowMinutes: 180 } }, repositories: { 'octo/quiet': { escalation: { windowMinutes: 30, digest: false } } } };
    const store = newStore();
    const hoursLater = (hours: number) => new Date(NOW.getTime() + hours * 3_600_000);
    /** Tried 7 times already: its next failure, once due, gives it up. */
    const lastTryAt = (hours: number) => ({ reconcileRetry: { failures: 7, error: 'AccessDeniedException', dueAt: hoursLater(hours).toISOString(), failedAt: NOW.toISOString() } });
    await seed(store, 'quiet-early', 60, { repository: 'octo/quiet', ...lastTryAt(0) });
    await seed(store, 'quiet-late', 59, { repository: 'octo/quiet', ...lastTryAt(2) });
    await seed(store, 'quiet-later', 58, { repository: 'octo/quiet', ...lastTryAt(2) });
    const { workflow } = fakeWorkflow({});
    const failing: WorkflowStarter = { ...workflow, describe: async () => Promise.reject(Object.assign(new Error('not allowed'), { name: 'AccessDeniedException' })) };
    const { deps: d, published } = deps(store, failing, policy);
    d.clock = () => now;

    await reconcile(d, scheduled);
    now = hoursLater(2);
    const late = await reconcile(d, scheduled);

    expect(late.givenUp).toEqual(['quiet-late', 'quiet-later']);
    // Past octo/quiet's half hour, the later give-up pages again; the one after it is counted, with no digest.
    expect(published.map((m) => m.attributes.kind)).toEqual(['reconcile-given-up', 'reconcile-given-up']);
    expect(await store.get('quiet-late')).toMatchObject({ fallbackEscalation: { cause: 'reconcile_given_up', paged: true } });
    expect((await store.get('quiet-later'))?.history.at(-1)?.detail).toContain('counted on the open escalation (2 in this window), reported with the next page after the window');
  });

  it('records an incident given up whose page cannot go out either, counts it, fails the run, and lists it no more', async () => {
    const store = newStore();
    await seed(store, 'unpageable', 60, { executionAttempt: 3 });
    const { workflow } = fakeWorkflow({ 'unpageable-a3': 'FAILED' });
    const { deps: d, counts } = refusingPages(store, workflow);

    const runs = await everyFiveMinutes(d, 12 * 12);

    expect(runs.filter((r) => r.failed.length > 0)).toHaveLength(8);
    expect(runs[320 / 5]).toMatchObject({ failed: ['unpageable'], givenUp: ['unpageable'], unpaged: ['unpageable'] });
    expect(runs.slice(320 / 5 + 1).every((r) => r.examined === 0)).toBe(true);
    expect(counts.IncidentRedrivesAbandoned).toBe(1);
    // The run fails once, short of the reconciler-errors alarm's three in a row: its own metric's alarm pages.
    expect(counts.IncidentsGivenUpUnpaged).toBe(1);
    const given = await store.get('unpageable');
    expect(given).toMatchObject({ status: 'received', reconcileRetry: { failures: 8, error: 'InvalidParameterException', dueAt: null } });
    expect(given?.history.at(-1)).toMatchObject({ event: 'reconcile_given_up' });
  });

  it('does not record an incident given up unpaged when its page went out and only recording it failed: the next run records it', async () => {
    const store = newStore();
    await seed(store, 'stuck', 60, { repository: 'octo/app' });
    const { workflow } = fakeWorkflow({});
    const failing: WorkflowStarter = { ...workflow, describe: async () => Promise.reject(Object.assign(new Error('not allowed'), { name: 'AccessDeniedException' })) };
    const { deps: d, published, counts } = deps(store, failing);
    // The write that records it notified is throttled once, right after the page went out.
    d.incidents = dyingBeforeNotified(store, 1, 'Rate exceeded');

    const runs = await everyFiveMinutes(d, 12 * 12);

    const giveUp = 320 / 5;
    expect(runs[giveUp]).toMatchObject({ failed: ['stuck'], givenUp: [] });
    expect(runs[giveUp + 1]).toMatchObject({ failed: [], givenUp: ['stuck'] });
    // Paged once more at most, as after any crash between a page and its record.
    expect(published).toHaveLength(2);
    expect(counts.IncidentRedrivesAbandoned).toBe(1);
    const told = (await store.get('stuck'))!;
    expect(told).toMatchObject({
      status: 'notified',
      fallbackEscalation: { cause: 'reconcile_given_up', paged: true },
      reconcileRetry: { failures: 8, error: 'AccessDeniedException', dueAt: null, failedAt: new Date(NOW.getTime() + (giveUp + 1) * 5 * 60_000).toISOString() },
    });
    expect(told.history.map((entry) => entry.event)).not.toContain('reconcile_given_up');
  });

  it('counts an incident given up unpaged once, when recording it failed once and the next run gave it up again', async () => {
    const store = newStore();
    await seed(store, 'unpageable', 60, { executionAttempt: 3 });
    const { workflow } = fakeWorkflow({ 'unpageable-a3': 'FAILED' });
    const { deps: d, counts } = refusingPages(store, workflow);
    let throttles = 1;
    d.incidents = { ...store, record: async (id, fields, append, options) => (append?.history?.[0]?.event === 'reconcile_given_up' && throttles-- > 0 ? Promise.reject(throttling()) : store.record(id, fields, append, options)) };

    const runs = await everyFiveMinutes(d, 12 * 12);

    expect(runs.filter((r) => r.givenUp.length > 0)).toHaveLength(1);
    expect(counts.IncidentRedrivesAbandoned).toBe(1);
    expect(counts.IncidentsGivenUpUnpaged).toBe(1);
    expect(await store.get('unpageable')).toMatchObject({ reconcileRetry: { failures: 8, dueAt: null } });
  });

  it('names the error of the page that failed on an incident given up unpaged', async () => {
    const store = newStore();
    await seed(store, 'unpageable', 60, { executionAttempt: 3 });
    const { workflow } = fakeWorkflow({ 'unpageable-a3': 'FAILED' });
    const { deps: d } = refusingPages(store, workflow);
    const ledger = d.escalationLedger;
    d.escalationLedger = { ...ledger, record: async (occurrence) => (occurrence.key === RECONCILE_GIVEN_UP_KEY ? Promise.reject(throttling()) : ledger.record(occurrence)) };

    await everyFiveMinutes(d, 12 * 12);

    expect((await store.get('unpageable'))?.history.at(-1)?.detail).toBe(
      "the reconciler's tries failed 8 times (the last: InvalidParameterException), and so did its page (ThrottlingException); given up",
    );
  });

  it('shows an incident the notify function failed on, given up with no page, as given up and unpaged, not as waiting for a page', async () => {
    const store = newStore();
    await seed(store, 'unreported', 60, { repository: 'octo/app', pullRequest: 12, notifyFailed: true, notifyFailedAt: NOW.toISOString(), history: [{ at: NOW.toISOString(), event: 'notify_failed', detail: 'Lambda.Unknown' }] });
    const { workflow } = fakeWorkflow({ unreported: 'SUCCEEDED' });
    const { deps: d } = refusingPages(store, workflow);

    await everyFiveMinutes(d, 12 * 12);

    const given = (await store.get('unreported'))!;
    const givenUpAt = new Date(NOW.getTime() + 320 * 60_000).toISOString();
    const timeline = incidentTimeline(given).map((entry) => `${entry.at} ${entry.title}: ${entry.detail}`);
    expect(timeline.join('\n')).not.toMatch(/waiting for the fallback page|pages on-call on its next run/);
    expect(timeline).toContain(
      `${givenUpAt} given up by the reconciler, nobody paged: its tries to tell on-call that the notify step failed on it failed 8 times (the last: InvalidParameterException); ` +
        "nothing tries again: look at the failure yourself, and at the reconciler's logs for this incident",
    );
    const step = nextStep(given);
    expect(step.human).toBe(true);
    expect(step.text).not.toMatch(/next run/);
    expect(step.text).toMatch(new RegExp(`^Given up at ${givenUpAt} after 8 tries \\(the last: InvalidParameterException\\), and nobody was paged:`));
    expect(listItemOf(given).mustAct).toBe(true);
  });

  it('lifts the give-up of an incident a redelivery re-drives: not shown given up while it runs, and the reconciler looks at it again', async () => {
    const store = newStore();
    await seed(store, 'unpageable', 60, { executionAttempt: 1, repository: 'octo/app', pullRequest: 12 });
    const { workflow, started } = fakeWorkflow({ 'unpageable-a1': 'FAILED' });
    const failing: WorkflowStarter = { ...workflow, describe: async () => Promise.reject(Object.assign(new Error('not allowed'), { name: 'AccessDeniedException' })) };
    const { deps: d } = refusingPages(store, failing);
    await everyFiveMinutes(d, 12 * 12);
    expect(nextStep((await store.get('unpageable'))!).text).toMatch(/^Given up at /);

    // The failure is delivered again once DescribeExecution works: the redelivery re-drives it.
    d.workflow = workflow;
    expect(await redriveIfStalled('unpageable', d, 3)).toBe('unpageable-a2');

    const running = (await store.get('unpageable'))!;
    expect(started).toEqual(['unpageable-a2']);
    expect(guardHandoff(running).why).toEqual([]);
    expect(incidentTimeline(running).map((entry) => entry.title)).not.toContain('given up by the reconciler, nobody paged');
    // Its execution failing again is the reconciler's to see: it is listed again once due.
    workflow.describe = async (name) => ({ status: name === 'unpageable-a2' ? 'FAILED' : 'SUCCEEDED', input: { trigger: { incidentId: 'unpageable' } } });
    now = new Date(now.getTime() + 60 * 60_000);
    expect((await reconcile(d, { afterMinutes: 10, maxPerRun: 25, maxAttempts: 3, lookbackHours: 48 })).redriven).toEqual(['unpageable-a3']);
  });

  it('shows an incident given up with no page as needing a person, not as still being handled', async () => {
    const store = newStore();
    await seed(store, 'unpageable', 60, { executionAttempt: 3, repository: 'octo/app', pullRequest: 12 });
    const { workflow } = fakeWorkflow({ 'unpageable-a3': 'FAILED' });
    const { deps: d } = refusingPages(store, workflow);

    await everyFiveMinutes(d, 12 * 12);

    const given = (await store.get('unpageable'))!;
    expect(listItemOf(given).mustAct).toBe(true);
    expect(nextStep(given).text).not.toMatch(/still handling/);
    expect(nextStep(given).text).toMatch(/^Given up at \S+ after 8 tries \(the last: InvalidParameterException\), and nobody was paged: the reconciler could not re-drive this incident or page on-call about it\./);
    expect(incidentTimeline(given).map((entry) => entry.title)).toContain('given up by the reconciler, nobody paged');
  });

  it('gives up only after failures in a row: a running execution looked up through a day with a throttle every three hours is never paged as given up', async () => {
    // Prepare: an execution that waits a day (an approval, a comment waiting for the write budget); its look-up is
    // throttled in one run every three hours and works in every other.
    const store = newStore();
    await seed(store, 'waiting', 60, { repository: 'octo/app', status: 'awaiting_approval' });
    const { workflow } = fakeWorkflow({ waiting: 'RUNNING' });
    const sometimes: WorkflowStarter = {
      ...workflow,
      describe: async (name) => ((now.getTime() - NOW.getTime()) % (3 * 3_600_000) === 0 ? Promise.reject(throttling()) : workflow.describe(name)),
    };
    const { deps: d, published, counts } = deps(store, sometimes);

    // Act: a day of runs, every 5 minutes.
    const runs = await everyFiveMinutes(d, 24 * 12);

    // Assert: each throttle failed its run alone; the incident is still the running execution's, and nobody was paged.
    expect(runs.flatMap((r) => r.givenUp)).toEqual([]);
    expect(published).toEqual([]);
    expect(counts.IncidentRedrivesAbandoned ?? 0).toBe(0);
    expect(await store.get('waiting')).toMatchObject({ status: 'awaiting_approval' });
    expect((await store.get('waiting'))?.notifiedByFallback).not.toBe(true);
  });

  it('does not slow the first retry: an incident whose StartExecution was throttled once is started in the very next run', async () => {
    const store = newStore();
    await seed(store, 'throttled', 60);
    const { workflow, started } = fakeWorkflow({});
    let throttles = 1;
    const once: WorkflowStarter = { ...workflow, start: async (name, input) => (throttles-- > 0 ? Promise.reject(throttling()) : workflow.start(name, input)) };
    const { deps: d } = deps(store, once);

    const runs = await everyFiveMinutes(d, 2);

    expect(runs.map((r) => [r.failed, r.redriven])).toEqual([[['throttled'], []], [[], ['throttled']]]);
    expect(started).toEqual(['throttled']);
    expect(await store.get('throttled')).toMatchObject({ startFailures: 1 });
  });

  it('does not slow the first retry: an incident whose look-up was throttled once is re-driven in the very next run', async () => {
    const store = newStore();
    await seed(store, 'throttled', 60);
    const { workflow, started } = fakeWorkflow({ throttled: 'FAILED' });
    let throttles = 1;
    const once: WorkflowStarter = { ...workflow, describe: async (name) => (throttles-- > 0 ? Promise.reject(throttling()) : workflow.describe(name)) };
    const { deps: d } = deps(store, once);

    const runs = await everyFiveMinutes(d, 2);

    expect(runs.map((r) => [r.failed, r.redriven])).toEqual([[['throttled'], []], [[], ['throttled-a1']]]);
    expect(started).toEqual(['throttled-a1']);
  });
});

describe('a scheduled run that left work undone', () => {
  const digests = { sent: [], skipped: 0, failed: [] as string[] };
  const approvalResumes = { failed: [] as string[], abandoned: [] as string[], unlisted: null as string | null };
  const done = { examined: 2, redriven: ['a-a1'], running: 1, exhausted: ['b'], unstartable: [] as string[], notifyFailed: [] as string[], failed: [] as string[], givenUp: [] as string[], unpaged: [] as string[], approvalResumes };

  it('is an error (the Lambda fails and the reconciler alarm counts it) when a re-drive or a digest failed', () => {
    const redrive = incompleteRunError({ ...done, failed: ['x', 'y'], digests });
    expect(redrive).toBeInstanceOf(ReconcileIncompleteError);
    expect(redrive?.message).toContain('2 re-drive(s) failed (x, y)');
    const digest = incompleteRunError({ ...done, digests: { ...digests, failed: ['repo#main'] } });
    expect(digest?.name).toBe('ReconcileIncompleteError');
    expect(digest?.message).toContain('1 digest(s) failed');
  });

  it('is an error when a recorded /guard decision could not be resumed, was given up, or the decisions could not be listed', () => {
    expect(incompleteRunError({ ...done, digests, approvalResumes: { ...approvalResumes, failed: ['gh-1'] } })?.message).toContain('1 approval resume(s) failed (gh-1)');
    expect(incompleteRunError({ ...done, digests, approvalResumes: { ...approvalResumes, abandoned: ['gh-2'] } })?.message).toContain('1 approval resume(s) failed (gh-2)');
    expect(incompleteRunError({ ...done, digests, approvalResumes: { ...approvalResumes, unlisted: 'throttled' } })?.message).toContain('the approvals to resume could not be listed');
  });

  it('is no error when everything it found was done (an exhausted incident was escalated)', () => {
    expect(incompleteRunError({ ...done, digests })).toBeNull();
  });
});
