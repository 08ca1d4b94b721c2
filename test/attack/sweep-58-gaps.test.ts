import { describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../shared/logs/index.js';
import { taskPrefixLength } from '../../shared/logs/task-prefix.js';
import { ghaStep } from '../support/gha-step.js';

// Session 58's sweep of the extractor's gap fixes (branch gaps58): output that each fix's new reading could take for
// what it is not. Real tools' output where the row says so; the rest laid out in the tools' documented formats.

/** A step whose `output` holds its own ending: no exit line appended; its lines. */
const stepWithoutExit = (script: readonly string[], output: readonly string[]): string[] =>
  ghaStep(script, output, { exitCode: null });

/** git 2.39's `git --no-pager diff` of a version header (real output). */
const VERSION_DIFF = [
  'diff --git a/include/version.h b/include/version.h',
  'index ac3d20e..1f534d6 100644',
  '--- a/include/version.h',
  '+++ b/include/version.h',
  '@@ -1,2 +1,2 @@',
  '-#define CLAMP_VERSION "1.3.0"',
  '-#define CLAMP_COMMIT "9f2c1e7"',
  '+#define CLAMP_VERSION "1.3.1"',
  '+#define CLAMP_COMMIT "4b3d5c6"',
];

describe('sweep 58: a diff its step went on past', () => {
  it("stays first over gcc's warning printed after it, which did not stop the step (gcc 12, real output)", async () => {
    // Prepare: the diff is shown, the build warns, and the script's check on the tree fails the step.
    const log = stepWithoutExit(
      ['./scripts/stamp-version.sh', 'git --no-pager diff', 'make build', 'test -z "$(git status --porcelain)"'],
      [...VERSION_DIFF, 'cc -Wall -c src/warn.c -o build/warn.o', "src/warn.c: In function ‘main’:", "src/warn.c:3:7: warning: unused variable ‘unused’ [-Wunused-variable]", '    3 |   int unused = 3;', '      |       ^~~~~~', '##[error]Process completed with exit code 1.'],
    ).join('\n');
    // Act
    const lines = predictionLines(await analyzeLog(log));
    // Assert: the diff (line 8) is the failure; the warning under it did not stop the step.
    expect(lines[0]).toBe(8);
  });

  it('stays first over a compile error of an earlier step that passed (`continue-on-error`)', async () => {
    // Prepare
    const log = [
      ...stepWithoutExit(['make optional-tools'], ['src/extra.c:8:3: error: unknown type name ‘uint128_t’', '##[warning]continue-on-error: the step failed']),
      ...stepWithoutExit(['./scripts/stamp-version.sh', 'git diff --exit-code'], [...VERSION_DIFF, '##[error]Process completed with exit code 1.']),
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures.find((f) => f.rule === 'diff.unified')).toBeDefined();
    expect(predictionLines(analysis)[0]).toBe(12);
  });
});

describe("sweep 58: a step script's echo over a diff", () => {
  it("is not taken from another step's script", async () => {
    // Prepare: the first step echoes the words; the second step's tool prints them over its diff.
    const log = [
      ...stepWithoutExit(['echo "Changes:"', 'git log -1 --stat'], ['Changes:', 'commit 4b3d5c6']),
      ...stepWithoutExit(['./scripts/gen.sh', 'git diff --exit-code'], ['Changes:', ...VERSION_DIFF, '##[error]Process completed with exit code 1.']),
    ].join('\n');
    // Act
    const lines = predictionLines(await analyzeLog(log));
    // Assert: line 13 is the second step's `Changes:`, 14 its diff.
    expect(lines[0]).toBe(14);
    expect(lines).not.toContain(13);
  });

  it('is not taken when the script echoes a variable (its words unknown)', async () => {
    // Prepare
    const log = stepWithoutExit(['echo "$SUMMARY"', 'git diff --exit-code'], ['Changes:', ...VERSION_DIFF, '##[error]Process completed with exit code 1.']).join('\n');
    // Act
    const lines = predictionLines(await analyzeLog(log));
    // Assert
    expect(lines).not.toContain(6);
  });
});

describe("sweep 58: a program's lines between its checker's reports", () => {
  it("memcheck's reports with nothing of the program's between them are memcheck's lines alone", async () => {
    // Prepare: memcheck's two reports in one step (Valgrind 3.19's shapes), its blank `==PID== ` line between.
    const log = [
      ...stepWithoutExit(['valgrind --error-exitcode=1 ./build/test_queue'], [
        '==9313== Invalid write of size 1',
        '==9313==    at 0x109180: main (test_queue.c:8)',
        '==9313== ',
        '==9313== 8 bytes in 1 blocks are definitely lost in loss record 1 of 2',
        '==9313==    at 0x48417B4: malloc (in /usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so)',
      ]),
    ].join('\n');
    // Act
    const lines = predictionLines(await analyzeLog(log));
    // Assert
    expect(lines[0]).toBe(5);
    expect(lines).toEqual([5, 6, 8, 9]);
  });

  it("a pre-commit hook's report does not take a passed hook's or pre-commit's own lines", async () => {
    // Prepare: pre-commit 4.6's output (real): one failed hook, one passed, then its advice.
    const log = [
      'no star imports..........................................................Failed',
      '- hook id: no-star-imports',
      '- exit code: 1',
      '',
      'billing/invoice.py:3:from decimal import *',
      '',
      'no print statements......................................................Passed',
      'pre-commit hook(s) made changes.',
      'If you are seeing this message in CI, reproduce locally with: `pre-commit run --all-files`.',
    ].join('\n');
    // Act
    const lines = predictionLines(await analyzeLog(log));
    // Assert
    expect(lines.filter((l) => l >= 7)).toEqual([]);
  });
});

describe("sweep 58: isort's `Fixing <path>`", () => {
  it.each([
    ['a migration script', ['Fixing /srv/app/migrations/0042_orders.py', 'Applied 3 migrations']],
    ['another hook of pre-commit that modified files', ['black....................................................................Failed', '- hook id: black', '- files were modified by this hook', '', 'reformatted billing/invoice.py', 'Fixing permissions on /srv/app/run.py']],
  ])('is no finding from %s', async (_name, output) => {
    // Act
    const analysis = await analyzeLog(output.join('\n'));
    // Assert
    expect(analysis.failures.map((f) => f.rule)).not.toContain('isort.fixed');
  });
});

describe("sweep 58: a C test's `file:line: check failed:`", () => {
  it.each([
    ["pylint's message naming a check", 'src/app.py:12: convention: Missing function docstring (missing-function-docstring)'],
    ["a linter's own words", 'README.md:3: trailing whitespace'],
  ])('leaves %s a linter finding', async (_name, text) => {
    // Act
    const analysis = await analyzeLog(`$ make lint\n${text}`);
    // Assert
    expect(analysis.category).toBe('lint');
  });
});

describe("sweep 58: docker compose's prefix", () => {
  it.each([
    ['tests-1  | FAILED tests/test_api.py::test_health - assert 503 == 200', 'tests-1  | '],
    ['shop-api-12 | Error: connect ECONNREFUSED 127.0.0.1:5432', 'shop-api-12 | '],
    ['web_1  | npm ERR! code ELIFECYCLE', 'web_1  | '],
    ['api-1  | 2024-05-01 12:00:00.123 | ERROR    | app.main:run:12 - payment failed', 'api-1  | '],
  ])('is still read on `%s`', (text, prefix) => {
    expect(text.slice(0, taskPrefixLength(text))).toBe(prefix);
  });

  it.each([
    ['Login                                                                 | FAIL |'],
    ['worker-3                                                              | PASS |'],
    ['py_311   | 58s   | success |'],
    ['node-18  | passed |'],
  ])('is not read on `%s`', (text) => {
    expect(taskPrefixLength(text)).toBe(0);
  });
});

describe('sweep 58: `ESC[1G` redraws', () => {
  it("a progress line's earlier drawing (`Resolving… error-prone-pkg`) is not read, its last is", async () => {
    // Prepare: yarn 1's progress, each step drawn over the last with `ESC[2K ESC[1G`.
    const log = ['yarn install v1.22.19', '\x1b[2K\x1b[1G[1/4] Resolving packages...\x1b[2K\x1b[1G[2/4] Fetching error-prone-pkg@1.0.0\x1b[2K\x1b[1G[4/4] Building fresh packages...', 'Done in 3.2s.'].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures).toEqual([]);
  });
});

describe("sweep 58: webpack's paragraph past a blank line", () => {
  it('does not take a stats table after a frameless error whose message ends in a position', async () => {
    // Prepare: webpack 5's `Module parse failed: … (1:0)` (no frame under it), then its asset table after a blank.
    const log = [
      'ERROR in ./src/styles.css 1:0',
      'Module parse failed: Unexpected token (1:0)',
      '',
      'asset main.js 1.2 KiB [emitted] (name: main)',
      'webpack 5.113.0 compiled with 1 error in 301 ms',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.endLine).toBe(2);
  });
});

describe('sweep 58: two diffs in one step, a check failing between them', () => {
  it('keeps the last diff, which ended the step, first and a failure of its own; the first one under the check', async () => {
    // Prepare: `git --no-pager diff` (exit 0), a C test whose failed check did not stop the step, then `git diff
    // --exit-code` of another file, which did.
    const log = stepWithoutExit(
      ['git --no-pager diff', 'make test || true', './scripts/gen.sh', 'git diff --exit-code'],
      [...VERSION_DIFF, './build/test_clamp', 'tests/test_clamp.c:6: check failed: clamp(5, 0, 3) == 3', ...VERSION_DIFF.map((l) => l.replace(/version\.h/g, 'config.h')), '##[error]Process completed with exit code 1.'],
    ).join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert: the last diff (19) first, then the check (18), then the first diff (8).
    expect(predictionLines(analysis)[0]).toBe(19);
    const order = analysis.failures.map((f) => f.startLine);
    expect(order.indexOf(18)).toBeLessThan(order.indexOf(8));
  });
});
