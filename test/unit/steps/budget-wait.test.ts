import { describe, expect, it } from 'vitest';
import { newIncident } from '../../../shared/domain/incident.js';
import { githubIncidentFields, githubIncidentScope } from '../../../shared/domain/github-incident.js';
import { WriteBudgetExhaustedError } from '../../../shared/errors.js';
import { triggerFromWorkflowRun } from '../../../shared/ingest/github-webhook.js';
import { MAX_WRITE_WAIT_ROUNDS, MAX_WRITE_WAIT_SECONDS, planWriteWait } from '../../../shared/domain/write-wait.js';
import { incidentTimeline } from '../../../shared/api/timeline.js';
import { fallbackPageDue } from '../../../shared/domain/handoff.js';
import { analyzeStep } from '../../../shared/steps/analyze.js';
import { notifyStep } from '../../../shared/steps/notify.js';
import { remediateStep } from '../../../shared/steps/remediate.js';
import type { NotifyDeps } from '../../../shared/steps/deps.js';
import type { NotifyResult, RemediateResult } from '../../../shared/steps/state.js';
import { loadWebhook } from '../../../infra/local/replay.js';
import { createFakeGitHub, remediationDeps, scriptedAnalyzer, spentOutsiderShare, stepDeps } from '../../support/fakes.js';
import { nextStep } from '../../../infra/dashboard/src/next-step.js';

/**
 * Notify when the GitHub write budget is spent: the comment waits (the state machine's Wait state between
 * rounds), the incident shows it as pending, nobody is paged for the wait, and only a wait past its bound
 * escalates — with the incident's content.
 */
function trigger() {
  return triggerFromWorkflowRun(structuredClone(loadWebhook('workflow_run-failure')).body as never, 'delivery-1');
}

/** A fake GitHub whose comments are refused by the budget for the first `spent` tries. */
function budgetedGitHub(spent: number, retryAfterSeconds = 42) {
  const github = createFakeGitHub();
  const upsert = github.port.upsertComment;
  let refused = 0;
  github.port.upsertComment = async (...args) => {
    if (refused < spent) {
      refused += 1;
      throw new WriteBudgetExhaustedError(`GitHub write budget spent for token: 20 writes per minute already used; room again in ${retryAfterSeconds} s`, { retryAfterSeconds });
    }
    return upsert(...args);
  };
  return github;
}

async function prepared(github: ReturnType<typeof createFakeGitHub>, clock?: () => Date, env: Record<string, string> = {}) {
  const { deps, published } = stepDeps({ github: github.port, env, ...(clock ? { clock } : {}) });
  const t = trigger();
  await deps.incidents.create(
    newIncident({ ...githubIncidentFields(t, deps.clock()), category: 'network', fingerprint: 'fp-1', failureLines: [{ line: 7, text: 'npm ERR! network ETIMEDOUT' }] }, deps.clock()),
    githubIncidentScope(t),
  );
  await analyzeStep({ trigger: t }, deps);
  await remediateStep({ trigger: t }, deps);
  return { deps, published, trigger: t };
}

/** Notify's rounds on `t` as the state machine runs them, each wait passed on the clock (`wait`), until the comment is posted or given up. */
async function roundsUntilSettled(t: ReturnType<typeof trigger>, deps: NotifyDeps, wait: (seconds: number) => void) {
  let last: NotifyResult | undefined;
  let rounds = 0;
  do {
    last = await notifyStep({ trigger: t, ...(last ? { notify: last } : {}) }, deps);
    rounds += 1;
    wait(last.waitSeconds ?? 0);
  } while (last.commentPending && rounds < 50);
  return { last, rounds };
}

describe('notifyStep with a spent write budget', () => {
  it('records the comment as pending and asks to wait, without any e-mail', async () => {
    const github = budgetedGitHub(1);
    const { deps, published, trigger: t } = await prepared(github);

    const result = await notifyStep({ trigger: t }, deps);

    expect(result).toMatchObject({ commentPending: true, pendingRounds: 1, pendingSince: '2026-11-20T10:00:00.000Z' });
    expect(result.waitSeconds).toBeGreaterThanOrEqual(42);
    expect(result.waitSeconds).toBeLessThanOrEqual(42 + 11);
    expect(published).toHaveLength(0);
    const incident = await deps.incidents.get(t.incidentId);
    expect(incident?.status).not.toBe('notified');
    expect(incident?.commentPending).toMatchObject({ since: '2026-11-20T10:00:00.000Z', rounds: 1 });
    expect(incident?.notifications.map((n) => `${n.channel}:${n.outcome}`)).toEqual(['github_comment:pending']);
    expect(incidentTimeline(incident!).map((e) => e.title)).toContain('PR comment pending');
  });

  it('posts the comment on a later round, clears the wait and still pages nobody', async () => {
    const github = budgetedGitHub(3);
    const { deps, published, trigger: t } = await prepared(github);

    let previous: NotifyResult | undefined;
    const rounds: NotifyResult[] = [];
    do {
      previous = await notifyStep({ trigger: t, ...(previous ? { notify: previous } : {}) }, deps);
      rounds.push(previous);
    } while (previous.commentPending);

    expect(rounds.map((r) => r.pendingRounds ?? null)).toEqual([1, 2, 3, null]);
    expect(rounds.at(-1)).toMatchObject({ status: 'notified', commentPending: false });
    expect(github.comments.size).toBe(1);
    expect(published).toHaveLength(0);
    const incident = await deps.incidents.get(t.incidentId);
    expect(incident?.commentPending).toBeNull();
    // One pending note (not one a round), then the posted comment.
    expect(incident?.notifications.map((n) => `${n.channel}:${n.outcome}`)).toEqual(['github_comment:pending', 'github_comment:created']);
  });

  it('escalates with the incident content only once the wait bound is spent', async () => {
    const github = budgetedGitHub(Number.POSITIVE_INFINITY, 60);
    let now = Date.parse('2026-11-20T10:00:00Z');
    const { deps, published, trigger: t } = await prepared(github, () => new Date(now), { GITHUB_WRITE_WAIT_MINUTES: '5' });

    const { last, rounds } = await roundsUntilSettled(t, deps, (seconds) => (now += seconds * 1000));

    expect(last.commentPending).toBe(false);
    expect(rounds).toBeGreaterThan(2);
    expect(rounds).toBeLessThanOrEqual(6);
    expect(published).toHaveLength(1);
    // Real content, not a "write budget spent" placeholder: the incident's failure line and the reason.
    const message = JSON.stringify(published[0]);
    expect(message).toContain('npm ERR! network ETIMEDOUT');
    expect(message).toMatch(/could not comment on the pull request within [\d.]+ minutes/);
    // What it says the guard tried and what it asks of on-call match what happened: no comment on the pull request.
    expect(published[0]?.message).toMatch(/What the guard tried: nothing automatic, and it could not comment on pull request #\d+\./);
    expect(published[0]?.message).toMatch(/pull request #\d+ has no comment from the guard/);
    expect(message).not.toContain('explained it on the pull request');
    expect(message).not.toContain('the comment there has');
    const incident = await deps.incidents.get(t.incidentId);
    expect(incident?.status).toBe('notified');
    expect(incident?.commentPending).toBeNull();
    expect(incident?.notifications.map((n) => `${n.channel}:${n.outcome}`)).toEqual(['github_comment:pending', 'github_comment:failed', 'sns:published']);
  });

  it("pages on its own for a degraded guard's failure whose comment was given up, though the guard's page only counted it while it waited", async () => {
    // Prepare: the guard's classify step fails on every run (no log read); another pull request's failure, whose
    // comment went out, opened the guard's one page for it. This one's comment waits for the write budget for good.
    const github = createFakeGitHub();
    const upsert = github.port.upsertComment;
    github.port.upsertComment = async (repo, issue, ...rest) => {
      if (issue === 82) throw new WriteBudgetExhaustedError('GitHub write budget spent for token', { retryAfterSeconds: 60 });
      return upsert(repo, issue, ...rest);
    };
    let now = Date.parse('2026-11-20T10:00:00Z');
    const { deps, published } = stepDeps({ github: github.port, clock: () => new Date(now), env: { GITHUB_WRITE_WAIT_MINUTES: '5' } });
    const classifyFailed = [{ stage: 'classify', error: 'GitHubUnavailableError: GitHub failed (502): list jobs', at: '2026-11-20T10:00:00.000Z' }];
    const failing = (runId: number, pr: number) => {
      const body = structuredClone(loadWebhook('workflow_run-failure').body) as Record<string, any>;
      Object.assign(body.workflow_run, { id: runId, head_branch: `feature-${pr}` });
      body.workflow_run.pull_requests[0].number = pr;
      return triggerFromWorkflowRun(body as never, `delivery-${runId}`);
    };
    const told = failing(801, 81);
    const untold = failing(802, 82);
    for (const t of [told, untold]) {
      await deps.incidents.create(newIncident({ ...githubIncidentFields(t, deps.clock()), category: 'unknown', stageErrors: classifyFailed }, deps.clock()), githubIncidentScope(t));
      await remediateStep({ trigger: t }, deps);
    }
    await notifyStep({ trigger: told }, deps);
    expect(published).toHaveLength(1);

    // Act: the other pull request's rounds, until its comment is given up
    const { last } = await roundsUntilSettled(untold, deps, (seconds) => (now += seconds * 1000));

    // Assert: counted on the guard's page while its comment was coming, then paged once nobody could be told
    expect(last.commentPending).toBe(false);
    expect(published).toHaveLength(2);
    expect(published[1]?.message).toMatch(/could not comment on the pull request within [\d.]+ minutes/);
    const incident = await deps.incidents.get(untold.incidentId);
    expect(incident?.notifications.map((n) => `${n.channel}:${n.outcome}`)).toEqual(['github_comment:pending', 'sns:skipped', 'github_comment:failed', 'sns:published']);
  });

  it("keeps a fork's comments to the forks' share: spent, they wait and never page, while the repository's own still post", async () => {
    const github = createFakeGitHub();
    const { deps, published, trigger: t } = await prepared(github);
    const { outsiderWrites, asked } = spentOutsiderShare();
    const notifyDeps: NotifyDeps = { ...deps, outsiderWrites };
    await deps.incidents.update(t.incidentId, { fromFork: true });

    const fork = await notifyStep({ trigger: t }, notifyDeps);

    expect(fork).toMatchObject({ commentPending: true, pendingRounds: 1 });
    expect(github.comments.size).toBe(0);
    expect(published).toHaveLength(0);
    expect(asked).toHaveLength(1);

    // The same pull request's comment as the repository's own run: the forks' share is not asked.
    await deps.incidents.update(t.incidentId, { fromFork: false });
    const own = await notifyStep({ trigger: t }, notifyDeps);

    expect(own).toMatchObject({ status: 'notified', commentPending: false });
    expect(github.comments.size).toBe(1);
    expect(asked).toHaveLength(1);
  });

  it('pages while the comment waits only when the dashboard also says a person must act', async () => {
    // Prepare: the pipeline reached Notify without a decision, on a repository whose policy pages pull request
    // failures too; the comment waits for the write budget.
    const github = budgetedGitHub(1);
    const policyFile = { defaults: { escalation: { pullRequests: true } } };
    const { deps, published } = stepDeps({ github: github.port, remediation: remediationDeps({ policyFile }) });
    const t = trigger();
    await deps.incidents.create(newIncident({ ...githubIncidentFields(t, deps.clock()), category: 'network', failureLines: [{ line: 7, text: 'npm ERR! network ETIMEDOUT' }] }, deps.clock()), githubIncidentScope(t));

    // Act
    const result = await notifyStep({ trigger: t }, deps);

    // Assert: on-call is paged, and the page's reader finds the dashboard asking them for the same thing.
    const waiting = await deps.incidents.get(t.incidentId);
    expect(result.commentPending).toBe(true);
    expect(published).toHaveLength(1);
    expect(nextStep(waiting!)).toMatchObject({ human: true, text: expect.stringMatching(/stopped before it could decide/) });
  });

  it('clears an earlier execution\'s "notify failed" mark when its comment waits for the budget: a deferred comment is no failure', async () => {
    // Prepare: an earlier execution's Notify failed for good, and the state machine marked the incident (RecordNotifyFailed).
    const github = budgetedGitHub(1);
    const { deps, published, trigger: t } = await prepared(github);
    const markNotifyFailed = (at: string) =>
      deps.incidents.update(t.incidentId, { notifyFailed: true, notifyFailedAt: at }, { history: [{ at, event: 'notify_failed', detail: 'GitHubRequestError' }] });
    await markNotifyFailed('2026-11-20T09:50:00.000Z');

    // Act: a later execution reaches Notify, and the write budget defers its comment.
    const result = await notifyStep({ trigger: t }, deps);

    // Assert: the record says the comment waits, not that the reconciler is about to page for a failed notify.
    expect(result.commentPending).toBe(true);
    expect(published).toHaveLength(0);
    const waiting = (await deps.incidents.get(t.incidentId))!;
    expect(waiting.notifyFailed).toBe(false);
    expect(fallbackPageDue(waiting)).toBe(false);
    expect(incidentTimeline(waiting).map((e) => e.title)).not.toContain('notify failed: waiting for the fallback page');
    expect(nextStep(waiting)).toMatchObject({ human: false, text: expect.stringMatching(/waits for GitHub's write budget/) });

    // Should a later round fail for good, the state machine marks it again and the reconciler's fallback page is due.
    await markNotifyFailed('2026-11-20T10:30:00.000Z');
    expect(fallbackPageDue((await deps.incidents.get(t.incidentId))!)).toBe(true);
  });

  it('lets other GitHub errors through for the state machine to retry', async () => {
    const github = createFakeGitHub();
    github.port.upsertComment = async () => Promise.reject(Object.assign(new Error('502'), { name: 'GitHubUnavailableError' }));
    const { deps, trigger: t } = await prepared(github);

    await expect(notifyStep({ trigger: t }, deps)).rejects.toMatchObject({ name: 'GitHubUnavailableError' });
  });
});

describe('remediateStep with a spent write budget', () => {
  async function rerunIncident(github: ReturnType<typeof createFakeGitHub>, env: Record<string, string> = {}, clock?: () => Date) {
    const { deps, published } = stepDeps({ github: github.port, env, analyzer: scriptedAnalyzer({ proposedAction: 'rerun_failed_jobs', confidence: 0.8 }), ...(clock ? { clock } : {}) });
    const t = trigger();
    await deps.incidents.create(newIncident({ ...githubIncidentFields(t, deps.clock()), category: 'network', fingerprint: 'fp-1', failureLines: [{ line: 7, text: 'npm ERR! network ETIMEDOUT' }] }, deps.clock()), githubIncidentScope(t));
    await analyzeStep({ trigger: t }, deps);
    return { deps, published, trigger: t };
  }

  it('waits for the budget (WaitBeforeRerun) and re-runs once on a later round', async () => {
    const github = createFakeGitHub();
    const rerun = github.port.rerunFailedJobs;
    let refused = 0;
    github.port.rerunFailedJobs = async (...args) => {
      if (refused++ < 2) throw new WriteBudgetExhaustedError('GitHub write budget spent for token: 5 reruns per minute already used; room again in 30 s', { retryAfterSeconds: 30 });
      return rerun(...args);
    };
    const { deps, trigger: t } = await rerunIncident(github);

    const first = await remediateStep({ trigger: t }, deps);
    const second = await remediateStep({ trigger: t, remediation: first }, deps);
    const third = await remediateStep({ trigger: t, remediation: second }, deps);

    expect(first).toMatchObject({ awaitingDelay: true, applied: false, budgetWaitRounds: 1 });
    expect(first.delaySeconds).toBeGreaterThanOrEqual(30);
    expect(second).toMatchObject({ awaitingDelay: true, budgetWaitRounds: 2, budgetWaitSince: first.budgetWaitSince });
    expect(third).toMatchObject({ action: 'rerun_failed_jobs', applied: true, awaitingDelay: false });
    expect(github.calls.filter((c) => c.method === 'rerunFailedJobs')).toHaveLength(1);
    const incident = await deps.incidents.get(t.incidentId);
    expect(incident?.history.filter((h) => h.event === 'rerun_waits_for_budget')).toHaveLength(1);
    expect(incident?.decision).toMatchObject({ action: 'rerun_failed_jobs', applied: true });
  });

  it('lets the error through to the Retry/Catch once the wait bound is spent', async () => {
    const github = createFakeGitHub();
    github.port.rerunFailedJobs = async () => Promise.reject(new WriteBudgetExhaustedError('spent', { retryAfterSeconds: 600 }));
    let now = Date.parse('2026-11-20T10:00:00Z');
    const { deps, trigger: t } = await rerunIncident(github, { GITHUB_WRITE_WAIT_MINUTES: '15' }, () => new Date(now));

    let previous: RemediateResult | undefined;
    let error: unknown = null;
    for (let round = 0; round < 10 && !error; round += 1) {
      try {
        previous = await remediateStep({ trigger: t, ...(previous ? { remediation: previous } : {}) }, deps);
        now += (previous.delaySeconds ?? 0) * 1000;
      } catch (caught) {
        error = caught;
      }
    }

    expect(error).toBeInstanceOf(WriteBudgetExhaustedError);
    expect(previous?.budgetWaitRounds).toBe(1);
  });
});

describe('planWriteWait', () => {
  const now = new Date('2026-11-20T10:00:00Z');

  it('waits what the budget said, capped, and spreads waiters of one burst', () => {
    const plans = ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => planWriteWait({ incidentId: id, retryAfterSeconds: 60, previous: undefined, now, maxWaitMinutes: 120 }));
    for (const plan of plans) expect(plan).toMatchObject({ kind: 'wait', pendingRounds: 1 });
    const waits = plans.map((p) => (p.kind === 'wait' ? p.waitSeconds : 0));
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(60);
    expect(Math.max(...waits)).toBeLessThanOrEqual(75);
    expect(new Set(waits).size).toBeGreaterThan(1);
    const long = planWriteWait({ incidentId: 'a', retryAfterSeconds: 3_000, previous: undefined, now, maxWaitMinutes: 120 });
    expect(long.kind === 'wait' && long.waitSeconds).toBeLessThanOrEqual(MAX_WRITE_WAIT_SECONDS + 15);
  });

  it('keeps the first round time and gives up past the round cap', () => {
    const plan = planWriteWait({
      incidentId: 'a',
      retryAfterSeconds: 1,
      previous: { pending: true, since: '2026-11-20T09:59:00.000Z', rounds: MAX_WRITE_WAIT_ROUNDS },
      now,
      maxWaitMinutes: 10_000,
    });
    expect(plan).toMatchObject({ kind: 'give_up', pendingSince: '2026-11-20T09:59:00.000Z', pendingRounds: MAX_WRITE_WAIT_ROUNDS + 1 });
  });
});
