/**
 * The GitHub REST adapter behind `GitHubPort`, every use of it on one identity's REST access (rest.ts): reading runs
 * and logs, re-runs, comments and reactions, labels, fix pull requests, collaborators. A function that needs only
 * some of them builds just those ports (see remediation-client.ts), so its bundle carries only their requests.
 */
import type { GitHubPort } from '../ports.js';
import { collaboratorsOf } from './collaborators.js';
import { commentsOf } from './comments.js';
import { fixPullRequestsOf } from './fix-pull-requests.js';
import { issueLabelsOf } from './labels.js';
import { rerunsOf } from './reruns.js';
import { createGitHubRest, type GitHubClientOptions } from './rest.js';
import { runReadsOf } from './runs.js';

export { GitHubRequestError } from './errors.js';
export { DEFAULT_GITHUB_API_URL, DEFAULT_MAX_LOG_BYTES, type GitHubAppInstallationAuth, type GitHubClientOptions } from './rest.js';

/**
 * Builds the whole GitHub adapter. Construct it once per process (cold start) and reuse it: the bot login is cached
 * and writes are paced per client.
 */
export function createGitHubClient(options: GitHubClientOptions): GitHubPort {
  const rest = createGitHubRest(options);
  return {
    ...runReadsOf(rest),
    ...rerunsOf(rest),
    ...commentsOf(rest),
    ...issueLabelsOf(rest),
    ...fixPullRequestsOf(rest),
    ...collaboratorsOf(rest),
    botLogin: rest.botLogin,
  };
}
