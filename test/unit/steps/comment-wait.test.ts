import { describe, expect, it } from 'vitest';
import { newIncident } from '../../../shared/domain/incident.js';
import { githubIncidentFields, githubIncidentScope } from '../../../shared/domain/github-incident.js';
import { WriteBudgetExhaustedError } from '../../../shared/errors.js';
import { triggerFromWorkflowRun } from '../../../shared/ingest/github-webhook.js';
import { MAX_COMMENT_WAIT_ROUNDS, MAX_COMMENT_WAIT_SECONDS, planCommentWait } from '../../../shared/notify/comment-wait.js';
import { incidentTimeline } from '../../../shared/api/timeline.js';
import { analyzeStep } from '../../../shared/steps/analyze.js';
import { notifyStep } from '../../../shared/steps/notify.js';
import { remediateStep } from '../../../shared/steps/remediate.js';
import type { NotifyResult } from '../../../shared/steps/state.js';
import { loadWebhook } from '../../../infra/local/replay.js';
import { createFakeGitHub, stepDeps } from '../../support/fakes.js';

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
    newIncident({ ...githubIncidentFields(t), category: 'network', fingerprint: 'fp-1', failureLines: [{ line: 7, text: 'npm ERR! network ETIMEDOUT' }] }, deps.clock()),
    githubIncidentScope(t),
  );
  await analyzeStep({ trigger: t }, deps);
  await remediateStep({ trigger: t }, deps);
  return { deps, published, trigger: t };
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

    let previous: NotifyResult | undefined;
    let rounds = 0;
    do {
      previous = await notifyStep({ trigger: t, ...(previous ? { notify: previous } : {}) }, deps);
      rounds += 1;
      now += (previous.waitSeconds ?? 0) * 1000;
    } while (previous.commentPending && rounds < 50);

    expect(previous.commentPending).toBe(false);
    expect(rounds).toBeGreaterThan(2);
    expect(rounds).toBeLessThanOrEqual(6);
    expect(published).toHaveLength(1);
    // Real content, not a "write budget spent" placeholder: the incident's failure line and the reason.
    const message = JSON.stringify(published[0]);
    expect(message).toContain('npm ERR! network ETIMEDOUT');
    expect(message).toMatch(/could not be posted within [\d.]+ minutes/);
    const incident = await deps.incidents.get(t.incidentId);
    expect(incident?.status).toBe('notified');
    expect(incident?.commentPending).toBeNull();
    expect(incident?.notifications.map((n) => `${n.channel}:${n.outcome}`)).toEqual(['github_comment:pending', 'github_comment:failed', 'sns:published']);
  });

  it('lets other GitHub errors through for the state machine to retry', async () => {
    const github = createFakeGitHub();
    github.port.upsertComment = async () => Promise.reject(Object.assign(new Error('502'), { name: 'GitHubUnavailableError' }));
    const { deps, trigger: t } = await prepared(github);

    await expect(notifyStep({ trigger: t }, deps)).rejects.toMatchObject({ name: 'GitHubUnavailableError' });
  });
});

describe('planCommentWait', () => {
  const now = new Date('2026-11-20T10:00:00Z');

  it('waits what the budget said, capped, and spreads waiters of one burst', () => {
    const plans = ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => planCommentWait({ incidentId: id, retryAfterSeconds: 60, previous: undefined, now, maxWaitMinutes: 120 }));
    for (const plan of plans) expect(plan).toMatchObject({ kind: 'wait', pendingRounds: 1 });
    const waits = plans.map((p) => (p.kind === 'wait' ? p.waitSeconds : 0));
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(60);
    expect(Math.max(...waits)).toBeLessThanOrEqual(75);
    expect(new Set(waits).size).toBeGreaterThan(1);
    const long = planCommentWait({ incidentId: 'a', retryAfterSeconds: 3_000, previous: undefined, now, maxWaitMinutes: 120 });
    expect(long.kind === 'wait' && long.waitSeconds).toBeLessThanOrEqual(MAX_COMMENT_WAIT_SECONDS + 15);
  });

  it('keeps the first round time and gives up past the round cap', () => {
    const plan = planCommentWait({
      incidentId: 'a',
      retryAfterSeconds: 1,
      previous: { commentPending: true, pendingSince: '2026-11-20T09:59:00.000Z', pendingRounds: MAX_COMMENT_WAIT_ROUNDS },
      now,
      maxWaitMinutes: 10_000,
    });
    expect(plan).toMatchObject({ kind: 'give_up', pendingSince: '2026-11-20T09:59:00.000Z', pendingRounds: MAX_COMMENT_WAIT_ROUNDS + 1 });
  });
});
