import { describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../../shared/logs/index.js';

// Session 62: the known gaps session 61 left (its attackers' `it.fails` rows are `it` in their own files now), each on
// real output of the tool where it runs here.

describe("deno test's ERRORS section: a source line flush left, and a sanitizer's error with no frame", () => {
  it('ends the leak report at its paragraph and keeps the next test’s flush-left source line, caret and frames', async () => {
    // Prepare: deno 2.9.6 test (NO_COLOR), a test leaking a file and a timer, then a one-line helper that throws
    const log = [
      '$ deno test --allow-read src/leak_test.ts',
      "Check src/leak_test.ts",
      "running 2 tests from ./src/leak_test.ts",
      "opens the ledger ... FAILED (19ms)",
      "formats cents ... FAILED (671\u00b5s)",
      "",
      " ERRORS ",
      "",
      "opens the ledger => ./src/leak_test.ts:2:6",
      "error: Leaks detected:",
      "  - A file was opened during the test, but not closed during the test. Close the file handle by calling `file.close()`.",
      "  - A timer was started in this test, but never completed. This is often caused by not calling `clearTimeout`.",
      "To get more details where leaks occurred, run again with the --trace-leaks flag.",
      "",
      "formats cents => ./src/leak_test.ts:6:6",
      "error: Error: Values are not equal: 1.50 !== 1.5",
      "function assertEq(a: unknown, b: unknown) { if (a !== b) throw new Error(`Values are not equal: ${a} !== ${b}`); }",
      "                                                               ^",
      "    at assertEq (file:///home/runner/work/shop/shop/src/leak_test.ts:1:64)",
      "    at file:///home/runner/work/shop/shop/src/leak_test.ts:7:1",
      "",
      " FAILURES ",
      "",
      "opens the ledger => ./src/leak_test.ts:2:6",
      "formats cents => ./src/leak_test.ts:6:6",
      "",
      "FAILED | 0 passed | 2 failed (40ms)",
      "",
      "error: Test failed",
    ];
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    const reports = analysis.failures.filter((f) => f.rule === 'deno.test-error').map((f) => [f.startLine, f.endLine]);
    expect(reports[0]).toEqual([9, 13]);
    expect(reports[1]?.[0]).toBe(15);
    expect(reports[1]?.[1]).toBeGreaterThanOrEqual(20);
  });
});

describe("exit 137 from `timeout -s KILL`: the time limit, not the memory", () => {
  // Real output of GNU coreutils 9.1 timeout under bash 5.2 (`bash -e script.sh`, as a step runs): timeout sends its
  // KILL to its own process group, itself included, and bash names the killed command as the script wrote it.
  const step = (command: string): string =>
    [
      `##[group]Run echo "Running migrations"`,
      'echo "Running migrations"',
      command,
      'shell: /usr/bin/bash -e {0}',
      '##[endgroup]',
      'Running migrations',
      `/home/runner/work/_temp/0a1b2c3d.sh: line 2: 27634 Killed                  ${command}`,
      '##[error]Process completed with exit code 137.',
    ].join('\n');

  it.each(['timeout -s KILL 1 sleep 5', 'timeout --signal=SIGKILL 10m ./migrate', 'timeout -k 5s 10m ./migrate'])('reads `%s` killed as a timeout', async (command) => {
    // Act
    const analysis = await analyzeLog(step(command));
    // Assert
    expect([analysis.failures[0]?.rule, analysis.failures[0]?.category]).toEqual(['infra.killed', 'timeout']);
  });

  it('still reads a command under a timeout that sends TERM, killed all the same, as out of memory', async () => {
    // Act
    const analysis = await analyzeLog(step('timeout 10m ./migrate'));
    // Assert
    expect(analysis.failures[0]?.category).toBe('out_of_memory');
  });
});

describe("zsh's `set -u`: `script:3: NAME: parameter not set`", () => {
  // Real output of zsh 5.9 (`shell: zsh {0}` runs the step's script as a file, `zsh -c` names itself `zsh`): the
  // place is `file:line:` with no space, where bash says `file: line 3:` and dash `file: 3:`.
  it.each([
    ['/home/runner/work/_temp/0a1b2c3d.sh:3: DEPLOY_ENV: parameter not set', 3],
    ['zsh:1: DEPLOY_ENV: parameter not set', 3],
  ])('reads `%s` as the shell’s error', async (message, line) => {
    // Prepare
    const log = ['$ ./scripts/deploy.zsh', 'Deploying', message, 'exit status 1'].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect([analysis.failures[0]?.rule, analysis.failures[0]?.lines[0]?.line]).toEqual(['shell.error', line]);
  });

  it('leaves a compiler’s `file:3: syntax error` to the compilers’ rules', async () => {
    // Act
    const analysis = await analyzeLog(['$ make', 'parse.y:3: syntax error, unexpected IDENT', 'make: *** [Makefile:4: parse.c] Error 1'].join('\n'));
    // Assert
    expect(analysis.failures[0]?.rule).not.toBe('shell.error');
  });
});


describe("ESLint run on its own with `--max-warnings=0`: its verdict over warnings alone", () => {
  it('reports the warnings, from the file’s path to `ESLint found too many warnings (maximum: 0).`, as lint', async () => {
    // Prepare: ESLint 9.39.5 (`npx eslint --max-warnings=0 src`, stylish), two warnings and no error: real output
    const log = [
      "##[group]Run npx eslint --max-warnings=0 src",
      "npx eslint --max-warnings=0 src",
      "shell: /usr/bin/bash -e {0}",
      "##[endgroup]",
      "",
      "/home/runner/work/billing-api/billing-api/src/tax.js",
      "  2:9   warning  'unused' is assigned a value but never used  no-unused-vars",
      "  3:12  warning  Expected '===' and instead saw '=='          eqeqeq",
      "",
      "✖ 2 problems (0 errors, 2 warnings)",
      "",
      "ESLint found too many warnings (maximum: 0).",
      "##[error]Process completed with exit code 1.",
    ];
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    const top = analysis.failures[0];
    expect([top?.rule, top?.category, top?.lines[0]?.line]).toEqual(['eslint.max-warnings', 'lint', 7]);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([6, 7, 8, 12]));
  });
});

describe("a push the server's hook refused: its `remote: error:` lines above git's ref line", () => {
  // Real output of git 2.39.5 pushing to a bare repository whose pre-receive hook prints GitHub's GH006 lines (git
  // pads each `remote:` line with spaces, as it does for GitHub's own).
  const push = [
    '$ git push origin HEAD:main',
    'Enumerating objects: 3, done.',
    'Writing objects: 100% (3/3), 218 bytes | 218.00 KiB/s, done.',
    'Total 3 (delta 0), reused 0 (delta 0), pack-reused 0',
    'remote: error: GH006: Protected branch update failed for refs/heads/main.        ',
    'remote: error: Changes must be made through a pull request.        ',
    'To https://github.com/acme/shop',
    ' ! [remote rejected] HEAD -> main (protected branch hook declined)',
    "error: failed to push some refs to 'https://github.com/acme/shop'",
    'exit status 1',
  ];

  it("reports the push from the server's first error, shown first, as one failure", async () => {
    // Act
    const analysis = await analyzeLog(push.join('\n'));
    // Assert
    const top = analysis.failures[0];
    expect([top?.rule, top?.startLine, top?.lines[0]?.line]).toEqual(['git.fatal', 5, 5]);
    expect(analysis.failures.filter((f) => f.startLine <= 6 && f.endLine >= 5)).toHaveLength(1);
  });

  it('takes no `remote:` line above the output of the push itself', async () => {
    // Prepare: a fetch's progress earlier in the step, then a push refused without a hook's message
    const log = ['$ git fetch', 'remote: error: object 1a2b3c: badTimezone: invalid author/committer line - bad time zone', ...push.slice(1, 4), ...push.slice(6)];
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures.find((f) => f.rule === 'git.fatal')?.startLine).toBe(7);
  });
});

describe("git.fatal's continuation: git's own `Auto-merging` and `Automatic merge failed;` lines, no other `Auto…`", () => {
  it('ends the conflict report before the next program’s line that starts with `Auto`', async () => {
    // Prepare: real output of git 2.39.5 `git merge other` (a conflict), then a script's `|| true` and its next tool
    const log = [
      '$ git merge other || true',
      'Auto-merging f.txt',
      'CONFLICT (content): Merge conflict in f.txt',
      'Automatic merge failed; fix conflicts and then commit the result.',
      'Autoloading 42 classes from vendor/',
      'exit status 1',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    const git = analysis.failures.find((f) => f.rule === 'git.fatal');
    expect([git?.startLine, git?.endLine]).toEqual([3, 4]);
  });
});


describe("lint-staged's cross as listr2 prints it where Unicode is not supported (Windows outside CI): `×`", () => {
  it('reads `× eslint --max-warnings=0:` as the task whose warnings fail it, warnings with errors', async () => {
    // Prepare: lint-staged 16.4.0 (verbose renderer: no TTY), listr2's figures as on win32 without CI (`×` for `✖`,
    // figures chosen once at load), ESLint 9.39.5 under `eslint --max-warnings=0`: a warning and an error (real output,
    // colour removed; the workspace's path as a Jenkins agent's)
    const log = [
      "> lint-staged",
      "[STARTED] Backing up original state...",
      "[COMPLETED] Backed up original state in git stash (ba2cdc5)",
      "[STARTED] Running tasks for staged files...",
      "[STARTED] package.json — 3 files",
      "[STARTED] *.js — 2 files",
      "[STARTED] eslint --max-warnings=0",
      "[FAILED] eslint --max-warnings=0 [FAILED]",
      "[FAILED] eslint --max-warnings=0 [FAILED]",
      "[COMPLETED] Running tasks for staged files...",
      "[STARTED] Applying modifications from tasks...",
      "[SKIPPED] Skipped because of errors from tasks.",
      "[STARTED] Reverting to original state because of errors...",
      "[COMPLETED] Reverting to original state because of errors...",
      "[STARTED] Cleaning up temporary files...",
      "[COMPLETED] Cleaning up temporary files...",
      "",
      "× eslint --max-warnings=0:",
      "",
      "/home/jenkins/workspace/billing-api/src/tax.js",
      "  2:12  warning  Expected '===' and instead saw '=='  eqeqeq",
      "  5:3   error    Unexpected 'debugger' statement      no-debugger",
      "",
      "✖ 2 problems (1 error, 1 warning)",
    ];
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    const top = analysis.failures[0];
    expect([top?.rule, top?.startLine]).toEqual(['lint-staged.max-warnings', 18]);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([21, 22]));
  });
});

describe("gh's layout on the first line: the runner's time, not any `…Z` time in a table's third column", () => {
  // A deploy script's log that opens with its table of deployments (`gh api … --jq '.[] | [.id, .environment,
  // .created_at] | @tsv'`; the GitHub API's times have no fraction), a traceback under it. gh prints the runner's
  // times, seven digits of fraction, after its two columns.
  const log = [
    '4121\tstaging\t2024-05-01T10:00:00Z',
    '4120\tproduction\t2024-04-30T09:00:00Z',
    'Running database migrations',
    'Traceback (most recent call last):',
    '  File "/app/migrate.py", line 8, in main',
    '    conn = psycopg2.connect(DSN)',
    'psycopg2.OperationalError: could not connect to server: Connection refused',
    'exit status 1',
  ].join('\n');

  it('names no step after a cell of the table and keeps its rows out of the report', async () => {
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    const failure = analysis.failures[0];
    expect([failure?.rule, failure?.step?.name ?? '']).toEqual(['python.traceback', '']);
    expect(analysis.failures.flatMap((f) => f.lines.map((l) => l.text)).filter((t) => /^\d{4}-\d\d-\d\dT/.test(t))).toEqual([]);
  });
});

describe("a step listing's command on a later line of the step's script", () => {
  it('reads remark --frail’s report when the script runs it after another command', async () => {
    // Prepare: remark-cli 12's vfile-reporter output (langs-61.test.ts, real), the step's script of two lines as the
    // runner echoes it under its header (the title is its first line)
    const log = [
      '##[group]Run npm ci --no-audit',
      'npm ci --no-audit',
      'npx remark --frail .',
      'shell: /usr/bin/bash -e {0}',
      '##[endgroup]',
      'added 212 packages in 4s',
      'README.md',
      '3:5      warning Unexpected `3` spaces between list item marker and content, expected `1` space, remove `2` spaces list-item-indent      remark-lint',
      '6:1-6:35 warning Unexpected unused definition, expected no definition or one or more references to `setup`         no-unused-definitions remark-lint',
      '',
      '⚠ 2 warnings',
      '##[error]Process completed with exit code 1.',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect([analysis.failures[0]?.rule, analysis.failures[0]?.startLine]).toEqual(['vfile.frail', 7]);
  });
});
