import { describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../../shared/logs/index.js';
import { cleanLine } from '../../../shared/logs/reader.js';
import { analyzedBothWays } from '../../support/fast-paths.js';

/**
 * The Jenkins Timestamper plugin's prefixes. On Pipeline jobs it writes each line's time into the log itself,
 * `[2024-01-02T03:04:05.678Z] ` (GlobalDecorator: `[yyyy-MM-dd'T'HH:mm:ss.SSS'Z'] `); the console page of a job with
 * the system clock format shows `12:34:56  ` in front of each line, which is what a copy of it holds.
 */
describe("Jenkins Timestamper's prefixes", () => {
  it('are removed by cleaning like a GitHub Actions timestamp, the line read as the tool printed it', () => {
    // Each raw line, and its text once cleaned.
    const cleaned: Record<string, string> = {
      '[2024-01-02T03:04:05.678Z] + make -j4': '+ make -j4',
      '[2024-01-02T03:04:05.678Z] \x1b[31mE       assert 3 == 4\x1b[0m': 'E       assert 3 == 4',
      '[2024-01-02T03:04:05.678Z] ': '',
      '12:34:56  npm ERR! code ELIFECYCLE': 'npm ERR! code ELIFECYCLE',
      '12:34:56  Traceback (most recent call last):': 'Traceback (most recent call last):',
      '12:34:56  ': '',
    };
    expect(Object.keys(cleaned).map((raw) => cleanLine(raw))).toEqual(Object.values(cleaned));
  });

  it('are not read into lines that only start like one', () => {
    for (const text of ['[2024-01-02] deploy started', '[2024-01-02T03:04:05Z]x', '12:34:56.789 INFO ready', '12:34 done', '10:11:12,345 ERROR x', '123:45:67  x']) {
      expect(cleanLine(text), text).toBe(text);
    }
  });

  const pipeline = [
    '[2024-01-02T03:04:05.100Z] [Pipeline] sh',
    '[2024-01-02T03:04:05.678Z] + make',
    '[2024-01-02T03:04:05.912Z] cc -Wall -Wextra -O2 -Isrc   -c -o src/main.o src/main.c',
    '[2024-01-02T03:04:06.101Z] src/main.c: In function ‘main’:',
    '[2024-01-02T03:04:06.101Z] src/main.c:9:11: error: ‘struct queue’ has no member named ‘length’',
    '[2024-01-02T03:04:06.101Z]     9 |   return q.length;',
    '[2024-01-02T03:04:06.101Z]       |           ^',
    '[2024-01-02T03:04:06.133Z] make: *** [<builtin>: src/main.o] Error 1',
    '[2024-01-02T03:04:06.140Z] [Pipeline] }',
    '[2024-01-02T03:04:06.150Z] [Pipeline] // stage',
    '[2024-01-02T03:04:06.160Z] [Pipeline] End of Pipeline',
    '[2024-01-02T03:04:06.170Z] ERROR: script returned exit code 2',
    'Finished: FAILURE',
  ].join('\n');

  it("find a Pipeline's compiler error behind its `[…Z] ` prefix, the quoted source under it", async () => {
    // Act
    const analysis = await analyzeLog(pipeline);
    // Assert
    const [top] = analysis.failures;
    expect([top?.rule, top?.lines[0]?.line]).toEqual(['cc.error', 5]);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([5, 6, 7]));
  });

  it("find a pytest failure in a copy of the console page, behind `12:34:56  `", async () => {
    // Prepare
    const log = [
      'Started by user ci',
      '12:34:55  + python -m pytest -q',
      '12:34:58  F.                                                                       [100%]',
      '12:34:58  =================================== FAILURES ===================================',
      '12:34:58  _________________________________ test_total _________________________________',
      '12:34:58  ',
      '12:34:58      def test_total():',
      '12:34:58  >       assert total([1, 2]) == 4',
      '12:34:58  E       assert 3 == 4',
      '12:34:58  E        +  where 3 = total([1, 2])',
      '12:34:58  ',
      '12:34:58  tests/test_cart.py:12: AssertionError',
      '12:34:58  =========================== short test summary info ============================',
      '12:34:58  FAILED tests/test_cart.py::test_total - assert 3 == 4',
      '12:34:58  1 failed, 1 passed in 0.05s',
      '12:34:59  Build step \'Execute shell\' marked build as failure',
      'Finished: FAILURE',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert: the block from the test's header, its `E` line first.
    const [top] = analysis.failures;
    expect([top?.rule, top?.startLine, top?.lines[0]?.line]).toEqual(['pytest.failed', 5, 9]);
  });

  it('find the same with the literal index, the shape memo and the line filter on', async () => {
    // Act
    const { everyLine, fast } = await analyzedBothWays(Buffer.from(pipeline));
    // Assert
    expect(fast).toEqual(everyLine);
    expect(fast.failures[0]?.rule).toBe('cc.error');
  });
});
