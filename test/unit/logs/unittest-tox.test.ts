import { describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../../shared/logs/index.js';

/**
 * CPython's unittest runner and tox 3 around it (real output of `python -m unittest` and `tox`, CPython 3.11, tox
 * 3.28): unittest closes its last report with the same row of dashes that opens each traceback, then `Ran N tests`;
 * tox then names the command that failed and prints its summary under a `____ summary ____` banner.
 */
const UNITTEST = [
  'FE.',
  '======================================================================',
  'ERROR: test_zero_rate (tests.test_totals.InvoiceTotalTest.test_zero_rate)',
  '----------------------------------------------------------------------',
  'Traceback (most recent call last):',
  '  File "/home/runner/work/invoicer/invoicer/tests/test_totals.py", line 22, in test_zero_rate',
  '    self.assertEqual(invoice_total(lines, rate="zero"), Decimal("10.00"))',
  '  File "/home/runner/work/invoicer/invoicer/invoicer/totals.py", line 13, in invoice_total',
  '    vat = (net * VAT_RATES[rate]).quantize(Decimal("0.01"))',
  "KeyError: 'zero'",
  '',
  '======================================================================',
  'FAIL: test_standard_rate (tests.test_totals.InvoiceTotalTest.test_standard_rate)',
  '----------------------------------------------------------------------',
  'Traceback (most recent call last):',
  '  File "/home/runner/work/invoicer/invoicer/tests/test_totals.py", line 18, in test_standard_rate',
  '    self.assertEqual(invoice_total(lines), Decimal("27.57"))',
  "AssertionError: Decimal('27.56') != Decimal('27.57')",
  '',
  '----------------------------------------------------------------------',
  'Ran 3 tests in 0.001s',
  '',
  'FAILED (failures=1, errors=1)',
];
const TOX_TAIL = [
  'ERROR: InvocationError for command /home/runner/work/invoicer/invoicer/.tox/py311/bin/python -m unittest (exited with code 1)',
  '___________________________________ summary ____________________________________',
  'ERROR:   py311: commands failed',
];

describe('unittest and tox 3', () => {
  it('ends unittest\'s last report on its exception, not on the dashes above `Ran N tests`', async () => {
    // Act
    const analysis = await analyzeLog(UNITTEST.join('\n'));
    // Assert
    expect(analysis.failures.filter((f) => f.rule === 'unittest.failed').map((f) => [f.startLine, f.endLine])).toEqual([[3, 10], [13, 18]]);
    expect(predictionLines(analysis)).not.toContain(20);
  });

  it('lists tox\'s InvocationError and its summary after the report, and leaves the summary\'s banner to no test runner', async () => {
    // Prepare
    const log = ['py311 run-test: commands[0] | python -m unittest', ...UNITTEST, ...TOX_TAIL].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('unittest.failed');
    expect(analysis.failures.map((f) => f.rule)).not.toContain('pytest.failed');
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([25, 26, 27]));
  });
});
