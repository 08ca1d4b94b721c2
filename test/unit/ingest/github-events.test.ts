import { beforeEach, describe, expect, it } from 'vitest';
import { MAX_CHECK_TEXT_CHARS } from '../../../shared/domain/trigger.js';
import { staticGitHubClients } from '../../../shared/github/clients.js';
import { handleGithubWebhook, type IngestDeps, keepEnds, triggerFromWorkflowRun } from '../../../shared/ingest/github-webhook.js';
import { githubIncidentFields } from '../../../shared/domain/github-incident.js';
import { parseState } from '../../../shared/steps/state.js';
import { loadWebhook } from '../../../infra/local/replay.js';
import { createFakeGitHub, createRecordingRecoveryQueue } from '../../support/fakes.js';
import { ingestDeps, recordingWorkflow, signedWebhook } from '../../support/ingest.js';
import { createMemoryStore } from '../../support/memory-store.js';

/** Ingest of the events issue 4 added: check runs of other CI systems, workflow_job, re-run attempts, forks. */
const SECRET = 'unit-test-secret';

const request = (name: string, mutate?: (body: Record<string, any>) => void) => signedWebhook(name, SECRET, mutate);

describe('handleGithubWebhook: check runs, jobs, re-runs and forks', () => {
  let deps: IngestDeps;
  let started: Array<{ name: string; input: any }>;
  let store: ReturnType<typeof createMemoryStore>;
  let github: ReturnType<typeof createFakeGitHub>;
  let recoveries: ReturnType<typeof createRecordingRecoveryQueue>;
  /** Lets the outcome recorder do what the green run queued; the incidents it resolved. */
  const recovered = () => recoveries.drain(deps);

  beforeEach(() => {
    store = createMemoryStore();
    github = createFakeGitHub();
    recoveries = createRecordingRecoveryQueue();
    const recording = recordingWorkflow();
    started = recording.started;
    deps = ingestDeps(SECRET, {
      recoveries,
      incidents: store,
      github: staticGitHubClients(github.port),
      clock: () => new Date('2026-11-20T11:00:00Z'),
      workflow: recording.workflow,
    });
  });

  it('turns a failed CircleCI check run into an incident whose trigger carries the check output', async () => {
    // Act
    const response = await handleGithubWebhook(request('check_run-circleci-failure'), deps);

    // Assert
    expect(response).toEqual({ statusCode: 202, body: { incidentId: 'ghc-714523861-33219875501', duplicate: false } });
    expect(started[0]?.input.trigger).toMatchObject({
      source: 'github_check',
      installationId: 51234987,
      pullRequests: [1287],
      checkRun: { name: 'ci/circleci: build-and-test', app: { slug: 'circleci-checks' }, headBranch: 'feature/tax-rounding', conclusion: 'failure' },
    });
    expect(started[0]?.input.trigger.checkRun.output.text).toContain('npm ERR! code ETIMEDOUT');
    expect(await store.get('ghc-714523861-33219875501')).toMatchObject({ status: 'received', checkRun: { appSlug: 'circleci-checks' } });
  });

  it('starts nothing new when the check run failure is redelivered', async () => {
    // Prepare
    await handleGithubWebhook(request('check_run-circleci-failure'), deps);

    // Act
    const again = await handleGithubWebhook(request('check_run-circleci-failure'), deps);

    // Assert
    expect(again.body).toEqual({ incidentId: 'ghc-714523861-33219875501', duplicate: true });
    expect(started).toHaveLength(1);
  });

  it('ignores check runs of GitHub Actions (their workflow_run covers them) and unfinished or neutral ones', async () => {
    // Act
    const actions = await handleGithubWebhook(
      request('check_run-circleci-failure', (b) => (b.check_run.app = { slug: 'github-actions', name: 'GitHub Actions' })),
      deps,
    );
    const created = await handleGithubWebhook(request('check_run-circleci-failure', (b) => (b.action = 'created')), deps);
    const neutral = await handleGithubWebhook(request('check_run-circleci-failure', (b) => (b.check_run.conclusion = 'neutral')), deps);

    // Assert
    expect(actions).toEqual({ statusCode: 202, body: { ignored: 'check runs of GitHub Actions are handled through their workflow_run event' } });
    expect(created.body).toEqual({ ignored: 'check_run action created is not acted on' });
    expect(neutral.body).toEqual({ ignored: 'check_run conclusion neutral is not acted on' });
    expect(started).toHaveLength(0);
  });

  it('resolves the check’s open incident when the same check later passes on the same branch, and updates the comment', async () => {
    // Prepare
    await handleGithubWebhook(request('check_run-circleci-failure'), deps);
    await store.update('ghc-714523861-33219875501', { pullRequest: 1287 });
    await handleGithubWebhook(request('workflow_run-failure'), deps);

    // Act
    const response = await handleGithubWebhook(request('check_run-circleci-success'), deps);

    // Assert
    expect(response.body).toMatchObject({ recovery: 'queued' });
    expect(await recovered()).toEqual(['ghc-714523861-33219875501']);
    expect(await store.get('ghc-714523861-33219875501')).toMatchObject({ status: 'resolved', resolvedBy: 'check run 33220411877' });
    expect((await store.get('gh-714523861-11862439017-1'))?.status).toBe('received');
    expect(github.calls.filter((c) => c.method === 'upsertComment').map((c) => c.args[1])).toEqual([1287]);
  });

  it('does not resolve a check incident from a different check name', async () => {
    // Prepare
    await handleGithubWebhook(request('check_run-circleci-failure'), deps);

    // Act
    const response = await handleGithubWebhook(request('check_run-circleci-success', (b) => (b.check_run.name = 'ci/circleci: lint')), deps);

    // Assert
    expect(response.body).toMatchObject({ recovery: 'queued' });
    expect(await recovered()).toEqual([]);
  });

  it('answers 400 naming the field for a malformed check run', async () => {
    // Act
    const response = await handleGithubWebhook(request('check_run-circleci-failure', (b) => (b.check_run.head_sha = 'zzz')), deps);

    // Assert
    expect(response.statusCode).toBe(400);
    expect(response.body.message).toMatch(/invalid check_run payload at check_run\.head_sha/);
  });

  it('keeps the check output bounded, with the end of a long text (where CI prints the failure)', async () => {
    // Prepare
    const long = `${'progress line\n'.repeat(4_000)}FATAL: the real failure`;

    // Act
    await handleGithubWebhook(request('check_run-circleci-failure', (b) => (b.check_run.output.text = long)), deps);

    // Assert
    const text: string = started[0]?.input.trigger.checkRun.output.text;
    expect(text.length).toBeLessThanOrEqual(MAX_CHECK_TEXT_CHARS + 100);
    expect(text.endsWith('FATAL: the real failure')).toBe(true);
    expect(text).toMatch(/characters omitted/);
    expect(keepEnds('short', 10)).toBe('short');
  });

  it('cuts a long check output between characters, never between the halves of one', async () => {
    // Prepare: CI output with an emoji (two UTF-16 units) in every 12-unit line, offset so that the cut after the
    // first 12,000 units of the text falls between the halves of one.
    const long = `xy${'✅ passed 🚀\n'.repeat(5_000)}`;

    // Act
    await handleGithubWebhook(request('check_run-circleci-failure', (b) => (b.check_run.output.text = b.check_run.output.summary = long)), deps);

    // Assert: a lone half is garbage on the pull request (UTF-8 has no encoding for it).
    const loneHalf = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
    const output = started[0]?.input.trigger.checkRun.output;
    expect(output.text).toMatch(/^xy✅ passed 🚀\n/);
    expect(output.text).not.toMatch(loneHalf);
    expect(output.summary).not.toMatch(loneHalf);
    // The tail's cut: 39 units of 200 start at the second half of a pair.
    expect(keepEnds('😀'.repeat(100), 51)).not.toMatch(loneHalf);
  });

  it.each([
    ['control characters (6 bytes each as JSON)', '\u0001'],
    ['CJK (3 bytes each in UTF-8)', '語'],
    ['ANSI colour codes', '\u001b[31m!\u001b[0m'],
  ])('keeps the execution input far below Step Functions\' 256 KB with a check output of %s', async (_label, unit) => {
    // Prepare: GitHub's largest check output, 65,535 characters each of summary and text, ending in the failure (and
    // the payload under the 1 MB webhook bound).
    const long = (max: number) => `${unit.repeat(Math.floor((max - 24) / unit.length))}\nFATAL: the real failure`;

    // Act
    const response = await handleGithubWebhook(
      request('check_run-circleci-failure', (b) => {
        b.check_run.output.title = long(1_000);
        b.check_run.output.summary = long(65_535);
        b.check_run.output.text = long(65_535);
      }),
      deps,
    );

    // Assert: the whole input, as Step Functions counts it; what the stages parse; the failure at the end kept.
    const input = started[0]?.input;
    expect(response.statusCode, JSON.stringify(response.body)).toBe(202);
    expect(Buffer.byteLength(JSON.stringify(input))).toBeLessThanOrEqual(128 * 1024);
    expect(parseState(input).trigger).toBeDefined();
    expect(input.trigger.checkRun.output.text.endsWith('FATAL: the real failure')).toBe(true);
    expect(input.trigger.checkRun.output.summary.endsWith('FATAL: the real failure')).toBe(true);
  });

  it('redacts the check output before it becomes the execution input', async () => {
    // Prepare: built from parts so the repository carries no live-looking token.
    const token = ['gh', 'p_', 'Zq8Yw7Xv6Ut5Sr4Qp3On2Ml1Kj0Ih9Gf8Ed'].join('');
    const password = 'Sup3r-s3cret!';

    // Act
    await handleGithubWebhook(
      request('check_run-circleci-failure', (b) => {
        b.check_run.output.title = `push failed for ${token}`;
        b.check_run.output.summary = `sshpass -p '${password}' ssh deploy@host`;
        b.check_run.output.text = `curl -u ci:${password} https://nexus.example.com\nError: 401`;
      }),
      deps,
    );

    // Assert
    const input = JSON.stringify(started[0]?.input);
    expect(input).not.toContain(token);
    expect(input).not.toContain(password);
    expect(input).toContain('[REDACTED:github-token]');
  });

  it('keeps a check title that redaction lengthened within what the pipeline\'s first step accepts', async () => {
    // Prepare: 999 characters GitHub accepts, each `pwd=…` redacted to a marker three times its length.
    const title = 'pwd=abcd '.repeat(111);

    // Act
    await handleGithubWebhook(request('check_run-circleci-failure', (b) => (b.check_run.output.title = title)), deps);

    // Assert: the execution input is one the stages take (before, it failed their validation and paged on-call).
    const state = parseState(started[0]?.input);
    const shown = state.trigger.source === 'github_check' ? state.trigger.checkRun.output.title : null;
    expect(shown).toMatch(/^pwd=\[REDACTED:key-value-secret\] /);
    expect(shown).not.toContain('abcd');
  });

  it('records that a check run without a head branch (a fork, says GitHub) is untrusted code, under its own scope', async () => {
    // Act
    await handleGithubWebhook(
      request('check_run-circleci-failure', (b) => {
        b.check_run.check_suite.head_branch = null;
        b.check_run.pull_requests = [];
      }),
      deps,
    );

    // Assert
    const incident = store.items.get('ghc-714523861-33219875501');
    expect(incident?.incident).toMatchObject({ fromFork: true, headRepositoryId: null, pullRequest: null });
    expect(incident?.scope).toMatch(/:fork-unknown:/);
  });

  it('takes the head repository of a check run from its pull request', async () => {
    // Act
    await handleGithubWebhook(request('check_run-circleci-failure'), deps);

    // Assert
    expect(store.items.get('ghc-714523861-33219875501')?.incident).toMatchObject({ fromFork: false, headRepositoryId: 714523861, pullRequest: 1287 });
  });

  it('keeps only pull requests whose base is this repository', async () => {
    // Prepare: GitHub lists PRs that merely share the head branch, including another repository's.
    const unrelated = { number: 99, head: { ref: 'feature/tax-rounding', repo: { id: 714523861 } }, base: { ref: 'main', repo: { id: 555 } } };

    // Act
    await handleGithubWebhook(request('workflow_run-failure', (b) => (b.workflow_run.pull_requests = [unrelated])), deps);

    // Assert
    expect(started[0]?.input.trigger.pullRequests).toEqual([]);
    expect(store.items.get('gh-714523861-11862439017-1')?.incident.pullRequest).toBeNull();
  });

  it("never lets a fork's branch called main and the repository's main resolve each other", async () => {
    // Prepare: a failure on the repository's own main.
    await handleGithubWebhook(request('workflow_run-failure', (b) => (b.workflow_run.head_branch = 'main')), deps);

    // Act: a fork's run on its branch also called main succeeds.
    const response = await handleGithubWebhook(
      request('workflow_run-success', (b) => {
        b.workflow_run.head_branch = 'main';
        b.workflow_run.head_repository = { id: 829371044, full_name: 'mallory/checkout-service' };
        b.workflow_run.pull_requests = [];
      }),
      deps,
    );

    // Assert
    expect(response.body).toMatchObject({ recovery: 'queued' });
    expect(await recovered()).toEqual([]);
    expect(store.items.get('gh-714523861-11862439017-1')?.incident.status).toBe('received');
  });

  it.each(['issue_comment', 'pull_request_target', 'workflow_run'])(
    "never lets a green %s run, which may run a fork's code as ours, resolve the repository's own failures",
    async (event) => {
      // Prepare: a push to main fails.
      await handleGithubWebhook(request('workflow_run-failure', (b) => Object.assign(b.workflow_run, { head_branch: 'main', event: 'push' })), deps);

      // Act: anyone comments on a pull request (or opens one) and a run of the same workflow, reported on main with
      // this repository as its head, passes: it may have checked out and run the outsider's code.
      await handleGithubWebhook(
        request('workflow_run-success', (b) => Object.assign(b.workflow_run, { head_branch: 'main', event, pull_requests: [] })),
        deps,
      );

      // Assert: main's failure stays open; the outcome, the knowledge and the experiment arm learn nothing from it
      expect(await recovered()).toEqual([]);
      expect(store.items.get('gh-714523861-11862439017-1')?.incident.status).toBe('received');
    },
  );

  it("lets a green run of the same untrusted event resolve that event's failure", async () => {
    // Prepare
    await handleGithubWebhook(request('workflow_run-failure', (b) => Object.assign(b.workflow_run, { head_branch: 'main', event: 'issue_comment' })), deps);

    // Act
    await handleGithubWebhook(request('workflow_run-success', (b) => Object.assign(b.workflow_run, { head_branch: 'main', event: 'issue_comment', pull_requests: [] })), deps);

    // Assert
    expect(await recovered()).toEqual(['gh-714523861-11862439017-1']);
  });

  it('accepts workflow_job deliveries with 202 and says why they are not acted on', async () => {
    // Act
    const response = await handleGithubWebhook(request('workflow_job-failure'), deps);

    // Assert
    expect(response).toEqual({
      statusCode: 202,
      body: { ignored: 'workflow_job events are not acted on: the workflow_run completed event covers its jobs' },
    });
    expect(started).toHaveLength(0);
  });

  it('records the failure of our own re-run as its own incident, carrying who triggered it', async () => {
    // Act
    const response = await handleGithubWebhook(request('workflow_run-rerun-failure'), deps);

    // Assert
    expect(response.body).toEqual({ incidentId: 'gh-714523861-11862439017-2', duplicate: false });
    expect(started[0]?.input.trigger).toMatchObject({ workflowRun: { attempt: 2 }, triggeringActor: 'pipeline-guard[bot]' });
  });

  it('lets a successful re-run attempt resolve the failed earlier attempt of the same run', async () => {
    // Prepare
    await handleGithubWebhook(request('workflow_run-failure'), deps);

    // Act
    const response = await handleGithubWebhook(
      request('workflow_run-rerun-failure', (b) => (b.workflow_run.conclusion = 'success')),
      deps,
    );

    // Assert
    expect(response.body).toMatchObject({ recovery: 'queued' });
    expect(await recovered()).toEqual(['gh-714523861-11862439017-1']);
    expect((await store.get('gh-714523861-11862439017-1'))?.resolvedBy).toBe('run 11862439017 (attempt 2)');
  });

  it('updates the PR comment once, from the newest incident, when a green run resolves several', async () => {
    // Prepare: two failed runs on the same PR, then a green one.
    await handleGithubWebhook(request('workflow_run-failure'), deps);
    deps.clock = () => new Date('2026-11-20T11:05:00Z');
    await handleGithubWebhook(request('workflow_run-failure', (b) => (b.workflow_run.id = 11862500000)), deps);

    // Act
    const response = await handleGithubWebhook(request('workflow_run-success'), deps);

    // Assert
    expect(response.body).toMatchObject({ recovery: 'queued' });
    expect(await recovered()).toEqual(['gh-714523861-11862500000-1', 'gh-714523861-11862439017-1']);
    const comments = github.calls.filter((c) => c.method === 'upsertComment');
    expect(comments).toHaveLength(1);
    expect(String(comments[0]?.args[3])).toMatch(/run 11862500000/);
  });

  it('accepts a fork PR failure whose payload lists no pull request', async () => {
    // Act
    const response = await handleGithubWebhook(request('workflow_run-fork-failure'), deps);

    // Assert
    expect(response.body).toEqual({ incidentId: 'gh-714523861-11863120458-1', duplicate: false });
    expect(started[0]?.input.trigger).toMatchObject({ pullRequests: [], workflowRun: { headBranch: 'fix/currency-typo' } });
  });
});

describe('fork pull requests', () => {
  it('marks an incident whose head commit lives in a fork, so no fix is committed on top of it', () => {
    const handledAt = new Date('2026-11-20T11:00:00Z');
    const fork = githubIncidentFields(triggerFromWorkflowRun(loadWebhook('workflow_run-fork-failure').body as never, 'd'), handledAt);
    const own = githubIncidentFields(triggerFromWorkflowRun(loadWebhook('workflow_run-failure').body as never, 'd'), handledAt);

    expect(fork.fromFork).toBe(true);
    expect(own.fromFork).toBe(false);
  });
});
