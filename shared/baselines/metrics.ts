import type { RepositoryMetrics } from './store.js';

export interface RepositoryReport extends RepositoryMetrics {
  /** Mean time to recovery of resolved incidents, seconds (null before the first recovery). */
  meanTimeToRecoverySeconds: number | null;
  /** Automatic re-runs that fixed the failure / automatic re-runs with a known outcome. */
  autoFixSuccessRate: number | null;
  /** Automatic actions a user with write access marked wrong (👎 / `/guard feedback down`) / automatic actions. */
  falsePositiveRate: number | null;
  /** Incidents classify marked flaky / incidents. */
  flakeRate: number | null;
}

const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 1000) / 1000 : null);

/** Rates from the per-repository counters (all maintained with `ADD`, so they are exact under concurrency). */
export function repositoryReport(metrics: RepositoryMetrics): RepositoryReport {
  return {
    ...metrics,
    meanTimeToRecoverySeconds: metrics.resolved > 0 ? Math.round(metrics.ttrSecondsTotal / metrics.resolved) : null,
    autoFixSuccessRate: ratio(metrics.autoFixSuccesses, metrics.autoFixAttempts),
    falsePositiveRate: ratio(metrics.falsePositives, metrics.actionsTaken),
    flakeRate: ratio(metrics.flaky, metrics.incidents),
  };
}
