import { ExperimentStateError, ValidationError } from '../errors.js';
import { formatDuration } from '../duration.js';
import { type Experiment, outcomeWindowMinutes } from './definition.js';
import { type ExperimentDecision, type VariantResult, decideExperiment, intervalConfidence, variantResults } from './stats.js';
import { type ExperimentStore, ExperimentNotFoundError } from './store.js';

export interface ExperimentReport {
  experiment: Experiment;
  results: VariantResult[];
  /**
   * An experiment created before units were kept: per variant, what it counted before (each incident as an attempt
   * when assigned, its success when it came), shown apart and not compared by the rule. Null for the others.
   */
  beforeUnits: Array<{ name: string; attempts: number; successes: number }> | null;
  decision: ExperimentDecision;
  /** The confidence of the results' intervals, which the stopping rule compares (see `intervalConfidence`). */
  intervalConfidence: number;
}

/**
 * Definition, per-variant results with intervals, and the stopping rule's decision as of `now`: what `show` prints.
 * Outcomes count once final (their unit's deadline passed before `now`).
 */
export async function experimentReport(store: ExperimentStore, id: string, now: Date): Promise<ExperimentReport> {
  const experiment = await store.get(id);
  if (!experiment) throw new ExperimentNotFoundError(`experiment ${id} does not exist`);
  const counters = await store.counters(id);
  const final = await store.finalCounters(id, now);
  if (experiment.outcomes === 'deadline') {
    const results = variantResults(experiment, counters, final);
    return { experiment, results, beforeUnits: null, decision: decideExperiment(experiment, results), intervalConfidence: intervalConfidence(experiment) };
  }
  // Created before units were kept. Its units since are counted as any experiment's are (`claimUnit` adds them to
  // both the totals and the deadline buckets); the rest of the totals is what it counted before, attempts when
  // assigned and per incident, which read as final outcomes made pending ones failures. The two are not added up.
  const units = await store.unitCounters(id);
  const unitsOf = (name: string) => units.find((u) => u.name === name) ?? { attempts: 0, successes: 0 };
  const beforeUnits = experiment.variants.map(({ name }) => {
    const total = counters.find((c) => c.name === name);
    const since = unitsOf(name);
    const attempts = Math.max(0, (total?.attempts ?? 0) - since.attempts);
    return { name, attempts, successes: Math.min(attempts, Math.max(0, (total?.successes ?? 0) - since.successes)) };
  });
  const results = variantResults(experiment, counters.map((c) => ({ ...c, ...unitsOf(c.name) })), final);
  const decision = decideExperiment(experiment, results);
  const counted = beforeUnits.reduce((sum, b) => sum + b.attempts, 0);
  return {
    experiment,
    results,
    beforeUnits,
    decision: counted > 0 ? { ...decision, reason: `${decision.reason}; ${counted} incidents counted before units were kept are shown apart, not compared` } : decision,
    intervalConfidence: intervalConfidence(experiment),
  };
}

/**
 * Promotes a variant to the default policy. Without an explicit variant only the stopping rule's winner can be
 * promoted; naming one overrides the rule (a human decision, recorded on the experiment).
 */
export async function promoteExperiment(store: ExperimentStore, id: string, variant: string | undefined, at: Date): Promise<ExperimentReport> {
  const report = await experimentReport(store, id, at);
  // The state first: asking for a winner of an experiment that was already promoted is a conflict, as stopping it is.
  if (report.experiment.status === 'promoted') throw new ExperimentStateError(`experiment ${id} is promoted`);
  const chosen = variant ?? report.decision.winner;
  if (!chosen) {
    const names = report.experiment.variants.map((v) => v.name).join(', ');
    throw new ValidationError(
      `experiment ${id} has no winner yet (${report.decision.reason}); name a variant (${names}) to promote it anyway: guard experiments promote ${id} --variant <name>, or {"variant": "<name>"} in the request`,
    );
  }
  const experiment = await store.promote(id, chosen, at);
  return { ...report, experiment };
}

function pct(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}

/** Estimated analysis USD per analysed incident, with the number of analyses; `unpriced` when a model has no price. */
function usd(result: VariantResult): string {
  if (result.analyses === 0) return '-';
  if (result.costPerIncidentUsd === null) return `unpriced (${result.analyses})`;
  return `$${result.costPerIncidentUsd.toFixed(4)} (${result.analyses})`;
}


/** The table `guard experiments show` prints. */
export function renderExperimentReport(report: ExperimentReport): string {
  const { experiment, results, decision } = report;
  const confidence = report.intervalConfidence;
  const window = outcomeWindowMinutes(experiment.metric);
  const metric = experiment.metric.kind === 'recovered_within' ? `recovered within ${window} min` : `positive feedback within ${window} min`;
  const scope = [...experiment.categories, ...experiment.fingerprints].join(', ') || 'all incidents';
  const rows = results.map((r) => [
    r.name,
    r.action,
    String(r.attempts),
    String(r.successes),
    String(r.pending),
    pct(r.rate),
    `[${pct(r.lower)}, ${pct(r.upper)}]`,
    usd(r),
    r.meanTimeToRecoverySeconds === null ? '-' : formatDuration(r.meanTimeToRecoverySeconds),
  ]);
  const header = ['variant', 'action', 'final', 'successes', 'pending', 'rate', `${pct(confidence)} interval`, 'cost/incident', 'mean TTR'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [
    `experiment ${experiment.id} (${experiment.status}${experiment.promotedVariant ? `: ${experiment.promotedVariant} promoted` : ''})`,
    `applies to: ${scope}; success: ${metric}; minimum sample ${experiment.minSamplePerVariant} per variant`,
    '',
    line(header),
    ...rows.map(line),
    '',
    ...results.map((r) => `${r.name}: ${r.params}`),
    ...(report.beforeUnits
      ? ['', `counted before units were kept (each incident when assigned, its success when it came; not compared): ${report.beforeUnits.map((b) => `${b.name} ${b.successes}/${b.attempts}`).join(', ')}`]
      : []),
    '',
    `decision: ${decision.state}${decision.winner ? ` → ${decision.winner}` : ''} — ${decision.reason}`,
  ].join('\n');
}
