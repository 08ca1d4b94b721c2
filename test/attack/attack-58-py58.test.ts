import { describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../shared/logs/index.js';

/**
 * Attack pass on session 58's Python rules (branch py58): real output of the same tools in forms the session's
 * fixtures did not hold (Debian 12: CPython 3.11.2, pytest 7.2.1, pytest-timeout 2.1.0, Django 3.2.25, pip 23.0.1,
 * setuptools 66.1.1), each read as the tool means it. Where a row needed a newer release's wording, its comment
 * names the release and where the wording comes from.
 */
const log = (...lines: string[]): string => lines.join('\n');

describe("pytest-timeout's failure, in every release's wording", () => {
  it('reads the test pytest-timeout 2.2+ stopped (`Failed: Timeout (>1.0s) from pytest-timeout.`) as a timeout', async () => {
    // Prepare: a real `--timeout=1 --tb=short` run (pytest-timeout 2.1 prints `Failed: Timeout >1.0s`); since 2.2.0
    // its signal method fails the test with `pytest.fail("Timeout (>%ss) from pytest-timeout." % timeout)`, the
    // wording current CI installs from PyPI print.
    const text = log(
      't2/test_slow.py F                                                        [100%]',
      '',
      '=================================== FAILURES ===================================',
      '_________________________________ test_settles _________________________________',
      't2/test_slow.py:4: in test_settles',
      '    time.sleep(0.05)',
      'E   Failed: Timeout (>1.0s) from pytest-timeout.',
      '=========================== short test summary info ============================',
      'FAILED t2/test_slow.py::test_settles - Failed: Timeout (>1.0s) from pytest-timeout.',
      '============================== 1 failed in 1.01s ===============================',
    );
    // Act
    const analysis = await analyzeLog(text);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('pytest.failed');
    expect(analysis.category).toBe('timeout');
  });
});
