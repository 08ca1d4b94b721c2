/**
 * The GitHub adapter as remediate uses it (`RemediationGitHubPort`): only the ports it needs, on one REST access, so
 * its bundle leaves out reading logs, comments, reactions and collaborators.
 */
import type { RemediationGitHubPort } from '../ports.js';
import { fixPullRequestsOf } from './fix-pull-requests.js';
import { issueLabelsOf } from './labels.js';
import { rerunsOf } from './reruns.js';
import { createGitHubRest, type GitHubClientOptions } from './rest.js';

export function createRemediationGitHubClient(options: GitHubClientOptions): RemediationGitHubPort {
  const rest = createGitHubRest(options);
  return { ...rerunsOf(rest), ...issueLabelsOf(rest), ...fixPullRequestsOf(rest), botLogin: rest.botLogin };
}
