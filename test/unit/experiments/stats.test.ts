import { describe, expect, it } from 'vitest';
import { decideExperiment, intervalConfidence, variantResults } from '../../../shared/experiments/stats.js';
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
  it('computes each arm\'s Wilson interval at half the experiment\'s error rate (95 % for a 90 % experiment)', () => {
    // Act
    const [rerun, debug] = variantResults({ ...experiment, confidence: 0.9 }, [{ name: 'rerun', attempts: 263, successes: 81 }]);

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

  it('declares a winner when the intervals separate', () => {
    // At 97.5 %: 27/30 → [0.715, 0.970]; 12/30 → [0.228, 0.600]
    const decision = decide([27, 30], [12, 30]);

    expect(decision).toMatchObject({ state: 'winner', winner: 'rerun' });
  });

  it('continues while the intervals overlap', () => {
    // At 97.5 %: 24/30 → [0.599, 0.914]; 18/30 → [0.400, 0.772]
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
    const text = renderExperimentReport({ experiment, results, decision: decideExperiment(experiment, results), intervalConfidence: intervalConfidence(experiment) });

    expect(text).toContain('rerun    rerun_failed_jobs  30        27         90.0%  [71.5%, 97.0%]');
    expect(text).toContain('97.5% interval');
    expect(text).toContain('decision: winner → rerun');
  });

  it('names a false winner in fewer A/A experiments than its confidence allows, though it is checked after every outcome', () => {
    // Prepare: 400 experiments of two arms that both succeed half the time, at 90 % (a false winner allowed in 10 %),
    // minimum 10 per arm; a fixed-seed generator, so the count is the same on every run.
    let seed = 20261124;
    const random = () => (seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32;
    const aa: Experiment = { ...experiment, confidence: 0.9, minSamplePerVariant: 10, maxSamplePerVariant: 100 };
    let falseWinners = 0;

    // Act: one outcome at a time to a random arm, the rule checked after each, as the outcome recorder counts them.
    for (let run = 0; run < 400; run += 1) {
      const counts = { rerun: { attempts: 0, successes: 0 }, debug: { attempts: 0, successes: 0 } };
      for (;;) {
        const arm = random() < 0.5 ? counts.rerun : counts.debug;
        arm.attempts += 1;
        if (random() < 0.5) arm.successes += 1;
        const decision = decideExperiment(aa, variantResults(aa, [{ name: 'rerun', ...counts.rerun }, { name: 'debug', ...counts.debug }]));
        if (decision.state === 'winner') falseWinners += 1;
        if (decision.state === 'winner' || decision.state === 'no_difference') break;
      }
    }

    // Assert: with the intervals at the experiment's own 90 %, 63 of them (16 %) named one.
    expect(falseWinners / 400).toBeLessThan(0.1);
  });
});
