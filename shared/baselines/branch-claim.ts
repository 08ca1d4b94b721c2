import { beforeAbort } from '../abort.js';
import { errorMessage } from '../errors.js';
import type { BranchMembership, GitHubPort, RepoRef } from '../ports.js';

/**
 * The GitHub access the gate needs: the App installation covering a repository (absent with a token), and that
 * installation's view of the repository's commits. `GitHubClients` is one; nothing the gate is given writes.
 */
export interface GateGitHub {
  installationFor?(repo: RepoRef): Promise<number | null>;
  forInstallation(installationId: number | null, signal?: AbortSignal): Pick<GitHubPort, 'commitOnBranch'> | null;
}

/** Why a run's claim to be on the default branch was not confirmed: GitHub's answer, or why there was none. */
export type UnverifiedBecause = 'off_branch' | 'unknown_commit' | 'no_github_access' | 'github_unavailable';

export type BranchClaim =
  /** `sha`: the commit's full SHA as GitHub resolved the one claimed (a prefix, in any case, names the same commit). */
  | { verified: true; sha: string }
  /** `reason` is for the caller (no internals); `error`, when GitHub failed, is for the log only. */
  | { verified: false; because: UnverifiedBecause; reason: string; error?: string };

/**
 * How long a verification may take. evaluate-gate has 10 s (infra/stack.ts) for its DynamoDB reads and writes as
 * well, and the CI job waits for the answer: past this the claim stays unverified and the verdict is still given.
 */
export const VERIFY_TIMEOUT_MS = 4_000;

/**
 * Asks GitHub whether `sha` is on `branch` of `repository` (the branch's head or an ancestor of it). The branch and
 * the commit of a gate request are the caller's word; with one CI role for every job, a pull request's job could
 * otherwise report its own commit as a run of the default branch. Fails closed: no access, an error or no answer
 * in time leaves the claim unverified. `openGitHub` is called here, so reading the credential is bounded as well.
 */
export async function verifyBranchClaim(
  openGitHub: () => Promise<GateGitHub | null>,
  claim: { repository: string; branch: string; sha: string },
  timeoutMs = VERIFY_TIMEOUT_MS,
): Promise<BranchClaim> {
  const { repository, branch, sha } = claim;
  const [owner = '', name = ''] = repository.split('/');
  const repo = { owner, repo: name };
  const unverified = (because: UnverifiedBecause, reason: string, error?: string): BranchClaim => ({
    verified: false,
    because,
    reason,
    ...(error === undefined ? {} : { error }),
  });
  const noAccessReason = `the gate has no GitHub access to ${repository} to check that ${sha} is on ${branch}`;
  const deadline = AbortSignal.timeout(timeoutMs);
  let github: GateGitHub | null;
  try {
    github = await beforeAbort(deadline, openGitHub);
  } catch (error) {
    return unverified('no_github_access', noAccessReason, errorMessage(error));
  }
  if (!github) return unverified('no_github_access', noAccessReason);
  let membership: BranchMembership | null;
  try {
    membership = await beforeAbort(deadline, async () => {
      const installationId = github.installationFor ? await github.installationFor(repo) : null;
      // The deadline also stops the client's own requests and retries, not only this wait for them.
      const port = github.forInstallation(installationId, deadline);
      return port ? port.commitOnBranch(repo, branch, sha) : null;
    });
  } catch (error) {
    return unverified('github_unavailable', `GitHub could not be asked whether ${sha} is on ${branch}`, errorMessage(error));
  }
  if (membership === null) return unverified('no_github_access', noAccessReason);
  if (membership.status === 'on_branch') return { verified: true, sha: membership.sha };
  if (membership.status === 'off_branch') return unverified('off_branch', `${sha} is not on ${branch}`);
  return unverified('unknown_commit', `GitHub knows no commit ${sha} on ${branch} of ${repository}`);
}
