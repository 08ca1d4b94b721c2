import { describe, expect, it } from 'vitest';
import { METRIC } from '../../../shared/adapters/metric-names.js';
import { createOfflineAnalyzer } from '../../../shared/analysis/index.js';
import { drawsOnOutsiderModelBudget, outsiderBudgetSpentReason, outsiderRepeatLimit, outsiderRepositoryShare } from '../../../shared/analysis/outsider-budget.js';
import { githubIncidentFields, githubIncidentScope } from '../../../shared/domain/github-incident.js';
import { newIncident } from '../../../shared/domain/incident.js';
import { triggerFromWorkflowRun } from '../../../shared/ingest/github-webhook.js';
import type { Analyzer, Metrics, ModelBudget, StepLogger } from '../../../shared/ports.js';
import { analyzeStep } from '../../../shared/steps/analyze.js';
import { loadWebhook } from '../../../infra/local/replay.js';
import { createMemoryOutsiderBudgets, scriptedAnalyzer, stepDeps } from '../../support/fakes.js';
import { handledAfter } from '../../support/handling-time.js';

/**
 * The model budget of failures an outsider controls (LLM_OUTSIDER_ANALYSES_PER_HOUR) and a repository's share of it
 * (LLM_OUTSIDER_REPOSITORY_ANALYSES_PER_HOUR): which incidents draw on them, and the analyze stage analysing them
 * offline, with the reason, once either is spent.
 */

describe('drawsOnOutsiderModelBudget', () => {
  it.each([
    ['a fork run', { source: 'github', fromFork: true, runEvent: 'pull_request' }, true],
    ['an unknown head (counted as a fork)', { source: 'github', fromFork: true, runEvent: null }, true],
    ['a pull_request_target run of the repository', { source: 'github', fromFork: false, runEvent: 'pull_request_target' }, true],
    ['an issue_comment run of the repository', { source: 'github', fromFork: false, runEvent: 'issue_comment' }, true],
    ['a workflow_run run of the repository', { source: 'github', fromFork: false, runEvent: 'workflow_run' }, true],
    // The repository's own code, on an event any GitHub user can cause as often as they like.
    ...(['issues', 'discussion', 'discussion_comment', 'watch', 'fork', 'gollum', 'pull_request_review', 'pull_request_review_comment'] as const).map(
      (event) => [`a ${event} run of the repository`, { source: 'github', fromFork: false, runEvent: event }, true] as const,
    ),
    ['a push to the repository', { source: 'github', fromFork: false, runEvent: 'push' }, false],
    ["the repository's own pull request", { source: 'github', fromFork: false, runEvent: 'pull_request' }, false],
    ...(['schedule', 'workflow_dispatch', 'merge_group', 'release'] as const).map(
      (event) => [`a ${event} run of the repository`, { source: 'github', fromFork: false, runEvent: event }, false] as const,
    ),
    ['an alarm', { source: 'cloudwatch' }, false],
  ] as const)('%s: %s', (_name, incident, draws) => {
    expect(drawsOnOutsiderModelBudget(incident)).toBe(draws);
  });

  it('names the budget, its window and the setting in the reason', () => {
    const reason = outsiderBudgetSpentReason({ granted: false, used: 10, first: false, max: 10, windowStart: new Date('2026-11-20T10:00:00Z') });
    expect(reason).toBe(
      'model budget for runs outsiders control spent: 10 of 10 analyses in the hour from 2026-11-20T10:00:00.000Z (LLM_OUTSIDER_ANALYSES_PER_HOUR); analysed offline',
    );
  });
});

/** A model stand-in that counts its calls. */
function countingModel(): Analyzer & { calls: number } {
  const scripted = scriptedAnalyzer({ rootCause: 'model root cause', confidence: 0.8 });
  const model = {
    provider: 'model',
    calls: 0,
    async analyze(input: Parameters<Analyzer['analyze']>[0]) {
      model.calls += 1;
      return { ...(await scripted.analyze(input)), provider: 'model' };
    },
  };
  return model;
}

function recordingMetrics(): Metrics & { counted: Array<{ name: string; value: number }> } {
  const counted: Array<{ name: string; value: number }> = [];
  return { counted, count: (name, value) => counted.push({ name, value }), measure() {} };
}

function recordingLogger(): StepLogger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, info() {}, warn: (message) => warnings.push(message), error() {} };
}

type Origin = 'fork' | 'own push' | 'pull_request_target' | 'issues';

/** The steps' clock: after the latest recorded run (the fork's) ended, in the hour the budgets' messages name. */
const HANDLED = handledAfter(loadWebhook('workflow_run-fork-failure').body);

/**
 * Stores a failed run of `origin` (run `runId`, in the recorded delivery's repository or in `repository`) as an
 * incident received at the deps' clock; returns its trigger.
 */
async function failedRun(deps: ReturnType<typeof stepDeps>['deps'], runId: number, origin: Origin, repository?: { id: number; fullName: string }) {
  const body = structuredClone(loadWebhook(origin === 'fork' ? 'workflow_run-fork-failure' : 'workflow_run-failure').body) as Record<string, any>;
  body.workflow_run.id = runId;
  if (repository) {
    body.repository.id = repository.id;
    body.repository.full_name = repository.fullName;
    body.repository.name = repository.fullName.split('/')[1];
  }
  if (origin === 'own push') body.workflow_run.event = 'push';
  if (origin === 'pull_request_target' || origin === 'issues') body.workflow_run.event = origin;
  const trigger = triggerFromWorkflowRun(body as never, `delivery-${runId}`);
  const lines = [{ line: 12, text: 'AssertionError: expected 90 to be 81 // Object.is equality' }];
  await deps.incidents.create(
    newIncident({ ...githubIncidentFields(trigger, deps.clock()), category: 'test_failure', fingerprint: `fp-${runId}`, failureLines: lines }, deps.clock()),
    githubIncidentScope(trigger),
  );
  return trigger;
}

/** Puts memory budgets of the deps' configured sizes in place; returns the incident ids the pool or a share was asked to claim for. */
function claimsOf(deps: ReturnType<typeof stepDeps>['deps']): string[] {
  const budgets = createMemoryOutsiderBudgets(deps.config);
  const claimed: string[] = [];
  const recorded = (budget: ModelBudget): ModelBudget => ({
    claim(incidentId, receivedAt, limit) {
      claimed.push(incidentId);
      return budget.claim(incidentId, receivedAt, limit);
    },
  });
  deps.outsiderModelBudget = {
    pool: recorded(budgets.pool),
    repeatLimit: budgets.repeatLimit,
    share: (scope) => {
      const share = budgets.share(scope);
      return share && recorded(share);
    },
  };
  return claimed;
}

/** Step deps with a pool of `perHour` and, when given, a repository share of `share` (else the default, half the pool). */
function budgeted(perHour: string, share?: string) {
  const model = countingModel();
  const metrics = recordingMetrics();
  const logger = recordingLogger();
  const env = { LLM_OUTSIDER_ANALYSES_PER_HOUR: perHour, ...(share === undefined ? {} : { LLM_OUTSIDER_REPOSITORY_ANALYSES_PER_HOUR: share }) };
  const { deps } = stepDeps({ analyzer: model, fallbackAnalyzer: createOfflineAnalyzer(), metrics, logger, env, clock: () => HANDLED });
  return { deps, model, metrics, logger };
}

describe("analyze step with the outsiders' model budget", () => {
  it("analyses a fork's failures with the model up to the budget, and the next one offline with the reason", async () => {
    // Prepare: a repository share as large as the pool, which never binds.
    const { deps, model, metrics, logger } = budgeted('2', '2');
    const triggers = [await failedRun(deps, 101, 'fork'), await failedRun(deps, 102, 'fork'), await failedRun(deps, 103, 'fork')];

    // Act
    const results = [];
    for (const trigger of triggers) results.push(await analyzeStep({ trigger }, deps));

    // Assert
    expect(model.calls).toBe(2);
    expect(results.map((result) => result.provider)).toEqual(['model', 'model', 'offline']);
    const third = (await deps.incidents.get(triggers[2]!.incidentId))!;
    expect(third.status).toBe('analyzed');
    expect(third.analysis?.fallbackReason).toBe(
      'model budget for runs outsiders control spent: 2 of 2 analyses in the hour from 2026-11-20T10:00:00.000Z (LLM_OUTSIDER_ANALYSES_PER_HOUR); analysed offline',
    );
    expect(third.analysis?.cost).toMatchObject({ inputTokens: 0, outputTokens: 0, estimatedUsd: 0 });
    expect(third.history.find((entry) => entry.event === 'analyzer_fallback')?.detail).toBe(third.analysis?.fallbackReason);
    expect(metrics.counted.filter((point) => point.name === METRIC.outsiderModelBudgetSpent)).toEqual([{ name: METRIC.outsiderModelBudgetSpent, value: 1 }]);
    expect(logger.warnings).toContain('model budget for runs outsiders control spent; analysing offline');
  });

  it('charges a retried or re-driven analysis of the same incident once', async () => {
    // Prepare
    const { deps, model } = budgeted('2', '2');
    const first = await failedRun(deps, 201, 'fork');
    const second = await failedRun(deps, 202, 'fork');
    const third = await failedRun(deps, 203, 'fork');

    // Act: the first incident's analysis runs twice (a Step Functions retry, a re-drive after a crash).
    await analyzeStep({ trigger: first }, deps);
    await analyzeStep({ trigger: first }, deps);
    await analyzeStep({ trigger: second }, deps);
    const refused = await analyzeStep({ trigger: third }, deps);

    // Assert
    expect(model.calls).toBe(3);
    expect((await deps.incidents.get(first.incidentId))?.analysis?.provider).toBe('model');
    expect((await deps.incidents.get(second.incidentId))?.analysis?.provider).toBe('model');
    expect(refused.provider).toBe('offline');
  });

  it("asks the budget for outsiders' runs only, never for the repository's own or an offline analyzer's; 0 refuses all", async () => {
    // Prepare
    const { deps, model } = budgeted('0');
    const claimed = claimsOf(deps);
    const own = [await failedRun(deps, 301, 'own push'), await failedRun(deps, 302, 'own push')];
    const fork = await failedRun(deps, 303, 'fork');
    const target = await failedRun(deps, 304, 'pull_request_target');
    const offline = createOfflineAnalyzer();
    const offlineOnly = stepDeps({ analyzer: offline, fallbackAnalyzer: offline, env: { LLM_OUTSIDER_ANALYSES_PER_HOUR: '0' }, clock: () => HANDLED }).deps;
    const claimedOffline = claimsOf(offlineOnly);
    const offlineFork = await failedRun(offlineOnly, 305, 'fork');

    // Act
    const ownResults = [await analyzeStep({ trigger: own[0]! }, deps), await analyzeStep({ trigger: own[1]! }, deps)];
    const outsiderResults = [await analyzeStep({ trigger: fork }, deps), await analyzeStep({ trigger: target }, deps)];
    await analyzeStep({ trigger: offlineFork }, offlineOnly);

    // Assert
    expect(ownResults.map((result) => result.provider)).toEqual(['model', 'model']);
    expect(outsiderResults.map((result) => result.provider)).toEqual(['offline', 'offline']);
    expect(model.calls).toBe(2);
    expect(claimed).toEqual([fork.incidentId, target.incidentId]);
    expect((await deps.incidents.get(target.incidentId))?.analysis?.fallbackReason).toMatch(/^model budget for runs outsiders control spent: 0 of 0 /);
    expect(claimedOffline).toEqual([]);
    expect((await offlineOnly.incidents.get(offlineFork.incidentId))?.analysis?.fallbackReason).toBeUndefined();
  });

  it("gives one repository's outsiders at most its share, which leaves the rest of the pool to another repository's", async () => {
    // Prepare: a pool of 3, half of it (2) for one repository; a fourth repository's failure after the pool is spent.
    const { deps, model, metrics } = budgeted('3');
    const claimed = claimsOf(deps);
    const other = { id: 900001, fullName: 'acme-shop/docs' };
    const third = { id: 900002, fullName: 'acme-shop/api' };
    const attacked = [await failedRun(deps, 401, 'fork'), await failedRun(deps, 402, 'fork'), await failedRun(deps, 403, 'fork'), await failedRun(deps, 404, 'fork')];
    const elsewhere = await failedRun(deps, 405, 'fork', other);
    const late = await failedRun(deps, 406, 'fork', third);

    // Act
    const results = [];
    for (const trigger of [...attacked, elsewhere, late]) results.push((await analyzeStep({ trigger }, deps)).provider);
    const retried = await analyzeStep({ trigger: attacked[0]! }, deps);

    // Assert: two of the attacked repository's four, then the other repository's; the pool is spent for the third.
    expect(results).toEqual(['model', 'model', 'offline', 'offline', 'model', 'offline']);
    expect(retried.provider).toBe('model');
    expect(model.calls).toBe(4);
    const refused = (await deps.incidents.get(attacked[2]!.incidentId))!;
    expect(refused.analysis?.fallbackReason).toBe(
      'model budget for runs outsiders control in this repository spent: 2 of 2 analyses in the hour from 2026-11-20T10:00:00.000Z (LLM_OUTSIDER_REPOSITORY_ANALYSES_PER_HOUR); analysed offline',
    );
    expect((await deps.incidents.get(late.incidentId))?.analysis?.fallbackReason).toMatch(/^model budget for runs outsiders control spent: 3 of 3 analyses .*\(LLM_OUTSIDER_ANALYSES_PER_HOUR\)/);
    // A repository past its share asked nothing of the pool: the pool counted 2 + 1, and refused the fourth repository's.
    expect(claimed.filter((id) => id === attacked[2]!.incidentId)).toHaveLength(1);
    expect(metrics.counted.filter((point) => point.name === METRIC.outsiderModelBudgetSpent)).toHaveLength(3);
  });

  it("keeps the pool's last quarter for repositories' first failure: outsiders flooding two repositories leave analyses to a third and a fourth", async () => {
    // Prepare: the default pool (10), share (5) and repeat limit (8).
    const { deps, model } = budgeted('10');
    claimsOf(deps);
    let runId = 600;
    const flood = async (repository: { id: number; fullName: string }) => {
      for (let i = 0; i < 8; i += 1) await analyzeStep({ trigger: await failedRun(deps, (runId += 1), 'fork', repository) }, deps);
    };
    const firstOf = async (repository: { id: number; fullName: string }) =>
      (await analyzeStep({ trigger: await failedRun(deps, (runId += 1), 'fork', repository) }, deps)).provider;

    // Act
    await flood({ id: 700001, fullName: 'oss/one' });
    await flood({ id: 700002, fullName: 'oss/two' });
    // The second repository's fourth failure: its share (5) is not spent, the pool is taken up to the repeat limit.
    const reserved = (await deps.incidents.get(`gh-700002-${runId - 4}-1`))?.analysis?.fallbackReason;
    const later = [await firstOf({ id: 700003, fullName: 'acme/app' }), await firstOf({ id: 700004, fullName: 'acme/web' }), await firstOf({ id: 700005, fullName: 'acme/api' })];

    // Assert: the first repository's share (5), the second's first and then up to 8 (3 in all), then two first failures.
    expect(model.calls).toBe(10);
    expect(later).toEqual(['model', 'model', 'offline']);
    expect(reserved).toMatch(/^model budget for runs outsiders control: 8 of 10 analyses taken in the hour from .*, the rest kept for other repositories' first failure \(LLM_OUTSIDER_ANALYSES_PER_HOUR\); analysed offline$/);
    expect(outsiderRepeatLimit({ LLM_OUTSIDER_ANALYSES_PER_HOUR: 10, LLM_OUTSIDER_REPOSITORY_ANALYSES_PER_HOUR: undefined })).toBe(8);
    expect(outsiderRepeatLimit({ LLM_OUTSIDER_ANALYSES_PER_HOUR: 10, LLM_OUTSIDER_REPOSITORY_ANALYSES_PER_HOUR: 10 })).toBe(10);
  });

  it("treats a repository's first failure, retried after the pool's claim failed, as its first, though others claimed since", async () => {
    // Prepare: pool 4, share 2, repeats up to 3; two other repositories' first failures take 2 of the pool.
    const { deps, model } = budgeted('4', '2');
    claimsOf(deps);
    const pool = deps.outsiderModelBudget.pool;
    let poolDown = false;
    deps.outsiderModelBudget = {
      ...deps.outsiderModelBudget,
      pool: { claim: (...args) => (poolDown ? Promise.reject(new Error('ProvisionedThroughputExceededException')) : pool.claim(...args)) },
    };
    const repository = { id: 800001, fullName: 'oss/lib' };
    await analyzeStep({ trigger: await failedRun(deps, 801, 'fork', { id: 800002, fullName: 'oss/a' }) }, deps);
    await analyzeStep({ trigger: await failedRun(deps, 802, 'fork', { id: 800003, fullName: 'oss/b' }) }, deps);
    const first = await failedRun(deps, 803, 'fork', repository);
    const second = await failedRun(deps, 804, 'fork', repository);

    // Act: the first failure's share is claimed, then the pool's claim fails (the state machine retries the step);
    // the repository's second failure is analysed in between, as a repeat (the pool's third analysis).
    poolDown = true;
    await expect(analyzeStep({ trigger: first }, deps)).rejects.toThrow('ProvisionedThroughputExceededException');
    poolDown = false;
    const repeat = await analyzeStep({ trigger: second }, deps);
    const retried = await analyzeStep({ trigger: first }, deps);

    // Assert: the retried first failure may take the pool's last analysis, which a repeat may not.
    expect(repeat.provider).toBe('model');
    expect(retried.provider).toBe('model');
    expect(model.calls).toBe(4);
  });

  it('counts the failures of a workflow that runs on each new issue, which anyone can open, against the pool', async () => {
    // Prepare
    const { deps, model } = budgeted('2', '2');
    const triggers = [await failedRun(deps, 501, 'issues'), await failedRun(deps, 502, 'issues'), await failedRun(deps, 503, 'issues')];

    // Act
    const providers = [];
    for (const trigger of triggers) providers.push((await analyzeStep({ trigger }, deps)).provider);

    // Assert
    expect(providers).toEqual(['model', 'model', 'offline']);
    expect(model.calls).toBe(2);
  });

  it('takes half the pool, rounded up, as the share when none is set, and none below a pool of 2', () => {
    expect(outsiderRepositoryShare({ LLM_OUTSIDER_ANALYSES_PER_HOUR: 10, LLM_OUTSIDER_REPOSITORY_ANALYSES_PER_HOUR: undefined })).toBe(5);
    expect(outsiderRepositoryShare({ LLM_OUTSIDER_ANALYSES_PER_HOUR: 3, LLM_OUTSIDER_REPOSITORY_ANALYSES_PER_HOUR: undefined })).toBe(2);
    expect(outsiderRepositoryShare({ LLM_OUTSIDER_ANALYSES_PER_HOUR: 1, LLM_OUTSIDER_REPOSITORY_ANALYSES_PER_HOUR: undefined })).toBe(1);
    expect(outsiderRepositoryShare({ LLM_OUTSIDER_ANALYSES_PER_HOUR: 10, LLM_OUTSIDER_REPOSITORY_ANALYSES_PER_HOUR: 8 })).toBe(8);
  });
});
