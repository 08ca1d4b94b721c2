/**
 * An open pull request whose head is a given commit, as GitHub's commit lookup finds it
 * (`GitHubPort.findPullRequestsForCommit`), with the repository its head is in (null when GitHub names none).
 */
export interface CommitPullRequest {
  number: number;
  headRepositoryId: number | null;
}
