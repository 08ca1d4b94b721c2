/**
 * Confidence that the first failure line is the one that explains the failure, computed from evidence that is
 * independent of the rule's rank: how specific the rule is and how often it was right on the development sets,
 * whether the line sits in the step that failed, whether a green run printed it too, how far it leads the best
 * failure of another kind, and whether only generic wording matched.
 *
 * The weights are a logistic model fitted on the development sets (`npm run quality -- --fit`, see
 * `calibration.generated.ts`); README "Confidence" prints the calibration table: confidence bucket → measured hit@1.
 */
import { CALIBRATION } from './calibration.generated.js';
import type { RankingSignals } from './types.js';

export const FEATURE_NAMES = [
  'bias',
  'rule weight ≥ 85',
  'rule weight 75–84',
  'rule weight 50–74',
  'in the failed step',
  'in another step',
  'new against the green run',
  'also in the green run',
  'lead over the next kind (0–60 points)',
  'the only kind found',
  'category from the line itself',
  'single candidate',
  'last finding of its step',
  'generic wording only',
  'explaining line found inside a structured block',
  "rule's measured reliability",
] as const;

/** The rule's hit rate on the development sets, shrunk towards the overall rate (rules seen rarely stay near it). */
export function ruleReliability(rule: string): number {
  const entry = (CALIBRATION.rules as Readonly<Record<string, readonly [number, number]>>)[rule];
  const [hits, logs] = entry ?? [0, 0];
  return (hits + CALIBRATION.shrink * CALIBRATION.baseRate) / (logs + CALIBRATION.shrink);
}

/** The model's inputs, in {@link FEATURE_NAMES} order. */
export function confidenceFeatures(signals: RankingSignals, reliability: number): number[] {
  const w = signals.ruleWeight;
  return [
    1,
    w >= 85 ? 1 : 0,
    w >= 75 && w < 85 ? 1 : 0,
    w >= 50 && w < 75 ? 1 : 0,
    signals.step === 'failed' ? 1 : 0,
    signals.step === 'other' ? 1 : 0,
    signals.baseline === 'new' ? 1 : 0,
    signals.baseline === 'seen' ? 1 : 0,
    Math.max(0, Math.min(signals.margin, 60)) / 60,
    signals.margin >= 100 ? 1 : 0,
    signals.specificCategory ? 1 : 0,
    signals.candidates === 1 ? 1 : 0,
    signals.lastInStep ? 1 : 0,
    signals.generic ? 1 : 0,
    signals.picked ? 1 : 0,
    reliability,
  ];
}

/** Calibrated probability, two decimals. */
export function confidenceOf(signals: RankingSignals, rule: string = signals.rule): number {
  const x = confidenceFeatures(signals, ruleReliability(rule));
  const weights: readonly number[] = CALIBRATION.weights;
  let z = 0;
  for (let i = 0; i < x.length; i++) z += (x[i] as number) * (weights[i] ?? 0);
  return Math.round(100 / (1 + Math.exp(-z))) / 100;
}
