import { describe, expect, it } from 'vitest';
import { analyzeLog } from '../../shared/logs/index.js';

// Session 62's attack on branch gaps62: other output in the shapes of the branch's new rules (eslint.max-warnings,
// infra.killed's `timeout` category, git.fatal's hook lines, the step listings' script lines, …) and variants of the
// same formats the branch was not written from.

const lines = (...l: string[]): string => l.join('\n');

describe("eslint.max-warnings: stylish's `N errors and M warnings potentially fixable` line under its tally", () => {
  it('takes the report above the verdict when a warning is fixable', async () => {
    // Prepare: real ESLint 9.39.5 (`eslint --max-warnings 0 .`, stylish) on a file with a `prefer-const` warning,
    // which `--fix` could fix: stylish prints its fixable line under the tally, the verdict (stderr) after the blank.
    const log = lines(
      '##[group]Run npx eslint --max-warnings 0 .',
      'npx eslint --max-warnings 0 .',
      'shell: /usr/bin/bash -e {0}',
      '##[endgroup]',
      '',
      '/home/runner/work/app/app/src/a.js',
      "  1:5  warning  'total' is never reassigned. Use 'const' instead  prefer-const",
      "  2:7  warning  'unused' is assigned a value but never used       no-unused-vars",
      '',
      '✖ 2 problems (0 errors, 2 warnings)',
      '  0 errors and 1 warning potentially fixable with the `--fix` option.',
      '',
      'ESLint found too many warnings (maximum: 0).',
      '##[error]Process completed with exit code 1.',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    const top = analysis.failures[0];
    expect([top?.rule, top?.startLine, top?.endLine]).toEqual(['eslint.max-warnings', 6, 13]);
    expect(top?.lines[0]?.text).toContain("'total' is never reassigned");
  });
});

describe("infra.killed's `timeout` category: a killed command's environment assignments", () => {
  it('reads a long killed command line with `=`-laden arguments in linear time', async () => {
    // Prepare: bash names the killed command as written, its environment assignments first; values holding a `=`
    // (`JAVA_OPTS=-Dx=1`) once made the category's `(?:\S+=\S*\s+)*` split every assignment each way (2^n: 20 of
    // them took 14 s).
    const env = Array.from({ length: 30 }, (_, i) => `OPT${i}=-Dk${i}=v${i}`).join(' ');
    const log = lines('Running migrations', `/home/runner/work/_temp/a.sh: line 2: 27634 Killed                  ${env} ./migrate`, '##[error]Process completed with exit code 137.');
    // Act
    const t = performance.now();
    const analysis = await analyzeLog(log);
    // Assert
    expect(performance.now() - t).toBeLessThan(1500);
    expect([analysis.failures[0]?.rule, analysis.failures[0]?.category]).toEqual(['infra.killed', 'out_of_memory']);
  });

  it('still reads `FOO=a=b timeout -s KILL …` as the time limit', async () => {
    const log = lines('/home/runner/work/_temp/a.sh: line 2: 27634 Killed                  OPTS=-Xmx=1g timeout -s KILL 10m ./migrate');
    const analysis = await analyzeLog(log);
    expect([analysis.failures[0]?.rule, analysis.failures[0]?.category]).toEqual(['infra.killed', 'timeout']);
  });
});

describe("git.fatal's `remote: error:` lines above a refused push: GitHub's own message, not its trace id", () => {
  it("shows GH001's verdict first, not the `remote: error: Trace: <hash>` line GitHub prints above it", async () => {
    // Prepare: GitHub's pre-receive refusal of a file over 100 MB (GH001): its hook prints a trace id first, then the
    // advice, the file, and the GH001 line (the same layout as GH006's, which has no trace).
    const log = lines(
      '##[group]Run git push origin HEAD:main',
      'git push origin HEAD:main',
      'shell: /usr/bin/bash -e {0}',
      '##[endgroup]',
      'Writing objects: 100% (3/3), 98.50 MiB | 20.00 MiB/s, done.',
      'Total 3 (delta 0), reused 0 (delta 0), pack-reused 0',
      'remote: error: Trace: 6bd3c9cbbd8f0e5a1b1a6c5a3b0f2e7d4c1a9b8e2f3d4c5b6a7980e1f2a3b4c5',
      'remote: error: See https://gh.io/lfs for more information.',
      "remote: error: File data/model.bin is 120.00 MB; this exceeds GitHub's file size limit of 100.00 MB",
      'remote: error: GH001: Large files detected. You may want to try Git Large File Storage - https://git-lfs.github.com.',
      'To https://github.com/acme/app',
      ' ! [remote rejected] HEAD -> main (pre-receive hook declined)',
      "error: failed to push some refs to 'https://github.com/acme/app'",
      '##[error]Process completed with exit code 1.',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    const top = analysis.failures[0];
    expect([top?.rule, top?.startLine]).toEqual(['git.fatal', 7]);
    expect(top?.lines[0]?.text).toMatch(/^remote: error: GH001: Large files detected/);
  });
});

describe("deno.test-error's message ended by a blank line: assertEquals' diff has blank lines inside its message", () => {
  it('keeps the `[Diff] Actual / Expected` lines, the source line and its caret in the report', async () => {
    // Prepare: deno 2.9.6 test (NO_COLOR) on a test that throws @std/assert's assertEquals message as it builds it
    // (`Values are not equal.`, two blank lines, `    [Diff] Actual / Expected`, two blank lines, the `-   `/`+   `
    // lines flush left, a blank line), then deno's source line, caret and frames.
    const log = lines(
      '$ deno test src/eq_test.ts',
      'running 1 test from ./src/eq_test.ts',
      'totals the cart ... FAILED (31ms)',
      '',
      ' ERRORS ',
      '',
      'totals the cart => ./src/eq_test.ts:6:6',
      'error: AssertionError: Values are not equal.',
      '',
      '',
      '    [Diff] Actual / Expected',
      '',
      '',
      '-   {"total":3}',
      '+   {"total":4}',
      '',
      '',
      '  throw new AssertionError(message);',
      '        ^',
      '    at assertEquals (https://jsr.io/@std/assert/1.0.13/equals.ts:64:9)',
      '    at file:///home/runner/work/shop/shop/src/eq_test.ts:7:3',
      '',
      ' FAILURES ',
      '',
      'totals the cart => ./src/eq_test.ts:6:6',
      '',
      'FAILED | 0 passed | 1 failed (47ms)',
      '',
      'error: Test failed',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    const top = analysis.failures[0];
    expect([top?.rule, top?.startLine]).toEqual(['deno.test-error', 7]);
    expect(top?.endLine).toBeGreaterThanOrEqual(19);
    expect(top?.lines.map((l) => l.text)).toContain('+   {"total":4}');
  });
});

describe("eslint.max-warnings' look-back: a line above the report that only looks like a path", () => {
  it("stops at the report's first file (stylish prints absolute paths), not at `node --version`'s `v22.11.0`", async () => {
    const log = lines(
      '##[group]Run node --version',
      'node --version',
      'npx eslint --max-warnings 0 src',
      'shell: /usr/bin/bash -e {0}',
      '##[endgroup]',
      'v22.11.0',
      '',
      '/home/runner/work/app/app/src/a.js',
      "  1:5  warning  'total' is never reassigned. Use 'const' instead  prefer-const",
      '',
      '✖ 1 problem (0 errors, 1 warning)',
      '',
      'ESLint found too many warnings (maximum: 0).',
      '##[error]Process completed with exit code 1.',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    const top = analysis.failures[0];
    expect([top?.rule, top?.startLine]).toEqual(['eslint.max-warnings', 8]);
    expect(top?.lines.map((l) => l.text)).not.toContain('v22.11.0');
  });
});

describe("step listings on a later script line: another command's output after a passing `remark --frail --quiet`", () => {
  it('does not read a later command’s file list as remark’s report when remark is not the script’s last command', async () => {
    // Prepare: remark (--quiet: silent when clean) passes; the generator check after it lists stale files and exits 1.
    const log = lines(
      '##[group]Run npm ci',
      'npm ci',
      'npx remark --frail --quiet docs',
      'node scripts/check-generated.mjs',
      'shell: /usr/bin/bash -e {0}',
      '##[endgroup]',
      'added 312 packages in 6s',
      'Checking generated files against the schema',
      'src/generated/client.ts',
      'src/generated/models.ts',
      '##[error]Process completed with exit code 1.',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures.map((f) => f.rule)).not.toContain('vfile.frail');
  });
});

// Real deno 2.9.6 test (NO_COLOR) output: a string thrown has no source line, caret or frame.
const DENO_THROWN_STRING = lines(
  '$ deno test src/str_test.ts',
  'running 2 tests from ./src/str_test.ts',
  'throws a string ... FAILED (859µs)',
  'throws an error ... FAILED (638µs)',
  '',
  ' ERRORS ',
  '',
  'throws a string => ./src/str_test.ts:1:6',
  'error: "boom"',
  '',
  'throws an error => ./src/str_test.ts:4:6',
  'error: Error: bang',
  '  throw new Error("bang");',
  '        ^',
  '    at file:///home/runner/work/shop/shop/src/str_test.ts:5:9',
  '',
  ' FAILURES ',
  '',
  'throws a string => ./src/str_test.ts:1:6',
  'throws an error => ./src/str_test.ts:4:6',
  '',
  'FAILED | 0 passed | 2 failed (56ms)',
  '',
  'error: Test failed',
);

describe("deno.test-error: a thrown value with no stack ends at its blank line", () => {
  it('keeps `throw "boom"`’s report and the next test’s apart', async () => {
    // Prepare: real deno 2.9.6 test (NO_COLOR) output: a string thrown has no source line, caret or frame.
    const log = DENO_THROWN_STRING;
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    const reports = analysis.failures.filter((f) => f.rule === 'deno.test-error').map((f) => [f.startLine, f.endLine]);
    expect(reports[0]).toEqual([8, 9]);
    expect(reports[1]?.[0]).toBe(11);
  });

  it.each([
    ['turbo', 'api:test: '],
    ['pnpm -r', 'packages/api test: '],
  ])('keeps them apart under %s\'s task prefix too (the message is read past the prefix)', async (_runner, prefix) => {
    // Prepare: the same real deno output, each line behind the task runner's prefix (lead's review of the merge).
    const log = DENO_THROWN_STRING.split('\n').map((line) => `${prefix}${line}`).join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    const reports = analysis.failures.filter((f) => f.rule === 'deno.test-error').map((f) => [f.startLine, f.endLine]);
    expect(reports[0]).toEqual([8, 9]);
    expect(reports[1]?.[0]).toBe(11);
  });
});
