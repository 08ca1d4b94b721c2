import { describe, expect, it } from 'vitest';
import { decideExperiment, intervalConfidence, pairErrorRate, variantResults } from '../../../shared/experiments/stats.js';
import { logEvidenceOfDifference, logGamma } from '../../../shared/experiments/sequential.js';
import { seededRandom } from '../../support/random.js';
import { renderExperimentReport } from '../../../shared/experiments/report.js';
import type { Experiment } from '../../../shared/experiments/definition.js';

const experiment: Experiment = {
  id: 'rerun-vs-debug',
  description: '',
  categories: ['network'],
  fingerprints: [],
  variants: [
    { name: 'rerun', action: 'rerun_failed_jobs', weight: 1, params: {} },
    { name: 'debug', action: 'rerun_failed_jobs', weight: 1, params: { enableDebugLogging: true } },
  ],
  metric: { kind: 'recovered_within', minutes: 30 },
  minSamplePerVariant: 30,
  maxSamplePerVariant: 300,
  confidence: 0.95,
  status: 'running',
  createdAt: '2026-11-01T00:00:00Z',
  promotedVariant: null,
  promotedAt: null,
};

const decide = (a: [number, number], b: [number, number]) =>
  decideExperiment(experiment, variantResults(experiment, [
    { name: 'rerun', successes: a[0], attempts: a[1] },
    { name: 'debug', successes: b[0], attempts: b[1] },
  ]));

describe('variantResults', () => {
  it('computes each arm\'s Wilson interval at the experiment\'s confidence', () => {
    // Act
    const [rerun, debug] = variantResults({ ...experiment, confidence: 0.95 }, [{ name: 'rerun', attempts: 263, successes: 81 }]);

    // Assert: Newcombe's 81/263 example; an arm without counters is [0, 1]
    expect(rerun?.lower).toBeCloseTo(0.2553, 4);
    expect(rerun?.upper).toBeCloseTo(0.3662, 4);
    expect(debug).toMatchObject({ attempts: 0, successes: 0, lower: 0, upper: 1 });
  });

  it('clamps successes read ahead of attempts', () => {
    expect(variantResults(experiment, [{ name: 'rerun', attempts: 2, successes: 3 }])[0]?.successes).toBe(2);
  });
});

describe('stopping rule', () => {
  it('keeps collecting until every arm has the minimum sample, however lopsided', () => {
    const decision = decide([20, 20], [0, 20]);

    expect(decision.state).toBe('collecting');
    expect(decision.reason).toContain('rerun 20/30');
  });

  it('declares a winner when the evidence of a difference reaches 1/α', () => {
    // 27/30 against 12/30: about 51 to 1, where 95 % needs 20
    const decision = decide([27, 30], [12, 30]);

    expect(decision).toMatchObject({ state: 'winner', winner: 'rerun' });
    expect(decision.reason).toBe('rerun wins: the evidence that it beats debug is 50.9 to 1 (20.0 needed at 95.0%)');
  });

  it('continues while the evidence is short of it', () => {
    // 24/30 against 18/30: 0.9 to 1
    expect(decide([24, 30], [18, 30]).state).toBe('continue');
  });

  it('stops with no difference at the maximum sample', () => {
    expect(decide([150, 300], [155, 300])).toMatchObject({ state: 'no_difference', winner: null });
  });

  it('renders the table and the decision', () => {
    const results = variantResults(experiment, [
      { name: 'rerun', successes: 27, attempts: 30 },
      { name: 'debug', successes: 12, attempts: 30 },
    ]);
    const text = renderExperimentReport({ experiment, results, beforeUnits: null, decision: decideExperiment(experiment, results), intervalConfidence: intervalConfidence(experiment) });

    expect(text).toContain('rerun    rerun_failed_jobs  30     27         0        90.0%  [74.4%, 96.5%]');
    expect(text).toContain('95.0% interval');
    expect(text).toContain('decision: winner → rerun');
  });

  it('names a false winner in fewer A/A experiments than its confidence allows, though it is checked after every outcome', () => {
    // 400 experiments of two arms that both succeed half the time, at 90 % (a false winner allowed in 10 %)
    const run = simulate({ rates: [0.5, 0.5], confidence: 0.9, min: 10, max: 100, experiments: 400, seed: 20261124 });

    expect(run.winners / 400).toBeLessThan(0.1);
  });

  it('keeps the false winners under the nominal rate however long the experiment runs', () => {
    // Prepare: two identical arms at 80 % (a false winner allowed in 20 %), maximum 100 × the minimum: many looks.
    // Act
    const run = simulate({ rates: [0.5, 0.5], confidence: 0.8, min: 10, max: 1_000, experiments: 400, seed: 20261124 });

    // Assert: separating Wilson intervals at 90 % named a winner in 126 of them (31.5 %); this rule in 73 (18.3 %)
    expect(run.winners / 400).toBeLessThan(0.2);
  });

  it('still tells 50 % from 70 % in nearly every experiment, at about the same sample', () => {
    // Act
    const run = simulate({ rates: [0.5, 0.7], confidence: 0.95, min: 30, max: 300, experiments: 400, seed: 20261125 });

    // Assert: 385 of 400 (96 %) named the better arm, after 239 outcomes on average (Wilson: 98 %, 228)
    expect(run.winners).toBe(run.rightWinners);
    expect(run.winners / 400).toBeGreaterThan(0.95);
  });
});

describe('more than two arms', () => {
  it('tests each pair at 2α / k, and keeps the false winners of four identical arms under the nominal rate', () => {
    // Prepare
    const four = (confidence: number) => ({ confidence, variants: ['a', 'b', 'c', 'd'].map((name) => ({ name, action: 'escalate' as const, weight: 1, params: {} })) });

    // Act
    const run = simulate({ rates: [0.5, 0.5, 0.5, 0.5], confidence: 0.8, min: 10, max: 100, experiments: 400, seed: 20261124 });

    // Assert: α / k per pair would do too, at a cost in power (0.7 against three 0.5 arms at 90 %, seed 20261124:
    // 59 of 400 winners instead of 90)
    expect(pairErrorRate(four(0.9))).toBeCloseTo(0.05, 12);
    expect(pairErrorRate({ ...four(0.9), variants: four(0.9).variants.slice(0, 2) })).toBeCloseTo(0.1, 12);
    expect(run.winners / 400).toBeLessThan(0.2);
  });

  it('names the better of four arms more often than with α / k per pair', () => {
    const run = simulate({ rates: [0.7, 0.5, 0.5, 0.5], confidence: 0.9, min: 10, max: 100, experiments: 400, seed: 20261124 });

    expect(run.winners).toBe(run.rightWinners);
    expect(run.winners).toBeGreaterThan(75);
  });
});

describe('evidence of a difference', () => {
  it('computes ln Γ to published values', () => {
    expect(logGamma(1)).toBeCloseTo(0, 12);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
    expect(logGamma(101)).toBeCloseTo(363.73937555556347, 9);
  });

  it('is 1 to 1 without outcomes, below 1 for equal rates and grows with a difference and its sample', () => {
    const evidence = (a: number, b: number, n: number) => Math.exp(logEvidenceOfDifference({ successes: a, outcomes: n }, { successes: b, outcomes: n }, 0.5));

    expect(evidence(0, 0, 0)).toBe(1);
    expect(evidence(50, 50, 100)).toBeCloseTo(0.163, 3);
    expect(evidence(5, 7, 10)).toBeCloseTo(0.761, 3);
    expect(evidence(50, 70, 100)).toBeCloseTo(5.363, 3);
    expect(evidence(50, 75, 100)).toBeCloseTo(42.76, 2);
  });
});

/**
 * Experiments of arms with the given success rates, outcomes to a random arm one at a time, the rule checked after
 * each as the report would be; until a winner or "no difference". A fixed seed: the same counts on every run.
 */
function simulate(options: { rates: number[]; confidence: number; min: number; max: number; experiments: number; seed: number }) {
  const random = seededRandom(options.seed);
  const names = options.rates.map((_, i) => `arm${i}`);
  const definition: Experiment = {
    ...experiment,
    variants: names.map((name) => ({ name, action: 'rerun_failed_jobs', weight: 1, params: {} })),
    confidence: options.confidence,
    minSamplePerVariant: options.min,
    maxSamplePerVariant: options.max,
  };
  const better = options.rates.indexOf(Math.max(...options.rates));
  let winners = 0;
  let rightWinners = 0;
  for (let run = 0; run < options.experiments; run += 1) {
    const counts = names.map((name) => ({ name, attempts: 0, successes: 0 }));
    for (;;) {
      const arm = Math.floor(random() * names.length);
      const counter = counts[arm]!;
      counter.attempts += 1;
      if (random() < options.rates[arm]!) counter.successes += 1;
      const decision = decideExperiment(definition, variantResults(definition, counts));
      if (decision.state === 'winner') {
        winners += 1;
        if (decision.winner === names[better]) rightWinners += 1;
      }
      if (decision.state === 'winner' || decision.state === 'no_difference') break;
    }
  }
  return { winners, rightWinners };
}
