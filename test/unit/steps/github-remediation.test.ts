import { describe, expect, it } from 'vitest';
import type { AnalysisSummary, Incident } from '../../../shared/domain/incident.js';
import { newIncident } from '../../../shared/domain/incident.js';
import {
  githubCheckIncidentFields,
  githubCheckIncidentScope,
  githubIncidentFields,
  githubIncidentScope,
} from '../../../shared/domain/github-incident.js';
import type { GithubCheckTrigger, GithubTrigger } from '../../../shared/domain/trigger.js';
import { triggerFromCheckRun, triggerFromWorkflowRun } from '../../../shared/ingest/github-webhook.js';
import type { GitHubClients, GitHubPort, RerunLedger } from '../../../shared/ports.js';
import { classifyStep } from '../../../shared/steps/classify.js';
import { notifyStep } from '../../../shared/steps/notify.js';
import { renderComment } from '../../../shared/notify/comment.js';
import { remediateStep } from '../../../shared/steps/remediate.js';
import { GitHubUnavailableError } from '../../../shared/errors.js';
import { loadWebhook } from '../../../infra/local/replay.js';
import { createFakeGitHub, createMemoryGuardStore, createMemoryRerunLedger, remediationDeps, stepDeps } from '../../support/fakes.js';
import { longFailuresLog } from '../../support/long-failures-log.js';
import { handledAfter } from '../../support/handling-time.js';

const FLAKY: AnalysisSummary = {
  provider: 'scripted', model: null, rootCause: 'the npm registry timed out', fix: ['re-run'], confidence: 0.8,
  proposedAction: 'rerun_failed_jobs', rationale: 'network errors are usually transient', evidence: [], latencyMs: 1,
};

function runTrigger(name = 'workflow_run-failure', mutate?: (body: Record<string, any>) => void): GithubTrigger {
  const event = structuredClone(loadWebhook(name));
  mutate?.(event.body);
  return triggerFromWorkflowRun(event.body as never, event.headers['x-github-delivery'] ?? null);
}

function checkTrigger(mutate?: (body: Record<string, any>) => void): GithubCheckTrigger {
  const event = structuredClone(loadWebhook('check_run-circleci-failure'));
  mutate?.(event.body);
  return triggerFromCheckRun(event.body as never, event.headers['x-github-delivery'] ?? null);
}

/** An incident as far as analyze gets it: classified, with an analysis proposing a re-run. */
async function seedAnalyzed(deps: ReturnType<typeof stepDeps>['deps'], trigger: GithubTrigger, analysis = FLAKY) {
  await deps.incidents.create(
    newIncident(
      { ...githubIncidentFields(trigger, deps.clock()), status: 'analyzed', category: 'network', fingerprint: 'fp-net', analysis, failureLines: [{ line: 3, text: 'npm ERR! code ETIMEDOUT' }] },
      deps.clock(),
    ),
    githubIncidentScope(trigger),
  );
}

/** Attempt 1 remediated, and its attempt 2 failed, re-run by the person GitHub names as its actor. */
async function remediatedThenRerunByPerson(deps: ReturnType<typeof stepDeps>['deps']) {
  const first = runTrigger();
  await seedAnalyzed(deps, first);
  await remediateStep({ trigger: first }, deps);
  const second = runTrigger('workflow_run-rerun-failure', (b) => {
    b.workflow_run.triggering_actor = { login: 'dana-dev', type: 'User' };
  });
  await seedAnalyzed(deps, second);
  return { first, second };
}

function reruns(github: ReturnType<typeof createFakeGitHub>) {
  return github.calls.filter((c) => c.method === 'rerunFailedJobs');
}

describe('remediateStep: automatic re-runs', () => {
  it('claims the commit’s re-run and passes the failed attempt to GitHub', async () => {
    // Prepare
    const github = createFakeGitHub();
    const { deps } = stepDeps({ github: github.port });
    const trigger = runTrigger();
    await seedAnalyzed(deps, trigger);

    // Act
    const result = await remediateStep({ trigger }, deps);

    // Assert
    expect(result).toEqual({ incidentId: trigger.incidentId, action: 'rerun_failed_jobs', applied: true, awaitingApproval: false, awaitingDelay: false });
    expect(reruns(github).map((c) => c.args)).toEqual([[{ owner: 'acme-shop', repo: 'checkout-service' }, 11862439017, { expectedAttempt: 1 }]]);
    const decision = (await deps.incidents.get(trigger.incidentId))?.decision;
    expect(decision?.result).toBe('re-run of run 11862439017 requested (automatic re-run 1 of 1 for this commit)');
    expect((await deps.incidents.get(trigger.incidentId))?.ownRerun).toBe(false);
  });

  it('completes its own re-run when the state machine retries the step, without counting it twice', async () => {
    // Prepare
    const github = createFakeGitHub();
    const { deps } = stepDeps({ github: github.port });
    const trigger = runTrigger();
    await seedAnalyzed(deps, trigger);
    await remediateStep({ trigger }, deps);

    // Act
    const again = await remediateStep({ trigger }, deps);

    // Assert: GitHub is asked again with the same expected attempt, which the client turns into a no-op.
    expect(again.action).toBe('rerun_failed_jobs');
    expect(reruns(github)).toHaveLength(2);
    expect(reruns(github).every((c) => (c.args[2] as { expectedAttempt: number }).expectedAttempt === 1)).toBe(true);
    expect((await deps.reruns.lookup({ repositoryId: 714523861, workflowId: 61835520, headSha: trigger.workflowRun.headSha }, { runId: 1, attempt: 1, incidentId: 'x' })).count).toBe(1);
  });

  // The ledger was read to learn whether an earlier try had claimed the re-run, then claimed: the claim now says what it
  // found. The planner's one lookup stays (it needs the count before deciding).
  it('reads the re-run ledger once and claims once, on the first try and on a retry whose answer was lost', async () => {
    // Prepare: a ledger that records the calls made to it.
    const github = createFakeGitHub();
    const ledger = createMemoryRerunLedger();
    const calls: string[] = [];
    const counted: RerunLedger = {
      lookup: async (...args) => { calls.push('lookup'); return ledger.lookup(...args); },
      claim: async (...args) => { calls.push('claim'); return ledger.claim(...args); },
      release: async (...args) => { calls.push('release'); return ledger.release(...args); },
    };
    const { deps } = stepDeps({ github: github.port, reruns: counted });
    const trigger = runTrigger();
    await seedAnalyzed(deps, trigger);

    // Act
    await remediateStep({ trigger }, deps);
    const first = [...calls];
    calls.length = 0;
    // GitHub applied the re-run but the answer was lost: the run is at attempt 2 when the retried step asks.
    github.port.rerunFailedJobs = async () => 'already_rerun';
    await remediateStep({ trigger }, deps);

    // Assert
    expect(first).toEqual(['lookup', 'claim']);
    expect(calls).toEqual(['lookup', 'claim']);
    expect((await deps.incidents.get(trigger.incidentId))?.decision?.result).toBe(
      're-run of run 11862439017 requested by an earlier try of this step, whose answer was lost (automatic re-run 1 of 1 for this commit)',
    );
  });

  it('stops a re-run an earlier try of the step claimed once the kill switch is set, instead of applying it again', async () => {
    // Prepare: the first try claimed the re-run and GitHub's answer was lost; a maintainer then paused the guard.
    const github = createFakeGitHub();
    const rerun = github.port.rerunFailedJobs;
    let lost = true;
    github.port.rerunFailedJobs = async (...args) => {
      const outcome = await rerun(...args);
      if (lost) throw new GitHubUnavailableError('GitHub answered 502');
      return outcome;
    };
    const { deps } = stepDeps({ github: github.port });
    const trigger = runTrigger();
    await seedAnalyzed(deps, trigger);
    await expect(remediateStep({ trigger }, deps)).rejects.toThrow('GitHub answered 502');
    lost = false;
    github.labels.add('guard:pause');

    // Act: the state machine retries the step.
    const retried = await remediateStep({ trigger }, deps);

    // Assert: no second request, and the decision says why nothing more was done.
    expect(reruns(github)).toHaveLength(1);
    expect(retried.action).not.toBe('rerun_failed_jobs');
    expect((await deps.incidents.get(trigger.incidentId))?.decision?.reason).toContain('guard:pause');
  });

  it('never re-runs the failure of the attempt its own re-run started (bot as triggering actor)', async () => {
    // Prepare: attempt 1 was re-run by us; attempt 2 failed again.
    const github = createFakeGitHub();
    const { deps } = stepDeps({ github: github.port, reruns: createMemoryRerunLedger() });
    const first = runTrigger();
    await seedAnalyzed(deps, first);
    const second = runTrigger('workflow_run-rerun-failure');
    await seedAnalyzed(deps, second);

    // Act
    const result = await remediateStep({ trigger: second }, deps);

    // Assert
    expect(second.triggeringActor).toBe('pipeline-guard[bot]');
    expect(result).toEqual({ incidentId: 'gh-714523861-11862439017-2', action: 'escalate', applied: true, awaitingApproval: false, awaitingDelay: false });
    expect(reruns(github)).toHaveLength(0);
    expect((await deps.incidents.get(second.incidentId))?.ownRerun).toBe(true);
    expect((await deps.incidents.get(second.incidentId))?.decision?.reason).toMatch(/after our automatic re-run/);
    const previous = await deps.incidents.get(first.incidentId);
    expect(previous?.history.at(-1)).toMatchObject({ event: 'rerun_failed', detail: 'the automatic re-run failed again (incident gh-714523861-11862439017-2)' });
  });

  it.each([
    ['pull_request', [false]],
    ['issues', []],
  ] as const)("counts its own failed re-run of a %s run for the breaker only when no outsider can repeat the run", async (runEvent, outcomes) => {
    // Prepare: attempt 1 was re-run by us; attempt 2 failed again. Anyone can open issues: their workflow fails and
    // its re-runs fail as they arrange, which would open the repository's breaker for its own failures.
    const github = createFakeGitHub();
    const guards = createMemoryGuardStore();
    const { deps } = stepDeps({ github: github.port, reruns: createMemoryRerunLedger(), remediation: remediationDeps({ guards }) });
    const setEvent = (body: Record<string, any>) => (body.workflow_run.event = runEvent);
    const first = runTrigger('workflow_run-failure', setEvent);
    await seedAnalyzed(deps, first);
    const second = runTrigger('workflow_run-rerun-failure', setEvent);
    await seedAnalyzed(deps, second);

    // Act
    await remediateStep({ trigger: second }, deps);

    // Assert (before: the issues run's failed re-run counted a failure; attacker's pass, session 29)
    expect((await deps.incidents.get(second.incidentId))?.ownRerun).toBe(true);
    expect(guards.outcomes).toEqual(outcomes);
  });

  describe('a re-run a person started before the guard asked for its own', () => {
    /** Attempt 1 remediated while GitHub's run is already past it, and the person's attempt 2 that failed too. */
    async function personRerunFailed() {
      const github = createFakeGitHub();
      const guards = createMemoryGuardStore();
      const { deps } = stepDeps({ github: github.port, reruns: createMemoryRerunLedger(), remediation: remediationDeps({ guards }) });
      // A person re-ran attempt 1 while it was analysed: GitHub's run is past it when the guard asks.
      const rerun = github.port.rerunFailedJobs;
      github.port.rerunFailedJobs = async (repo, runId, options) => (options?.expectedAttempt === 1 ? 'already_rerun' : rerun(repo, runId, options));
      return { github, guards, deps, ...(await remediatedThenRerunByPerson(deps)) };
    }
    const ledgerKey = (trigger: GithubTrigger) => ({ repositoryId: trigger.repository.id, workflowId: trigger.workflowRun.workflowId as number, headSha: trigger.workflowRun.headSha });

    it('gives the claim back: the commit has its automatic re-run still, and the person’s attempt is not taken for ours', async () => {
      const { deps, first, second } = await personRerunFailed();

      const ledger = await deps.reruns.lookup(ledgerKey(first), { runId: second.workflowRun.id, attempt: 2, incidentId: second.incidentId });

      expect((await deps.incidents.get(first.incidentId))?.decision?.result).toMatch(/already re-run past attempt 1/);
      expect(ledger).toEqual({ count: 0, ownAttempt: false, claimedByIncident: false });
    });

    it('does not re-run the person’s failed re-run, nor count it as a failed action of its own', async () => {
      const { github, guards, deps, first, second } = await personRerunFailed();

      const result = await remediateStep({ trigger: second }, deps);

      expect(result.action).toBe('escalate');
      expect(reruns(github)).toEqual([]);
      const incident = await deps.incidents.get(second.incidentId);
      expect(incident?.ownRerun).toBe(false);
      expect(incident?.decision?.reason).toMatch(/failed again after the re-run a person started/);
      expect(guards.outcomes).toEqual([]);
      expect((await deps.incidents.get(first.incidentId))?.history.map((entry) => entry.event)).not.toContain('rerun_failed');
    });
  });

  it.each([
    ['after the claim is given back', 'after'],
    ['while the claim is still held', 'before'],
  ])('does not re-run a person’s re-run whose failure is remediated %s, in the middle of the step that found it started', async (_, when) => {
    // Attempt 1's step finds the run re-run by a person and gives its re-run claim back; the person's attempt 2 fails
    // and its own step runs right then (the ledger's release runs it, before or after the claim is gone).
    const github = createFakeGitHub();
    const guards = createMemoryGuardStore();
    const ledger = createMemoryRerunLedger();
    let second: GithubTrigger | null = null;
    let secondResult: Awaited<ReturnType<typeof remediateStep>> | null = null;
    const interleaved: RerunLedger = {
      lookup: (...args) => ledger.lookup(...args),
      claim: (...args) => ledger.claim(...args),
      release: async (...args) => {
        if (when === 'after') await ledger.release(...args);
        secondResult = await remediateStep({ trigger: second as GithubTrigger }, deps);
        if (when === 'before') await ledger.release(...args);
      },
    };
    const { deps } = stepDeps({ github: github.port, reruns: interleaved, remediation: remediationDeps({ guards }) });
    const rerun = github.port.rerunFailedJobs;
    github.port.rerunFailedJobs = async (repo, runId, options) => (options?.expectedAttempt === 1 ? 'already_rerun' : rerun(repo, runId, options));
    const first = runTrigger();
    await seedAnalyzed(deps, first);
    second = runTrigger('workflow_run-rerun-failure', (b) => {
      b.workflow_run.triggering_actor = { login: 'dana-dev', type: 'User' };
    });
    await seedAnalyzed(deps, second);

    await remediateStep({ trigger: first }, deps);

    expect(secondResult).toMatchObject({ action: 'escalate' });
    expect(reruns(github)).toEqual([]);
    const incident = await deps.incidents.get(second.incidentId);
    expect(incident?.ownRerun).toBe(false);
    expect(incident?.decision?.reason).toMatch(/failed again after the re-run a person started/);
    expect(guards.outcomes).toEqual([]);
  });

  it('recognises its own re-run from the ledger even when GitHub names a person as the actor', async () => {
    // Prepare
    const github = createFakeGitHub();
    const { deps } = stepDeps({ github: github.port });
    const { second } = await remediatedThenRerunByPerson(deps);

    // Act
    const result = await remediateStep({ trigger: second }, deps);

    // Assert
    expect(result.action).toBe('escalate');
    expect(reruns(github)).toHaveLength(1);
  });

  it('does not re-run another run of the same workflow on the same commit once the commit had its re-run', async () => {
    // Prepare: the push and the pull_request run of one commit both fail.
    const github = createFakeGitHub();
    const { deps } = stepDeps({ github: github.port });
    const pullRequestRun = runTrigger();
    const pushRun = runTrigger('workflow_run-failure', (b) => {
      b.workflow_run.id = 11862439999;
      b.workflow_run.event = 'push';
    });
    await seedAnalyzed(deps, pullRequestRun);
    await seedAnalyzed(deps, pushRun);
    await remediateStep({ trigger: pullRequestRun }, deps);

    // Act
    const result = await remediateStep({ trigger: pushRun }, deps);

    // Assert
    expect(result.action).toBe('escalate');
    expect((await deps.incidents.get(pushRun.incidentId))?.decision?.reason).toMatch(/already re-run automatically 1 time/);
    expect(reruns(github)).toHaveLength(1);
  });

  it('escalates when a concurrent execution takes the last slot between the policy and the claim', async () => {
    // Prepare: the lookup still sees a free slot, the conditional claim does not.
    const github = createFakeGitHub();
    const racing: RerunLedger = {
      async lookup() {
        return { count: 0, ownAttempt: false, claimedByIncident: false };
      },
      async claim() {
        return { granted: false, count: 1, claimedBefore: false };
      },
      async release() {},
    };
    const { deps } = stepDeps({ github: github.port, reruns: racing });
    const trigger = runTrigger();
    await seedAnalyzed(deps, trigger);

    // Act
    const result = await remediateStep({ trigger }, deps);

    // Assert
    expect(result).toEqual({ incidentId: trigger.incidentId, action: 'escalate', applied: true, awaitingApproval: false, awaitingDelay: false });
    expect(reruns(github)).toHaveLength(0);
    expect((await deps.incidents.get(trigger.incidentId))?.decision?.reason).toMatch(/another execution already used the automatic re-run/);
  });

  it('only comments on a check run from another CI system, whatever the analysis proposes', async () => {
    // Prepare
    const github = createFakeGitHub();
    const trigger = checkTrigger();
    const { deps } = stepDeps({ github: github.port, clock: () => handledAfter(trigger) });
    await deps.incidents.create(
      newIncident({ ...githubCheckIncidentFields(trigger, deps.clock()), status: 'analyzed', category: 'network', analysis: FLAKY, failureLines: [{ line: 1, text: 'npm ERR! code ETIMEDOUT' }] }, deps.clock()),
      githubCheckIncidentScope(trigger),
    );

    // Act
    const result = await remediateStep({ trigger }, deps);

    // Assert
    expect(result.action).toBe('comment_only');
    expect(reruns(github)).toHaveLength(0);
  });

  it("never re-runs a fork's code, so a fork cannot spend the repository's re-runs or trip its breaker", async () => {
    // Prepare: a fork's job prints a registry timeout on each of four commits (its author decides whether it
    // fails again), then the repository's own run hits a real one.
    const github = createFakeGitHub();
    const forkRuns = [1, 2, 3, 4].map((i) =>
      runTrigger('workflow_run-fork-failure', (body) => {
        body.workflow_run.id = 500 + i;
        body.workflow_run.head_sha = String(i).repeat(40);
      }),
    );
    const { deps } = stepDeps({ github: github.port, clock: () => handledAfter(forkRuns) });

    // Act
    for (const trigger of forkRuns) {
      await seedAnalyzed(deps, trigger);
      // The payload of a fork's run lists no pull request: the decision goes to a human (who is not paged for it).
      expect((await remediateStep({ trigger }, deps)).action).toBe('escalate');
    }
    const own = runTrigger();
    await seedAnalyzed(deps, own);
    const ownResult = await remediateStep({ trigger: own }, deps);

    // Assert
    expect(forkRuns[0]?.workflowRun.headRepositoryId).not.toBe(forkRuns[0]?.repository.id);
    expect((await deps.incidents.get(forkRuns[0]?.incidentId ?? ''))?.decision?.reason).toMatch(/comes from a fork or may run a fork's code: a maintainer re-runs it/);
    expect(ownResult).toMatchObject({ action: 'rerun_failed_jobs', applied: true });
    expect(reruns(github).map((c) => c.args[1])).toEqual([own.workflowRun.id]);
  });

  it.each(['pull_request_target', 'issue_comment', 'workflow_run'])('never re-runs a %s run, which may check out and run a fork\'s code', async (event) => {
    // Prepare: GitHub reports such a run with this repository as its head, whatever the workflow checks out.
    const github = createFakeGitHub();
    const { deps } = stepDeps({ github: github.port });
    const trigger = runTrigger('workflow_run-failure', (body) => (body.workflow_run.event = event));
    await seedAnalyzed(deps, trigger);

    // Act
    const result = await remediateStep({ trigger }, deps);

    // Assert
    expect(trigger.workflowRun.headRepositoryId).toBe(trigger.repository.id);
    expect(result.action).toBe('comment_only');
    expect(reruns(github)).toHaveLength(0);
  });
});

describe('classifyStep: the incident ingest stored', () => {
  it('skips its create-if-missing when the execution input says the incident is stored, and creates it otherwise', async () => {
    // Prepare
    const github = createFakeGitHub();
    const { deps } = stepDeps({ github: github.port });
    const trigger = runTrigger();
    await deps.incidents.create(newIncident(githubIncidentFields(trigger, deps.clock()), deps.clock()), githubIncidentScope(trigger), trigger);
    const creates: string[] = [];
    const create = deps.incidents.create.bind(deps.incidents);
    deps.incidents.create = async (incident, scope, stored) => {
      creates.push(incident.id);
      return create(incident, scope, stored);
    };
    const other = runTrigger('workflow_run-failure', (body) => {
      body.workflow_run.id += 1;
    });

    // Act
    await classifyStep({ trigger, incidentStored: true }, deps);
    await classifyStep({ trigger: other }, deps);

    // Assert: the stored one is classified without a create; the one nobody stored is created, then classified.
    expect(creates).toEqual([other.incidentId]);
    expect((await deps.incidents.get(trigger.incidentId))?.status).toBe('classified');
    expect((await deps.incidents.get(other.incidentId))?.status).toBe('classified');
  });
});

describe('classifyStep: the budget of failure lines', () => {
  it("keeps every job's failures when their lines do not all fit, and the comment says lines were left out, not that none were found", async () => {
    // Prepare: 8 failed jobs, each printing five toolchains' failures of long ASCII lines: more lines than an incident
    // keeps (192 KB), an ordinary build's long stack traces.
    const log = longFailuresLog('x'.repeat(470));
    const github = createFakeGitHub();
    github.port.listFailedJobs = async () => Array.from({ length: 8 }, (_, i) => ({ id: 9100 + i, name: `shard ${i}`, htmlUrl: null, conclusion: 'failure', checkRunId: 9100 + i, steps: [] }));
    github.port.openJobLog = async () => (async function* () {
      yield Buffer.from(log);
    })();
    const { deps } = stepDeps({ github: github.port });
    const trigger = runTrigger();

    // Act
    await classifyStep({ trigger }, deps);

    // Assert
    const incident = (await deps.incidents.get(trigger.incidentId)) as Incident;
    const kept = incident.jobs.map((job) => job.failures.reduce((lines, failure) => lines + failure.lines.length, 0));
    expect(incident.jobs.map((job) => job.failures.length)).toEqual(Array(8).fill(5));
    expect(kept[0]).toBe(125);
    expect(kept.at(-1)).toBe(0);
    const comment = renderComment(incident);
    expect(comment).not.toContain('no failure lines found');
    expect(comment).toContain('_its lines were left out: the run\'s failures fill what an incident keeps; the job log has them._');
  });
});

describe('classifyStep: check runs and forks', () => {
  it('analyses a CircleCI check run from its output text, without downloading any log', async () => {
    // Prepare
    const github = createFakeGitHub();
    const trigger = checkTrigger();
    const { deps } = stepDeps({ github: github.port, clock: () => handledAfter(trigger) });

    // Act
    const result = await classifyStep({ trigger }, deps);

    // Assert
    expect(result).toMatchObject({ incidentId: 'ghc-714523861-33219875501', category: 'network', jobCount: 1 });
    const incident = await deps.incidents.get(trigger.incidentId);
    expect(incident).toMatchObject({
      source: 'github',
      workflowName: 'CircleCI Checks: ci/circleci: build-and-test',
      pullRequest: 1287,
      runId: null,
      checkRun: { id: 33219875501, appSlug: 'circleci-checks', detailsUrl: expect.stringContaining('app.circleci.com') },
    });
    expect(incident?.jobs[0]).toMatchObject({ jobId: 33219875501, logSource: 'check_run_output', category: 'network' });
    expect(incident?.failureLines[0]?.text).toBe('npm ERR! code ETIMEDOUT');
    expect(github.calls.map((c) => c.method)).toEqual([]);
  });

  /** Classifies a fork's CircleCI check run that lists no pull request, GitHub's commit lookup answering `found`. */
  async function forkCheckPullRequest(found: Awaited<ReturnType<GitHubPort['findPullRequestsForCommit']>>) {
    const github = createFakeGitHub();
    const trigger = checkTrigger((b) => {
      Object.assign(b.check_run.check_suite, { head_branch: null, pull_requests: [] });
      b.check_run.pull_requests = [];
    });
    const { deps } = stepDeps({ github: { ...github.port, findPullRequestsForCommit: async () => found }, clock: () => handledAfter(trigger) });
    await classifyStep({ trigger }, deps);
    return (await deps.incidents.get(trigger.incidentId))?.pullRequest;
  }

  it("takes no pull request for a fork's check run when two are open at its commit, as ingest does (a stranger can open one at any commit)", async () => {
    // Act
    const pullRequest = await forkCheckPullRequest([{ number: 1290, headRepositoryId: 9001 }, { number: 1291, headRepositoryId: 9002 }]);

    // Assert
    expect(pullRequest).toBeNull();
  });

  it("never takes a pull request of the repository's own branch at a fork's commit for the fork's check run", async () => {
    // Act
    const ownBranchsAlone = await forkCheckPullRequest([{ number: 1287, headRepositoryId: 714523861 }]);
    const besideTheFork = await forkCheckPullRequest([{ number: 1287, headRepositoryId: 714523861 }, { number: 1290, headRepositoryId: 9001 }]);

    // Assert
    expect(ownBranchsAlone).toBeNull();
    expect(besideTheFork).toBe(1290);
  });

  it('finds the pull request of a fork through the head commit', async () => {
    // Prepare
    const github = createFakeGitHub();
    const port: GitHubPort = {
      ...github.port,
      async findPullRequestsForCommit(...args) {
        github.calls.push({ method: 'findPullRequestsForCommit', args });
        return [{ number: 1290, headRepositoryId: 829371044 }];
      },
    };
    const trigger = runTrigger('workflow_run-fork-failure');
    const { deps } = stepDeps({ github: port, clock: () => handledAfter(trigger) });

    // Act
    await classifyStep({ trigger }, deps);

    // Assert
    expect(trigger.pullRequests).toEqual([]);
    expect(github.calls.find((c) => c.method === 'findPullRequestsForCommit')?.args).toEqual([
      { owner: 'acme-shop', repo: 'checkout-service' },
      '5d1e9a7c3b2f4e6d8a0c1b3e5f7a9c2d4e6b8f0a',
      829371044,
    ]);
    expect((await deps.incidents.get(trigger.incidentId))?.pullRequest).toBe(1290);
  });
});

describe('notifyStep: per-installation client', () => {
  it('comments with the client of the incident’s App installation', async () => {
    // Prepare
    const github = createFakeGitHub();
    const asked: Array<number | null> = [];
    const clients: GitHubClients = {
      forInstallation(id) {
        asked.push(id);
        return id === 51234987 ? github.port : null;
      },
    };
    const { deps } = stepDeps();
    deps.github = clients;
    const trigger = runTrigger();
    await seedAnalyzed(deps, trigger);

    // Act
    await notifyStep({ trigger }, deps);

    // Assert
    expect(asked).toEqual([51234987]);
    expect(github.calls.filter((c) => c.method === 'upsertComment')).toHaveLength(1);
  });
});
