import { ExperimentStateError, ValidationError } from '../errors.js';
import { type Experiment, outcomeWindowMinutes } from './definition.js';
import { type ExperimentDecision, type VariantResult, decideExperiment, intervalConfidence, variantResults } from './stats.js';
import { type ExperimentStore, ExperimentNotFoundError } from './store.js';

export interface ExperimentReport {
  experiment: Experiment;
  results: VariantResult[];
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
  const results = variantResults(experiment, counters, experiment.outcomes === 'deadline' ? await store.finalCounters(id, now) : counters);
  return { experiment, results, decision: decideExperiment(experiment, results), intervalConfidence: intervalConfidence(experiment) };
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
  if (!chosen) throw new ValidationError(`experiment ${id} has no winner yet (${report.decision.reason}); name a variant to promote it anyway`);
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

function formatDuration(seconds: number): string {
  if (seconds < 90) return `${seconds} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
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
    '',
    `decision: ${decision.state}${decision.winner ? ` → ${decision.winner}` : ''} — ${decision.reason}`,
  ].join('\n');
}
