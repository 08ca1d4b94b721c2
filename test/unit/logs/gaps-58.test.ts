import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../../shared/logs/index.js';
import { taskPrefixLength } from '../../../shared/logs/task-prefix.js';
import { failuresBothWays, restoreFastPaths } from '../../support/fast-paths.js';
import { ghaStep } from '../../support/gha-step.js';

/**
 * Session 58's gaps of the extractor, each closed per format: real tools' output (test/fixtures/gaps-58/README.md),
 * each test failing before its fix.
 */
const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures/gaps-58');
const read = (name: string): string => readFileSync(resolve(FIXTURES, name), 'utf8');
const line = (log: string, n: number): string => log.split('\n')[n - 1] ?? '';

describe("a program's own lines between its checker's reports", () => {
  it("memcheck: the test's `check failed` line between two of its errors is listed with them", async () => {
    // Prepare
    const log = read('valgrind-check-lines.log');
    expect(line(log, 28)).toBe('test_queue.c:9: check failed: strlen(name) == 7');
    // Act
    const lines = predictionLines(await analyzeLog(log));
    // Assert: memcheck's first error first, the test's check line listed, the leak records too.
    expect(lines[0]).toBe(6);
    expect(lines).toContain(28);
    expect(lines).toContain(35);
  });

  it("pre-commit: a hook's findings under its `....Failed` line, before the next hook's, are listed with it", async () => {
    // Prepare
    const log = read('pre-commit-pygrep-isort.log');
    expect(line(log, 5)).toBe('billing/invoice.py:3:from decimal import *');
    // Act
    const lines = predictionLines(await analyzeLog(log));
    // Assert
    expect(lines[0]).toBe(1);
    expect(lines).toEqual(expect.arrayContaining([1, 5, 7, 11, 12]));
  });

  it("pre-commit: isort's `Fixing <path>` under its hook's `files were modified` is a finding, the file it changed", async () => {
    // Prepare
    const log = read('pre-commit-pygrep-isort.log');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    const fixing = analysis.failures.find((f) => f.startLine === 11);
    expect(fixing?.endLine).toBe(12);
    expect(fixing?.category).toBe('lint');
  });

  it("isort's `Fixing <path>` outside a pre-commit hook's report (isort exits 0 when it fixes) is no finding", async () => {
    // Prepare: `isort .` in a step that goes on to fail elsewhere.
    const log = ['Fixing /home/runner/work/billing/billing/billing/base.py', 'Skipped 2 files', '$ make test', 'FAILED tests/test_invoice.py::test_total - AssertionError'].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures.map((f) => f.startLine)).not.toContain(1);
  });
});

/** A step that failed with exit code 1, as one string. */
const failedStepLog = (script: readonly string[], output: readonly string[]): string =>
  ghaStep(script, output, { exitCode: 1 }).join('\n');

/** `gofmt -d .` of Go 1.19 on a file with a misaligned struct and a two-space indent (real output). */
const GOFMT_DIFF = [
  'diff cache/entry.go.orig cache/entry.go',
  '--- cache/entry.go.orig',
  '+++ cache/entry.go',
  '@@ -3,10 +3,10 @@',
  ' import "time"',
  ' ',
  ' type Entry struct {',
  '-\tKey string',
  '+\tKey     string',
  ' \tExpires time.Time',
  ' }',
  ' ',
  ' func (e Entry) Stale(now time.Time) bool {',
  '-  return now.After(e.Expires)',
  '+\treturn now.After(e.Expires)',
  ' }',
];

describe("a step script's own message over the diff it prints", () => {
  const script = ['if [ -n "$(gofmt -l .)" ]; then', '  echo "Run gofmt -w . and commit the result:"', '  gofmt -d .', '  exit 1', 'fi'];

  it("the script's `echo` right above gofmt's diff is listed with the diff", async () => {
    // Prepare
    const log = failedStepLog(script, ['Run gofmt -w . and commit the result:', ...GOFMT_DIFF]);
    expect(line(log, 10)).toBe('diff cache/entry.go.orig cache/entry.go');
    // Act
    const lines = predictionLines(await analyzeLog(log));
    // Assert
    expect([9, 10]).toContain(lines[0]);
    expect(lines).toContain(9);
  });

  it('a line that only looks like the message (not what the script echoes) is not listed', async () => {
    // Prepare: the same words printed by a tool, not by the script's echo.
    const log = failedStepLog(['gofmt -d . | tee gofmt.diff', 'test ! -s gofmt.diff'], ['Run gofmt -w . and commit the result:', ...GOFMT_DIFF]);
    // Act
    const lines = predictionLines(await analyzeLog(log));
    // Assert
    expect(line(log, 7)).toBe('diff cache/entry.go.orig cache/entry.go');
    expect(lines[0]).toBe(7);
    expect(lines).not.toContain(6);
  });
});

describe("Sphinx's warnings that fail the build, without its progress lines", () => {
  it('Sphinx 9 with -W: the warnings and the exception under autodoc\'s are listed, not the progress around them', async () => {
    // Prepare
    const log = read('sphinx9-warnings.log');
    expect(line(log, 56)).toBe('build finished with problems, 3 warnings (with warnings treated as errors).');
    // Act
    const lines = predictionLines(await analyzeLog(log));
    // Assert: the autodoc warning first; its exception, the two other warnings listed; no `reading sources…`,
    // `writing output…`, `Writing evaluated template result…`, `dumping …` line.
    expect(lines[0]).toBe(12);
    expect(lines).toEqual(expect.arrayContaining([12, 17, 50, 51]));
    const progress = [...Array.from({ length: 10 }, (_, i) => i + 1), ...Array.from({ length: 17 }, (_, i) => i + 32), 52, 53, 54, 55];
    expect(lines.filter((l) => progress.includes(l))).toEqual([]);
  });
});

describe("a C test's own `file:line: check failed:` line", () => {
  it('is a failed test, not a linter finding (with UBSan\'s `runtime error:` above it, gcc 12 -fsanitize=undefined)', async () => {
    // Prepare: real output of a test built with gcc 12 and run (stderr unbuffered, so UBSan's line comes first).
    const log = [
      './build/test_clamp',
      "tests/test_clamp.c:6:36: runtime error: signed integer overflow: 1073741824 * 2 cannot be represented in type 'int'",
      'tests/test_clamp.c:8: check failed: clamp(5, 0, 3) == 3',
      '1 checks failed',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.startLine).toBe(2);
    expect(analysis.category).toBe('test_failure');
  });

  it('is a failed test alone as well', async () => {
    // Prepare
    const log = ['./build/test_clamp', 'tests/test_clamp.c:8: check failed: clamp(5, 0, 3) == 3', '1 checks failed'].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.startLine).toBe(2);
    expect(analysis.category).toBe('test_failure');
  });
});

describe('a diff the step went on past, then the failure that stopped it', () => {
  it("`git diff` (exit 0) then `make test`: the test's failed check comes first, the diff after it", async () => {
    // Prepare
    const log = read('diff-then-test-check.log');
    expect(line(log, 10)).toBe('diff --git a/include/version.h b/include/version.h');
    expect(line(log, 22)).toBe('tests/test_clamp.c:6: check failed: clamp(5, 0, 3) == 3');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(predictionLines(analysis)[0]).toBe(22);
    expect(analysis.category).toBe('test_failure');
    expect(analysis.failures.map((f) => f.rule)).toContain('diff.unified');
  });

  it('a diff that ends the step (`git diff --exit-code`) stays first over an earlier step\'s lint line', async () => {
    // Prepare: go generate's diff; the step before printed a linter's line and passed.
    const log = [
      '##[group]Run make lint',
      'make lint',
      'shell: /usr/bin/bash -e {0}',
      '##[endgroup]',
      'cmd/main.go:12: exported function Run should have comment or be unexported',
      '##[group]Run go generate ./...',
      'go generate ./...',
      'git diff --exit-code',
      'shell: /usr/bin/bash -e {0}',
      '##[endgroup]',
      'diff --git a/status/codes_gen.go b/status/codes_gen.go',
      'index e8aaba6..32ae4fb 100644',
      '--- a/status/codes_gen.go',
      '+++ b/status/codes_gen.go',
      '@@ -4,3 +4,4 @@ package status',
      ' var Names = map[int]string{',
      ' \t100: "created",',
      '+\t150: "label printed",',
      ' }',
      '##[error]Process completed with exit code 1.',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(predictionLines(analysis)[0]).toBe(11);
  });
});

describe("go vet's type checker errors (`vet: file:line:col: …`, Go 1.19)", () => {
  it.each([
    ['vet: cache/entry.go:11:22: e.Expiry undefined (type Entry has no field or method Expiry)'],
    ['vet: cache/entry.go:11:3: ttl declared but not used'],
  ])('%s is a compile error', async (error) => {
    // Prepare: real `go vet ./...` output on a package that does not type-check.
    const log = ['$ go vet ./...', '# example.com/shipcache/cache', error].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.startLine).toBe(3);
    expect(analysis.category).toBe('compilation');
  });
});

describe("docker compose's prefix, not a table's first column", () => {
  it.each([
    // Robot Framework's verbose console: the test's name padded to 69 columns, then its status column.
    ['TC-002                                                                | FAIL |'],
    ['TC-12                                                                 | FAIL |'],
    // A job matrix's summary table printed by a script: a version, not a replica's index.
    ['node_18  | 3m12s | failure'],
    ['py_311   | 58s   | success'],
  ])('`%s` has none', (text) => {
    expect(taskPrefixLength(text)).toBe(0);
  });

  it('Robot Framework\'s failed test, named `TC-002`, is not read as a compose service `TC-002` saying `FAIL |`', async () => {
    // Prepare: Robot Framework's verbose console output (78 columns, `| FAIL |` status).
    const log = [
      '==============================================================================',
      'Login                                                                         ',
      '==============================================================================',
      'TC-001                                                                | PASS |',
      '------------------------------------------------------------------------------',
      'TC-002                                                                | FAIL |',
      "Expected status '200' but was '503'.",
      '------------------------------------------------------------------------------',
      'Login                                                                 | FAIL |',
      '2 tests, 1 passed, 1 failed',
      '==============================================================================',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert: no failure's line is read as a task's (its text cut behind a prefix).
    for (const failure of analysis.failures) expect(failure.taskPrefix, failure.rule).toBeUndefined();
  });
});

describe("webpack's babel-loader error", () => {
  it('keeps the code frame babel prints after a blank line under its SyntaxError', async () => {
    // Prepare
    const log = read('webpack-babel-syntax.log');
    expect(line(log, 7)).toBe('');
    expect(line(log, 10)).toBe('> 3 | const prices = [1200, 450 990];');
    // Act
    const lines = predictionLines(await analyzeLog(log));
    // Assert
    expect([4, 6]).toContain(lines[0]);
    expect(lines).toEqual(expect.arrayContaining([4, 5, 6, 8, 9, 10, 11, 12, 13]));
  });

  it('does not take the next `ERROR in` paragraph after the blank line that ends a frameless error', async () => {
    // Prepare: webpack 5's two resolver errors (no code frame), each its own paragraph.
    const log = [
      'ERROR in ./src/index.js 3:0-25',
      "Module not found: Error: Can't resolve './cart' in '/home/runner/work/storefront/storefront/src'",
      '',
      'ERROR in ./src/index.js 4:0-33',
      "Module not found: Error: Can't resolve './routes' in '/home/runner/work/storefront/storefront/src'",
      '',
      'webpack 5.113.0 compiled with 2 errors in 407 ms',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect([analysis.failures[0]?.startLine, analysis.failures[0]?.endLine]).toEqual([1, 2]);
  });
});

describe("Bats' pretty formatter: `ESC[1G` (cursor to column 1) redraws the line, as a carriage return does", () => {
  it('reads the line as its last drawing: ` ✗ name`, the failed test, with its location and the failed command', async () => {
    // Prepare
    const log = read('bats-pretty.log');
    expect(line(log, 3)).toContain('\x1b[1G \u2717 slugify strips punctuation');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]).toEqual({ line: 3, text: ' \u2717 slugify strips punctuation' });
    expect(analysis.category).toBe('test_failure');
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([3, 4, 5, 6, 7, 8]));
  });
});

describe('`ESC[1G` redraws with the fast paths forced on (line filter, literal index, shape memo)', () => {
  afterEach(restoreFastPaths);

  it('finds what reading every line finds, where only the last drawing starts like a finding', async () => {
    // Prepare: a spinner drawn over, then the finding drawn over it; its shape (`file:line:col:`) counts only at the
    // line's start, and the line holds no keyword.
    const spinner = (frame: string, text: string): string => `\x1b[1G${frame} flake8\x1b[K\x1b[1G${text}\x1b[K`;
    const log = [
      ...Array.from({ length: 100 }, (_, i) => `ok ${i}`),
      '$ make lint',
      spinner('\u280b', 'src/app.py:12:80: E501 line too long (88 > 79 characters)'),
      spinner('\u2819', 'src/app.py:31:1: E302 expected 2 blank lines, found 1'),
      read('bats-pretty.log'),
    ].join('\n');
    // Act
    const { everyLine, fast } = await failuresBothWays(Buffer.from(log));
    // Assert
    expect(fast).toEqual(everyLine);
    expect((everyLine as Array<{ startLine: number }>).map((f) => f.startLine)).toContain(102);
  });
});

describe("testthat's compact reporter (test_file()): a report ruled off, its lines unindented under it", () => {
  it("keeps each report's message, values and backtrace with its header", async () => {
    // Prepare
    const log = read('testthat-compact.log');
    expect(line(log, 9).startsWith("── Failure ('test-convert.R:5'): f_to_c converts body temperature ──")).toBe(true);
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures.slice(0, 3).map((f) => [f.startLine, f.endLine])).toEqual([[9, 12], [14, 18], [20, 25]]);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([9, 10, 12, 14, 15, 17, 18, 20, 21, 24]));
  });
});
