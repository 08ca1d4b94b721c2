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
