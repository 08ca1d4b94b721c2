/**
 * A fix pull request (remediate): the files it reads at the failing commit, and the branch, commit and pull request
 * it creates through the Git Data API, at most once whatever retries ask.
 */
import type * as z from '../zod.js';
import type { FixPullRequest, GitHubPort, RepoRef } from '../ports.js';
import { GitHubRequestError } from './errors.js';
import { type GitHubRest, parseBody } from './rest.js';
import { fileContentSchema, gitCommitSchema, gitObjectSchema, gitTreeSchema, pullRequestListSchema, pullRequestSchema } from './schemas.js';

export type FixPullRequestsPort = Pick<GitHubPort, 'readFile' | 'listAllFiles' | 'createFixPullRequest'>;

export function fixPullRequestsOf(rest: GitHubRest): FixPullRequestsPort {
  const { call, acquire } = rest;

  /**
   * The mode of each existing file at a tree, so a fix keeps an executable script executable. Walks one directory
   * level per request (a recursive listing truncates on large repositories), each directory read once. A path
   * that does not exist yet has no entry; a path that is not a regular file (a symlink, a submodule) is refused:
   * writing text there would replace what it points to.
   */
  async function fileModesAt(repo: RepoRef, rootTree: string, paths: readonly string[]): Promise<Map<string, string>> {
    const listings = new Map<string, Promise<z.infer<typeof gitTreeSchema>['tree']>>();
    const list = (sha: string) => {
      let listing = listings.get(sha);
      if (!listing) {
        const what = `list tree ${sha.slice(0, 12)}`;
        listing = call(what, 'GET /repos/{owner}/{repo}/git/trees/{tree_sha}', { owner: repo.owner, repo: repo.repo, tree_sha: sha })
          .then((response) => parseBody(gitTreeSchema, response, what).tree);
        listings.set(sha, listing);
      }
      return listing;
    };
    const modes = new Map<string, string>();
    for (const path of paths) {
      const parts = path.split('/');
      let sha: string | undefined = rootTree;
      for (const [index, part] of parts.entries()) {
        const entry: z.infer<typeof gitTreeSchema>['tree'][number] | undefined =
          sha === undefined ? undefined : (await list(sha)).find((e) => e.path === part);
        const last = index === parts.length - 1;
        if (!entry || (!last && entry.type !== 'tree')) break;
        if (!last) {
          sha = entry.sha;
          continue;
        }
        if (entry.mode !== '100644' && entry.mode !== '100755') {
          throw new GitHubRequestError(`${path} is not a regular file (mode ${entry.mode}): a fix does not rewrite it`, 422);
        }
        modes.set(path, entry.mode);
      }
    }
    return modes;
  }


  return {
    async readFile(repo, path, ref) {
      const what = `read ${path} at ${ref.slice(0, 12)} in ${repo.owner}/${repo.repo}`;
      try {
        const response = await call(what, 'GET /repos/{owner}/{repo}/contents/{path}', { owner: repo.owner, repo: repo.repo, path, ref });
        const file = parseBody(fileContentSchema, response, what);
        if (file.type !== 'file') return null;
        // The contents API omits the content of files over 1 MB; a fix PR never needs to rewrite one.
        if (file.encoding !== 'base64' || file.content === undefined) throw new GitHubRequestError(`${what}: file too large to patch`, 413);
        return Buffer.from(file.content, 'base64').toString('utf8');
      } catch (error) {
        if (error instanceof GitHubRequestError && error.status === 404) return null;
        throw error;
      }
    },

    async listAllFiles(repo, ref) {
      const what = `list the files at ${ref.slice(0, 12)} in ${repo.owner}/${repo.repo}`;
      const response = await call(what, 'GET /repos/{owner}/{repo}/git/trees/{tree_sha}', { owner: repo.owner, repo: repo.repo, tree_sha: ref, recursive: '1' });
      const listing = parseBody(gitTreeSchema, response, what);
      return { paths: listing.tree.filter((entry) => entry.type === 'blob').map((entry) => entry.path), complete: listing.truncated !== true };
    },

    async createFixPullRequest(repo, request: FixPullRequest) {
      const base = { owner: repo.owner, repo: repo.repo };
      const find = async () => {
        const what = `look for a pull request from ${request.branch}`;
        const response = await call(what, 'GET /repos/{owner}/{repo}/pulls', { ...base, head: `${repo.owner}:${request.branch}`, state: 'all', per_page: 10 });
        return parseBody(pullRequestListSchema, response, what)[0];
      };
      // A retry of this step after the PR was opened must return it, not open a second one.
      const existing = await find();
      if (existing) return { number: existing.number, url: existing.html_url ?? null, outcome: 'existing' as const };

      const commitWhat = `read commit ${request.baseSha.slice(0, 12)}`;
      const baseCommit = parseBody(gitCommitSchema, await call(commitWhat, 'GET /repos/{owner}/{repo}/git/commits/{commit_sha}', { ...base, commit_sha: request.baseSha }), commitWhat);
      const modes = await fileModesAt(repo, baseCommit.tree.sha, request.files.filter((file) => file.content !== null).map((file) => file.path));
      await acquire('comment');
      const treeWhat = 'create the fix tree';
      const tree = parseBody(gitObjectSchema, await call(treeWhat, 'POST /repos/{owner}/{repo}/git/trees', {
        ...base,
        base_tree: baseCommit.tree.sha,
        tree: request.files.map((file) =>
          file.content === null
            ? { path: file.path, mode: '100644', type: 'blob', sha: null }
            : { path: file.path, mode: modes.get(file.path) ?? '100644', type: 'blob', content: file.content },
        ),
      }), treeWhat);
      const commitCreateWhat = 'create the fix commit';
      const commit = parseBody(gitObjectSchema, await call(commitCreateWhat, 'POST /repos/{owner}/{repo}/git/commits', {
        ...base,
        message: request.commitMessage,
        tree: tree.sha,
        parents: [request.baseSha],
      }), commitCreateWhat);
      const refWhat = `create branch ${request.branch}`;
      try {
        await call(refWhat, 'POST /repos/{owner}/{repo}/git/refs', { ...base, ref: `refs/heads/${request.branch}`, sha: commit.sha });
      } catch (error) {
        // 422: the branch exists from an earlier try whose PR was never opened. It is ours (guard/fix-<incident>).
        if (!(error instanceof GitHubRequestError && error.status === 422)) throw error;
        await call(refWhat, 'PATCH /repos/{owner}/{repo}/git/refs/{ref}', { ...base, ref: `heads/${request.branch}`, sha: commit.sha, force: true });
      }
      const prWhat = `open the fix pull request from ${request.branch}`;
      let pull: z.infer<typeof pullRequestSchema>;
      try {
        pull = parseBody(pullRequestSchema, await call(prWhat, 'POST /repos/{owner}/{repo}/pulls', {
          ...base,
          title: request.title,
          head: request.branch,
          base: request.baseBranch,
          body: request.body,
          maintainer_can_modify: true,
          request: { retries: 0 },
        }), prWhat);
      } catch (error) {
        // An ambiguous failure may still have opened it: look before reporting failure.
        const opened = await find();
        if (!opened) throw error;
        pull = opened;
      }
      const labelWhat = `label #${pull.number}`;
      await call(labelWhat, 'POST /repos/{owner}/{repo}/issues/{issue_number}/labels', { ...base, issue_number: pull.number, labels: request.labels });
      return { number: pull.number, url: pull.html_url ?? null, outcome: 'created' as const };
    },
  };
}
