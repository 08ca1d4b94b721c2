import { describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../../shared/logs/index.js';
import { ghaStep, lineOf } from '../../support/gha-step.js';
import { NINJA_KEEP_GOING_LINES } from '../../support/ninja-keep-going.js';

// Session 67: the known gaps session 66 left (its README sections, `test/attack/attack-66-*.test.ts`), each on real
// output of the tool where it runs here (paths the runner's).

describe('mypy --pretty wraps a message at 80 columns over as many lines as it needs, flush left', () => {
  it('lists every line of a message mypy --hide-error-codes wrapped over three lines, down to the source line under it', async () => {
    // Prepare: mypy 1.0.1 `--pretty --hide-error-codes` (real output): no code ends the message, the source line does
    const log = ghaStep('mypy --pretty --hide-error-codes src', [
      'src/ledger/ingest.py:9: error: Argument 1 to "consume_ledger_entries" has',
      'incompatible type "Dict[str, List[Tuple[int, int, int]]]"; expected',
      '"Dict[str, List[Tuple[str, str, str]]]"',
      '        return consume_ledger_entries(data, strict=True) + consume_ledger_...',
      '                                      ^~~~',
      'src/ledger/ingest.py:13: error: Incompatible return value type (got "int",',
      'expected "str")',
      '        return x',
      '               ^',
      'Found 2 errors in 1 file (checked 1 source file)',
    ], { exitCode: 1 });
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([
      lineOf(log, 'incompatible type "Dict'), lineOf(log, '"Dict[str, List[Tuple[str, str, str]]]"'), lineOf(log, 'expected "str")'),
    ]));
  });

  it("ends a message mypy did not wrap at the next diagnostic, not at a later line (codes hidden, no --pretty: no code, no source line)", async () => {
    // Prepare: mypy 1.0.1 `--hide-error-codes` (real output) then the step's next command's own lines
    const log = ghaStep(['mypy --hide-error-codes src', 'python tools/check_release.py'], [
      'src/ledger/ingest.py:9: error: Argument 1 to "consume_ledger_entries" has incompatible type "Dict[str, List[Tuple[int, int, int]]]"; expected "Dict[str, List[Tuple[str, str, str]]]"',
      'src/ledger/ingest.py:13: error: Incompatible return value type (got "int", expected "str")',
      'Found 2 errors in 1 file (checked 1 source file)',
      'checking release notes',
      'release notes ok',
    ], { exitCode: 1 });
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.endLine).toBe(lineOf(log, 'src/ledger/ingest.py:9'));
    expect(predictionLines(analysis)).not.toContain(lineOf(log, 'checking release notes'));
  });
});

describe("a goroutine's panic names the test that started it in its trace, not by the `=== RUN` above it", () => {
  /** go 1.19 `go test -v` (real output, exit 1): TestLevel's goroutine panics after TestLevel passed, while `running` runs. */
  const leakedPanic = (running: string, startedBy: string): string[] => ghaStep('go test -v ./...', [
    '=== RUN   TestLevel',
    '--- PASS: TestLevel (0.00s)',
    `=== RUN   ${running}`,
    'panic: runtime error: index out of range [2] with length 0',
    '',
    'goroutine 7 [running]:',
    `example.com/stock/inv.${startedBy}.func1()`,
    '\t/home/runner/work/stock/stock/inv/inv_test.go:12 +0x2a',
    `created by example.com/stock/inv.${startedBy}`,
    '\t/home/runner/work/stock/stock/inv/inv_test.go:9 +0x3d',
    'FAIL\texample.com/stock/inv\t0.055s',
    'FAIL',
  ], { exitCode: 1 });

  it('does not list the `=== RUN` of a test the trace never names, and lists the trace that names TestLevel', async () => {
    // Prepare
    const log = leakedPanic('TestRestock', 'TestLevel');
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    const lines = predictionLines(analysis);
    expect(lines).not.toContain(lineOf(log, '=== RUN   TestRestock'));
    expect(lines).toEqual(expect.arrayContaining([lineOf(log, 'panic: '), lineOf(log, 'created by example.com/stock/inv.TestLevel')]));
  });

  it('keeps the `=== RUN` of the test whose goroutine panicked (a subtest of it: the trace names the test) (guard)', async () => {
    // Prepare: the same panic in a goroutine TestRestock started, under its subtest
    const log = leakedPanic('TestRestock/empty_stock', 'TestRestock');
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.startLine).toBe(lineOf(log, '=== RUN   TestRestock/empty_stock'));
  });
});

describe("Agda 2.6.2 in a loop over files: a run ends where the next opens, flush left (an import's `Checking` is indented)", () => {
  const ROOT = '/home/runner/work/agda-lists/agda-lists/src';
  const LOOP = 'for f in src/Warn.agda src/Vec.agda src/List.agda; do agda -i src "$f" || rc=1; done; exit $rc';
  /** Agda 2.6.2.2 (real output): Warn.agda passes with a warning, Vec.agda (importing Nat) and List.agda fail. */
  const WARN_PASSES = [
    `Checking Warn (${ROOT}/Warn.agda).`,
    `${ROOT}/Warn.agda:9,1-16`,
    'Unreachable clause',
    'when checking the definition of not',
    '',
    '———— All done; warnings encountered ————————————————————————',
    '',
    `${ROOT}/Warn.agda:9,1-16`,
    'Unreachable clause',
    'when checking the definition of not',
  ];
  const VEC_FAILS = [
    `Checking Vec (${ROOT}/Vec.agda).`,
    ` Checking Nat (${ROOT}/Nat.agda).`,
    `${ROOT}/Vec.agda:10,5-8`,
    'Nat → Nat !=< Nat',
    'when checking that the expression suc has type Nat',
  ];
  const LIST_FAILS = [
    `Checking List (${ROOT}/List.agda).`,
    `${ROOT}/List.agda:8,13-19`,
    'Not in scope:',
    `  lenght at ${ROOT}/List.agda:8,13-19`,
    "    (did you mean 'length'?)",
    'when scope checking lenght',
  ];

  it("puts the first failing file's error first and lists neither the next run's `Checking` line nor the passing file's warning", async () => {
    // Prepare
    const log = ghaStep(LOOP, [...WARN_PASSES, ...VEC_FAILS, ...LIST_FAILS], { exitCode: 1 });
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines.map((l) => l.text)).toEqual([`${ROOT}/Vec.agda:10,5-8`, 'Nat → Nat !=< Nat', 'when checking that the expression suc has type Nat']);
    const lines = predictionLines(analysis);
    expect(lines).not.toContain(lineOf(log, `Checking List (${ROOT}`));
    expect(lines).not.toContain(lineOf(log, 'Unreachable clause'));
  });

  it('ranks a warning printed only under `———— All done; warnings encountered` (its interface cached: no first copy) below the error before it', async () => {
    // Prepare: Vec.agda fails, then Warn.agda loads from its interface file and prints its warning under the heading alone
    const log = ghaStep('for f in src/Vec.agda src/Warn.agda; do agda -i src "$f" || rc=1; done; exit $rc', [
      ...VEC_FAILS.filter((l) => !l.startsWith(' Checking')),
      '',
      ...WARN_PASSES.slice(5),
    ], { exitCode: 1 });
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[1]?.text).toBe('Nat → Nat !=< Nat');
    expect(predictionLines(analysis)).not.toContain(lineOf(log, 'Unreachable clause'));
  });

  it("keeps the first file's error first when the next file's cached warning, under the heading alone, stands between it and the third's", async () => {
    // Prepare: the loop's real output with Warn.agda's interface cached: no `Checking` line between the first two runs
    const log = ghaStep('rc=0; for f in src/Vec.agda src/Warn.agda src/List.agda; do agda -i src "$f" || rc=1; done; exit $rc', [
      ...VEC_FAILS.filter((l) => !l.startsWith(' Checking')),
      '',
      ...WARN_PASSES.slice(5),
      ...LIST_FAILS,
    ], { exitCode: 1 });
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[1]?.text).toBe('Nat → Nat !=< Nat');
    expect(predictionLines(analysis)).toContain(lineOf(log, 'Not in scope:'));
  });
});

describe("puppet-lint 2.x's default format: `path - KIND: message on line N`, no `(check: x)` (3.0 added it)", () => {
  /** puppet-lint 3.0.1 with 2.x's default template (`--log-format '%{path} - %{KIND}: %{message} on line %{line}'`), real output. */
  const WARNINGS_2X = [
    'manifests/client.pp - WARNING: class not documented on line 1',
    'manifests/client.pp - WARNING: double quoted string containing no variables on line 2',
    'manifests/init.pp - WARNING: class not documented on line 1',
    'manifests/init.pp - WARNING: unquoted file mode on line 4',
  ];

  it('reads the findings of a --fail-on-warnings run (exit 1) as its lint failure', async () => {
    // Prepare
    const log = ghaStep('bundle exec puppet-lint --fail-on-warnings --no-autoloader_layout-check manifests', WARNINGS_2X, { exitCode: 1 });
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect([analysis.failures[0]?.rule, analysis.category]).toEqual(['puppet-lint.finding', 'lint']);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining(WARNINGS_2X.map((finding) => lineOf(log, finding))));
  });

  it('ranks the same warnings of a run without --fail-on-warnings (exit 0) below the next step\'s failed test (guard)', async () => {
    // Prepare: the lint step passes; the next step's pytest fails
    const log = [
      ...ghaStep('bundle exec puppet-lint --no-autoloader_layout-check manifests', WARNINGS_2X, { exitCode: null }),
      ...ghaStep('pytest -q', ['FAILED tests/test_ntp.py::test_pool - AssertionError: assert 2 == 3', '1 failed in 0.02s'], { exitCode: 1 }),
    ];
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.rule).not.toBe('puppet-lint.finding');
  });
});

describe("BSD make's `*** Error code N` right under a warning says the warning failed its target, as GNU make's `Error N` does", () => {
  it('keeps puppet-lint --fail-on-warnings first over the next target\'s failed test under `bmake -k` (`*** Error code 1 (continuing)`)', async () => {
    // Prepare: Debian's bmake 20200710 `-k` (real output) over `lint` (puppet-lint --fail-on-warnings) and `test`
    // (pytest --tb=no); this bmake exits 0 under -k, and the step's next command fails without a word
    const log = ghaStep(['bmake -k', './publish.sh'], [
      'puppet-lint --fail-on-warnings --no-autoloader_layout-check manifests/client.pp',
      'WARNING: class not documented on line 1 (check: documentation)',
      'WARNING: double quoted string containing no variables on line 2 (check: double_quoted_strings)',
      '*** Error code 1 (continuing)',
      'python3 -m pytest -q --tb=no tests',
      'F.                                                                       [100%]',
      '=========================== short test summary info ============================',
      'FAILED tests/test_ntp.py::test_pool - assert 2 == 3',
      '1 failed, 1 passed in 0.49s',
      '*** Error code 1 (continuing)',
      "`all' not remade because of errors.",
    ], { exitCode: 1 });
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.rule).toBe('puppet-lint.finding');
    expect(predictionLines(analysis)).toContain(lineOf(log, 'FAILED tests/test_ntp.py::test_pool'));
  });
});

describe("ninja's `FAILED: out` over a failed edge's command and output says the warning it printed failed its edge", () => {
  it("keeps puppet-lint --fail-on-warnings first over the next edge's failed test under `ninja -k 0`", async () => {
    // Prepare: ninja 1.11.1 `-k 0 -j1` (real output, exit 1): each edge's `[n/m]` line, then, when it fails, `FAILED:`
    // with its outputs, the command and what it printed
    const log = ghaStep('ninja -k 0', [...NINJA_KEEP_GOING_LINES], { exitCode: 1 });
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert: the warnings first (the next edge's failed test is not listed with them: ninja's `FAILED:` ends no run,
    // as make's status line does under make -k)
    expect(analysis.failures[0]?.rule).toBe('puppet-lint.finding');
    expect(analysis.failures[0]?.startLine).toBe(lineOf(log, 'WARNING: class not documented'));
  });
});
