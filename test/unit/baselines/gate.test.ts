import { describe, expect, it } from 'vitest';
import { evaluateGateRequest, gateRequestSchema, gateSettings } from '../../../shared/baselines/evaluate.js';
import { jobEvidenceNames } from '../../../shared/baselines/flaky.js';
import type { BaselineStore } from '../../../shared/baselines/store.js';
import { ValidationError } from '../../../shared/errors.js';
import { DEFAULT_THRESHOLDS, baselineFrom, evaluateGate, percentile } from '../../../shared/baselines/gate.js';
import { repositoryReport } from '../../../shared/baselines/metrics.js';
import { loadConfig } from '../../../shared/config.js';
import { noMetrics } from '../../../shared/adapters/metrics.js';
import { silentLogger } from '../../../shared/steps/deps.js';

const baseline = baselineFrom([
  { metrics: { coverage_pct: 80, vuln_high: 2, vuln_critical: 0, duration_seconds: 300 } },
  { metrics: { coverage_pct: 82, vuln_high: 2, vuln_critical: 0, duration_seconds: 320 } },
  { metrics: { coverage_pct: 81, vuln_high: 2, vuln_critical: 0, duration_seconds: 900 } },
]);
const gate = (metrics: Record<string, number>, previous: 'pass' | 'fail' | null = null) =>
  evaluateGate({ baseline, metrics, thresholds: DEFAULT_THRESHOLDS, previous });

describe('baselineFrom', () => {
  it('averages each metric over the runs and reports duration percentiles', () => {
    expect(baseline).toEqual({ runs: 3, means: { coverage_pct: 81, vuln_high: 2, vuln_critical: 0 }, duration: { p50: 320, p95: 900 } });
    expect(percentile([5, 1, 3, 2, 4], 50)).toBe(3);
  });
});

describe('evaluateGate', () => {
  it('passes within the thresholds', () => {
    const decision = gate({ coverage_pct: 77, vuln_high: 4, vuln_critical: 0 });

    expect(decision.decision).toBe('pass');
    expect(decision.verdicts.map((v) => [v.metric, v.delta])).toEqual([['coverage_pct', -4], ['vuln_high', 2], ['vuln_critical', 0]]);
  });

  it('fails a coverage drop of 5.0 points or more, with the reason', () => {
    const decision = gate({ coverage_pct: 76 });

    expect(decision.decision).toBe('fail');
    expect(decision.reasons[0]).toBe('coverage dropped by 5 points (baseline 81, now 76); the limit is 5 points (DELTA_COVERAGE)');
  });

  it('fails 3 new high or 1 new critical vulnerability', () => {
    expect(gate({ vuln_high: 5 }).decision).toBe('fail');
    expect(gate({ vuln_high: 4 }).decision).toBe('pass');
    expect(gate({ vuln_critical: 1 }).decision).toBe('fail');
  });

  it('improvements never fail', () => {
    expect(gate({ coverage_pct: 99, vuln_high: 0, vuln_critical: 0 }).decision).toBe('pass');
  });

  it('has hysteresis: after a failure, passing needs the metric back inside 80 % of the threshold', () => {
    // A 4.5-point drop passes from a passing state but not right after a failure.
    expect(gate({ coverage_pct: 76.5 }, 'pass').decision).toBe('pass');
    const recovering = gate({ coverage_pct: 76.5 }, 'fail');
    expect(recovering).toMatchObject({ decision: 'fail', hysteresis: true });
    expect(recovering.reasons[0]).toContain('the limit is 4 points while recovering');
    expect(gate({ coverage_pct: 77.5 }, 'fail').decision).toBe('pass');
  });

  it('passes without a baseline and ignores metrics the baseline lacks', () => {
    expect(evaluateGate({ baseline: { runs: 0, means: {} }, metrics: { coverage_pct: 1 }, thresholds: DEFAULT_THRESHOLDS, previous: null })).toMatchObject({
      decision: 'pass',
      reasons: ['no baseline yet: passes until the default branch has accepted runs'],
    });
    expect(evaluateGate({ baseline: { runs: 2, means: { vuln_high: 1 } }, metrics: { coverage_pct: 1 }, thresholds: DEFAULT_THRESHOLDS, previous: null }).verdicts).toEqual([]);
  });
});

describe('gate settings and requests', () => {
  it('takes thresholds and the default branch per repository, falling back to the DELTA_* settings', () => {
    // Arrange
    const config = loadConfig({ DELTA_COVERAGE: '2.5', GATE_REPOSITORIES: '{"acme/shop":{"defaultBranch":"trunk","DELTA_VULN_HIGH":1}}' });

    // Act / Assert
    expect(gateSettings(config, 'acme/shop')).toEqual({ defaultBranch: 'trunk', thresholds: { DELTA_COVERAGE: 2.5, DELTA_VULN_HIGH: 1, DELTA_VULN_CRITICAL: 1 } });
    expect(gateSettings(config, 'acme/other').defaultBranch).toBe('main');
    expect(() => loadConfig({ GATE_REPOSITORIES: '{"bad key":{}}' })).toThrow(/GATE_REPOSITORIES/);
  });

  it('validates and bounds the request', () => {
    const ok = { repository: 'acme/shop', branch: 'main', sha: 'abc1234', metrics: { coverage_pct: 80 } };

    expect(gateRequestSchema.safeParse(ok).success).toBe(true);
    expect(gateRequestSchema.safeParse({ ...ok, metrics: { coverage_pct: 120 } }).success).toBe(false);
    expect(gateRequestSchema.safeParse({ ...ok, sha: 'not-a-sha' }).success).toBe(false);
    expect(gateRequestSchema.safeParse({ ...ok, extra: 1 }).success).toBe(false);
    expect(gateRequestSchema.safeParse({ ...ok, tests: { failed: Array.from({ length: 501 }, (_, i) => `t${i}`) } }).success).toBe(false);
  });

  it('refuses `.` and `..` as an owner or repository: the name goes into a GitHub API path, where they climb out of /repos', () => {
    const ok = { repository: 'acme/shop', branch: 'main', sha: 'abc1234', metrics: {} };

    for (const repository of ['../shop', 'acme/..', './.', '../..']) {
      expect(gateRequestSchema.safeParse({ ...ok, repository }).success, repository).toBe(false);
    }
    expect(gateRequestSchema.safeParse({ ...ok, repository: 'acme/.github' }).success).toBe(true);
    expect(gateRequestSchema.safeParse({ ...ok, repository: 'acme/shop..v2' }).success).toBe(true);
  });
});

describe('gate test results and job evidence', () => {
  it("refuses a test named like a job's flaky evidence: a test's author could mark the repository's job flaky", async () => {
    // Prepare: the tests a gate request reports are named by whoever wrote them (a pull request's author); one
    // request holding a name as failed and passed is flaky evidence at once (retried tests are reported so)
    const recorded: string[] = [];
    const baselines = {
      recentRuns: async () => [],
      gateState: async () => null,
      saveGateState: async () => {},
      acceptRun: async () => false,
      recordTestResults: async (_repo: string, _sha: string, results: ReadonlyArray<{ test: string }>) => {
        recorded.push(...results.map((r) => r.test));
        return [];
      },
    } as unknown as BaselineStore;
    const config = loadConfig({});
    const job = jobEvidenceNames({ workflowName: 'CI', jobs: [{ jobName: 'test' }] as never })[0] as string;
    const body = { repository: 'acme/shop', branch: 'feature/x', sha: 'abc1234', metrics: {}, tests: { failed: [job], passed: [job] } };

    // Act
    const refused = evaluateGateRequest(body, { baselines, config, clock: () => new Date(), github: async () => null, logger: silentLogger, metrics: noMetrics });

    // Assert
    await expect(refused).rejects.toThrow(ValidationError);
    await expect(refused).rejects.toThrow(/tests/);
    expect(recorded).toEqual([]);
  });
});

describe('repositoryReport', () => {
  it('turns counters into rates', () => {
    const report = repositoryReport({
      repository: 'acme/shop', incidents: 20, resolved: 10, ttrSecondsTotal: 6000, autoFixAttempts: 8, autoFixSuccesses: 6,
      actionsTaken: 8, falsePositives: 1, flaky: 5,
    });

    expect(report).toMatchObject({ meanTimeToRecoverySeconds: 600, autoFixSuccessRate: 0.75, falsePositiveRate: 0.125, flakeRate: 0.25 });
  });
});
