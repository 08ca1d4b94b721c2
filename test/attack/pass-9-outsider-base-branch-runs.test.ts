import { describe, expect, it } from 'vitest';
import { type FakeGitHub, clientFor } from '../support/fake-github.js';
import { eachTestWithFakeGitHub } from '../unit/github/fake-server.js';

/**
 * Attack pass 9, finding 3. A workflow that also runs on an event anyone can cause (`on: [push, pull_request,
 * issues]`) runs on the default branch each time someone opens an issue, stars the repository or reviews a pull
 * request, and its result (and its log, which may echo the issue) is the outsider's to arrange. Was: the newest such
 * run was taken for the branch's state: a failed one made every pull request failure of that workflow read "also
 * failing on the base branch: probably not caused by this change", and a green one became the green-run baseline
 * whose lines are hidden from the next failures' logs. Required: the branch's own runs only, as for runs that may run
 * a fork's code.
 */
const repo = { owner: 'octo', repo: 'app' };

describe("a base branch's newest run of an event anyone can cause", () => {
  let fake: FakeGitHub;
  eachTestWithFakeGitHub((started) => {
    fake = started;
  });

  it.each(['issues', 'watch', 'discussion', 'pull_request_review'])('is not the state of the branch (%s)', async (event) => {
    // Prepare: the newest runs "on main" were started by an outsider's event; the push before them passed
    fake.workflowRuns.set(161335, [
      { id: 912, run_attempt: 1, head_branch: 'main', conclusion: 'failure', event },
      { id: 911, run_attempt: 1, head_branch: 'main', conclusion: 'success', event },
      { id: 910, run_attempt: 1, head_branch: 'main', conclusion: 'success', event: 'push' },
    ]);
    const client = clientFor(fake);

    // Act
    const completed = await client.latestCompletedRun(repo, 161335, 'main');
    const green = await client.latestSuccessfulRun(repo, 161335, 'main');

    // Assert: the base branch's state and the green-run baseline come from the push
    expect(completed).toMatchObject({ id: 910, conclusion: 'success' });
    expect(green).toEqual({ id: 910, attempt: 1 });
  });
});
