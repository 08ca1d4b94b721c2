import { describe, expect, it } from 'vitest';
import { PYTEST_TB_NO_FAILED, failedStepLog, topFailure } from '../support/step-analysis.js';

// Attack on session 65's changes (branch gaps65: `Rule.warning` and its end-of-scan pass, verilator.assertion,
// Verilator 4's column-less messages, the task prefixes' capital word and indented compose bar, the title's
// OWN_CODE_ERROR_RE and `--exit-code-from`): other runs of the same tools (real output where they run here, paths
// rewritten to the runner's). Each row failed before its fix, or runs as an expected failure with the reason; the rows
// named guards passed before and keep a fix from going too far.

describe("a simulator's check that stopped the simulation is no warning the step went on past", () => {
  it("keeps vvp's `FATAL:` (a `$fatal`, vvp's status 1) above a failed test that `make -k` ran after it", async () => {
    // Prepare: Icarus Verilog 11 `vvp f.vvp` over `$error` then `$fatal(1, …)` (real output, exit 1), then make -k's
    // next target, pytest --tb=no
    const log = failedStepLog('make -k sim test', [
      'vvp build/counter_tb.vvp',
      'ERROR: tb/counter_tb.v:3: soft 1',
      '       Time: 5 Scope: counter_tb',
      'FATAL: tb/counter_tb.v:4: hard stop',
      '       Time: 10 Scope: counter_tb',
      'make: *** [Makefile:6: sim] Error 1',
      ...PYTEST_TB_NO_FAILED,
      'make: *** [Makefile:9: test] Error 1',
      'make: Target \'all\' not remade because of errors.',
    ], 2);
    // Act, Assert
    expect(await topFailure(log)).toEqual(['iverilog.vvp-check', 'FATAL: tb/counter_tb.v:4: hard stop', 'test_failure']);
  });

  it("keeps GHDL's `(assertion failure)`, which stops the simulation (exit 1), above a failed test that `make -k` ran after it", async () => {
    // Prepare: GHDL 2.0 `ghdl -r tb` over an `(assertion error)` then an `(assertion failure)` (real output, exit 1)
    const log = failedStepLog('make -k sim-vhdl test', [
      'ghdl -r tb',
      'tb.vhd:6:5:@10ns:(assertion error): soft mismatch',
      'tb.vhd:8:5:@20ns:(assertion failure): hard stop',
      '/usr/bin/ghdl-mcode:error: assertion failed',
      'in process .tb(a).P0',
      '  from: process work.tb(a).P0 at tb.vhd:9',
      '/usr/bin/ghdl-mcode:error: simulation failed',
      'make: *** [Makefile:4: sim-vhdl] Error 1',
      ...PYTEST_TB_NO_FAILED,
      'make: *** [Makefile:9: test] Error 1',
    ], 2);
    // Act, Assert
    expect(await topFailure(log)).toEqual(['ghdl.assertion', 'tb.vhd:8:5:@20ns:(assertion failure): hard stop', 'test_failure']);
  });

  it("(guard) still puts a later failed test above vvp's `ERROR:` and GHDL's `(assertion error)` that did not stop them", async () => {
    // Prepare: the same runs' non-stopping checks (exit 0), then pytest --tb=no
    const log = failedStepLog('make sim-v sim-vhdl test', [
      'vvp build/counter_tb.vvp',
      'ERROR: tb/counter_tb.v:3: soft 1',
      '       Time: 5 Scope: counter_tb',
      'ghdl -r tb',
      'tb.vhd:6:5:@10ns:(assertion error): soft mismatch',
      ...PYTEST_TB_NO_FAILED,
    ]);
    // Act, Assert
    expect(await topFailure(log)).toEqual(['pytest.summary', 'FAILED tests/test_model.py::test_wraps_at_sixteen - assert 0 == 16', 'test_failure']);
  });
});

describe("Verilator's warnings that stopped it are no warnings the step went on past", () => {
  /** Verilator 5.006 `--lint-only -Wall rtl/counter.v` (real output): a warning it stops on (no -Wno-fatal). */
  const VERILATOR_FATAL_WARNING = [
    'verilator --lint-only -Wall rtl/counter.v',
    "%Warning-WIDTH: rtl/counter.v:3:14: Operator ASSIGNW expects 4 bits on the Assign RHS, but Assign RHS's ADD generates 5 bits.",
    '                                  : ... In instance counter',
    "    3 |   assign nxt = cnt + 1'b1 + 4'd0 + 5'd1;",
    '      |              ^',
    '                ... For warning description see https://verilator.org/warn/WIDTH?v=5.006',
    '                ... Use "/* verilator lint_off WIDTH */" and lint_on around source to disable this message.',
    '%Error: Exiting due to 1 warning(s)',
  ];

  it("keeps a warning Verilator exited on (`%Error: Exiting due to 1 warning(s)`) above a failed test that `make -k` ran after it", async () => {
    // Prepare: `make -k lint test`: lint stops on the warning, make goes on to pytest --tb=no
    const log = failedStepLog('make -k lint test', [
      ...VERILATOR_FATAL_WARNING,
      'make: *** [Makefile:3: lint] Error 1',
      ...PYTEST_TB_NO_FAILED,
      'make: *** [Makefile:9: test] Error 1',
    ], 2);
    // Act, Assert
    expect((await topFailure(log))[0]).toBe('verilator.warning');
  });

  it('(guard) still puts a later failed test above -Wno-fatal warnings, which print no `Exiting due to`', async () => {
    // Prepare: the same warning under -Wno-fatal, then pytest --tb=no
    const log = failedStepLog('make lint test', [
      'verilator --lint-only -Wall -Wno-fatal rtl/counter.v',
      ...VERILATOR_FATAL_WARNING.slice(1, -1),
      ...PYTEST_TB_NO_FAILED,
      'make: *** [Makefile:9: test] Error 1',
    ], 2);
    // Act, Assert
    expect((await topFailure(log))[0]).toBe('pytest.summary');
  });
});

describe('open after attack 65', () => {
  // Left open by session 65, fixed in session 66: nothing Asciidoctor prints says that its warning failed the run
  // under --failure-level=WARN (`asciidoctor --failure-level=WARN w2.adoc` run here prints the warning and exits 1),
  // but make does: its `make: *** [Makefile:4: html] Error 1` stands right under the warning.
  it("keeps an Asciidoctor warning that failed its run (--failure-level=WARN) above a failed test make -k ran after it", async () => {
    // Prepare: Asciidoctor 2.0.18 (real output, exit 1), then make -k's next target
    const log = failedStepLog('make -k html test', [
      'asciidoctor --failure-level=WARN -o build/index.html docs/index.adoc',
      'asciidoctor: WARNING: index.adoc: line 3: section title out of sequence: expected level 1, got level 2',
      'make: *** [Makefile:4: html] Error 1',
      ...PYTEST_TB_NO_FAILED,
      'make: *** [Makefile:9: test] Error 1',
    ], 2);
    // Act, Assert
    expect((await topFailure(log))[0]).toBe('asciidoctor.warning');
  });
});
