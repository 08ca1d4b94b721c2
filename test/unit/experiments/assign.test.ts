import { describe, expect, it } from 'vitest';
import { assignVariant, assignmentPoint, experimentApplies, incidentAssignmentKey } from '../../../shared/experiments/assign.js';
import { parseExperimentInput } from '../../../shared/experiments/store.js';

const experiment = parseExperimentInput({
  id: 'rerun-vs-debug',
  categories: ['network'],
  variants: [
    { name: 'rerun', action: 'rerun_failed_jobs', weight: 50 },
    { name: 'debug', action: 'rerun_failed_jobs', weight: 50, params: { enableDebugLogging: true } },
  ],
  metric: { kind: 'recovered_within', minutes: 30 },
});

describe('assignment', () => {
  it('is stable: the same experiment and incident key always give the same point and variant', () => {
    // Arrange
    const key = 'acme/shop|CI|9f2c4e1ab37d5c6e8f901b2a3c4d5e6f7a8b9c0d';

    // Act
    const first = assignmentPoint(experiment.id, key);
    const variants = Array.from({ length: 5 }, () => assignVariant(experiment, key).name);

    // Assert: a value fixed by SHA-256 (cross-checked with Python hashlib), the same in every process and deploy
    expect(first).toBe(assignmentPoint(experiment.id, key));
    expect(first).toMatchInlineSnapshot(`0.7095389703691726`);
    expect(new Set(variants).size).toBe(1);
  });

  it('splits traffic by the weights', () => {
    // Arrange
    const weighted = { id: 'split', variants: [{ ...experiment.variants[0]!, weight: 80 }, { ...experiment.variants[1]!, weight: 20 }] };

    // Act
    const counts = { rerun: 0, debug: 0 } as Record<string, number>;
    for (let i = 0; i < 10_000; i += 1) counts[assignVariant(weighted, `incident-${i}`).name]! += 1;

    // Assert: within 2 points of 80/20 (binomial sd is 0.4 points)
    expect(counts.rerun! / 10_000).toBeGreaterThan(0.78);
    expect(counts.rerun! / 10_000).toBeLessThan(0.82);
  });

  it('splits independently per experiment', () => {
    const keys = Array.from({ length: 2_000 }, (_, i) => `k${i}`);
    const a = keys.map((k) => assignmentPoint('exp-a', k) < 0.5);
    const b = keys.map((k) => assignmentPoint('exp-b', k) < 0.5);
    const agree = a.filter((value, i) => value === b[i]).length / keys.length;

    expect(agree).toBeGreaterThan(0.45);
    expect(agree).toBeLessThan(0.55);
  });

  it('keys GitHub incidents by commit so re-run attempts stay in one arm, alarms by id', () => {
    const base = { repository: 'acme/shop', workflowName: 'CI', headSha: 'abc1234' };

    expect(incidentAssignmentKey({ id: 'gh-1-2-1', ...base })).toBe(incidentAssignmentKey({ id: 'gh-1-2-2', ...base }));
    expect(incidentAssignmentKey({ id: 'cw-x', repository: null, workflowName: null, headSha: null })).toBe('cw-x');
  });

  it('applies to its categories or fingerprints while running', () => {
    expect(experimentApplies({ ...experiment, status: 'running' }, 'network', null)).toBe(true);
    expect(experimentApplies({ ...experiment, status: 'running' }, 'lint', null)).toBe(false);
    expect(experimentApplies({ ...experiment, status: 'promoted' }, 'network', null)).toBe(false);
    expect(experimentApplies({ status: 'running', categories: [], fingerprints: ['abcdef0123456789'] }, 'lint', 'abcdef0123456789')).toBe(true);
    expect(experimentApplies({ status: 'running', categories: [], fingerprints: [] }, 'lint', null)).toBe(true);
  });
});

describe('experiment definitions', () => {
  it('fills defaults and rejects unknown keys, bad actions and duplicate variants', () => {
    expect(experiment).toMatchObject({ minSamplePerVariant: 30, confidence: 0.95, fingerprints: [] });
    expect(() => parseExperimentInput({ ...experiment, surprise: true })).toThrow(/invalid experiment/);
    expect(() => parseExperimentInput({ ...experiment, variants: [{ name: 'a', action: 'merge_it', weight: 1 }, experiment.variants[0]] })).toThrow(/variants\.0\.action/);
    expect(() => parseExperimentInput({ ...experiment, variants: [experiment.variants[0], experiment.variants[0]] })).toThrow(/unique/);
    expect(() => parseExperimentInput({ ...experiment, id: 'Bad Id' })).toThrow(/id/);
  });
});
