import { describe, expect, it } from 'vitest';
import { newIncident, type Incident } from '../../../shared/domain/incident.js';
import { branchWatched, pageOccurrence, routeEscalation, type RouteInput } from '../../../shared/notify/escalation-policy.js';
import { DEFAULT_POLICY, type PolicyFile } from '../../../shared/remediation/policy.js';
import { triggerFromWorkflowRun } from '../../../shared/ingest/github-webhook.js';
import { analyzeStep } from '../../../shared/steps/analyze.js';
import { notifyStep } from '../../../shared/steps/notify.js';
import { remediateStep } from '../../../shared/steps/remediate.js';
import { githubIncidentFields, githubIncidentScope } from '../../../shared/domain/github-incident.js';
import { loadWebhook } from '../../../infra/local/replay.js';
import type { GithubTrigger } from '../../../shared/domain/trigger.js';
import type { RerunLedger } from '../../../shared/ports.js';
import { createFakeGitHub, createMemoryRerunLedger, scriptedAnalyzer, stepDeps } from '../../support/fakes.js';
import { dyingBeforeNotified } from '../../support/memory-store.js';
import { handledAfter } from '../../support/handling-time.js';

const at = new Date('2026-11-20T10:00:00Z');

function incident(fields: Partial<Incident> = {}): Incident {
  return newIncident(
    { id: 'gh-1-100-1', source: 'github', repository: 'acme-shop/checkout-service', branch: 'main', workflowName: 'CI', runAttempt: 1, fingerprint: 'fp-1', status: 'notified', ...fields },
    at,
  );
}

function route(fields: Partial<Incident>, extra: Partial<RouteInput> = {}) {
  return routeEscalation({
    incident: incident(fields),
    reasons: ['the analysis asks for a human'],
    guardDegraded: false,
    commented: false,
    ownRerun: false,
    policy: DEFAULT_POLICY.escalation,
    ...extra,
  });
}

describe('routeEscalation (who hears about a failure)', () => {
  it.each([
    ['a pull request failure goes to its pull request', { pullRequest: 7 }, { commented: true }, false],
    ['a pull request failure whose comment could not be written pages', { pullRequest: 7 }, { commented: false }, true],
    ['the policy can ask for pull request failures too', { pullRequest: 7 }, { commented: true, policy: { ...DEFAULT_POLICY.escalation, pullRequests: true } }, true],
    ['an approval request nobody answered in time pages', { pullRequest: 7 }, { commented: true, unanswered: true }, true],
    ['a degraded guard pages even with a comment', { pullRequest: 7 }, { commented: true, guardDegraded: true }, true],
    ["a fork's run from its own main, its pull request not found, does not page", { branch: 'main', runEvent: 'pull_request', fromFork: true }, {}, false],
    ["a fork's pull request does not page when the policy asks for pull request failures", { pullRequest: 7, fromFork: true }, { commented: true, policy: { ...DEFAULT_POLICY.escalation, pullRequests: true } }, false],
    ["a degraded guard pages on a fork's failure too", { branch: 'main', fromFork: true }, { guardDegraded: true }, true],
    ['a push to a watched branch pages', { branch: 'main', runEvent: 'push' }, {}, true],
    ['a push to an unwatched branch does not', { branch: 'feature/x', runEvent: 'push' }, { policy: { ...DEFAULT_POLICY.escalation, branches: ['main', 'release/*'] } }, false],
    ['a release branch matches its prefix pattern', { branch: 'release/2.1', runEvent: 'push' }, { policy: { ...DEFAULT_POLICY.escalation, branches: ['main', 'release/*'] } }, true],
    ['a scheduled run pages whatever the branch list says', { branch: 'feature/x', runEvent: 'schedule' }, { policy: { ...DEFAULT_POLICY.escalation, branches: ['main'] } }, true],
    ['scheduled runs can be kept quiet', { branch: 'main', runEvent: 'schedule' }, { policy: { ...DEFAULT_POLICY.escalation, scheduled: false } }, false],
    ['nobody needs to act', { branch: 'main' }, { reasons: [] }, false],
    ['a recovered incident never pages', { branch: 'main', status: 'resolved' }, {}, false],
  ] as const)('%s', (_name, fields, extra, pages) => {
    expect(route(fields as Partial<Incident>, extra as Partial<RouteInput>).page).toBe(pages);
  });

  it('keys GitHub problems by repository and fingerprint, so a re-run and tonight\'s cron are the same problem', () => {
    const first = route({ branch: 'main', runAttempt: 1, runEvent: 'push' });
    const cron = route({ branch: 'main', runAttempt: 1, runEvent: 'schedule', id: 'gh-1-200-1' });
    expect(first.page && cron.page && first.key === cron.key).toBe(true);
    expect(first).toMatchObject({ key: 'gh:acme-shop/checkout-service:fp-1', mayOpen: true });
  });

  it('lets a person\'s re-run only add to an open escalation; our own failed re-run may open one', () => {
    expect(route({ runAttempt: 2 })).toMatchObject({ page: true, mayOpen: false });
    expect(route({ runAttempt: 2 }, { ownRerun: true })).toMatchObject({ page: true, mayOpen: true });
  });

  it('keys alarms by alarm ARN', () => {
    const alarm = incident({ source: 'cloudwatch', repository: null, alarm: { name: 'db-cpu', arn: 'arn:aws:cloudwatch:us-east-1:1:alarm:db-cpu' } as Incident['alarm'] });
    expect(routeEscalation({ incident: alarm, reasons: ['x'], guardDegraded: false, commented: false, ownRerun: false, policy: DEFAULT_POLICY.escalation })).toMatchObject({
      page: true,
      key: 'alarm:arn:aws:cloudwatch:us-east-1:1:alarm:db-cpu',
    });
  });

  it("keys a followed run's end apart from the page that it still ran (session 43)", () => {
    const arn = 'arn:aws:cloudwatch:us-east-1:1:alarm:db-cpu';
    const decision = { action: 'escalate', reason: 'r', applied: true, result: 'Failed', dryRun: false, decidedAt: at.toISOString(), followedRun: { holder: 'cw-1', executionId: 'exec-1' } } as const;
    const keyOf = (fields: Partial<Incident>) => {
      const routed = routeEscalation({ incident: incident({ source: 'cloudwatch', repository: null, alarm: { name: 'db-cpu', arn } as Incident['alarm'], ...fields }), reasons: ['x'], guardDegraded: false, commented: false, ownRerun: false, policy: DEFAULT_POLICY.escalation });
      return routed.page ? routed.key : null;
    };

    expect(keyOf({ decision: { ...decision, runNotEnded: true } })).toBe(`alarm:${arn}:run-of:cw-1`);
    expect(keyOf({ decision })).toBe(`alarm:${arn}:run-of:cw-1:ended:exec-1`);
  });

  describe('a degraded guard whose failure was told on its pull request or pushed commit', () => {
    const failed = (stage: string, error: string): Partial<Incident> => ({ fingerprint: null, stageErrors: [{ stage, error, at: at.toISOString() }] });
    const told = { commented: true, guardDegraded: true };
    const keyOf = (fields: Partial<Incident>, extra: Partial<RouteInput> = told) => {
      const routed = route(fields, extra);
      return routed.page ? routed.key : null;
    };

    it('is one problem for the whole deployment per failing stage and error class, whatever the repository or branch', () => {
      const outage = (fields: Partial<Incident>, error: string) => route({ ...fields, ...failed('classify', error) }, told);
      const routes = [
        outage({ pullRequest: 7, branch: 'feature-0' }, 'GitHubUnavailableError: GitHub answered 502'),
        outage({ pullRequest: 8, branch: 'feature-1' }, 'GitHubUnavailableError: GitHub answered 503'),
        outage({ repository: 'acme-shop/web', pullRequest: 3, branch: 'fix/x' }, 'GitHubUnavailableError: timed out'),
      ];
      // A push to a branch the policy does not watch: its commit comment told its author, and it would not page by itself.
      const mainOnly = { ...told, policy: { ...DEFAULT_POLICY.escalation, branches: ['main'] } };
      routes.push(route({ repository: 'acme-shop/web', branch: 'release/2', runEvent: 'push', ...failed('classify', 'GitHubUnavailableError: GitHub answered 502') }, mainOnly));
      for (const routed of routes) expect(routed).toMatchObject({ page: true, mayOpen: true, key: 'guard-degraded:classify:GitHubUnavailableError' });
    });

    it('leaves a failure that pages by itself its own page (a watched branch, a schedule), so the count cannot hide it', () => {
      const outage = failed('classify', 'GitHubUnavailableError: GitHub answered 502');
      const push = keyOf({ branch: 'main', runEvent: 'push', ...outage });
      const nightly = keyOf({ branch: 'main', runEvent: 'schedule', ...outage });
      const pullRequestsPage = keyOf({ pullRequest: 7, ...outage }, { ...told, policy: { ...DEFAULT_POLICY.escalation, pullRequests: true } });
      for (const key of [push, nightly, pullRequestsPage]) expect(key).toMatch(/^gh:acme-shop\/checkout-service:.*:degraded$/);
    });

    it('is another problem when another stage failed, or the same stage with another error class', () => {
      const classify = keyOf({ pullRequest: 7, ...failed('classify', 'GitHubUnavailableError: 502') });
      const analyze = keyOf({ pullRequest: 7, ...failed('analyze', 'GitHubUnavailableError: 502') });
      const timeout = keyOf({ pullRequest: 7, ...failed('classify', 'States.Timeout: the task timed out') });
      expect(new Set([classify, analyze, timeout]).size).toBe(3);
    });

    it('is keyed by the first stage of the pipeline that failed, whatever order the errors were recorded in', () => {
      const both = (stageErrors: Array<[string, string]>) => keyOf({ pullRequest: 7, fingerprint: null, stageErrors: stageErrors.map(([stage, error]) => ({ stage, error, at: at.toISOString() })) });
      const classifyFirst = both([['analyze', 'LlmUnavailableError: 529'], ['classify', 'GitHubUnavailableError: 502']]);
      expect(classifyFirst).toBe(both([['classify', 'GitHubUnavailableError: 502'], ['analyze', 'LlmUnavailableError: 529']]));
      expect(classifyFirst).toBe('guard-degraded:classify:GitHubUnavailableError');
    });

    it("keeps runs an outsider can repeat apart from the repository's own, so a stranger cannot take the team's page", () => {
      const own = keyOf({ pullRequest: 7, ...failed('classify', 'GitHubUnavailableError: 502') });
      const fork = keyOf({ pullRequest: 9, fromFork: true, ...failed('classify', 'GitHubUnavailableError: 502') });
      expect(fork).not.toBe(own);
    });

    it("counts its window and digest by the deployment's defaults, not the repository's that happened to open it", () => {
      const policyFile: PolicyFile = { defaults: { escalation: { windowMinutes: 180 } }, repositories: { 'acme-shop/checkout-service': { escalation: { windowMinutes: 30, digest: false } } } };
      const incidentFields = { pullRequest: 7, ...failed('classify', 'GitHubUnavailableError: 502') };
      const routed = route(incidentFields, told);
      if (!routed.page) throw new Error('a degraded guard pages');
      expect(pageOccurrence(routed, incident(incidentFields), at, policyFile)).toMatchObject({ key: 'guard-degraded:classify:GitHubUnavailableError', windowMinutes: 180, digest: true });
      const own = route({ pullRequest: 7 }, { commented: false });
      if (!own.page) throw new Error('a pull request nobody was told of pages');
      expect(pageOccurrence(own, incident({ pullRequest: 7 }), at, policyFile)).toMatchObject({ windowMinutes: 30, digest: false });
    });

    it('stays a problem per failure when nobody was told of it (no comment went out)', () => {
      const untold = { commented: false, guardDegraded: true };
      const first = keyOf({ pullRequest: 7, branch: 'feature-0', ...failed('classify', 'GitHubUnavailableError: 502') }, untold);
      const second = keyOf({ pullRequest: 8, branch: 'feature-1', ...failed('classify', 'GitHubUnavailableError: 502') }, untold);
      expect(first).not.toBeNull();
      expect(first).not.toBe(second);
    });
  });

  it('matches branch patterns exactly or by prefix', () => {
    expect(branchWatched(['main'], 'main-old')).toBe(false);
    expect(branchWatched(['*'], null)).toBe(true);
    expect(branchWatched(['main'], null)).toBe(false);
  });
});

function pushTrigger(runId: number, attempt = 1, event = 'push') {
  const body = structuredClone(loadWebhook('workflow_run-failure').body) as Record<string, any>;
  body.workflow_run.pull_requests = [];
  body.workflow_run.head_branch = 'main';
  body.workflow_run.event = event;
  body.workflow_run.id = runId;
  body.workflow_run.run_attempt = attempt;
  return triggerFromWorkflowRun(body as never, `delivery-${runId}-${attempt}`);
}

describe('notifyStep pages once per problem', () => {
  it('sends one escalation for the same failure on five pushes and a cron run, and counts the rest', async () => {
    const { deps, published } = stepDeps({ github: createFakeGitHub().port, analyzer: scriptedAnalyzer({ proposedAction: 'escalate', confidence: 0.3 }) });
    const triggers = [1, 2, 3, 4, 5].map((id) => pushTrigger(id)).concat(pushTrigger(6, 1, 'schedule'));
    for (const trigger of triggers) {
      await deps.incidents.create(newIncident({ ...githubIncidentFields(trigger, deps.clock()), category: 'unknown', fingerprint: 'fp-same', failureLines: [{ line: 3, text: 'boom' }] }, deps.clock()), githubIncidentScope(trigger));
      await analyzeStep({ trigger }, deps);
      await remediateStep({ trigger }, deps);
      await notifyStep({ trigger }, deps);
    }

    expect(published).toHaveLength(1);
    const last = await deps.incidents.get(triggers[5]!.incidentId);
    expect(last?.notifications.find((n) => n.channel === 'sns')).toMatchObject({ outcome: 'skipped', detail: expect.stringMatching(/seen 6 times since 2026-11-20T10:00:00.000Z/) });
  });

  it('sends the page at most once more when the step is retried after dying between publish and record', async () => {
    const { deps, published } = stepDeps({ github: createFakeGitHub().port, analyzer: scriptedAnalyzer({ proposedAction: 'escalate', confidence: 0.3 }) });
    const trigger = pushTrigger(31);
    await deps.incidents.create(newIncident({ ...githubIncidentFields(trigger, deps.clock()), category: 'unknown', fingerprint: 'fp-crash', failureLines: [{ line: 3, text: 'boom' }] }, deps.clock()), githubIncidentScope(trigger));
    await analyzeStep({ trigger }, deps);
    await remediateStep({ trigger }, deps);
    const store = deps.incidents;
    // The write after the page (status notified) never happens on the first three tries: the function dies.
    deps.incidents = dyingBeforeNotified(store, 3, 'Task timed out after 60.00 seconds');

    for (let attempt = 0; attempt < 4; attempt++) await notifyStep({ trigger }, deps).catch(() => undefined);

    expect(published).toHaveLength(2);
    const incident = await store.get(trigger.incidentId);
    expect(incident?.status).toBe('notified');
    expect(incident?.notifications.find((n) => n.channel === 'sns')).toMatchObject({ outcome: 'skipped', detail: 'the escalation of this incident went out on an earlier try of this step' });
  });

  it('pages again after the window with the count since the problem was first seen', async () => {
    let now = new Date('2026-11-20T09:20:00Z');
    const { deps, published } = stepDeps({ github: createFakeGitHub().port, analyzer: scriptedAnalyzer({ proposedAction: 'escalate', confidence: 0.3 }), clock: () => now });
    // The first handled after the nightly run's (the fixture's) end, 09:19:47.
    for (const [i, time] of ['2026-11-20T09:20:00Z', '2026-11-20T13:00:00Z', '2026-11-20T18:00:00Z', '2026-11-21T09:30:00Z'].entries()) {
      now = new Date(time);
      const trigger = pushTrigger(10 + i);
      await deps.incidents.create(newIncident({ ...githubIncidentFields(trigger, now), category: 'unknown', fingerprint: 'fp-nightly', failureLines: [{ line: 3, text: 'boom' }] }, now), githubIncidentScope(trigger));
      await analyzeStep({ trigger }, deps);
      await remediateStep({ trigger }, deps);
      await notifyStep({ trigger }, deps);
    }

    expect(published).toHaveLength(2);
    expect(published[1]?.message).toMatch(/Seen 4 times since 2026-11-20T09:20:00.000Z/);
  });

  it("opens one escalation per workflow, not per log line, for runs whose log an outsider writes or whose failure anyone can repeat", async () => {
    // Prepare: strangers' pull requests fail a pull_request_target workflow (reported as `main` of this repository)
    // five times, each printing something else; a fork's runs fail five times while a stage of the guard fails.
    const forkTrigger = (runId: number) => {
      const body = structuredClone(loadWebhook('workflow_run-fork-failure').body) as Record<string, any>;
      body.workflow_run.id = runId;
      body.workflow_run.head_branch = `main-${runId}`;
      return triggerFromWorkflowRun(body as never, `delivery-${runId}`);
    };
    const targets = [31, 32, 33, 34, 35].map((id) => pushTrigger(id, 1, 'pull_request_target'));
    // A triage workflow on `issues` fails on each new issue, which anyone can open, and prints its title.
    const issues = [51, 52, 53, 54, 55].map((id) => pushTrigger(id, 1, 'issues'));
    const forks = [41, 42, 43, 44, 45].map(forkTrigger);
    // Handled after the latest run ended (the forks'), as a classify that timed out then.
    const handled = handledAfter(forks);
    const { deps, published } = stepDeps({ github: createFakeGitHub().port, analyzer: scriptedAnalyzer({ proposedAction: 'escalate', confidence: 0.3 }), clock: () => handled });

    // Act
    for (const [i, trigger] of [...targets, ...issues].entries()) {
      await deps.incidents.create(newIncident({ ...githubIncidentFields(trigger, deps.clock()), category: 'unknown', fingerprint: `fp-title-${i}`, failureLines: [{ line: 3, text: `bad title ${i}` }] }, deps.clock()), githubIncidentScope(trigger));
      await analyzeStep({ trigger }, deps);
      await remediateStep({ trigger }, deps);
      await notifyStep({ trigger }, deps);
    }
    const afterTargets = published.length;
    for (const [i, trigger] of forks.entries()) {
      await deps.incidents.create(
        newIncident({ ...githubIncidentFields(trigger, deps.clock()), category: 'unknown', fingerprint: `fp-fork-${i}`, stageErrors: [{ stage: 'classify', error: 'Timeout', at: handled.toISOString() }] }, deps.clock()),
        githubIncidentScope(trigger),
      );
      await notifyStep({ trigger }, deps);
    }

    // Assert: on-call hears once of the workflow (both events run it) and once of the forks (and the rest is counted
    // on them), however the logs vary.
    expect(afterTargets).toBe(1);
    expect(published).toHaveLength(2);
    const last = await deps.incidents.get(forks[4]!.incidentId);
    expect(last?.notifications.find((n) => n.channel === 'sns')).toMatchObject({ outcome: 'skipped', detail: expect.stringMatching(/seen 5 times/) });
  });

  /** Run `runId` of the repository's triage workflow on `main`, started by `actor` with `event`; it fails, and the guard escalates. */
  async function failedRunBy(deps: ReturnType<typeof stepDeps>['deps'], runId: number, event: string, actor: string) {
    const body = structuredClone(loadWebhook('workflow_run-failure').body) as Record<string, any>;
    Object.assign(body.workflow_run, { pull_requests: [], head_branch: 'main', event, id: runId, triggering_actor: { login: actor, type: 'User' } });
    const trigger = triggerFromWorkflowRun(body as never, `delivery-${runId}`);
    await deps.incidents.create(
      newIncident({ ...githubIncidentFields(trigger, deps.clock()), category: 'unknown', fingerprint: `fp-${runId}`, failureLines: [{ line: 3, text: `failed on ${runId}` }] }, deps.clock()),
      githubIncidentScope(trigger),
    );
    await analyzeStep({ trigger }, deps);
    await remediateStep({ trigger }, deps);
    await notifyStep({ trigger }, deps);
    return trigger;
  }

  it("pages for a maintainer's failure of a workflow whose escalation an outsider's failure opened", async () => {
    // Prepare: a stranger's pull request fails the pull_request_target workflow, which pages (the outsiders' one a window)
    const github = createFakeGitHub();
    github.permissions.set('maya', 'write');
    const { deps, published } = stepDeps({ github: github.port, analyzer: scriptedAnalyzer({ proposedAction: 'escalate', confidence: 0.3 }) });
    await failedRunBy(deps, 61, 'pull_request_target', 'stranger');
    const afterStranger = published.length;

    // Act: the same workflow fails on maya's run, and on a workflow_run follow-up she started
    const mine = await failedRunBy(deps, 62, 'pull_request_target', 'maya');
    await failedRunBy(deps, 63, 'workflow_run', 'maya');

    // Assert: her failure reaches on-call instead of waiting for the stranger's window to end in a digest
    expect(afterStranger).toBe(1);
    expect(published).toHaveLength(2);
    expect(published[1]?.message).toContain(`Incident: ${mine.incidentId} `);
  });

  it("lets outsiders page at most once a window however they fail the workflow, whoever's failure paged before", async () => {
    // Prepare: maya's run of the workflow failed and paged
    const github = createFakeGitHub();
    github.permissions.set('maya', 'write');
    github.permissions.set('triager', 'triage');
    const { deps, published } = stepDeps({ github: github.port, analyzer: scriptedAnalyzer({ proposedAction: 'escalate', confidence: 0.3 }) });
    await failedRunBy(deps, 71, 'pull_request_target', 'maya');

    // Act: strangers (and a triager, who may not write) fail it nine times, by both events, each printing something else
    for (let i = 0; i < 9; i += 1) await failedRunBy(deps, 72 + i, i % 2 === 0 ? 'pull_request_target' : 'issues', i === 4 ? 'triager' : `stranger-${i}`);

    // Assert: maya's page, then one for the outsiders, and the rest counted on it
    expect(published).toHaveLength(2);
    const last = await deps.incidents.get(`gh-714523861-80-1`);
    expect(last?.notifications.find((n) => n.channel === 'sns')).toMatchObject({ outcome: 'skipped', detail: expect.stringMatching(/seen 9 times/) });
  });

  it('never pages for a person\'s re-run of a pull request failure, however many attempts', async () => {
    const github = createFakeGitHub();
    const { deps, published } = stepDeps({ github: github.port, analyzer: scriptedAnalyzer({ proposedAction: 'escalate', confidence: 0.2 }) });
    for (const attempt of [1, 2, 3, 4]) {
      const body = structuredClone(loadWebhook('workflow_run-failure').body) as Record<string, any>;
      body.workflow_run.run_attempt = attempt;
      const trigger = triggerFromWorkflowRun(body as never, `d-${attempt}`);
      await deps.incidents.create(newIncident({ ...githubIncidentFields(trigger, deps.clock()), category: 'unknown', fingerprint: 'fp-pr', failureLines: [{ line: 3, text: 'boom' }] }, deps.clock()), githubIncidentScope(trigger));
      await analyzeStep({ trigger }, deps);
      await remediateStep({ trigger }, deps);
      await notifyStep({ trigger }, deps);
    }

    expect(published).toHaveLength(0);
    expect(github.comments.size).toBe(1);
  });
});

describe('notifyStep: whose re-run failed', () => {
  /** The rerun ledger, counting how often Notify asks it. */
  function countingLedger() {
    const ledger = createMemoryRerunLedger();
    let lookups = 0;
    const port: RerunLedger = {
      claim: (key, claim) => ledger.claim(key, claim),
      release: (key, claim) => ledger.release(key, claim),
      lookup: (key, run) => {
        lookups += 1;
        return ledger.lookup(key, run);
      },
    };
    /** What Remediate's claim leaves in the ledger when our re-run of attempt 1 creates `trigger`'s attempt. */
    const recordOurRerunOf = (trigger: GithubTrigger) =>
      ledger.claim(
        { repositoryId: trigger.repository.id, workflowId: trigger.workflowRun.workflowId as number, headSha: trigger.workflowRun.headSha },
        { incidentId: 'earlier', runId: trigger.workflowRun.id, nextAttempt: trigger.workflowRun.attempt, max: 1 },
      );
    return { port, lookups: () => lookups, recordOurRerunOf };
  }

  /** Attempt 2 of a push run on main that Remediate decided to escalate, as the incident store holds it. */
  async function seedEscalated(deps: ReturnType<typeof stepDeps>['deps'], fields: Partial<Incident>) {
    const trigger = pushTrigger(300, 2);
    const decidedAt = deps.clock().toISOString();
    await deps.incidents.create(
      newIncident(
        {
          ...githubIncidentFields(trigger, deps.clock()),
          status: 'remediated',
          category: 'unknown',
          fingerprint: 'fp-rerun',
          decision: { action: 'escalate', reason: 'the re-run failed again', applied: true, result: null, dryRun: false, decidedAt },
          ...fields,
        },
        deps.clock(),
      ),
      githubIncidentScope(trigger),
    );
    return trigger;
  }

  // Stored answers are paired with the opposite ledger entry, so only the stored answer can give the result.
  it.each([
    ['stored: our own re-run opens an escalation', { ownRerun: true }, false, 1, 0],
    ['stored: a person\'s re-run does not, whatever the ledger says', { ownRerun: false }, true, 0, 0],
    ['stored before Remediate recorded it: the ledger\'s entry for our re-run opens one', {}, true, 1, 1],
    ['stored before Remediate recorded it: without a ledger entry it is a person\'s re-run', {}, false, 0, 1],
  ] as const)('routes by the answer Remediate stored, else by the ledger (%s)', async (_name, stored, inLedger, pages, lookups) => {
    // Prepare
    const ledger = countingLedger();
    const { deps, published } = stepDeps({ github: createFakeGitHub().port, reruns: ledger.port });
    const trigger = await seedEscalated(deps, stored);
    if (inLedger) await ledger.recordOurRerunOf(trigger);

    // Act
    await notifyStep({ trigger }, deps);

    // Assert
    expect(published).toHaveLength(pages);
    expect(ledger.lookups()).toBe(lookups);
  });

  it('pages for our re-run that Remediate recognised by the bot login alone (the ledger never saw it)', async () => {
    // Prepare: attempt 2 started by our bot, with no ledger entry (a re-run from before the ledger existed).
    const ledger = countingLedger();
    const { deps, published } = stepDeps({ github: createFakeGitHub().port, reruns: ledger.port, analyzer: scriptedAnalyzer({ proposedAction: 'rerun_failed_jobs', confidence: 0.9 }) });
    const body = structuredClone(loadWebhook('workflow_run-rerun-failure').body) as Record<string, any>;
    body.workflow_run.pull_requests = [];
    body.workflow_run.head_branch = 'main';
    body.workflow_run.event = 'push';
    const trigger = triggerFromWorkflowRun(body as never, 'delivery-bot-rerun');
    await deps.incidents.create(newIncident({ ...githubIncidentFields(trigger, deps.clock()), category: 'network', fingerprint: 'fp-bot', failureLines: [{ line: 3, text: 'boom' }] }, deps.clock()), githubIncidentScope(trigger));
    await analyzeStep({ trigger }, deps);

    // Act
    await remediateStep({ trigger }, deps);
    await notifyStep({ trigger }, deps);

    // Assert
    expect(trigger.triggeringActor).toBe('pipeline-guard[bot]');
    expect((await deps.incidents.get(trigger.incidentId))?.ownRerun).toBe(true);
    expect(published).toHaveLength(1);
    expect(ledger.lookups()).toBe(1);
  });
});
