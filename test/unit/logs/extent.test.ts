import { describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../../shared/logs/index.js';

/** How far a test runner's failure report reaches, and which of its lines the prediction lists. */
describe('the extent of a test runner report', () => {
  it('ends a pytest failure section at pytest-cov\'s report header, not in the coverage table under it', async () => {
    // Prepare: pytest-cov prints its table right after the last failure section, before the short summary's `====`.
    const log = [
      '=================================== FAILURES ===================================',
      '_______________________________ test_total _______________________________',
      '    def test_total():',
      '>       assert total() == 4',
      'E       assert 3 == 4',
      '',
      'tests/test_cart.py:4: AssertionError',
      '',
      '---------- coverage: platform linux, python 3.12.3-final-0 -----------',
      'Name          Stmts   Miss  Cover',
      '---------------------------------',
      'cart.py           8      0   100%',
      'cart_util.py     12      3    75%',
      '---------------------------------',
      'TOTAL            20      3    85%',
      '',
      '=========================== short test summary info ============================',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('pytest.failed');
    expect(analysis.failures[0]?.endLine).toBe(7);
    expect([...predictionLines(analysis)].sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6, 7]);
  });
});
