import { describe, expect, it } from 'vitest';
import { newIncident, type Incident } from '../../../shared/domain/incident.js';
import { branchWatched, routeEscalation, type RouteInput } from '../../../shared/notify/escalation-policy.js';
import { DEFAULT_POLICY } from '../../../shared/remediation/policy.js';
import { triggerFromWorkflowRun } from '../../../shared/ingest/github-webhook.js';
import { analyzeStep } from '../../../shared/steps/analyze.js';
import { notifyStep } from '../../../shared/steps/notify.js';
import { remediateStep } from '../../../shared/steps/remediate.js';
import { githubIncidentFields, githubIncidentScope } from '../../../shared/domain/github-incident.js';
import { loadWebhook } from '../../../infra/local/replay.js';
import { createFakeGitHub, scriptedAnalyzer, stepDeps } from '../../support/fakes.js';

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
      await deps.incidents.create(newIncident({ ...githubIncidentFields(trigger), category: 'unknown', fingerprint: 'fp-same', failureLines: [{ line: 3, text: 'boom' }] }, deps.clock()), githubIncidentScope(trigger));
      await analyzeStep({ trigger }, deps);
      await remediateStep({ trigger }, deps);
      await notifyStep({ trigger }, deps);
    }

    expect(published).toHaveLength(1);
    const last = await deps.incidents.get(triggers[5]!.incidentId);
    expect(last?.notifications.find((n) => n.channel === 'sns')).toMatchObject({ outcome: 'skipped', detail: expect.stringMatching(/seen 6 times since 2026-11-20T10:00:00.000Z/) });
  });

  it('pages again after the window with the count since the problem was first seen', async () => {
    let now = new Date('2026-11-20T09:12:00Z');
    const { deps, published } = stepDeps({ github: createFakeGitHub().port, analyzer: scriptedAnalyzer({ proposedAction: 'escalate', confidence: 0.3 }), clock: () => now });
    for (const [i, time] of ['2026-11-20T09:12:00Z', '2026-11-20T13:00:00Z', '2026-11-20T18:00:00Z', '2026-11-21T09:30:00Z'].entries()) {
      now = new Date(time);
      const trigger = pushTrigger(10 + i);
      await deps.incidents.create(newIncident({ ...githubIncidentFields(trigger), category: 'unknown', fingerprint: 'fp-nightly', failureLines: [{ line: 3, text: 'boom' }] }, now), githubIncidentScope(trigger));
      await analyzeStep({ trigger }, deps);
      await remediateStep({ trigger }, deps);
      await notifyStep({ trigger }, deps);
    }

    expect(published).toHaveLength(2);
    expect(published[1]?.message).toMatch(/Seen 4 times since 2026-11-20T09:12:00.000Z/);
  });

  it('never pages for a person\'s re-run of a pull request failure, however many attempts', async () => {
    const github = createFakeGitHub();
    const { deps, published } = stepDeps({ github: github.port, analyzer: scriptedAnalyzer({ proposedAction: 'escalate', confidence: 0.2 }) });
    for (const attempt of [1, 2, 3, 4]) {
      const body = structuredClone(loadWebhook('workflow_run-failure').body) as Record<string, any>;
      body.workflow_run.run_attempt = attempt;
      const trigger = triggerFromWorkflowRun(body as never, `d-${attempt}`);
      await deps.incidents.create(newIncident({ ...githubIncidentFields(trigger), category: 'unknown', fingerprint: 'fp-pr', failureLines: [{ line: 3, text: 'boom' }] }, deps.clock()), githubIncidentScope(trigger));
      await analyzeStep({ trigger }, deps);
      await remediateStep({ trigger }, deps);
      await notifyStep({ trigger }, deps);
    }

    expect(published).toHaveLength(0);
    expect(github.comments.size).toBe(1);
  });
});
