import { beforeEach, describe, expect, it } from 'vitest';
import { handleGithubWebhook } from '../../shared/ingest/github-webhook.js';
import { escalationFor } from '../../shared/notify/escalation-policy.js';
import { memoryIngest, signedWebhook } from '../support/ingest.js';

/**
 * Attack pass 9, finding 2. GitHub lists in a run's (or check run's) `pull_requests` the open pull requests whose
 * head branch and commit match the run's, whichever repository the head is in. Anyone can fork the repository, keep
 * a branch of the fork at the commit of the repository's `main` (or `release`), and open a pull request from it into
 * the repository. Was: ingest kept every listed pull request whose base is this repository, so the repository's own
 * push failure on `main` was taken for the outsider's pull request's: the analysis (and any approval request) went
 * to the outsider's pull request, the kill-switch label was read there, and on-call was not paged ("the pull request
 * comment tells its author"); a check run's failure was even taken for the fork's code, which never pages.
 * Required: only a pull request whose head is the run's head repository is the run's (as the commit lookup in
 * findPullRequestsForCommit already requires).
 */
const SECRET = 'attack-pass-9-secret';
const REPOSITORY_ID = 714523861;
const OUTSIDERS_FORK_ID = 829371044;

/** The outsider's pull request from their fork's branch of the same name, at the same commit, into this repository. */
function outsidersPullRequest(branch: string, sha: string) {
  return {
    number: 4242,
    head: { ref: branch, sha, repo: { id: OUTSIDERS_FORK_ID, name: 'checkout-service' } },
    base: { ref: 'develop', sha: '1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b', repo: { id: REPOSITORY_ID, name: 'checkout-service' } },
  };
}

const request = (name: string, mutate: (body: Record<string, any>) => void) => signedWebhook(name, SECRET, mutate);

describe("an outsider's pull request listed with the repository's own run", () => {
  let ingest: ReturnType<typeof memoryIngest>;
  beforeEach(() => {
    ingest = memoryIngest(SECRET);
  });

  it("is not the pull request of the repository's push to main, which still pages", async () => {
    // Act: a push to main fails; GitHub lists the outsider's pull request from their fork's main at that commit.
    const response = await handleGithubWebhook(
      request('workflow_run-failure', (b) => {
        const run = b.workflow_run;
        Object.assign(run, { event: 'push', head_branch: 'main', pull_requests: [outsidersPullRequest('main', run.head_sha)] });
      }),
      ingest.deps,
    );

    // Assert: the incident is main's, with no pull request; explained nowhere else, its failure pages on-call
    const incident = ingest.store.items.get(String(response.body.incidentId))?.incident;
    expect(incident).toMatchObject({ pullRequest: null, fromFork: false, branch: 'main' });
    const notified = { ...incident!, status: 'notified' as const, decision: { action: 'escalate' as const, applied: false, dryRun: false, reason: 'the analysis asks for a human', result: 'escalated', decidedAt: '2026-11-20T11:01:00Z' } };
    const { route } = escalationFor(notified, { ownRerun: false, policy: { branches: ['main'], pullRequests: false, scheduled: true, windowMinutes: 60, digest: true } });
    expect(route.page).toBe(true);
  });

  it("is not the pull request of the repository's own check run, nor makes its code a fork's", async () => {
    // Act: another CI's check of a push to release fails; GitHub lists the outsider's pull request from release.
    const response = await handleGithubWebhook(
      request('check_run-circleci-failure', (b) => {
        const check = b.check_run;
        check.check_suite.head_branch = 'release';
        check.pull_requests = [outsidersPullRequest('release', check.head_sha)];
      }),
      ingest.deps,
    );

    // Assert
    expect(ingest.store.items.get(String(response.body.incidentId))?.incident).toMatchObject({ pullRequest: null, fromFork: false, headRepositoryId: REPOSITORY_ID });
  });

  it("still keeps a fork's own pull request for the fork's run", async () => {
    // Act
    const response = await handleGithubWebhook(
      request('workflow_run-fork-failure', (b) => {
        const run = b.workflow_run;
        run.pull_requests = [outsidersPullRequest(run.head_branch, run.head_sha)];
      }),
      ingest.deps,
    );

    // Assert
    expect(ingest.store.items.get(String(response.body.incidentId))?.incident).toMatchObject({ pullRequest: 4242, fromFork: true });
  });
});
