/**
 * The remediation allow-list. Nothing outside it is ever executed, whatever an analyzer proposes. A module of its
 * own, with no imports, so the experiment parameters (which name actions) and the incident (which holds them) can
 * both use it without importing each other.
 */
export const REMEDIATION_ACTIONS = [
  'comment_only',
  'rerun_failed_jobs',
  'open_fix_pr',
  'run_runbook',
  'escalate',
] as const;
export type RemediationAction = (typeof REMEDIATION_ACTIONS)[number];
