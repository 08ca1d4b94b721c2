import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EVENTS_DIR, type RecordedWebhook, deliverWebhook, loadWebhook } from '../../infra/local/replay.js';
import type { Incident } from '../../shared/domain/incident.js';
import { useLocalRuntime } from '../support/harness.js';

/**
 * The model budget of failures an outsider controls, through the local runtime: a GitHub-like REST server, an
 * OpenAI-compatible model, LLM_OUTSIDER_ANALYSES_PER_HOUR=3 and its default repository share, 2. A fork's third
 * failure in one repository in the hour is analysed offline, recorded and commented on; another repository's
 * fork then gets the pool's third analysis, and its next failure is offline; the repositories' own failures
 * still get the model.
 */
const SECRET = 'outsider-budget-secret';
const BUDGET = 3;
/** The default share of one repository: half the pool, rounded up. */
const SHARE = 2;
/** A second repository of the same owner, whose outsiders the first one's must not starve. */
const OTHER_REPOSITORY = { id: 714523999, name: 'docs-site' };
/** The head repository of `workflow_run-fork-failure.json`. */
const FORK_REPO_ID = 829371044;
let jestLog: string;

const harness = useLocalRuntime({
  name: 'guard-outsider-budget',
  secret: SECRET,
  github: { auth: 'token' },
  model: 'budgeted',
  env: { LLM_OUTSIDER_ANALYSES_PER_HOUR: String(BUDGET) },
});

beforeAll(async () => {
  jestLog = await readFile(join(EVENTS_DIR, 'logs', 'github-actions-jest-failure.log'), 'utf8');
});

/** A commit SHA of its own for run `n`. */
const shaOf = (n: number) => n.toString(16).padStart(40, 'a');

/**
 * A failed run whose only job fails with the jest log: a fork's pull request run (`fork`, its pull request found by
 * its head commit, as GitHub lists none for a fork) or one of the repository's own pull requests.
 */
function failedRun(n: number, origin: 'fork' | 'own', repository?: { id: number; name: string }): { webhook: RecordedWebhook; pullRequest: number } {
  const webhook = structuredClone(loadWebhook(origin === 'fork' ? 'workflow_run-fork-failure' : 'workflow_run-failure'));
  const body = webhook.body as Record<string, any>;
  const run = body.workflow_run;
  if (repository) {
    // The run's own repository, and for its own runs the head repository too (a head elsewhere is a fork's).
    const names = { id: repository.id, name: repository.name, full_name: `${body.repository.owner.login}/${repository.name}` };
    const own = origin === 'own' ? [run.head_repository, run.pull_requests[0].head.repo, run.pull_requests[0].base.repo] : [];
    for (const target of [body.repository, run.repository, ...own]) if (target) Object.assign(target, names);
  }
  const runId = 95_000_000 + n;
  const pullRequest = 7000 + n;
  run.id = runId;
  run.head_sha = shaOf(n);
  if (origin === 'fork') {
    harness.github.commitPulls.set(run.head_sha, [{ number: pullRequest, state: 'open', head: { sha: run.head_sha, repo: { id: FORK_REPO_ID } } }]);
  } else {
    run.pull_requests[0].number = pullRequest;
    run.pull_requests[0].head.sha = run.head_sha;
  }
  harness.github.serveFailedJob(runId, 85_000_000 + n, jestLog);
  return { webhook, pullRequest };
}

/** Delivers a failed run and waits until the pipeline is done with it; returns the incident and its pull request. */
async function fails(n: number, origin: 'fork' | 'own', repository?: { id: number; name: string }): Promise<{ incident: Incident; pullRequest: number }> {
  const { webhook, pullRequest } = failedRun(n, origin, repository);
  const response = await deliverWebhook(harness.runtime.url, webhook, SECRET);
  expect(response.status).toBe(202);
  await harness.runtime.idle();
  return { incident: await harness.incident(String(response.body.incidentId)), pullRequest };
}

/** Longer than the scenario takes on a loaded machine (about 2 s alone). */
const SCENARIO_MS = 60_000;

/**
 * Waits out the end of the hour if the scenario might run into it: the budget counts per clock hour of the failures'
 * arrival, and the failures of one scenario must arrive in one hour.
 */
async function clearOfTheHoursEnd(): Promise<void> {
  const leftMs = 3_600_000 - (Date.now() % 3_600_000);
  if (leftMs < SCENARIO_MS) await new Promise((resolve) => setTimeout(resolve, leftMs + 1000));
}

const commented = (pullRequest: number) => (harness.github.comments.get(pullRequest) ?? []).length > 0;

describe("outsiders' model budget", () => {
  it("analyses a fork's failures past its repository's share or the pool offline, records and comments on them, and leaves the repositories' own to the model", async () => {
    // Prepare
    await clearOfTheHoursEnd();

    // Act: one repository's forks fail three times, then another repository's twice, then each repository's own twice.
    const forks = [];
    for (let n = 1; n <= SHARE + 1; n += 1) forks.push(await fails(n, 'fork'));
    const otherForks = [await fails(4, 'fork', OTHER_REPOSITORY), await fails(5, 'fork', OTHER_REPOSITORY)];
    const promptsForForks = harness.model.prompts.length;
    const own = [await fails(11, 'own'), await fails(12, 'own', OTHER_REPOSITORY)];

    // Assert: the share's 2, then the pool's third to the other repository.
    expect(promptsForForks).toBe(BUDGET);
    expect(harness.model.prompts.length).toBe(BUDGET + 2);
    for (const { incident } of [...forks, ...otherForks]) expect(incident.fromFork).toBe(true);
    for (const { incident } of [...forks.slice(0, SHARE), otherForks[0]!]) {
      expect(incident.analysis).toMatchObject({ provider: 'openai', model: 'budgeted' });
      expect(incident.analysis?.fallbackReason).toBeUndefined();
    }
    const pastShare = forks[SHARE]!;
    expect(pastShare.incident.analysis?.provider).toBe('offline');
    expect(pastShare.incident.analysis?.fallbackReason).toMatch(
      /^model budget for runs outsiders control in this repository spent: 2 of 2 analyses in the hour from .* \(LLM_OUTSIDER_REPOSITORY_ANALYSES_PER_HOUR\); analysed offline$/,
    );
    const pastPool = otherForks[1]!;
    expect(pastPool.incident.analysis?.fallbackReason).toMatch(/^model budget for runs outsiders control spent: 3 of 3 analyses in the hour from .* analysed offline$/);
    for (const past of [pastShare, pastPool]) {
      expect(past.incident.history.find((entry) => entry.event === 'analyzer_fallback')?.detail).toBe(past.incident.analysis?.fallbackReason);
      expect(past.incident.status).toBe('notified');
      expect(past.incident.notifications).toContainEqual(expect.objectContaining({ channel: 'github_comment', outcome: 'created' }));
    }
    for (const { pullRequest } of [...forks, ...otherForks]) expect(commented(pullRequest), `PR #${pullRequest}`).toBe(true);
    for (const { incident, pullRequest } of own) {
      expect(incident.fromFork).toBe(false);
      expect(incident.analysis).toMatchObject({ provider: 'openai', model: 'budgeted' });
      expect(incident.analysis?.fallbackReason).toBeUndefined();
      expect(incident.status).toBe('notified');
      expect(commented(pullRequest), `PR #${pullRequest}`).toBe(true);
    }
    const metrics = await (await fetch(`${harness.runtime.url}/metrics/prometheus`)).text();
    expect(metrics).toMatch(/^pipeline_guard_outsider_model_budget_spent_total(\{[^}]*\})? 2$/m);
  }, 2 * SCENARIO_MS + 10_000);
});
