import { type Interval, wilsonInterval } from '../knowledge/confidence.js';
import type { Experiment, VariantCounterName, VariantCounters } from './definition.js';
import { describeParams, storedParams } from './params.js';
import { logEvidenceOfDifference } from './sequential.js';

export interface VariantResult extends Interval {
  name: string;
  action: string;
  /** The arm's parameters, as `key=value, …` (or `defaults`). */
  params: string;
  /** Units whose outcome is final (their deadline passed), and how many of them succeeded: what the rule compares. */
  attempts: number;
  successes: number;
  /** Units assigned to the arm, and those still inside their window (not counted yet, success or not). */
  assigned: number;
  pending: number;
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
 * The confidence of the intervals shown per variant: the experiment's own. They describe each arm; the stopping
 * rule does not compare them (see {@link decideExperiment}).
 */
export function intervalConfidence(experiment: Pick<Experiment, 'confidence'>): number {
  return experiment.confidence;
}

/**
 * Per-variant results. `counters` are the arms' running totals (assignments, cost, time to recovery); `final` the
 * units whose outcome is final (`ExperimentStore.finalCounters`), which the rule compares: counting a unit when it
 * is assigned and its success when it comes made an arm whose recoveries take longer look worse while they were
 * pending. Without `final` (experiments created before it was kept) the totals are taken as final.
 */
export function variantResults(
  experiment: Pick<Experiment, 'variants' | 'confidence'>,
  counters: readonly VariantCounters[],
  final: readonly VariantCounters[] = counters,
): VariantResult[] {
  return experiment.variants.map((variant) => {
    const counter = counters.find((c) => c.name === variant.name);
    const finalCounter = final.find((c) => c.name === variant.name);
    const assigned = Math.max(0, counter?.attempts ?? 0);
    const attempts = Math.max(0, finalCounter?.attempts ?? 0);
    // Successes are recorded after attempts; a reader can catch the two between writes, so clamp.
    const successes = Math.min(attempts, Math.max(0, finalCounter?.successes ?? 0));
    const count = (name: VariantCounterName) => Math.max(0, Number(counter?.[name] ?? 0));
    const analyses = count('analyses');
    const priced = analyses > 0 && count('unpricedAnalyses') === 0;
    const totalCostUsd = priced ? count('costMicroUsd') / 1_000_000 : null;
    const recoveries = count('recoveries');
    // Named, not spread into the literal: a spread in the middle of an object literal built it property by property,
    // the most of variantResults' time in the stopping rule's simulation (the keys and their order are the same).
    const { rate, lower, upper } = wilsonInterval(successes, attempts, intervalConfidence(experiment));
    return {
      name: variant.name,
      action: variant.action,
      params: describeParams(storedParams(variant.params)),
      attempts,
      successes,
      assigned,
      pending: Math.max(0, assigned - attempts),
      rate,
      lower,
      upper,
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
 * The error rate each pair of arms is tested at: 2α / k for k arms (α for two). While all arms succeed equally
 * often, each pair's evidence is a martingale, and so is their average over the k(k − 1)/2 pairs. A winner needs
 * its k − 1 pairs at 1/α_pair each, which puts that average at 2/(k·α_pair) = 1/α or more: by Ville's inequality
 * that happens in at most α of experiments, however often they are looked at.
 */
export function pairErrorRate(experiment: Pick<Experiment, 'variants' | 'confidence'>): number {
  const alpha = 1 - experiment.confidence;
  return Math.min(alpha, (2 * alpha) / experiment.variants.length);
}

/**
 * The stopping rule (README, "A/B experiments"):
 *
 * 1. Until every variant has `minSamplePerVariant` attempts, keep collecting — whatever the evidence says, so an
 *    early streak cannot end the experiment.
 * 2. After that, the variant with the highest rate wins when the evidence that it differs from each other variant
 *    ({@link logEvidenceOfDifference}) reaches 1/α per pair ({@link pairErrorRate}).
 * 3. When every variant reached `maxSamplePerVariant` without a winner, stop with "no difference": either arm
 *    is fine, and the experiment should not run forever.
 * 4. Otherwise continue.
 *
 * The rule is checked after every outcome, and nothing stops an experiment when it says so. Separating fixed-sample
 * (Wilson) intervals, as it used to, is a test whose error rate holds for one look: on two identical arms at 80 %
 * with a maximum of 100 × the minimum it named a winner in 28 % of experiments, and the share grows without bound
 * with the number of looks. The evidence here is a test martingale, so the share stays under 1 − confidence
 * however often it is looked at (`test/unit/experiments/stats.test.ts` simulates both).
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
  const needed = Math.log(1 / pairErrorRate(experiment));
  const weight = (name: string) => experiment.variants.find((v) => v.name === name)?.weight ?? 1;
  const evidence = best
    ? others.map((other) => ({
        other,
        log: other.rate < best.rate
          ? logEvidenceOfDifference(
              { successes: other.successes, outcomes: other.attempts },
              { successes: best.successes, outcomes: best.attempts },
              weight(best.name) / (weight(best.name) + weight(other.name)),
            )
          : 0,
      }))
    : [];
  const weakest = evidence.reduce<(typeof evidence)[number] | undefined>((min, e) => (min === undefined || e.log < min.log ? e : min), undefined);
  if (best && weakest && evidence.every((e) => e.log >= needed)) {
    return {
      state: 'winner',
      winner: best.name,
      reason: `${best.name} wins: the evidence that it beats ${weakest.other.name} is ${ratio(weakest.log)} to 1 (${ratio(needed)} needed at ${pct(experiment.confidence)})`,
    };
  }
  if (results.every((r) => r.attempts >= experiment.maxSamplePerVariant)) {
    return { state: 'no_difference', winner: null, reason: `no variant separated after ${experiment.maxSamplePerVariant} attempts each` };
  }
  const so = weakest ? `; the evidence that ${best?.name} beats ${weakest.other.name} is ${ratio(weakest.log)} to 1` : '';
  return { state: 'continue', winner: null, reason: `not enough evidence of a difference at ${pct(experiment.confidence)} (${ratio(needed)} to 1 needed${so})` };
}

function ratio(logValue: number): string {
  const value = Math.exp(logValue);
  return value >= 100 ? value.toFixed(0) : value.toFixed(1);
}

function pct(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}
