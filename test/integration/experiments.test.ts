import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../shared/domain/incident.js';
import type { ExperimentReport } from '../../shared/experiments/report.js';
import { renderExperimentReport } from '../../shared/experiments/report.js';
import { EVENTS_DIR, type RecordedWebhook, deliverWebhook } from '../../infra/local/replay.js';
import { failedRunDelivery } from '../support/fakes.js';
import { apiRequest, storedIncident, useLocalRuntime } from '../support/harness.js';
import { README_EXAMPLE_EXPERIMENT } from '../fixtures/experiments/readme-example.js';

/**
 * Experiment arms that really differ (issue 16), through the local runtime with a GitHub-like REST server and an
 * OpenAI-compatible model server: the README's example experiment gives re-run requests that differ by arm, an
 * experiment over models sends each arm's model to the model server, and the report shows both arms' costs.
 */
const SECRET = 'experiments-secret';
const TOKEN = 'experiments-it-gate-token-0123456789';
let networkLog: string;


/** A failed run on its own commit whose only job fails with the npm registry's ECONNRESET. */
function networkFailure(runId: number): RecordedWebhook {
  harness.github.runs.set(runId, { status: 'completed', run_attempt: 1 });
  harness.github.serveFailedJob(runId, runId + 1, networkLog, 'install');
  return failedRunDelivery(runId, { run: { head_sha: `${runId}`.padStart(40, 'a') }, deliveryId: `experiments-${runId}` });
}

function api<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  return apiRequest<T>(harness.runtime.url, method, path, body, TOKEN);
}

function incident(id: string): Promise<Incident> {
  return storedIncident(harness.runtime, id);
}

/** The body GitHub received for each re-run request, by run id. */
function rerunBodies(): Map<number, Record<string, unknown>> {
  const bodies = new Map<number, Record<string, unknown>>();
  for (const request of harness.github.requests) {
    const match = /\/actions\/runs\/(\d+)\/rerun-failed-jobs$/.exec(request.route);
    if (request.method === 'POST' && match) bodies.set(Number(match[1]), request.body ? JSON.parse(request.body) : {});
  }
  return bodies;
}

const harness = useLocalRuntime({
  secret: SECRET,
  name: 'guard-experiments',
  github: { auth: 'token' },
  model: 'strong-model',
  waitDelayMs: 0,
  env: {
    // GitHub's pacing of re-runs (5 a minute by default) and of writes (20) is not what this file measures; with
    // waitDelayMs 0 a comment waiting for a spent budget would only spin through its Wait state.
    GITHUB_RERUNS_PER_MINUTE: '100',
    GITHUB_WRITES_PER_MINUTE: '1000',
    GITHUB_WRITES_PER_HOUR: '10000',
    GATE_TOKEN: TOKEN,
    LLM_EXPERIMENT_MODELS: 'cheap-model',
    LLM_PRICES_JSON: JSON.stringify({ 'strong-model': { input: 3, output: 15 }, 'cheap-model': { input: 0.25, output: 1.25 } }),
    // Enough automatic actions per hour for every incident of this file.
    POLICY_JSON: JSON.stringify({ defaults: { rateLimits: { perHour: 100, perDay: 500 } } }),
  },
});

beforeAll(async () => {
  networkLog = await readFile(join(EVENTS_DIR, 'logs', 'github-actions-npm-network-failure.log'), 'utf8');
  harness.model.answer = () => ({
    rootCause: 'The npm registry reset the connection (ECONNRESET) during npm ci.',
    fix: ['Re-run the job.'],
    confidence: 0.9,
    proposedAction: 'rerun_failed_jobs',
    rationale: 'A registry network error is transient.',
    evidence: ['npm error code ECONNRESET'],
  });
});

/**
 * Failed runs delivered per experiment, each test asserting that both arms got some. Arms are drawn with the
 * experiment's random secret, so the split differs on every run of the suite: with 8 runs all landed in one arm
 * 2 times in 256 (it happened in a full run); with 20, 2 times in a million.
 */
const RUNS_PER_EXPERIMENT = 20;

describe('the README example experiment: re-run vs re-run with debug logging', () => {
  const RUNS = Array.from({ length: RUNS_PER_EXPERIMENT }, (_, i) => 93000001 + i);

  it('is created as written in the README', async () => {
    const created = await api<{ id: string }>('POST', '/experiments', README_EXAMPLE_EXPERIMENT);

    expect(created.status).toBe(201);
  });

  it('refuses an experiment whose arms are identical, with a 400 that says so', async () => {
    const twins = { ...README_EXAMPLE_EXPERIMENT, id: 'twins', variants: [README_EXAMPLE_EXPERIMENT.variants[0], { ...README_EXAMPLE_EXPERIMENT.variants[0], name: 'again' }] };

    const refused = await api<{ message: string }>('POST', '/experiments', twins);

    expect(refused.status).toBe(400);
    expect(refused.body.message).toContain('variants rerun and again are identical (rerun_failed_jobs, defaults)');
  });

  it('sends enable_debug_logging: true on the re-runs of the debug arm only', async () => {
    // Act
    for (const runId of RUNS) await deliverWebhook(harness.runtime.url, networkFailure(runId), SECRET);
    await harness.runtime.idle();

    // Assert: both arms got incidents, and each arm's re-run request is what the arm says
    const incidents = await Promise.all(RUNS.map((runId) => incident(`gh-714523861-${runId}-1`)));
    const arms = new Map(incidents.map((i) => [i.runId as number, i.experiment?.variant]));
    expect(new Set(arms.values())).toEqual(new Set(['rerun', 'debug']));
    const bodies = rerunBodies();
    expect([...bodies.keys()].sort()).toEqual([...RUNS].sort());
    for (const [runId, arm] of arms) {
      if (arm === 'debug') expect(bodies.get(runId), `run ${runId}`).toEqual({ enable_debug_logging: true });
      else expect(bodies.get(runId), `run ${runId}`).not.toHaveProperty('enable_debug_logging');
    }
  });

  it('reports per-arm outcomes with intervals and the cost of each arm', async () => {
    // Act
    const report = await api<ExperimentReport>('GET', '/experiments/rerun-vs-debug');

    // Assert: 1000 prompt + 100 completion tokens at the strong model's $3/$15 per 1M = $0.0045 per incident
    expect(report.status).toBe(200);
    for (const arm of report.body.results) {
      expect(arm.attempts).toBeGreaterThan(0);
      expect(arm.analyses).toBe(arm.attempts);
      expect(arm.costPerIncidentUsd).toBeCloseTo(0.0045, 6);
      expect(arm.upper).toBeGreaterThan(arm.lower);
    }
    expect(report.body.decision.state).toBe('collecting');
    const text = renderExperimentReport(report.body);
    expect(text).toContain('cost/incident');
    expect(text).toContain('debug: enableDebugLogging=true');
  });
});

describe('an experiment over models: the cheaper model against the configured one', () => {
  const RUNS = Array.from({ length: RUNS_PER_EXPERIMENT }, (_, i) => 94000001 + i);

  it('calls each arm\'s model with its prompt template, and the report shows the cheaper arm cheaper', async () => {
    // Arrange: the README experiment is stopped so these incidents join the model experiment
    expect((await api('POST', '/experiments/rerun-vs-debug/stop')).status).toBe(200);
    const created = await api('POST', '/experiments', {
      id: 'cheap-vs-strong',
      categories: ['network'],
      variants: [
        { name: 'strong', action: 'comment_only', weight: 1 },
        { name: 'cheap', action: 'comment_only', weight: 1, params: { model: 'cheap-model', promptVersion: 'analysis-v2-brief', inputTokenBudget: 4000 } },
      ],
      metric: { kind: 'positive_feedback' },
      minSamplePerVariant: 5,
    });
    expect(created.status).toBe(201);
    const before = harness.model.models.length;

    // Act
    for (const runId of RUNS) await deliverWebhook(harness.runtime.url, networkFailure(runId), SECRET);
    await harness.runtime.idle();

    // Assert: one model call per incident, with the arm's model
    const incidents = await Promise.all(RUNS.map((runId) => incident(`gh-714523861-${runId}-1`)));
    const arms = incidents.map((i) => i.experiment?.variant);
    expect(new Set(arms)).toEqual(new Set(['strong', 'cheap']));
    const calls = harness.model.models.slice(before);
    expect(calls).toHaveLength(RUNS.length);
    expect(calls.filter((m) => m === 'cheap-model')).toHaveLength(arms.filter((a) => a === 'cheap').length);
    expect(calls.filter((m) => m === 'strong-model')).toHaveLength(arms.filter((a) => a === 'strong').length);
    for (const i of incidents) {
      expect(i.analysis?.model).toBe(i.experiment?.variant === 'cheap' ? 'cheap-model' : 'strong-model');
      expect(i.analysis?.promptVersion).toBe(i.experiment?.variant === 'cheap' ? 'analysis-v2-brief' : 'analysis-v2');
    }
    const report = await api<ExperimentReport>('GET', '/experiments/cheap-vs-strong');
    const cost = Object.fromEntries(report.body.results.map((r) => [r.name, r.costPerIncidentUsd]));
    expect(cost.strong).toBeCloseTo(0.0045, 6);
    expect(cost.cheap).toBeCloseTo(0.000375, 6);
  });
});
