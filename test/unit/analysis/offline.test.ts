import { describe, expect, it } from 'vitest';
import { REMEDIATION_ACTIONS, type RemediationAction } from '../../../shared/domain/incident.js';
import type { Category } from '../../../shared/logs/types.js';
import { analyzeOffline, createOfflineAnalyzer, validateAnalysis } from '../../../shared/analysis/index.js';
import { alarmInput, githubInput, knowledge, lines, testFailureInput } from './fixtures.js';

interface Case {
  category: Category;
  rule: string | null;
  text: string;
  action: RemediationAction;
  /** Specifics the root cause or the fix must name. */
  mentions: string[];
}

const cases: Case[] = [
  {
    category: 'test_failure',
    rule: 'pytest.failed',
    text: 'FAILED tests/test_cart.py::test_discount - AssertionError: assert 90 == 81',
    action: 'comment_only',
    mentions: ['test_discount', 'pytest tests/test_cart.py::test_discount'],
  },
  {
    category: 'test_failure',
    rule: 'go.test-failed',
    text: '--- FAIL: TestCheckout (0.02s)',
    action: 'comment_only',
    mentions: ['TestCheckout', "go test -run '^TestCheckout$' ./..."],
  },
  {
    category: 'compilation',
    rule: 'tsc.error',
    text: "src/cart.ts(14,7): error TS2322: Type 'string' is not assignable to type 'number'.",
    action: 'comment_only',
    mentions: ['src/cart.ts:14', 'TS2322', 'npx tsc --noEmit'],
  },
  {
    category: 'lint',
    rule: 'eslint.error',
    text: "  12:5  error  'total' is assigned a value but never used  no-unused-vars",
    action: 'comment_only',
    mentions: ['no-unused-vars'],
  },
  {
    category: 'dependency',
    rule: 'pip.no-distribution',
    text: 'ERROR: No matching distribution found for requestz==2.31.0',
    action: 'comment_only',
    mentions: ['requestz==2.31.0'],
  },
  {
    category: 'infrastructure',
    rule: 'runner.lost',
    text: 'The runner has received a shutdown signal. This can happen when the runner service is stopped.',
    action: 'rerun_failed_jobs',
    mentions: ['Re-run the failed jobs'],
  },
  {
    category: 'timeout',
    rule: 'actions.timeout',
    text: 'The job running on runner GitHub Actions 12 has exceeded the maximum execution time of 360 minutes.',
    action: 'rerun_failed_jobs',
    mentions: ['360 minutes'],
  },
  {
    category: 'out_of_memory',
    rule: 'node.heap-oom',
    text: 'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory',
    action: 'comment_only',
    mentions: ['max-old-space-size'],
  },
  {
    category: 'network',
    rule: 'net.connection-reset',
    text: 'npm ERR! network request to https://registry.npmjs.org/left-pad failed, reason: read ECONNRESET',
    action: 'rerun_failed_jobs',
    mentions: ['registry.npmjs.org', 'ECONNRESET'],
  },
  {
    category: 'security_scan',
    rule: 'trivy.vulnerability',
    text: 'lodash (package-lock.json) CVE-2021-23337 HIGH fixed in 4.17.21',
    action: 'escalate',
    mentions: ['CVE-2021-23337'],
  },
  {
    category: 'configuration',
    rule: 'actions.missing-input',
    text: 'Error: Input required and not supplied: token',
    action: 'comment_only',
    mentions: ['token'],
  },
  {
    category: 'unknown',
    rule: null,
    text: 'Error: Process completed with exit code 2.',
    action: 'comment_only',
    mentions: ['Compare with the last successful run'],
  },
];

describe('offline analyzer', () => {
  it.each(cases)('$category ($rule): quotes the first line, names specifics, proposes $action', async (testCase) => {
    // Prepare
    const failure = lines(87, testCase.text, 'Error: Process completed with exit code 1.');
    const input = githubInput(testCase.category, failure, { rules: testCase.rule ? [testCase.rule] : [] });

    // Act
    const result = await createOfflineAnalyzer().analyze(input);

    // Assert
    expect(result.provider).toBe('offline');
    expect(result.model).toBeNull();
    expect(result.proposedAction).toBe(testCase.action);
    // The sentence quotes the line with its whitespace collapsed; evidence keeps it verbatim.
    expect(result.rootCause).toContain(testCase.text.replace(/\s+/g, ' ').trim().slice(0, 60));
    expect(result.rootCause).toContain('log line 87');
    expect(result.rootCause).toContain('job "build"');
    const text = `${result.rootCause}\n${result.fix.join('\n')}`;
    for (const mention of testCase.mentions) expect(text).toContain(mention);
    expect(result.fix.length).toBeGreaterThanOrEqual(2);
    expect(result.evidence).toEqual([testCase.text, 'Error: Process completed with exit code 1.']);
    expect(result.confidence).toBeGreaterThan(0);
    expect(result.confidence).toBeLessThanOrEqual(0.9);
    expect(REMEDIATION_ACTIONS).toContain(result.proposedAction);
  });

  it('is deterministic and passes its own validation unchanged', () => {
    // Prepare
    const input = testFailureInput();

    // Act
    const first = analyzeOffline(input);
    const second = analyzeOffline(structuredClone(input));
    const validated = validateAnalysis(first, input, 'offline', null);

    // Assert
    expect(second).toEqual(first);
    expect(validated.adjustments).toEqual([]);
    expect(validated.evidence).toEqual(first.evidence);
    expect(validated.confidence).toBe(first.confidence);
  });

  it('names the vitest test and file and gives a reproduce command', () => {
    // Act
    const result = analyzeOffline(testFailureInput());

    // Assert
    expect(result.rootCause).toContain('Test "cart > applies the discount" failed in src/cart.test.ts (vitest)');
    expect(result.fix[0]).toBe('Reproduce locally with `npx vitest run src/cart.test.ts`.');
  });

  it('is more confident with a specific rule than with a bare category or an unknown failure', () => {
    // Prepare
    const failure = lines(5, 'Error: something broke in src/a.ts');

    // Act
    const withRule = analyzeOffline(githubInput('compilation', failure, { rules: ['tsc.error'] })).confidence;
    const withoutRule = analyzeOffline(githubInput('compilation', failure)).confidence;
    const unknown = analyzeOffline(githubInput('unknown', failure)).confidence;
    const empty = analyzeOffline(githubInput('unknown', [])).confidence;

    // Assert
    expect(withRule).toBeGreaterThan(withoutRule);
    expect(withoutRule).toBeGreaterThan(unknown);
    expect(unknown).toBeGreaterThan(empty);
  });

  it('escalates with low confidence and no evidence when no failure lines were found', () => {
    // Act
    const result = analyzeOffline(githubInput('unknown', []));

    // Assert
    expect(result.proposedAction).toBe('escalate');
    expect(result.evidence).toEqual([]);
    expect(result.confidence).toBeLessThanOrEqual(0.2);
    expect(result.rootCause).toContain('no failure lines could be extracted');
  });

  it('proposes a re-run, more confidently, when re-runs fixed this fingerprint before', () => {
    // Prepare
    const plain = testFailureInput();
    const history = testFailureInput(knowledge({ rerun_failed_jobs: { attempts: 4, successes: 3 } }));

    // Act
    const before = analyzeOffline(plain);
    const after = analyzeOffline(history);

    // Assert
    expect(before.proposedAction).toBe('comment_only');
    expect(after.proposedAction).toBe('rerun_failed_jobs');
    expect(after.confidence).toBeGreaterThan(before.confidence);
    expect(after.rationale).toContain('re-runs fixed this failure 3 of 4 time(s)');
    expect(after.fix[0]).toContain('earlier re-runs fixed this failure');
  });

  it('escalates a transient-looking failure that re-runs never fixed', () => {
    // Prepare
    const input = githubInput('network', lines(3, 'curl: (6) Could not resolve host: mirror.example.internal'), {
      rules: ['net.dns'],
      knowledge: knowledge({ rerun_failed_jobs: { attempts: 3, successes: 0 } }),
    });

    // Act
    const result = analyzeOffline(input);

    // Assert
    expect(result.proposedAction).toBe('escalate');
    expect(result.rootCause).toContain('mirror.example.internal');
    expect(result.rationale).toContain('re-runs did not fix this failure in 3 earlier attempts');
  });

  it('never re-runs a security finding, whatever the history says', () => {
    // Prepare
    const input = githubInput('security_scan', lines(9, 'CVE-2024-0001 CRITICAL in openssl'), {
      rules: ['trivy.vulnerability'],
      knowledge: knowledge({ rerun_failed_jobs: { attempts: 5, successes: 5 } }),
    });

    // Act
    const result = analyzeOffline(input);

    // Assert
    expect(result.proposedAction).toBe('escalate');
  });

  it('adds confidence when every failed job agrees on the category', () => {
    // Prepare
    const failure = lines(40, 'npm ERR! code ETIMEDOUT');
    const single = githubInput('network', failure, { rules: ['npm.network'] });
    const several = githubInput('network', failure, {
      rules: ['npm.network'],
      extraJobs: [{ name: 'test (20.x)', category: 'network', rules: ['npm.network'], lines: failure }],
    });

    // Act / Assert
    expect(analyzeOffline(several).confidence).toBeGreaterThan(analyzeOffline(single).confidence);
    expect(analyzeOffline(several).rationale).toContain('all 2 failed jobs agree');
  });

  it('escalates an alarm, quoting its reason and metric', () => {
    // Act
    const result = analyzeOffline(alarmInput());

    // Assert
    expect(result.proposedAction).toBe('escalate');
    expect(result.rootCause).toContain('CloudWatch alarm "checkout-api-5xx" went to ALARM from OK');
    expect(result.rootCause).toContain('AWS/ApiGateway/5XXError (threshold 5)');
    expect(result.rootCause).toContain('Threshold Crossed: 1 datapoint');
    expect(result.evidence).toEqual([alarmInput().alarm?.reason]);
    expect(result.confidence).toBeLessThan(0.6);
  });

  it('proposes the runbook for an alarm it recovered before, and never a re-run', () => {
    // Prepare
    const input = alarmInput({
      knowledge: knowledge({ run_runbook: { attempts: 3, successes: 3 }, rerun_failed_jobs: { attempts: 3, successes: 3 } }),
    });

    // Act
    const result = analyzeOffline(input);

    // Assert
    expect(result.proposedAction).toBe('run_runbook');
    expect(result.rationale).toContain('the runbook recovered this alarm 3 of 3 time(s)');
  });

  it('measures latency with the injected clock', async () => {
    // Prepare
    const ticks = [100, 103];
    const analyzer = createOfflineAnalyzer({ now: () => ticks.shift() ?? 103 });

    // Act
    const result = await analyzer.analyze(testFailureInput());

    // Assert
    expect(result.latencyMs).toBe(3);
  });
});
