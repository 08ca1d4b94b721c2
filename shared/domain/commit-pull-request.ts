import { type HeadRepository, isFork } from './trigger.js';

/**
 * An open pull request whose head is a given commit, as GitHub's commit lookup finds it
 * (`GitHubPort.findPullRequestsForCommit`), with the repository its head is in (null when GitHub names none).
 */
export interface CommitPullRequest {
  number: number;
  headRepositoryId: number | null;
}

/**
 * The pull request a run or check run at a commit is of, from what GitHub's commit lookup found there (open pull
 * requests whose head is the commit, from the run's head repository when that is known); null when it cannot be told
 * for sure. Ingest keys a fork's check run by it and classify comments on it: both take it here, so they agree.
 * - The repository's own code: the lookup kept only its own branches' pull requests; the first is taken.
 * - A fork's, or code from an unknown head: never a pull request of this repository's own branch that has the same
 *   commit as its head, and only when exactly one is left: anyone can open a pull request from their fork at any
 *   commit, so with two the run's own is not known.
 */
export function pullRequestAtCommit(found: readonly CommitPullRequest[], head: HeadRepository): number | null {
  if (!isFork(head)) return found[0]?.number ?? null;
  const ofForks = [...new Set(found.filter((pr) => pr.headRepositoryId !== head.repositoryId).map((pr) => pr.number))];
  return ofForks.length === 1 ? (ofForks[0] ?? null) : null;
}
