/**
 * The time limits (seconds) of the functions invoked outside the state machine, one table for the CDK stack and the
 * local runtime (session 44): locally they were invoked with a 300 s context and no timeout, so a webhook, an alarm or
 * a read that AWS stops at its limit ran on there, and the limit's behaviour (the deadline a step's requests stop
 * at, the retry that follows) was never seen locally. The steps' limits are the ASL's TimeoutSeconds.
 */
export const FUNCTION_TIMEOUT_SECONDS = {
  // GitHub drops a delivery not answered within 10 s.
  'ingest-github': 10,
  // Up to 25 incidents per green run, each with a PR comment update through GitHub's retries.
  'record-outcome': 120,
  'ingest-alarm': 30,
  // API Gateway's integration limit.
  'read-api': 29,
  // Every bounded pass of one scheduled run (re-drives, digests, reactions, comments, runbook checks); locally it
  // bounds the timer's run, so one that hangs no longer stops the later ones (session 45).
  reconcile: 60,
} as const;

export type TimedFunction = keyof typeof FUNCTION_TIMEOUT_SECONDS;
