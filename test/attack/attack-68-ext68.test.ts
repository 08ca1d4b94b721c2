import { describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../shared/logs/index.js';
import { ghaStep, lineOf } from '../support/gha-step.js';

// Session 68 (branch ext68): the extractor's known misses. Each row failed before its fix.

/** The top failure of `log`: its rule and first line. */
async function top(log: readonly string[]): Promise<[string | undefined, number | undefined]> {
  const analysis = await analyzeLog(log.join('\n'));
  return [analysis.failures[0]?.rule, analysis.failures[0]?.lines[0]?.line];
}

// ShellCheck 0.9's tty report of one finding, as `shellcheck scripts/*.sh` prints it.
const SHELLCHECK = [
  '', 'In scripts/release.sh line 3:', 'cd $RELEASE_DIR', "^-------------^ SC2164 (warning): Use 'cd ... || exit' or 'cd ... || return' in case cd fails.",
  '', 'For more information:', "  https://www.shellcheck.net/wiki/SC2164 -- Use 'cd ... || exit' or 'cd ... |...",
];
// go test's report of a failed test.
const GO_TEST = ['=== RUN   TestTake', '    inventory_test.go:12: Level(apple) = 2, want 3', '--- FAIL: TestTake (0.00s)', 'FAIL', 'FAIL\texample.com/inventory\t0.004s'];
// Node 22's `node --test --test-reporter=tap` of a failed strictEqual (real, run in session 68): TAP's `not ok`
// weighs less than ShellCheck's findings, so the step order alone ranked them.
const NODE_TAP = `TAP version 13
# Subtest: drain empties the queue
not ok 1 - drain empties the queue
  ---
  duration_ms: 70.631074
  type: 'test'
  location: '/home/runner/work/queue/queue/test/drain.test.js:3:1'
  failureType: 'testCodeFailure'
  error: |-
    Expected values to be strictly equal:
    
    2 !== 3
    
  code: 'ERR_ASSERTION'
  name: 'AssertionError'
  expected: 3
  actual: 2
  operator: 'strictEqual'
  stack: |-
    TestContext.<anonymous> (/home/runner/work/queue/queue/test/drain.test.js:3:48)
    Test.runInAsyncScope (node:async_hooks:214:14)
    Test.run (node:internal/test_runner/test:1047:25)
    Test.start (node:internal/test_runner/test:944:17)
    startSubtestAfterBootstrap (node:internal/test_runner/harness:296:17)
  ...
1..1
# tests 1
# suites 0
# pass 0
# fail 1
# cancelled 0
# skipped 0
# todo 0
# duration_ms 1755.726069`.split('\n');

describe('attack 68 (ext68): a failed step the job went on past', () => {
  it("ranks a later step's failed test above the findings of a linter's step that failed before it (continue-on-error)", async () => {
    const log = [...ghaStep(['shellcheck scripts/*.sh'], SHELLCHECK, { exitCode: 1 }), ...ghaStep(['node --test --test-reporter=tap'], NODE_TAP, { exitCode: 1 })];
    // Act
    const [rule, first] = await top(log);
    // Assert
    expect(rule).toBe('tap.not-ok');
    expect(first).toBeGreaterThan(lineOf(log, 'not ok 1 - drain empties the queue') - 1);
  });

  it("keeps a build's compile error above the tests a later `if: always()` step ran on the build that did not compile", async () => {
    const error = "src/main.c:14:5: error: 'cfg' undeclared (first use in this function)";
    const log = [...ghaStep(['make'], ["src/main.c: In function 'main':", error, 'make: *** [Makefile:7: main.o] Error 1'], { exitCode: 2 }),
      ...ghaStep(['go test ./...'], GO_TEST, { exitCode: 1 })];
    // Act, Assert
    expect(await top(log)).toEqual(['cc.error', lineOf(log, error)]);
  });

  it("keeps the linter's findings first when what failed after them is no test or compiler (an `if: always()` upload's cp)", async () => {
    const log = [...ghaStep(['shellcheck scripts/*.sh'], SHELLCHECK, { exitCode: 1 }),
      ...ghaStep(['cp dist/report.sarif out/'], ["cp: cannot stat 'dist/report.sarif': No such file or directory"], { exitCode: 1 })];
    // Act, Assert
    expect(await top(log)).toEqual(['shellcheck', lineOf(log, 'In scripts/release.sh line 3:')]);
  });
});

describe("attack 68 (ext68): the set -x fallback and an EXIT trap's clean-up", () => {
  // Real: bash 5.2 under `set -ex` (session 68). bash traces the trap's command after the failing command's output.
  it("points at the failing command's message, not at the traces of the function the trap runs (`trap cleanup EXIT`)", async () => {
    const complaint = 'load-config: /tmp/work/cfg.yml: unterminated list at line 1';
    const log = ghaStep(['set -ex', 'cleanup() {', '  rm -rf /tmp/work', '  echo "cleaned up"', '}', 'trap cleanup EXIT', './tools/load-config /tmp/work/cfg.yml'], [
      '+ trap cleanup EXIT', '+ mkdir -p /tmp/work', "+ echo 'db: ['", '+ ./tools/load-config /tmp/work/cfg.yml', complaint,
      '+ cleanup', '+ rm -rf /tmp/work', "+ echo 'cleaned up'", 'cleaned up',
    ], { exitCode: 3 });
    // Act, Assert
    expect(await top(log)).toEqual(['generic.step-output', lineOf(log, complaint)]);
  });

  it("points at the silent failing command's trace, not at the trap's, read from bash's trace of the `trap` line", async () => {
    const grep = "+ grep -q '\"version\": \"1.5.0\"' package.json";
    const log = ghaStep(['./ci/check-version.sh'], ["+ trap 'rm -f /tmp/ci.lock' EXIT", '+ touch /tmp/ci.lock', grep, '+ rm -f /tmp/ci.lock'], { exitCode: 1 });
    // Act, Assert
    expect(await top(log)).toEqual(['generic.step-output', lineOf(log, grep)]);
  });

  it('still points at the last trace when the trap ran nothing the log shows (no trap line anywhere)', async () => {
    const trace = '+ test -f dist/index.html';
    const log = ghaStep(['set -ex', 'make dist', 'test -f dist/index.html'], ['+ make dist', 'warning: no icons in assets/', trace], { exitCode: 1 });
    // Act, Assert
    expect(await top(log)).toEqual(['generic.step-output', lineOf(log, trace)]);
  });
});

describe("attack 68 (ext68): npm's header over a workspace's script", () => {
  // Real: npm 11.19 `npm run lint --workspaces` on Node 22 (session 68), two workspaces, run one after the other.
  const header = (pkg: string): string[] => ['', `> ${pkg} lint`, '> node lint.js', ''];
  /** Node's report of the JSON.parse that threw in `packages/<dir>/lint.js`, and npm's lines naming the workspace. */
  const thrown = (pkg: string, dir: string): string[] => [
    '<anonymous_script>:1', '{"rules": [}', '           ^', '',
    `SyntaxError: Unexpected token '}', "{"rules": [}" is not valid JSON`,
    '    at JSON.parse (<anonymous>)',
    `    at Object.<anonymous> (/home/runner/work/shop/shop/packages/${dir}/lint.js:1:18)`,
    '    at Module._compile (node:internal/modules/cjs/loader:1781:14)',
    '    at Object..js (node:internal/modules/cjs/loader:1913:10)',
    '    at Module.load (node:internal/modules/cjs/loader:1505:32)',
    '    at Function._load (node:internal/modules/cjs/loader:1309:12)',
    '    at wrapModuleLoad (node:internal/modules/cjs/loader:254:19)',
    '    at Function.executeUserEntryPoint [as runMain] (node:internal/modules/run_main:171:5)',
    '    at node:internal/main/run_main_module:36:49', '', 'Node.js v22.23.3',
    'npm error Lifecycle script `lint` failed with error:', 'npm error code 1',
    `npm error path /home/runner/work/shop/shop/packages/${dir}`, `npm error workspace ${pkg}`,
    `npm error location /home/runner/work/shop/shop/packages/${dir}`, 'npm error command failed', 'npm error command sh -c node lint.js',
  ];
  const secondFails = [...header('@shop/api@1.0.0'), 'api: 12 files checked', ...header('@shop/web@2.1.0'), ...thrown('@shop/web@2.1.0', 'web')];
  const firstFails = [...header('@shop/api@1.0.0'), ...thrown('@shop/api@1.0.0', 'api'), '', ...header('@shop/web@2.1.0'), 'web: 30 files checked'];

  it("lists `> @shop/web@2.1.0 lint`, the header naming the workspace whose script threw, under another workspace's", async () => {
    const log = ghaStep(['npm run lint --workspaces'], secondFails, { exitCode: 1 });
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(lineOf(log, 'SyntaxError: Unexpected token'));
    expect(predictionLines(analysis)).toContain(lineOf(log, '> @shop/web@2.1.0 lint'));
    expect(predictionLines(analysis)).not.toContain(lineOf(log, '> @shop/api@1.0.0 lint'));
  });

  it("lists no header when the first workspace's script failed (the next workspace's header stands below it)", async () => {
    const log = ghaStep(['npm run lint --workspaces'], firstFails, { exitCode: 2 });
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    const listed = predictionLines(analysis);
    expect(analysis.failures[0]?.lines[0]?.line).toBe(lineOf(log, 'SyntaxError: Unexpected token'));
    expect(listed.filter((l) => log[l - 1]?.startsWith('> '))).toEqual([]);
  });
});

describe("attack 68 (ext68): cocotb's failed test under Verilator's -Wno-fatal warnings", () => {
  // cocotb 2.0's regression manager (src/cocotb/regression.py, `_record_test_failed`) logs a failed test at WARNING
  // with its full name, the traceback indented under the message column.
  const warning = [
    "%Warning-WIDTHTRUNC: rtl/fifo.v:21:14: Operator ASSIGNDLY expects 3 bits on the Assign RHS, but Assign RHS's ADD generates 4 bits.",
    '                                    : ... note: In instance \'fifo\'',
    '   21 |       wr_ptr <= wr_ptr + 1;',
    '      |              ^~',
    '                     ... For warning description see https://verilator.org/warn/WIDTHTRUNC?v=5.020',
  ];
  const cocotb = [
    '     0.00ns INFO     cocotb.regression                  running test_fifo.test_overflow (1/2)',
    '   250.00ns WARNING  cocotb.regression                  test_fifo.test_overflow failed',
    '                                                        Traceback (most recent call last):',
    '                                                          File "/home/runner/work/fifo/fifo/tests/test_fifo.py", line 31, in test_overflow',
    '                                                            assert dut.full.value == 1',
    '                                                        AssertionError: assert 0 == 1',
    '   250.00ns INFO     cocotb.regression                  running test_fifo.test_reset (2/2)',
    '   260.00ns INFO     cocotb.regression                  test_fifo.test_reset passed',
  ];

  it("puts cocotb 2.0's failed test (WARNING, the test's full name) first, its AssertionError shown, the warning after it", async () => {
    const log = ghaStep(['make SIM=verilator'], [...warning, ...cocotb], { exitCode: 2 });
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect([analysis.failures[0]?.rule, analysis.failures[0]?.lines[0]?.line]).toEqual(['cocotb.test-failed', lineOf(log, 'AssertionError: assert 0 == 1')]);
    expect(predictionLines(analysis)).not.toContain(lineOf(log, 'test_fifo.test_reset passed'));
  });

  it('reads no passed test as a failure', async () => {
    const log = ghaStep(['make SIM=verilator'], [cocotb[6] as string, cocotb[7] as string, 'make: *** [Makefile:12: results.xml] Error 1'], { exitCode: 2 });
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures.map((f) => f.rule)).not.toContain('cocotb.test-failed');
  });
});
