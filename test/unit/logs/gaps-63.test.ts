import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../../shared/logs/index.js';
import { failuresBothWays, restoreFastPaths } from '../../support/fast-paths.js';
import { BASH_PIPEFAIL_SHELL, ghaStep } from '../../support/gha-step.js';

// Session 63: the known gaps session 62 left, each on real output of the tool where it runs here.

/** A `shell: bash` step that failed with `exitCode` (1 unless given), as one string. */
const failedStepLog = (script: readonly string[], output: readonly string[], exitCode = 1): string =>
  ghaStep(script, output, { exitCode, shell: BASH_PIPEFAIL_SHELL }).join('\n');

describe('plunit on Windows: the failed test’s place as SWI-Prolog writes a Windows path', () => {
  // Real output of SWI-Prolog 9.0.4's plunit (`swipl -g run_tests -t halt test/test_queue.pl`, one wrong answer and one
  // failed test), run here; the path is the one swipl prints on a Windows runner (`D:\a\plq\plq`): plunit prints the
  // source file's canonical name (`url(File:Line)`), which keeps the drive and uses `/` on Windows; `D:\…` is the
  // operating system's form (prolog_to_os_filename/2), not printed there.
  const run = (dir: string): string[] => [
    '% PL-Unit: queue ',
    `ERROR: ${dir}/test_queue.pl:4:`,
    '\ttest size: wrong answer (compared using =:=)',
    'ERROR:     Expected: 2',
    'ERROR:     Got:      3',
    `ERROR: ${dir}/test_queue.pl:5:`,
    '\ttest empty: failed',
    '',
    '**FAILED 0.000 sec',
    '% 2 tests failed',
    '% 0 tests passed',
    'ERROR: -g run_tests: false',
  ];

  it.each(['d:/a/plq/plq/test', 'C:/work/plq/test'])('reads `ERROR: %s/test_queue.pl:4:` as the failed test’s place', async (dir) => {
    // Act
    const windows = await analyzeLog(failedStepLog(['swipl -g run_tests -t halt test/test_queue.pl'], run(dir)));
    const posix = await analyzeLog(failedStepLog(['swipl -g run_tests -t halt test/test_queue.pl'], run('/home/runner/work/plq/plq/test')));
    // Assert: the first report the first test's place, its wrong answer listed, as on Linux
    expect([windows.failures[0]?.rule, windows.failures[0]?.startLine]).toEqual(['plunit.failed', 6]);
    expect(predictionLines(windows)).toEqual(expect.arrayContaining([6, 7, 8, 9]));
    expect(predictionLines(windows)).toEqual(predictionLines(posix));
  });

  it('still leaves swipl’s own load error at a Windows path (`ERROR: d:/…/main.pl:2:` over `catch/3`) to other rules', async () => {
    // Prepare: swipl 9.0.4 loading a file whose directive calls an undefined predicate (real output, path as above)
    const output = ['Warning: d:/a/plq/plq/src/main.pl:2:', 'Warning:    Goal (directive) failed: user:foo', 'ERROR: d:/a/plq/plq/src/main.pl:3:', 'ERROR:    catch/3: Unknown procedure: bar/0'];
    // Act
    const analysis = await analyzeLog(failedStepLog(['swipl src/main.pl'], output));
    // Assert
    expect(analysis.failures.map((f) => f.rule)).not.toContain('plunit.failed');
  });
});

describe('exit 137 and `timeout -s KILL` in the step’s script: only a command the script runs', () => {
  // Real behaviour of GNU coreutils 9.1 timeout under bash 5.2.15 (`bash --noprofile --norc -eo pipefail script.sh`):
  // a command killed inside a command substitution gets no job report, the step's exit status is all there is.
  const killed = (script: readonly string[]): string => failedStepLog(script, ['start'], 137);

  it.each([
    ['a comment', ['# timeout -s KILL 5m ./warm-cache', 'out=$(python3 train.py)']],
    ['a trailing comment', ['out=$(python3 train.py)  # was: timeout -s KILL 5m python3 train.py']],
    ['an echo', ['echo timeout -s KILL 5m is the limit', 'out=$(python3 train.py)']],
    ['a quoted string', ['echo "next: timeout -s KILL 5m ./warm-cache"', 'out=$(python3 train.py)']],
    ['a heredoc', ['cat > run.sh <<EOF', 'timeout -s KILL 5m ./warm-cache', 'EOF', 'out=$(python3 train.py)']],
  ])('reads exit 137 as out of memory when the KILL timeout is only %s', async (_, script) => {
    // Act
    const analysis = await analyzeLog(killed(script));
    // Assert
    expect(analysis.category).toBe('out_of_memory');
  });

  it.each([
    ['out="$(timeout -s KILL 60 ./slow)"'],
    ['if ! timeout -k 5 10m ./slow; then exit 137; fi'],
    ['sudo timeout --signal=KILL 60 ./slow | tee out.log'],
    ['cat <<EOF', 'x', 'EOF', 'CI=1 timeout -s KILL 60 ./slow  # the limit'],
  ])('still reads a live `timeout -s KILL` (%s) as the time limit', async (...script) => {
    // Act
    const analysis = await analyzeLog(killed(script));
    // Assert
    expect([analysis.failures[0]?.rule, analysis.category]).toEqual(['exit.timeout-kill', 'timeout']);
  });
});

describe('node:test’s summary over its failing-tests list: a line read twice counts once', () => {
  const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures/node-test');

  it('keeps the run’s `ℹ fail N` for its list when a dropped block’s headline between them is read again', async () => {
    // Arrange: the real two-run log (Node 22) with eight lines of other output between the first run's coverage
    // report and its `✖ failing tests:` list, the first a script's tag that cdk.error opens on, drops (nothing of CDK
    // confirms it) and reads again by the other rules.
    const real = readFileSync(resolve(FIXTURES, 'two-runs-coverage-node22.log'), 'utf8').split('\n');
    const heading = real.indexOf('✖ failing tests:');
    const other = ['«Deploy» staged: web', ...Array.from({ length: 7 }, (_, i) => `> step ${i}`)];
    const log = [...real.slice(0, heading), ...other, ...real.slice(heading)].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert: eight other lines and the blank, as in node-test.test.ts, keep the list under its summary
    expect(real[6]).toBe('ℹ fail 1');
    expect(analysis.failures.find((f) => f.rule === 'node-test.failed')?.tallyLine).toBe(7);
  });
});

describe("concurrently's `[name] ` / `[0] ` in front of each command's lines: read past as a task runner's prefix", () => {
  // Real output of concurrently 9.2.5 running ESLint 9.39.5 (two errors) and tsc 5.9.3 (passes), run here.
  const eslint = (prefix: string): string[] => [
    `${prefix} `,
    `${prefix} /home/runner/work/shop/shop/src/tax.js`,
    `${prefix}   2:9  error  'unused' is assigned a value but never used  no-unused-vars`,
    `${prefix}   3:9  error  Expected '===' and instead saw '=='          eqeqeq`,
    `${prefix} `,
    `${prefix} ✖ 2 problems (2 errors, 0 warnings)`,
    `${prefix} `,
  ];

  it('reads ESLint’s report under `[0] ` in a step whose script runs `npx concurrently` as ESLint’s, its file first', async () => {
    // Prepare
    const log = failedStepLog(['npx concurrently "eslint src" "tsc -p ."'], [...eslint('[0]'), '[0] eslint src exited with code 1', '[1] tsc -p . exited with code 0']);
    // Act
    const analysis = await analyzeLog(log);
    // Assert: the report from the file's line, both errors listed
    expect([analysis.failures[0]?.rule, analysis.failures[0]?.startLine]).toEqual(['eslint.error', 6]);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([6, 7, 8]));
  });

  it('reads it under `[lint] ` once npm’s echo of the script shows concurrently running (`> concurrently -n lint,…`)', async () => {
    // Prepare
    const output = ['', '> shop@1.0.0 check', '> concurrently -n lint,typecheck "npm:lint" "npm:typecheck"', '', '[lint] > shop@1.0.0 lint', '[lint] > eslint src', ...eslint('[lint]'), '[lint] npm run lint exited with code 1'];
    // Act
    const analysis = await analyzeLog(failedStepLog(['npm run check'], output));
    // Assert
    expect([analysis.failures[0]?.rule, analysis.failures[0]?.startLine]).toEqual(['eslint.error', 12]);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([12, 13, 14]));
  });

  it('reads no bracket as a prefix in a later step, nor in a log that never ran concurrently (Maven’s `[ERROR] `)', async () => {
    // Prepare: a concurrently step that passed, then Maven's compiler error in the next step
    const maven = ['[INFO] BUILD FAILURE', '[ERROR] Failed to execute goal org.apache.maven.plugins:maven-compiler-plugin:3.11.0:compile (default-compile) on project shop: Compilation failure', '[ERROR] /home/runner/work/shop/shop/src/main/java/shop/Cart.java:[12,9] cannot find symbol'];
    const passed = ['##[group]Run npx concurrently "eslint src" "tsc -p ."', 'npx concurrently "eslint src" "tsc -p ."', 'shell: /usr/bin/bash -e {0}', '##[endgroup]', '[0] eslint src exited with code 0'];
    // Act
    const after = await analyzeLog([...passed, failedStepLog(['mvn -B compile'], maven)].join('\n'));
    const alone = await analyzeLog(failedStepLog(['mvn -B compile'], maven));
    // Assert: the same reading of Maven's lines either way
    expect(after.failures.map((f) => [f.rule, f.lines.length])).toEqual(alone.failures.map((f) => [f.rule, f.lines.length]));
    expect(alone.failures[0]?.rule).toMatch(/^(?:maven|javac)\./);
  });

  it('lists a rule’s key lines read past the task’s prefix (Turborepo’s `web:lint: ` over ESLint’s errors)', async () => {
    // Prepare
    const lines = eslint('web:lint:').map((line) => line.trimEnd());
    // Act
    const analysis = await analyzeLog(failedStepLog(['npx turbo run lint'], lines));
    // Assert
    expect(analysis.failures[0]?.rule).toBe('eslint.error');
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([6, 7, 8]));
  });
});

describe("Ginkgo 2's spec headers besides `• [FAILED]`: interrupted, aborted, a suite node's, a repetition's", () => {
  // Not run here (Debian 12 packages Ginkgo 1.16 only and the Go module proxy is out of reach): the headers as Ginkgo
  // 2's DefaultReporter.DidRun writes them (`denoter` `•`, `!` after it for a panic, an interrupt or an abort, a suite
  // node's `[BeforeSuite]` in its place, ` DURING REPETITION #N` under MustPassRepeatedly, then the run time), each
  // over the spec's place and its failure's `In [It] at: file:line`, between rules of 30 dashes.
  const spec = (header: string): string[] => [
    'Running Suite: Ratelimit Suite - /home/runner/work/ratelimit/ratelimit',
    '========================================================================',
    'Random Seed: 1795909247',
    '',
    'Will run 4 of 4 specs',
    '••',
    '------------------------------',
    header,
    'Limiter refuses calls past the burst',
    '/home/runner/work/ratelimit/ratelimit/limiter_test.go:22',
    '',
    '  [FAILED] Expected',
    '      <bool>: true',
    '  to be false',
    '  In [It] at: /home/runner/work/ratelimit/ratelimit/limiter_test.go:25 @ 11/29/26 02:31:07.12',
    '------------------------------',
    '',
    'Ran 3 of 4 Specs in 3.004 seconds',
    'FAIL! -- 2 Passed | 1 Failed | 0 Pending | 1 Skipped',
    '--- FAIL: TestRatelimit (3.00s)',
    'FAIL',
    'FAIL\texample.com/ratelimit\t3.010s',
    'FAIL',
  ];

  it.each([
    '•! [INTERRUPTED] [3.001 seconds]',
    '•! [ABORTED] [0.002 seconds]',
    '[BeforeSuite] [FAILED] [0.001 seconds]',
    '[SynchronizedBeforeSuite]! [PANICKED] [0.001 seconds]',
    '• [FAILED] DURING REPETITION #2 [0.001 seconds]',
  ])('reads `%s` as the failed spec’s report', async (header) => {
    // Act
    const analysis = await analyzeLog(failedStepLog(['go test ./...'], spec(header)));
    // Assert: the report from the header, the failure's message and place listed
    expect([analysis.failures[0]?.rule, analysis.failures[0]?.startLine]).toEqual(['ginkgo.failed', 12]);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([12, 13, 16, 19]));
  });

  afterEach(restoreFastPaths);

  it('finds `•! [INTERRUPTED]` with the line filter on as without it (the filter names it by the `err` of `INTERRUPTED`)', async () => {
    // Act
    const { everyLine, fast } = await failuresBothWays(Buffer.from(failedStepLog(['go test ./...'], spec('•! [INTERRUPTED] [3.001 seconds]'))));
    // Assert
    expect(fast).toEqual(everyLine);
  });
});

describe("GNU Octave's test(): the failed test's file line with its report, not the file's passed tests", () => {
  it('lists `>>>>> /…/moving_avg.m` and the failed block, not the two blocks that passed before it', async () => {
    // Prepare: Octave 7.3 `octave-cli --no-gui run_tests.m` (test (file, 'verbose') per file), real output, run here
    const output = [
      '>>>>> processing moving_avg',
      '>>>>> /home/runner/work/signal/signal/inst/moving_avg.m',
      '***** assert (moving_avg ([2 2 2], 1), [2 2])',
      '***** test',
      ' y = moving_avg ([1 1 1 1], 2);',
      ' assert (numel (y), 2);',
      '***** assert (moving_avg ([1 2 3 4], 2), [1.5 2.5 3.5])',
      '!!!!! test failed',
      'ASSERT errors for:  assert (moving_avg ([1, 2, 3, 4], 2),[1.5, 2.5, 3.5])',
      '',
      '  Location  |  Observed  |  Expected  |  Reason',
      "     .          O(1x2)       E(1x3)      Dimensions don't match",
    ];
    // Act
    const analysis = await analyzeLog(failedStepLog(['octave-cli --no-gui run_tests.m'], output));
    // Assert: the file's line (6), the failed block (11) and its error listed; the passed blocks (7 to 10) not
    const lines = predictionLines(analysis);
    expect(analysis.failures[0]?.rule).toBe('octave.test-failed');
    expect(lines).toEqual(expect.arrayContaining([6, 11, 12, 13, 16]));
    expect(lines.filter((l) => l >= 7 && l <= 10)).toEqual([]);
  });

  it('lists no file line where something else stands between it and the failed block', async () => {
    // Prepare: a script's own line between the file's line and the tests
    const output = ['>>>>> /home/runner/work/signal/signal/inst/moving_avg.m', 'loading fixtures', '***** assert (moving_avg ([1 2 3 4], 2), [1.5 2.5 3.5])', '!!!!! test failed', 'ASSERT errors for:  assert (moving_avg ([1, 2, 3, 4], 2),[1.5, 2.5, 3.5])'];
    // Act
    const analysis = await analyzeLog(failedStepLog(['octave-cli --no-gui run_tests.m'], output));
    // Assert
    expect(analysis.failures[0]?.rule).toBe('octave.test-failed');
    expect(predictionLines(analysis)).not.toContain(5);
  });
});
