/**
 * Adaptive quality gates: a change is judged against the repository's own recent history (the rolling baseline)
 * instead of fixed absolute numbers. Pure functions; the store and the HTTP edge live elsewhere.
 */

export const GATE_METRICS = ['coverage_pct', 'vuln_high', 'vuln_critical'] as const;
export type GateMetric = (typeof GATE_METRICS)[number];

/** Allowed movement in the bad direction before the gate fails (names as in the configuration). */
export interface GateThresholds {
  /** Coverage may drop by less than this many percentage points. */
  DELTA_COVERAGE: number;
  /** New high-severity vulnerabilities must stay below this. */
  DELTA_VULN_HIGH: number;
  /** New critical vulnerabilities must stay below this (1: any new critical one fails). */
  DELTA_VULN_CRITICAL: number;
}

/**
 * The most accepted runs a baseline averages (the BASELINE_RUNS setting's upper bound): the store keeps this many of
 * a branch's newest runs and drops older ones, which no window reads.
 */
export const MAX_BASELINE_RUNS = 100;

export const DEFAULT_THRESHOLDS: GateThresholds = { DELTA_COVERAGE: 5.0, DELTA_VULN_HIGH: 3, DELTA_VULN_CRITICAL: 1 };

/**
 * Hysteresis: after a failed gate, passing again needs the metric back inside `threshold × (1 − HYSTERESIS)`, so a
 * value hovering at the threshold does not flip the gate on every run.
 */
export const HYSTERESIS = 0.2;

const RULES: Record<GateMetric, { threshold: keyof GateThresholds; badDirection: 1 | -1; unit: string; label: string }> = {
  coverage_pct: { threshold: 'DELTA_COVERAGE', badDirection: -1, unit: ' points', label: 'coverage' },
  vuln_high: { threshold: 'DELTA_VULN_HIGH', badDirection: 1, unit: '', label: 'high-severity vulnerabilities' },
  vuln_critical: { threshold: 'DELTA_VULN_CRITICAL', badDirection: 1, unit: '', label: 'critical vulnerabilities' },
};

export type GateMetrics = Partial<Record<GateMetric, number>> & Record<string, number | undefined>;

export interface Baseline {
  /** Accepted default-branch runs in the window (0: no baseline yet). */
  runs: number;
  /** Mean of each metric over the runs that reported it. */
  means: Partial<Record<GateMetric, number>>;
  /** p50/p95 of `duration_seconds` over the window, when reported (informational). */
  duration?: { p50: number; p95: number } | undefined;
}

export interface MetricVerdict {
  metric: GateMetric;
  baseline: number;
  current: number;
  /** current − baseline. */
  delta: number;
  /** How far it moved in the bad direction (≥ 0 means worse). */
  worsening: number;
  /** The limit applied this time (reduced while the gate is recovering from a failure). */
  limit: number;
  pass: boolean;
}

export interface GateDecision {
  decision: 'pass' | 'fail';
  verdicts: MetricVerdict[];
  reasons: string[];
  /** True when the previous decision was a failure and the tighter limits applied. */
  hysteresis: boolean;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/**
 * Decides a gate. A metric fails when it moved in the bad direction by at least its threshold (coverage down by
 * ≥ 5.0 points, ≥ 3 new high, ≥ 1 new critical vulnerability by default). Metrics missing from the request or from
 * the baseline are not judged; with no baseline at all the gate passes and says so.
 */
export function evaluateGate(input: {
  baseline: Baseline;
  metrics: GateMetrics;
  thresholds: GateThresholds;
  previous: 'pass' | 'fail' | null;
}): GateDecision {
  const { baseline, metrics, thresholds } = input;
  const recovering = input.previous === 'fail';
  if (baseline.runs === 0) {
    return { decision: 'pass', verdicts: [], reasons: ['no baseline yet: passes until the default branch has accepted runs'], hysteresis: false };
  }
  const verdicts: MetricVerdict[] = [];
  const reasons: string[] = [];
  for (const metric of Object.keys(RULES) as GateMetric[]) {
    const current = metrics[metric];
    const mean = baseline.means[metric];
    if (current === undefined || mean === undefined) continue;
    const rule = RULES[metric];
    const threshold = thresholds[rule.threshold];
    const limit = recovering ? threshold * (1 - HYSTERESIS) : threshold;
    const delta = current - mean;
    const worsening = delta * rule.badDirection;
    // Compare on rounded values so 0.1 + 0.2 style dust cannot decide a gate.
    const pass = round(worsening) < round(limit);
    verdicts.push({ metric, baseline: round(mean), current, delta: round(delta), worsening: round(worsening), limit: round(limit), pass });
    if (!pass) {
      const direction = rule.badDirection === -1 ? 'dropped' : 'rose';
      reasons.push(
        `${rule.label} ${direction} by ${round(Math.abs(delta))}${rule.unit} (baseline ${round(mean)}, now ${current}); the limit is ${round(limit)}${rule.unit}${recovering ? ' while recovering from a failed gate' : ''} (${rule.threshold})`,
      );
    }
  }
  const decision = verdicts.every((v) => v.pass) ? 'pass' : 'fail';
  if (decision === 'pass') reasons.push(verdicts.length ? `within the limits of the last ${baseline.runs} accepted run(s)` : 'no comparable metrics reported');
  return { decision, verdicts, reasons, hysteresis: recovering };
}

/** Nearest-rank percentile of a non-empty list. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

/** The rolling baseline from the last accepted runs (newest first; at most N are passed in). */
export function baselineFrom(runs: ReadonlyArray<{ metrics: GateMetrics }>): Baseline {
  const means: Baseline['means'] = {};
  for (const metric of Object.keys(RULES) as GateMetric[]) {
    const values = runs.map((r) => r.metrics[metric]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    if (values.length > 0) means[metric] = values.reduce((a, b) => a + b, 0) / values.length;
  }
  const durations = runs.map((r) => r.metrics.duration_seconds).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return {
    runs: runs.length,
    means,
    ...(durations.length > 0 ? { duration: { p50: percentile(durations, 50), p95: percentile(durations, 95) } } : {}),
  };
}
