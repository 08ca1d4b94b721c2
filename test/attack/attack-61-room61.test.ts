import { describe, expect, it } from 'vitest';
import { analyzeLog } from '../../shared/logs/index.js';

// Session 61's attack on branch room61: other tools' output around the branch's five new rules (sqlite3.error,
// attw.problem, api-extractor.failed, rackunit.failed, lint-staged.max-warnings) and the cost of their patterns.

const lines = (...l: string[]): string => l.join('\n');

describe("lint-staged: a second failed task's report after the --max-warnings one", () => {
  // lint-staged 15 with two globs run concurrently (`*.js: eslint --max-warnings 0`, `*.ts: tsc-files --noEmit`), both
  // failing: each failed task's output is printed as '', `✖ command:`, its output (resolveTaskFn.js handleOutput), so
  // one blank line stands between ESLint's last line and the next task's heading.
  it("ends the ESLint report at the next task's `✖ command:` heading: tsc's error is a report of its own", async () => {
    const log = lines(
      '✖ eslint --max-warnings 0:',
      '',
      '/home/runner/work/app/app/src/a.js',
      "  1:7  warning  'x' is assigned a value but never used  no-unused-vars",
      '',
      '✖ 1 problem (0 errors, 1 warning)',
      '',
      'ESLint found too many warnings (maximum: 0).',
      '',
      '✖ tsc-files --noEmit:',
      "src/b.ts(3,7): error TS2322: Type 'string' is not assignable to type 'number'.",
      'husky - pre-commit script failed (code 1)',
    );
    const analysis = await analyzeLog(log);
    const staged = analysis.failures.find((f) => f.rule === 'lint-staged.max-warnings');
    expect(staged?.endLine).toBeLessThan(10);
    expect(analysis.failures.some((f) => f.rule !== 'lint-staged.max-warnings' && f.startLine <= 11 && f.endLine >= 11)).toBe(true);
  });
});

describe('rackunit: `raco test tests` over several files, one tally for the whole run', () => {
  // Racket 8.7 (this machine's raco), `raco test tests` over a-test.rkt (a FAILURE), b-test.rkt (an ERROR) and
  // c-test.rkt (passing): each file's `raco test: "…"` line, its reports under it, one `2/5 test failures` at the end.
  // The look-back stopped at the nearest `raco test:` line, c-test.rkt's, with no report under it: the tally alone,
  // a-test.rkt's FAILURE a generic.failed of its own.
  it("takes every file's reports, from the run's first `raco test:` line, and shows the first FAILURE", async () => {
    const log = lines(
      'raco test: "tests/a-test.rkt"',
      '--------------------',
      'FAILURE',
      'name:       check-equal?',
      'location:   a-test.rkt:3:0',
      'actual:     1',
      'expected:   2',
      '--------------------',
      'raco test: "tests/b-test.rkt"',
      '--------------------',
      'ERROR',
      'name:       check-equal?',
      'location:   b-test.rkt:3:0',
      '',
      'car: contract violation',
      '  expected: pair?',
      "  given: '()",
      '--------------------',
      'raco test: "tests/c-test.rkt"',
      '2/5 test failures',
    );
    const analysis = await analyzeLog(log);
    expect(analysis.failures[0]?.rule).toBe('rackunit.failed');
    expect(analysis.failures[0]?.lines[0]?.line).toBe(3);
    expect(analysis.failures.map((f) => [f.rule, f.startLine, f.endLine])).toEqual([['rackunit.failed', 2, 20]]);
  });

  // Two failing runs (`raco test lib; raco test tests`): the second run's reports stay out of the first's. (With the
  // same first line, `FAILURE`, the second would be a repeat of the first: its reports ERROR here.)
  it("a failing run's tally above ends the look-back: each run's reports are its own", async () => {
    const log = lines(
      'raco test: "lib/x.rkt"',
      '--------------------',
      'FAILURE',
      'name:       check-equal?',
      'location:   x.rkt:3:0',
      'actual:     1',
      'expected:   2',
      '--------------------',
      '1/1 test failures',
      'raco test: "tests/y.rkt"',
      '--------------------',
      'ERROR',
      'name:       check-true',
      'location:   y.rkt:4:0',
      "params:     '(#f)",
      '--------------------',
      '1/3 test failures',
    );
    const analysis = await analyzeLog(log);
    expect(analysis.failures.filter((f) => f.rule === 'rackunit.failed').map((f) => [f.startLine, f.endLine])).toEqual([[2, 9], [11, 17]]);
  });
  // A passing run (`1 test passed`, raco's tally when nothing failed), a script's compile error, then a failing run:
  // the look-back to the farthest `raco test:` line must not reach over the passing run into the error, which would be
  // absorbed into the rackunit report (and lost).
  it("stops at a passing run's tally: another program's error between the runs stays a report of its own", async () => {
    const log = lines(
      'raco test: "lib/c-test.rkt"',
      '1 test passed',
      '$ racket scripts/gen.rkt',
      'scripts/gen.rkt:2:19: y: unbound identifier',
      '  in: y',
      '  location...:',
      '   scripts/gen.rkt:2:19',
      'raco test: "tests/a-test.rkt"',
      '--------------------',
      'FAILURE',
      'name:       check-equal?',
      'location:   a-test.rkt:3:0',
      'actual:     1',
      'expected:   2',
      '--------------------',
      '1/2 test failures',
    );
    const analysis = await analyzeLog(log);
    expect(analysis.failures.some((f) => f.startLine <= 4 && f.endLine >= 4)).toBe(true);
    expect(analysis.failures.find((f) => f.rule === 'rackunit.failed')?.startLine).toBe(9);
  });
});

describe('rackunit: two failing runs whose first report is a FAILURE each', () => {
  // `raco test lib; raco test tests` (or a matrix of packages), both failing on a check: the line each report shows
  // first is the bare `FAILURE`, and the dedupe key is the rule and that line, so the second run's report is a repeat
  // of the first (its own test file, name and location are not reported). Session 62: the first `location:` line of
  // the block is part of its key (Rule.keyFrom), the FAILURE line still shown first.
  it("reports the second run's failure as a report of its own, not a repeat of the first's", async () => {
    const log = lines(
      'raco test: "lib/x.rkt"',
      '--------------------',
      'FAILURE',
      'name:       check-equal?',
      'location:   x.rkt:3:0',
      'actual:     1',
      'expected:   2',
      '--------------------',
      '1/1 test failures',
      'raco test: "tests/y.rkt"',
      '--------------------',
      'FAILURE',
      'name:       check-true',
      'location:   y.rkt:4:0',
      "params:     '(#f)",
      '--------------------',
      '1/3 test failures',
    );
    const analysis = await analyzeLog(log);
    expect(analysis.failures.filter((f) => f.rule === 'rackunit.failed')).toHaveLength(2);
  });
});

describe("API Extractor invoked from a build script, as api-extractor.com's own example does", () => {
  // The documentation's "Invoking from a build script" (Extractor.invoke with localBuild false) ends its run with
  // `API Extractor completed with ${errorCount} errors and ${warningCount} warnings`, exit 1: the messages are the
  // same `Warning:`/`Error:` lines under the same banner; only the verdict counts them.
  it('reads the counted verdict `completed with 0 errors and 2 warnings` as the CLI’s own', async () => {
    const log = lines(
      '$ node scripts/api-extractor.js',
      'Analysis will use the bundled TypeScript version 5.4.2',
      'Warning: src/index.ts:3:1 - (ae-missing-release-tag) "parse" is part of the package\'s API, but it is missing a release tag (@alpha, @beta, @public, or @internal)',
      'Warning: You have changed the API signature for this project. Please copy the file "temp/core.api.md" to "etc/core.api.md", or perform a local build (which does this automatically). See the Git repo documentation for more info.',
      'API Extractor completed with 0 errors and 2 warnings',
      'error Command failed with exit code 1.',
    );
    const analysis = await analyzeLog(log);
    expect(analysis.failures[0]?.rule).toBe('api-extractor.failed');
    expect(analysis.failures[0]?.lines[0]?.line).toBe(3);
    expect(analysis.category).toBe('lint');
  });
});

describe("API Extractor's look-back over another program's lines (parallel scripts, no labels)", () => {
  // `run-p build:api test` (npm-run-all -p without --print-label): jest's report lands between API Extractor's banner and
  // its messages. The verdict's look-back pulls everything from the banner on and absorbs the reports it passes over
  // (lookbackStart: "a failure already reported on a pulled line … is absorbed"), so jest's failure is lost and the
  // API Extractor warning is the only report. Session 62: its look-back absorbs only from its first message on
  // (`lookback.absorbsFromFirst`, its rule alone: sphinx and raco test keep absorbing their runs' own lines).
  it("keeps jest's failure interleaved between the banner and the verdict", async () => {
    const log = lines(
      'Analysis will use the bundled TypeScript version 5.4.2',
      'FAIL src/sum.test.ts',
      '  ● sum › adds',
      '    expect(received).toBe(expected) // Object.is equality',
      '    Expected: 3',
      '    Received: 4',
      'Tests:       1 failed, 3 passed, 4 total',
      'Warning: src/index.ts:1:1 - (ae-missing-release-tag) "x" is part of the package\'s API, but it is missing a release tag',
      'API Extractor completed with warnings',
      'ERROR: "test" exited with 1.',
    );
    const analysis = await analyzeLog(log);
    expect(analysis.failures.some((f) => f.startLine <= 3 && f.endLine >= 3)).toBe(true);
  });
});

describe('the new patterns on 1 MB lines of their own fragments', () => {
  it('reads each in well under a second', async () => {
    const big = (s: string): string => s.repeat(Math.ceil(1_000_000 / s.length)).slice(0, 1_000_000);
    for (const line of [
      `✖ x${big(' --max-warnings 0')}`,
      `x${big(' https://github.com/arethetypeswrong/a/problems/B.md')}`,
      big('Parse error near line 1: '),
      big('API Extractor completed with 1 errors and 2 warnings '),
      big('raco test: 1/2 test failures '),
    ]) {
      const t = performance.now();
      await analyzeLog(lines('start', line, 'end', line));
      expect(performance.now() - t).toBeLessThan(1500);
    }
  });
});
