import { type Interval, wilsonInterval } from '../knowledge/confidence.js';
import type { Experiment, VariantCounterName, VariantCounters } from './definition.js';
import { describeParams, storedParams } from './params.js';

export interface VariantResult extends Interval {
  name: string;
  action: string;
  /** The arm's parameters, as `key=value, …` (or `defaults`). */
  params: string;
  attempts: number;
  successes: number;
  /** Analyses charged to the arm, their tokens, and the estimated USD per analysed incident (null: none yet, or a model without a price). */
  analyses: number;
  inputTokens: number;
  outputTokens: number;
  costPerIncidentUsd: number | null;
  totalCostUsd: number | null;
  /** Recoveries of the arm's incidents (any time) and their mean time to recovery in seconds (null: none yet). */
  recoveries: number;
  meanTimeToRecoverySeconds: number | null;
}

export type DecisionState = 'collecting' | 'continue' | 'winner' | 'no_difference';

export interface ExperimentDecision {
  state: DecisionState;
  winner: string | null;
  reason: string;
}

/**
 * The confidence of the intervals the stopping rule compares: half the experiment's error rate. The rule is checked
 * after every outcome, and each check is a chance to see a difference that is not there. With the intervals at the
 * experiment's own confidence, experiments of two identical arms (success rates 0.1 to 0.8, 300 to 1,000 each,
 * minimum samples 5 to 30, maximum 10 to 50 times the minimum) declared a winner in up to 9 % of them at 95 %, 23 % at
 * 90 % and 40 % at 80 %; with half the error rate, in at most 3.0 %, 9.0 % and 17.2 %: under the nominal rate in
 * every case measured. The price: arms of 50 % and 70 % at 95 % and a minimum of 30 are told apart after 227
 * outcomes on average instead of 164 (98.8 % instead of 99.3 % of them before the maximum).
 */
export function intervalConfidence(experiment: Pick<Experiment, 'confidence'>): number {
  return 1 - (1 - experiment.confidence) / 2;
}

export function variantResults(experiment: Pick<Experiment, 'variants' | 'confidence'>, counters: readonly VariantCounters[]): VariantResult[] {
  return experiment.variants.map((variant) => {
    const counter = counters.find((c) => c.name === variant.name);
    const attempts = Math.max(0, counter?.attempts ?? 0);
    // Successes are recorded after attempts; a reader can catch the two between writes, so clamp.
    const successes = Math.min(attempts, Math.max(0, counter?.successes ?? 0));
    const count = (name: VariantCounterName) => Math.max(0, Number(counter?.[name] ?? 0));
    const analyses = count('analyses');
    const priced = analyses > 0 && count('unpricedAnalyses') === 0;
    const totalCostUsd = priced ? count('costMicroUsd') / 1_000_000 : null;
    const recoveries = count('recoveries');
    return {
      name: variant.name,
      action: variant.action,
      params: describeParams(storedParams(variant.params)),
      attempts,
      successes,
      ...wilsonInterval(successes, attempts, intervalConfidence(experiment)),
      analyses,
      inputTokens: count('inputTokens'),
      outputTokens: count('outputTokens'),
      costPerIncidentUsd: totalCostUsd === null ? null : Math.round((totalCostUsd / analyses) * 1_000_000) / 1_000_000,
      totalCostUsd,
      recoveries,
      meanTimeToRecoverySeconds: recoveries > 0 ? Math.round(count('ttrSecondsTotal') / recoveries) : null,
    };
  });
}

/**
 * The stopping rule (README, "A/B experiments"):
 *
 * 1. Until every variant has `minSamplePerVariant` attempts, keep collecting — whatever the intervals say, so an
 *    early streak cannot end the experiment (the "peeking" problem).
 * 2. After that, a variant wins when the lower bound of its Wilson interval (at {@link intervalConfidence}) is
 *    above the upper bound of every other variant's interval: the intervals have separated.
 * 3. When every variant reached `maxSamplePerVariant` without separation, stop with "no difference": either arm
 *    is fine, and the experiment should not run forever.
 * 4. Otherwise continue.
 *
 * The rule is checked after every outcome; the intervals' confidence ({@link intervalConfidence}) keeps the rate of
 * false winners under the experiment's nominal one, as measured there.
 */
export function decideExperiment(
  experiment: Pick<Experiment, 'variants' | 'confidence' | 'minSamplePerVariant' | 'maxSamplePerVariant'>,
  results: readonly VariantResult[],
): ExperimentDecision {
  const short = results.filter((r) => r.attempts < experiment.minSamplePerVariant);
  if (short.length > 0) {
    const need = short.map((r) => `${r.name} ${r.attempts}/${experiment.minSamplePerVariant}`).join(', ');
    return { state: 'collecting', winner: null, reason: `collecting the minimum sample (${need})` };
  }
  const ranked = [...results].sort((a, b) => b.rate - a.rate || b.lower - a.lower);
  const [best, ...others] = ranked;
  if (best && others.every((other) => best.lower > other.upper)) {
    const runnerUp = others[0];
    return {
      state: 'winner',
      winner: best.name,
      reason: `${best.name} wins: its ${pct(intervalConfidence(experiment))} interval [${pct(best.lower)}, ${pct(best.upper)}] is above ${runnerUp ? `${runnerUp.name}'s [${pct(runnerUp.lower)}, ${pct(runnerUp.upper)}]` : 'the others'}`,
    };
  }
  if (results.every((r) => r.attempts >= experiment.maxSamplePerVariant)) {
    return { state: 'no_difference', winner: null, reason: `no variant separated after ${experiment.maxSamplePerVariant} attempts each` };
  }
  return { state: 'continue', winner: null, reason: `intervals still overlap at ${pct(intervalConfidence(experiment))} confidence` };
}

function pct(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}
