/**
 * The GitHub adapter as classify uses it (`RunReadingGitHubPort`): reading a failed run and nothing else, on one REST
 * access, so its bundle leaves out comments, reactions, labels, re-runs, fix pull requests and collaborators.
 */
import type { RunReadingGitHubPort } from '../ports.js';
import { createGitHubRest, type GitHubClientOptions } from './rest.js';
import { runReadsOf } from './runs.js';

export function createRunReadingGitHubClient(options: GitHubClientOptions): RunReadingGitHubPort {
  return runReadsOf(createGitHubRest(options));
}
