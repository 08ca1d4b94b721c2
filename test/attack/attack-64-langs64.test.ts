import { describe, expect, it } from 'vitest';
import { analyzeLog } from '../../shared/logs/index.js';
import { ghaStep } from '../support/gha-step.js';
import { topFailure } from '../support/step-analysis.js';

// Attack on session 64's rules (branch langs64: JSHint, puppet-lint, Verilator, ERT, Flow, Haxe, GHDL, Icarus
// Verilog, Emacs's byte-compiler, GNU as, Bazel, Asciidoctor): other runs and versions of the same tools than the
// fixtures' (real output of the tools on this machine where they are installed, paths rewritten to the runner's),
// and other tools' lines in the new formats. Each row failed before its fix, or runs as an expected failure with
// the reason; the rows named guards passed before and keep a fix from going too far.

/** A step that failed with exit code 1, as one string. */
const failedStepLog = (script: string, output: readonly string[]): string =>
  ghaStep(script, output, { exitCode: 1 }).join('\n');

describe("attack 64 (langs64): the session's rules on other runs of the same tools", () => {
  it("reads GHDL 3+'s (and NVC's) `file:line:col:error: message`, no space before `error:`, as ghdl.error", async () => {
    // Prepare: GHDL 4.1 `ghdl -a --std=08 undeclared.vhdl` (its diagnostics gained `error:` with no space; 2.0 prints none)
    const log = failedStepLog('ghdl -a --std=08 src/undeclared.vhdl', [
      'src/undeclared.vhdl:13:13:error: no declaration for "swx"',
      '    LEDR <= SWX;',
      '            ^',
      '/usr/bin/ghdl-mcode:error: compilation error',
    ]);
    // Act, Assert
    expect(await topFailure(log)).toEqual(['ghdl.error', 'src/undeclared.vhdl:13:13:error: no declaration for "swx"', 'compilation']);
  });

  it("(guard) does not read GHDL 3+'s `file:line:col:warning:` as an error", async () => {
    // Prepare: GHDL 4 analysis warnings in a step a later test failure failed
    const log = failedStepLog('ghdl -a --std=08 src/alu.vhdl && npm test', [
      'src/alu.vhdl:9:10:warning: declaration of "tmp" hides signal "tmp" [-Whide]',
      '    variable tmp : unsigned(7 downto 0);',
      '             ^',
      'not ok 1 - alu adds',
    ]);
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures.map((f) => f.rule)).not.toContain('ghdl.error');
  });

  it("reads GNU as's error on gcc's inline assembly, placed in the C source (`src/cpu.c:14: Error:`), as gas.error", async () => {
    // Prepare: gcc 12 on `__asm__("movx %eax, %ebx")` (real output: as reports the .c file's line, not a .s)
    const log = failedStepLog('make', [
      'gcc -O2 -c src/cpu.c -o build/cpu.o',
      'src/cpu.c: Assembler messages:',
      "src/cpu.c:14: Error: no such instruction: `movx %eax,%ebx'",
      'make: *** [Makefile:8: build/cpu.o] Error 1',
    ]);
    // Act, Assert
    expect(await topFailure(log)).toEqual(['gas.error', "src/cpu.c:14: Error: no such instruction: `movx %eax,%ebx'", 'compilation']);
  });

  it('reads GNU as reading from a pipe (`{standard input}:7: Error:`) as gas.error', async () => {
    // Prepare: `gcc -S -o - x.c | as` on the same inline assembly
    const log = failedStepLog('gcc -S -o - src/cpu.c | as -o build/cpu.o', [
      'src/cpu.c: Assembler messages:',
      "{standard input}:7: Error: no such instruction: `movx %eax,%ebx'",
    ]);
    // Act, Assert
    expect(await topFailure(log)).toEqual(['gas.error', "{standard input}:7: Error: no such instruction: `movx %eax,%ebx'", 'compilation']);
  });

  it("keeps a script's `unknown host alias` error out of the network category (the word is a lookup's, not a DNS failure's)", async () => {
    // Prepare: a deploy script's ValueError naming an inventory alias
    const log = failedStepLog('python scripts/deploy.py --target staging-2', [
      'Traceback (most recent call last):',
      '  File "/home/runner/work/app/app/scripts/deploy.py", line 40, in <module>',
      '    main()',
      '  File "/home/runner/work/app/app/scripts/deploy.py", line 31, in main',
      '    cfg = hosts[args.target]',
      "ValueError: unknown host alias 'staging-2' in inventory.yml (known: staging, prod)",
    ]);
    // Act, Assert
    expect((await topFailure(log))[2]).not.toBe('network');
  });

  it("(guard) still reads Bazel's `Unknown host: github.com` as network", async () => {
    // Prepare
    const bazel = failedStepLog('bazel build //...', [
      "ERROR: An error occurred during the fetch of repository 'zlib':",
      '   Traceback (most recent call last):',
      "Error in download_and_extract: java.io.IOException: Error downloading [https://github.com/madler/zlib/archive/v1.3.tar.gz] to /home/runner/.cache/bazel/external/zlib/temp/v1.3.tar.gz: Unknown host: github.com",
    ]);
    // Act, Assert
    expect((await topFailure(bazel))[2]).toBe('network');
  });

  it("does not read Haxe's located warning (`file.hx:4: characters 13-14 : Warning : …`, exit 0) as haxe.error", async () => {
    // Prepare: haxe 4.2.5 --interp on a call to a @:deprecated function (real output), then a failing test run
    const log = failedStepLog('haxe build.hxml && python -m unittest', [
      'src/Main.hx:4: characters 13-14 : Warning : use g instead',
      'src/Main.hx:5: 1',
      'F..',
      '======================================================================',
      'FAIL: test_total (test_app.TestTotals)',
      '----------------------------------------------------------------------',
      'Traceback (most recent call last):',
      '  File "/home/runner/work/app/app/test_app.py", line 8, in test_total',
      '    self.assertEqual(total(), 13)',
      'AssertionError: 12 != 13',
    ]);
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures.map((f) => f.rule)).not.toContain('haxe.error');
  });

  it("does not call Haxe's uncaught exception under --interp (`…: characters 29-34 : Uncaught exception …`) a compile error", async () => {
    // Prepare: haxe 4.2.5 `--interp` running a program that throws (real output: the compiler's place shape, at run time)
    const log = failedStepLog('haxe test.hxml', [
      'src/Main.hx:3: start',
      'src/Main.hx:5: characters 29-34 : Uncaught exception config key x missing',
    ]);
    // Act, Assert
    expect(await topFailure(log)).toEqual(['haxe.error', 'src/Main.hx:5: characters 29-34 : Uncaught exception config key x missing', 'unknown']);
  });

  it("does not head ESLint's compact format with its warning: `Warning - ` is no JSHint finding", async () => {
    // Prepare: eslint --format compact (eslint-formatter-compact), a warning above the error
    const log = failedStepLog('npx eslint --format compact src', [
      '/home/runner/work/app/app/src/a.js: line 3, col 1, Warning - Unexpected console statement. (no-console)',
      "/home/runner/work/app/app/src/b.js: line 7, col 10, Error - 'x' is assigned a value but never used. (no-unused-vars)",
      '',
      '2 problems',
    ]);
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.text).not.toContain('Warning - ');
  });

  it("reads JSHint's finding on a Windows runner (`C:\\a\\…\\app.js: line 3, col 27, …`) as jshint.finding", async () => {
    // Prepare: jshint 2.13 on windows-latest, the path behind its drive letter
    const log = failedStepLog('npx jshint src', [
      'C:\\a\\proj\\proj\\src\\app.js: line 3, col 27, Missing semicolon.',
      '',
      '1 error',
    ]);
    // Act, Assert
    expect(await topFailure(log)).toEqual(['jshint.finding', 'C:\\a\\proj\\proj\\src\\app.js: line 3, col 27, Missing semicolon.', 'lint']);
  });

  it("(guard) does not call a Verilated model's `$stop` at run time (`%Error: t.v:3: Verilog $stop`, no column) a compile error", async () => {
    // Prepare: a model built by Verilator 5.006 running a testbench whose check fails (real output)
    const log = failedStepLog('make sim', [
      '[0] %Error: tb/t.v:3: Assertion failed in TOP.t: count mismatch',
      '%Error: tb/t.v:3: Verilog $stop',
      'Aborting...',
    ]);
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures.map((f) => f.rule)).not.toContain('verilator.error');
  });

  // Fixed in session 65: Verilator before 4.1 names no column; without one the file must be Verilog's and the message
  // not the model's `Verilog $stop` (the row above).
  it("reads Verilator 4's errors, which name no column (`%Error: rtl/top.v:5: …`), as verilator.error", async () => {
    // Prepare: the column-less shape of older Verilator
    const log = failedStepLog('verilator --lint-only -Wall rtl/top.v', [
      "%Error: rtl/top.v:5: Can't find definition of variable: 'dat'",
      '%Error: Exiting due to 1 error(s)',
    ]);
    // Act, Assert
    expect(await topFailure(log)).toEqual(['verilator.error', "%Error: rtl/top.v:5: Can't find definition of variable: 'dat'", 'compilation']);
  });

  // Fixed in session 68: a warning ranks below a compiler's error or a failed test printed after it in its step
  // (`Rule.warning`); cocotb.test-failed now reads cocotb's report (its traceback indented under `test_counter failed`,
  // built from cocotb's regression.py: cocotb is not installable here), and the warning's block is its own indented
  // lines alone, not cocotb's indented log after it.
  it("does not put Verilator's -Wno-fatal warnings above the cocotb test failure of the same step", async () => {
    // Prepare: `make` of a cocotb testbench on Verilator 5 with -Wno-fatal
    const log = failedStepLog('make SIM=verilator', [
      "%Warning-WIDTH: rtl/counter.v:9:17: Operator ASSIGNW expects 4 bits on the Assign RHS, but Assign RHS's ADD generates 5 bits.",
      '                                  : ... In instance counter',
      "    9 |   assign nxt = cnt + 1'b1 + 4'd0;",
      '      |                 ^',
      '                ... For warning description see https://verilator.org/warn/WIDTH?v=5.006',
      "                ... Use \"/* verilator lint_off WIDTH */\" and lint_on around source to disable this message.",
      '     0.00ns INFO     cocotb.regression                  running test_counter (1/1)',
      '   100.00ns INFO     cocotb.regression                  test_counter failed',
      '                                                        Traceback (most recent call last):',
      '                                                          File "/home/runner/work/cnt/cnt/tests/test_counter.py", line 20, in test_counter',
      '                                                            assert dut.count.value == 5',
      '                                                        AssertionError: assert 4 == 5',
      '   100.00ns INFO     cocotb.regression                  **************************************************************************************',
      '                                                        ** TEST                          STATUS  SIM TIME (ns)  REAL TIME (s)  RATIO (ns/s) **',
      '                                                        **************************************************************************************',
      '                                                        ** test_counter.test_counter      FAIL         100.00           0.00      52428.80  **',
      '                                                        **************************************************************************************',
      '                                                        ** TESTS=1 PASS=0 FAIL=1 SKIP=0                               100.00           0.01      12345.67  **',
      '                                                        **************************************************************************************',
    ]);
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.rule).not.toBe('verilator.warning');
  });

  // Fixed in session 65: an Asciidoctor warning fails the run only under --failure-level=WARN; a failed test printed
  // after it in its step shows the step went on past it (`Rule.warning`).
  it("does not put a docs build's Asciidoctor warning above pytest's failure in the same step", async () => {
    // Prepare: `make docs test`, asciidoctor without --failure-level, pytest -q --tb=no
    const log = failedStepLog('make docs test', [
      'asciidoctor: WARNING: index.adoc: line 12: section title out of sequence: expected level 1, got level 2',
      'Building docs done.',
      "FAILED tests/test_api.py::test_list_users - KeyError: 'users'",
      '========================= 1 failed, 20 passed in 0.42s =========================',
    ]);
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.rule).not.toBe('asciidoctor.warning');
  });
});
