import { describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../../shared/logs/index.js';
import { taskPrefixLength } from '../../../shared/logs/task-prefix.js';
import { ghaStep } from '../../support/gha-step.js';
import { PYTEST_TB_NO_FAILED, failedStepLog, topFailure } from '../../support/step-analysis.js';

// Session 65: the known gaps session 64 left, each on real output of the tool where it runs here (paths the
// runner's).

/** Verilator 5.006 `--lint-only -Wall -Wno-fatal rtl/counter.v` (real output): a warning that fails nothing. */
const VERILATOR_WNO_FATAL_WARNING = [
  'verilator --lint-only -Wall -Wno-fatal rtl/counter.v',
  "%Warning-WIDTH: rtl/counter.v:3:14: Operator ASSIGNW expects 4 bits on the Assign RHS, but Assign RHS's ADD generates 5 bits.",
  '                                  : ... In instance counter',
  "    3 |   assign nxt = cnt + 1'b1 + 4'd0 + 5'd1;",
  '      |              ^',
  '                ... For warning description see https://verilator.org/warn/WIDTH?v=5.006',
  '                ... Use "/* verilator lint_off WIDTH */" and lint_on around source to disable this message.',
];

describe('a warning its step went on past ranks below the failure that stopped the step', () => {
  it("puts a Verilated testbench's `$fatal` above the -Wno-fatal warnings of its build", async () => {
    // Prepare: `make lint sim`, the model built by Verilator 5.006 running `$fatal(1, "bad value %0d", 7)` (real output)
    const log = failedStepLog('make lint sim', [
      ...VERILATOR_WNO_FATAL_WARNING,
      './obj/Vt',
      '[3] %Error: t.v:4: Assertion failed in TOP.t: bad value 7',
      '%Error: t.v:4: Verilog $stop',
      'Aborting...',
      'make: *** [Makefile:9: sim] Aborted',
    ], 2);
    // Act, Assert
    expect(await topFailure(log)).toEqual(['verilator.assertion', '[3] %Error: t.v:4: Assertion failed in TOP.t: bad value 7', 'test_failure']);
  });

  it("puts pytest's one-line summary above an Asciidoctor warning printed before it in the step", async () => {
    // Prepare: `make html test`, asciidoctor 2.0.18 without --failure-level, then `pytest -q --tb=no` (real output)
    const log = failedStepLog('make html test', [
      'asciidoctor -o build/index.html docs/index.adoc',
      'asciidoctor: WARNING: index.adoc: line 5: section title out of sequence: expected level 2, got level 3',
      'python3 -m pytest -q --tb=no tests',
      'F.                                                                       [100%]',
      '=========================== short test summary info ============================',
      'FAILED tests/test_counter.py::test_wraps_at_sixteen - assert 0 == 16',
      '1 failed, 1 passed in 0.42s',
      'make: *** [Makefile:6: test] Error 1',
    ], 2);
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('pytest.summary');
    expect(analysis.category).toBe('test_failure');
  });

  it('still puts the warnings first when they stopped the run (`%Error: Exiting due to N warning(s)`)', async () => {
    // Prepare: Verilator 5.006 `--lint-only -Wall` over the same design (real output), make's status after it
    const log = failedStepLog('make lint', [
      'verilator --lint-only -Wall rtl/counter.v',
      ...VERILATOR_WNO_FATAL_WARNING.slice(1),
      '%Error: Exiting due to 1 warning(s)',
      'make: *** [Makefile:2: lint] Error 1',
    ], 2);
    // Act, Assert
    expect(await topFailure(log)).toEqual(['verilator.warning', VERILATOR_WNO_FATAL_WARNING[1], 'lint']);
  });

  it('still puts an Asciidoctor warning first when a generic error line follows it', async () => {
    // Prepare: asciidoctor --failure-level=WARN (real output), then a script's own wording
    const log = failedStepLog('asciidoctor --failure-level=WARN docs/index.adoc || { echo "Error: docs build failed"; exit 1; }', [
      'asciidoctor: WARNING: index.adoc: line 5: section title out of sequence: expected level 2, got level 3',
      'Error: docs build failed',
    ]);
    // Act, Assert
    expect((await analyzeLog(log)).failures[0]?.rule).toBe('asciidoctor.warning');
  });
});

describe("Verilator's messages with and without a column", () => {
  it("reads Verilator 3/4.0's column-less compile error (`%Error: rtl/net.v:262: …`) as verilator.error", async () => {
    // Prepare: the format of Verilator before 4.1 (no column), as its users quote it
    const log = failedStepLog('make lint', [
      'verilator --lint-only -Wall rtl/net.v',
      "%Error: rtl/net.v:262: Can't find definition of variable: c0_snoop_ack_retry",
      '%Error: Exiting due to 1 error(s)',
    ]);
    // Act, Assert
    expect(await topFailure(log)).toEqual(['verilator.error', "%Error: rtl/net.v:262: Can't find definition of variable: c0_snoop_ack_retry", 'compilation']);
  });

  it("reads a Verilated model's failed immediate assertion (`[0] %Error: t2.v:3: Assertion failed in TOP.t2: …`) as a test failure", async () => {
    // Prepare: Verilator 5.006 `--binary --assert`, `assert (1 == 2) else $error("immediate assertion")` (real output)
    const log = failedStepLog('./obj2/Vt2', [
      '[0] %Error: t2.v:3: Assertion failed in TOP.t2: immediate assertion',
      '%Error: t2.v:3: Verilog $stop',
      'Aborting...',
    ], 134);
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('verilator.assertion');
    expect(analysis.failures[0]?.endLine).toBe(analysis.failures[0]!.startLine + 2);
    expect(analysis.category).toBe('test_failure');
  });
});

describe("a simulator's checks count as its format says they fail the run", () => {
  it("puts a later failed test above GHDL's `(assertion error)`, which does not stop the simulation by default", async () => {
    // Prepare: GHDL 2.0 `ghdl -r tb` without --assert-level (exit 0; only severity failure stops it), then pytest --tb=no
    const log = failedStepLog('ghdl -r tb && python3 -m pytest -q --tb=no tests', [
      'tb.vhd:9:5:@10ns:(report note): starting checks',
      'tb.vhd:10:5:@10ns:(report warning): value looks odd',
      'tb.vhd:11:5:@10ns:(assertion error): mismatch at 10 ns',
      'tb.vhd:12:5:@10ns:(report note): done',
      ...PYTEST_TB_NO_FAILED,
    ]);
    // Act, Assert
    expect(await topFailure(log)).toEqual(['pytest.summary', 'FAILED tests/test_model.py::test_wraps_at_sixteen - assert 0 == 16', 'test_failure']);
  });

  it("puts a later failed test above vvp's `ERROR:` line of a `$error`, which leaves vvp's status 0", async () => {
    // Prepare: Icarus Verilog 11 `vvp tb.vvp` over `$error`, `$warning`, `$info` (exit 0), then pytest --tb=no
    const log = failedStepLog('vvp tb.vvp && python3 -m pytest -q --tb=no tests', [
      'ERROR: tb.v:5: count mismatch: got 3',
      '       Time: 5 Scope: tb',
      'WARNING: tb.v:6: just a warning 3',
      '         Time: 5 Scope: tb',
      'INFO: tb.v:7: some info',
      '      Time: 5 Scope: tb',
      'done',
      ...PYTEST_TB_NO_FAILED,
    ]);
    // Act, Assert
    expect(await topFailure(log)).toEqual(['pytest.summary', 'FAILED tests/test_model.py::test_wraps_at_sixteen - assert 0 == 16', 'test_failure']);
  });

  it("still reads GHDL's `(assertion error)` that stopped the run under --assert-level=error as the failure", async () => {
    // Prepare: GHDL 2.0 `ghdl -r tb --assert-level=error` (real output, exit 1)
    const log = failedStepLog('ghdl -r tb --assert-level=error', [
      'tb.vhd:9:5:@10ns:(report note): starting checks',
      'tb.vhd:10:5:@10ns:(report warning): value looks odd',
      'tb.vhd:11:5:@10ns:(assertion error): mismatch at 10 ns',
      '/usr/bin/ghdl-mcode:error: assertion failed',
      'in process .tb(sim).P0',
      '  from: process work.tb(sim).P0 at tb.vhd:12',
      '/usr/bin/ghdl-mcode:error: simulation failed',
    ]);
    // Act, Assert
    expect(await topFailure(log)).toEqual(['ghdl.assertion', 'tb.vhd:11:5:@10ns:(assertion error): mismatch at 10 ns', 'test_failure']);
  });

  it("still reads vvp's `ERROR:` as the failure when a check of the simulation's output fails the step", async () => {
    // Prepare: vvp (real output) piped to a log a grep then checks, the common way a `$error` fails a CI step
    const log = failedStepLog('vvp tb.vvp | tee sim.log\n! grep -q "^ERROR:" sim.log', [
      'ERROR: tb.v:5: count mismatch: got 3',
      '       Time: 5 Scope: tb',
      'done',
    ]);
    // Act, Assert
    expect(await topFailure(log)).toEqual(['iverilog.vvp-check', 'ERROR: tb.v:5: count mismatch: got 3', 'test_failure']);
  });
});

describe("Python logging's `LEVEL:logger:message` lines are no Turborepo task's prefix", () => {
  // Python 3.11's logging with its default format (`%(levelname)s:%(name)s:%(message)s`), real output: a message that
  // starts with a word and a colon puts `ERROR:worker:database: ` in Turborepo's `package:task: ` shape, but npm's
  // package names are lower-case: a level in capitals names no package.
  const output = ['Starting worker', 'ERROR:worker:database: connection refused at db:5432', 'ERROR:root:settings: DATABASE_URL is not set'];

  it.each([
    ['alone', 'python3 worker.py', ''],
    ["behind docker compose's prefix", 'docker compose up --exit-code-from app', 'app-1  | '],
  ])('reads the whole logging line %s', async (_, script, compose) => {
    // Prepare
    const log = failedStepLog(script, output.map((line) => `${compose}${line}`));
    // Act
    const analysis = await analyzeLog(log);
    // Assert: the task's prefix is compose's alone, and the second line (its level word in it) is read too
    expect(analysis.failures.map((f) => [f.lines[0]?.text, f.taskPrefix])).toEqual([
      [`${compose}ERROR:worker:database: connection refused at db:5432`, compose === '' ? undefined : compose],
      [`${compose}ERROR:root:settings: DATABASE_URL is not set`, compose === '' ? undefined : compose],
    ]);
  });
});

describe("Groovy's power assertion behind docker compose's prefix", () => {
  // Groovy 2.4.21 on OpenJDK 17, `groovy pa.groovy` over `assert total == 7` (real output): the diagram's bar line
  // ends in `|`, as a table's row does, and a compose prefix in front of it was not read as one.
  const output = [
    'Caught: Assertion failed: ',
    '',
    'assert total == 7',
    '       |     |',
    '       6     false',
    '',
    'Assertion failed: ',
    '',
    'assert total == 7',
    '       |     |',
    '       6     false',
    '',
    '\tat pa.run(pa.groovy:2)',
  ];

  it('keeps the diagram in the report as it does without the prefix', async () => {
    // Prepare
    const alone = await analyzeLog(failedStepLog('groovy pa.groovy', output));
    const composed = await analyzeLog(failedStepLog('docker compose up --exit-code-from app', [...output.map((line) => `app-1  | ${line}`), 'app-1 exited with code 1']));
    // Act
    const lines = (analysis: typeof alone): number[] => analysis.failures[0]?.lines.map((l) => l.line) ?? [];
    // Assert
    expect(composed.failures[0]?.rule).toBe('groovy.caught');
    expect([composed.failures[0]?.startLine, composed.failures[0]?.endLine]).toEqual([alone.failures[0]?.startLine, alone.failures[0]?.endLine]);
    expect(lines(composed)).toEqual(lines(alone));
  });

  it("reads compose's prefix on the diagram's bar line, not on Robot Framework's row ending in its status column", () => {
    // Robot's row is gaps-58's: its name, then `| FAIL |` right after the padding; the diagram's bars stand indented
    expect([taskPrefixLength('app-1  |        |     |'), taskPrefixLength('TC-02                                                                 | FAIL |')]).toEqual(['app-1  | '.length, 0]);
  });
});

describe("a script's own code error keeps its category whatever the step is called", () => {
  // A step named for what the script does (`deploy`, `docker`, `terraform`) is the infrastructure hint for a failure
  // whose text says nothing; an error saying the script's own code names what does not exist says the code is wrong,
  // not the runner or the platform.
  it.each([
    [
      "Groovy's MissingMethodException",
      'groovy scripts/deploy.groovy',
      [
        'releasing v1.2.0',
        'Caught: groovy.lang.MissingMethodException: No signature of method: deploy.publishArtifacts() is applicable for argument types: (java.lang.String) values: [v1.2.0]',
        'groovy.lang.MissingMethodException: No signature of method: deploy.publishArtifacts() is applicable for argument types: (java.lang.String) values: [v1.2.0]',
        '\tat deploy.run(deploy.groovy:3)',
        '\tat java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)',
      ],
    ],
    [
      "Python's NameError",
      'python3 scripts/deploy.py',
      [
        'deploying',
        'Traceback (most recent call last):',
        '  File "/home/runner/work/shop/shop/scripts/deploy.py", line 3, in <module>',
        '    upload(sys.argv[0])',
        '    ^^^^^^',
        "NameError: name 'upload' is not defined",
      ],
    ],
  ])('%s in a deploy step is no infrastructure failure', async (_, script, output) => {
    // Prepare: Groovy 2.4.21 and Python 3.11, real output (the script renamed deploy)
    const log = failedStepLog(script, output);
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.category).toBe('unknown');
  });

  it('still reads a deploy step whose failure names nothing as infrastructure', async () => {
    // Prepare: a script's own message, no exception of a language
    const log = failedStepLog('./scripts/deploy.sh', ['Deploying shop to production', 'Error: deployment failed']);
    // Act, Assert
    expect((await analyzeLog(log)).category).toBe('infrastructure');
  });
});

describe("`docker compose up --exit-code-from <service>`: the step's status is the service's program's", () => {
  // Compose v2's BuildKit progress, its container lines and `app-1 exited with code 1` (its formats; no Docker daemon
  // runs here), over a check script's own output, which names no category: the title decides.
  const composeUp = (service: string): string[] => [
    `#1 [${service} internal] load build definition from Dockerfile`,
    '#1 transferring dockerfile: 152B done',
    '#1 DONE 0.0s',
    `#5 [${service} 2/3] COPY . /app`,
    '#5 DONE 0.1s',
    ` ${service}  Built`,
    ` Container calc-${service}-1  Created`,
    `Attaching to ${service}-1`,
    `${service}-1  | Running checks`,
    `${service}-1  | check_totals: mismatch (3 != 2)`,
    `${service}-1 exited with code 1`,
    'Aborting on container exit...',
  ];

  it('reads no compile step in `up --build`: the images were built, the service failed', async () => {
    // Prepare
    const log = failedStepLog('docker compose up --build --exit-code-from app', composeUp('app'));
    // Act, Assert: the title says nothing of the service's program (`app`): the failure's own text decides
    expect((await analyzeLog(log)).category).toBe('unknown');
  });

  it("still reads the service's name as the step's (`--exit-code-from=tests`: a test step)", async () => {
    // Prepare
    const log = failedStepLog('docker compose -f ci.yml up --build --exit-code-from=tests', composeUp('tests'));
    // Act, Assert
    expect((await analyzeLog(log)).category).toBe('test_failure');
  });

  it('still reads `docker compose up -d` (no service whose status is the step\'s) as docker\'s', async () => {
    // Prepare
    const log = failedStepLog('docker compose up -d', ['Error response from daemon: driver failed programming external connectivity']);
    // Act, Assert
    expect((await analyzeLog(log)).category).toBe('infrastructure');
  });
});

describe("Ginkgo 2's closing summary (`Summarizing N Failures:`)", () => {
  // Not run here (Debian 12 packages Ginkgo 1.16 only, and the Go module proxy is out of reach): the lines as Ginkgo
  // 2's DefaultReporter writes them (DidRun's report of each failed spec between rules of 30 dashes, then
  // SuiteDidEnd's `Summarizing 2 Failures:`, a `[FAIL]` line and the failure's place per spec, indented one level).
  const place = '/home/runner/work/ratelimit/ratelimit/limiter_test.go';
  const spec = (header: string, text: string, line: number, message: readonly string[]): string[] => [
    '------------------------------',
    header,
    `Limiter [It] ${text}`,
    `${place}:${line - 3}`,
    '',
    ...message,
    `  In [It] at: ${place}:${line} @ 11/29/26 02:31:07.12`,
    '------------------------------',
  ];
  const output = [
    'Running Suite: Ratelimit Suite - /home/runner/work/ratelimit/ratelimit',
    '=========================================================================',
    'Random Seed: 1795909247',
    '',
    'Will run 4 of 4 specs',
    '•',
    ...spec('• [FAILED] [0.001 seconds]', 'refuses calls past the burst', 25, ['  [FAILED] Expected', '      <bool>: true', '  to be false']),
    '•',
    ...spec('• [FAILED] [0.002 seconds]', 'refills after the window', 41, ['  [FAILED] Expected', '      <int>: 0', '  to equal', '      <int>: 5']),
    '',
    'Summarizing 2 Failures:',
    '  [FAIL] Limiter [It] refuses calls past the burst',
    `  ${place}:25`,
    '  [FAIL] Limiter [It] refills after the window',
    `  ${place}:41`,
    '',
    'Ran 4 of 4 Specs in 0.004 seconds',
    'FAIL! -- 2 Passed | 2 Failed | 0 Pending | 0 Skipped',
    '--- FAIL: TestRatelimit (0.00s)',
    'FAIL',
    'FAIL\texample.com/ratelimit\t0.010s',
    'FAIL',
  ];

  it('still lists both specs\' reports first and leaves the summary, which repeats them, out', async () => {
    // Prepare
    const lines = ghaStep('go test ./...', output, { exitCode: 1 });
    // Act
    const analysis = await analyzeLog(lines.join('\n'));
    // Assert
    const reportLines = (text: string): number => lines.indexOf(text) + 1;
    expect([analysis.failures[0]?.rule, analysis.failures[0]?.startLine]).toEqual(['ginkgo.failed', reportLines('• [FAILED] [0.001 seconds]')]);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([reportLines('• [FAILED] [0.002 seconds]'), reportLines('  to equal')]));
    expect(predictionLines(analysis)).not.toContain(reportLines('Summarizing 2 Failures:'));
    expect(predictionLines(analysis)).not.toContain(reportLines('  [FAIL] Limiter [It] refills after the window'));
  });
});
