import { describePassingRuns } from '../support/passing-runs.js';

/**
 * Session 64's toolchains (test/fixtures/gha-real-tools, "Session 64: new toolchains") run for real over the same
 * projects with the faults fixed: what they print when they pass reports nothing.
 */
describePassingRuns("passing runs of session 64's toolchains", [
  { name: 'ERT, every test passing', script: ['emacs -Q -batch -L . -L test -l ert -l test/kv-test.el -f ert-run-tests-batch-and-exit'], output: [
      "Running 3 tests (2026-11-29 05:12:29+0000, selector ‘t’)",
      "   passed  1/3  kv-gets-value (0.000090 sec)",
      "   passed  2/3  kv-parses-pairs (0.000020 sec)",
      "   passed  3/3  kv-rejects-empty (0.000014 sec)",
      "",
      "Ran 3 tests, 3 results as expected, 0 unexpected (2026-11-29 05:12:29+0000, 0.001891 sec)",
    ] },
  { name: "Emacs's byte-compiler over a clean file (it prints nothing)", script: ['emacs -Q --batch -L . -f batch-byte-compile kv.el'], output: [] },
  { name: 'Verilator --lint-only -Wall over a clean module (it prints nothing)', script: ['verilator --lint-only -Wall rtl/counter.v'], output: [] },
  { name: "a vvp testbench that passes, its own `$display` line", script: ['iverilog -g2012 -Wall -o build/counter_tb.vvp rtl/counter.v tb/counter_tb.v', 'vvp -n build/counter_tb.vvp'], output: [
      "counter_tb: done",
    ] },
  { name: "a GHDL testbench that passes, its `(report note)`", script: ['ghdl -a --std=08 src/adder.vhd tb/adder_tb.vhd', 'ghdl -e --std=08 adder_tb', 'ghdl -r --std=08 adder_tb'], output: [
    "tb/adder_tb.vhd:22:5:@10ns:(report note): adder_tb done",
  ] },
  { name: "a Haxe program run under --interp, its `trace` line in the compiler's place shape", script: ['haxe build.hxml'], output: [
    "src/Main.hx:15: total: 12.5",
  ] },
  { name: 'solc-js compiling with deprecation warnings (exit 0)', script: ['npx solcjs --bin --abi -o build contracts/Vault.sol'], output: [
      "Warning: 'transfer' is deprecated and scheduled for removal. Use 'call{value: <amount>}(\"\")' instead.",
      "  --> contracts/Vault.sol:20:9:",
      "   |",
      "20 |         payable(msg.sender).transfer(amount);",
      "   |         ^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
      "",
      "",
      "Warning: 'transfer' is deprecated and scheduled for removal. Use 'call{value: <amount>}(\"\")' instead.",
      "  --> contracts/Vault.sol:26:9:",
      "   |",
      "26 |         payable(to).transfer(total);",
      "   |         ^^^^^^^^^^^^^^^^^^^^",
    ] },
  { name: "`flow check` finding nothing, after its server's start-up lines (`collating errors` among them)", script: ['npx flow check'], output: [
      "Launching Flow server for /home/runner/work/ledger-flow/ledger-flow",
      "Spawned flow server (pid=1565)",
      "Logs will go to /tmp/flow/zShomezSrunnerzSworkzSledger-flowzSledger-flow.log",
      "Monitor logs will go to /tmp/flow/zShomezSrunnerzSworkzSledger-flowzSledger-flow.monitor_log",
      "Started a new flow server",
      "Please wait. Server is starting up Flow server",
      "Please wait. Server is starting up Flow server",
      "Please wait. Server is initializing (parsed files 0)",
      "Please wait. Server is initializing (resolving dependencies)",
      "Please wait. Server is initializing (calculating dependencies)",
      "Please wait. Server is initializing (indexing files 0/71 (0.0%))",
      "Please wait. Server is initializing (indexing files (post-process))",
      "Please wait. Server is initializing (post-Indexing work)",
      "Please wait. Server is initializing (calculating dependencies)",
      "Please wait. Server is initializing (merged module interfaces 0/71 (0.0%))",
      "Please wait. Server is initializing (checked files 18/71 (25.4%))",
      "Please wait. Server is initializing (checked files 35/71 (49.3%))",
      "Please wait. Server is initializing (checked files 35/71 (49.3%))",
      "Please wait. Server is initializing (checked files 35/71 (49.3%))",
      "Please wait. Server is initializing (checked files 35/71 (49.3%))",
      "Please wait. Server is initializing (checked files 35/71 (49.3%))",
      "Please wait. Server is initializing (checked files 35/71 (49.3%))",
      "Please wait. Server is initializing (checked files 35/71 (49.3%))",
      "Please wait. Server is initializing (checked files 35/71 (49.3%))",
      "Please wait. Server is initializing (checked files 35/71 (49.3%))",
      "Please wait. Server is initializing (checked files 35/71 (49.3%))",
      "Please wait. Server is initializing (checked files 35/71 (49.3%))",
      "Please wait. Server is initializing (checked files 71/71 (100.0%))",
      "Please wait. Server is initializing (collating errors)",
      "No errors!",
    ] },
  { name: 'NASM and Asciidoctor over clean sources (they print nothing)', script: ['nasm -f bin -o build/boot.bin src/boot.asm', 'asciidoctor --failure-level=WARN -o build/clean.html clean.adoc'], output: [] },
]);
