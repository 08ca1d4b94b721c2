import * as z from 'zod';

/**
 * Who may move which repository's gate baseline. The repository in a gate request is only a claim: the caller's
 * identity (the IAM principal API Gateway authenticated, or locally the holder of GATE_TOKEN) must be configured
 * for it in `GATE_CALLERS`, so one repository's pipeline cannot move another's baseline.
 */

/** `{"<caller ARN, or a prefix ending in *>": ["owner/repo", …]}`; `"*"` as a repository allows all of them. */
export const gateCallersSchema = z.record(
  z.string().min(1).max(2048),
  z.array(z.string().regex(/^(?:\*|[\w.-]{1,100}\/[\w.-]{1,100})$/, 'must be owner/repo or *')).min(1).max(500),
);
export type GateCallers = z.infer<typeof gateCallersSchema>;

/** The caller identity the local runtime gives a request that carried the right GATE_TOKEN. */
export const LOCAL_GATE_CALLER = 'local:gate-token';

/** The repositories `caller` may use the gate for (lower case), from the longest matching entry. */
function repositoriesOf(callers: GateCallers, caller: string): string[] | null {
  let best: { length: number; repositories: string[] } | null = null;
  for (const [pattern, repositories] of Object.entries(callers)) {
    const matches = pattern.endsWith('*') ? caller.startsWith(pattern.slice(0, -1)) : caller === pattern;
    if (matches && (!best || pattern.length > best.length)) best = { length: pattern.length, repositories };
  }
  return best ? best.repositories.map((r) => r.toLowerCase()) : null;
}

/** Why `caller` may not evaluate the gate for `repository`, or null when it may. */
export function gateRefusal(callers: GateCallers, caller: string | null, repository: string): string | null {
  if (!caller) return 'the request carries no caller identity';
  const allowed = repositoriesOf(callers, caller);
  if (!allowed) return 'this caller is not configured for the quality gate (GATE_CALLERS)';
  if (!allowed.includes('*') && !allowed.includes(repository.toLowerCase())) return `this caller is not configured for ${repository}`;
  return null;
}

/** The caller API Gateway authenticated (IAM authorization fills `requestContext.identity.userArn`). */
export function gateCallerOf(event: { requestContext?: { identity?: { userArn?: string | null; caller?: string | null } | null } | null }): string | null {
  const identity = event.requestContext?.identity;
  return identity?.userArn ?? identity?.caller ?? null;
}
