import * as z from '../zod.js';
import { repositoryKey } from '../domain/repository-key.js';

/**
 * Who may move which repository's gate baseline. The repository in a gate request is only a claim: the caller's
 * identity (the IAM principal API Gateway authenticated, or locally the holder of GATE_TOKEN) must be configured
 * for it in `GATE_CALLERS`, so one repository's pipeline cannot move another's baseline.
 *
 * The branch and commit in a request are claims too. A caller configured for a repository with the
 * {@link EVALUATE_ONLY} suffix may have its pull requests' runs evaluated but may not report a run of the default
 * branch: only runs of the default branch move the baseline (and its pass/fail memory), and a pull request's job
 * holding the same role as the main branch's could otherwise claim `branch: main` and walk the baseline down a
 * few points a run. Give the main branch's job its own role (an OIDC trust policy on `ref:refs/heads/main`).
 */

/** Suffix of a repository entry whose caller may not report runs of the default branch. */
export const EVALUATE_ONLY = ':evaluate';

/**
 * `{"<caller ARN, or a prefix ending in *>": ["owner/repo", "owner/other:evaluate", …]}`; `"*"` as a repository
 * allows all of them (`"*:evaluate"`: all of them, evaluate only).
 */
export const gateCallersSchema = z.record(
  z.string().check(z.minLength(1), z.maxLength(2048)),
  z
    .array(z.string().check(z.regex(/^(?:\*|[\w.-]{1,100}\/[\w.-]{1,100})(?::evaluate)?$/, 'must be owner/repo or *, optionally followed by :evaluate')))
    .check(z.minLength(1), z.maxLength(500)),
);
export type GateCallers = z.infer<typeof gateCallersSchema>;

/** What a caller may do with one repository's gate, or why it may not use it. */
export type GateAccess = { allowed: true; reportsDefaultBranch: boolean } | { allowed: false; refusal: string };

/** The caller identity the local runtime gives a request that carried the right GATE_TOKEN. */
export const LOCAL_GATE_CALLER = 'local:gate-token';

/** The repositories `caller` may use the gate for (as {@link repositoryKey}s), from the longest matching entry. */
function repositoriesOf(callers: GateCallers, caller: string): string[] | null {
  let best: { length: number; repositories: string[] } | null = null;
  for (const [pattern, repositories] of Object.entries(callers)) {
    const matches = pattern.endsWith('*') ? caller.startsWith(pattern.slice(0, -1)) : caller === pattern;
    if (matches && (!best || pattern.length > best.length)) best = { length: pattern.length, repositories };
  }
  return best ? best.repositories.map(repositoryKey) : null;
}

/** What `caller` may do with the gate of `repository` (the entry naming it wins over `*`; full access over evaluate-only). */
export function gateAccess(callers: GateCallers, caller: string | null, repository: string): GateAccess {
  if (!caller) return { allowed: false, refusal: 'the request carries no caller identity' };
  const entries = repositoriesOf(callers, caller);
  if (!entries) return { allowed: false, refusal: 'this caller is not configured for the quality gate (GATE_CALLERS)' };
  const wanted = repositoryKey(repository);
  const grants = entries
    .map((entry) => (entry.endsWith(EVALUATE_ONLY) ? { repository: entry.slice(0, -EVALUATE_ONLY.length), full: false } : { repository: entry, full: true }))
    .filter((grant) => grant.repository === wanted || grant.repository === '*');
  if (grants.length === 0) return { allowed: false, refusal: `this caller is not configured for ${repository}` };
  const named = grants.filter((grant) => grant.repository === wanted);
  return { allowed: true, reportsDefaultBranch: (named.length > 0 ? named : grants).some((grant) => grant.full) };
}


/** The caller API Gateway authenticated (IAM authorization fills `requestContext.identity.userArn`). */
export function gateCallerOf(event: { requestContext?: { identity?: { userArn?: string | null; caller?: string | null } | null } | null }): string | null {
  const identity = event.requestContext?.identity;
  return identity?.userArn ?? identity?.caller ?? null;
}
