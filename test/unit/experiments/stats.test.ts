import { describe, expect, it } from 'vitest';
import { decideExperiment, variantResults } from '../../../shared/experiments/stats.js';
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
    const [rerun, debug] = variantResults(experiment, [{ name: 'rerun', attempts: 263, successes: 81 }]);

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
    // 27/30 → [0.744, 0.965]; 12/30 → [0.246, 0.577]
    const decision = decide([27, 30], [12, 30]);

    expect(decision).toMatchObject({ state: 'winner', winner: 'rerun' });
  });

  it('continues while the intervals overlap', () => {
    // 24/30 → [0.627, 0.905]; 18/30 → [0.423, 0.754]
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
    const text = renderExperimentReport({ experiment, results, decision: decideExperiment(experiment, results) });

    expect(text).toContain('rerun    rerun_failed_jobs  30        27         90.0%');
    expect(text).toContain('decision: winner → rerun');
  });
});
