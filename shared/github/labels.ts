/** The labels on an issue or pull request: remediate reads the kill-switch label among them. */
import type { GitHubPort } from '../ports.js';
import { type GitHubRest, parseBody } from './rest.js';
import { labelsPageSchema } from './schemas.js';

export type IssueLabelsPort = Pick<GitHubPort, 'listIssueLabels'>;

export function issueLabelsOf({ call }: GitHubRest): IssueLabelsPort {
  return {
    async listIssueLabels(repo, issueNumber) {
      const what = `list labels of #${issueNumber} in ${repo.owner}/${repo.repo}`;
      const response = await call(what, 'GET /repos/{owner}/{repo}/issues/{issue_number}/labels', {
        owner: repo.owner,
        repo: repo.repo,
        issue_number: issueNumber,
        per_page: 100,
      });
      return parseBody(labelsPageSchema, response, what).map((label) => label.name);
    },
  };
}
