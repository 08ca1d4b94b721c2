import { describe, expect, it } from 'vitest';
import { analyzeLog } from '../../shared/logs/index.js';

// Session 62's new toolchains (test/fixtures/gha-real-tools, test/unit/logs/langs-62.test.ts): the same tools' runs
// that pass, with their warnings, pending and blocked tests, real output of the tools on this machine (the projects'
// paths rewritten to the runner's). None of them holds a failure.

/** A GitHub Actions step as the runner logs it: its script echoed in the header group, then what it printed. */
function ghaStep(script: readonly string[], output: readonly string[]): string[] {
  return [`##[group]Run ${script[0]}`, ...script, 'shell: /usr/bin/bash -e {0}', '##[endgroup]', ...output];
}

interface PassingRun {
  name: string;
  script: string[];
  output: string[];
}

const PASSING_RUNS: PassingRun[] = [
  {
    name: "CTest 3.25 over a gcc 12 ASan+UBSan test that passes (`100% tests passed`)",
    script: ["ctest --test-dir build --output-on-failure -R lru_basic"],
    output: [
      "Test project /home/runner/work/lru/lru/build",
      "    Start 1: lru_basic",
      "1/1 Test #1: lru_basic ........................   Passed    0.02 sec",
      "",
      "100% tests passed, 0 tests failed out of 1",
      "",
      "Total Test time (real) =   0.02 sec",
    ],
  },
  {
    name: "Ginkgo 1.16 under go test -v: three specs pass, one pending (`P [PENDING]` and its places, `0 Failed`)",
    script: ["go test -v ./..."],
    output: [
      "=== RUN   TestRatelimit",
      "Running Suite: Ratelimit Suite",
      "==============================",
      "Random Seed: \u001b[1m1795909566\u001b[0m",
      "Will run \u001b[1m3\u001b[0m of \u001b[1m4\u001b[0m specs",
      "",
      "\u001b[32m\u2022\u001b[0m\u001b[32m\u2022\u001b[0m\u001b[32m\u2022\u001b[0m",
      "\u001b[90m------------------------------\u001b[0m",
      "\u001b[33mP [PENDING]\u001b[0m",
      "Limiter",
      "\u001b[90m/home/runner/work/ratelimit/ratelimit/limiter_test.go:10\u001b[0m",
      "  Reset",
      "  \u001b[90m/home/runner/work/ratelimit/ratelimit/limiter_test.go:28\u001b[0m",
      "    accepts a key it has not seen",
      "    \u001b[90m/home/runner/work/ratelimit/ratelimit/limiter_test.go:34\u001b[0m",
      "\u001b[90m------------------------------\u001b[0m",
      "",
      "\u001b[1m\u001b[32mRan 3 of 4 Specs in 0.000 seconds\u001b[0m",
      "\u001b[1m\u001b[32mSUCCESS!\u001b[0m -- \u001b[32m\u001b[1m3 Passed\u001b[0m | \u001b[91m\u001b[1m0 Failed\u001b[0m | \u001b[33m\u001b[1m1 Pending\u001b[0m | \u001b[36m\u001b[1m0 Skipped\u001b[0m",
      "--- PASS: TestRatelimit (0.00s)",
      "PASS",
      "ok  \texample.com/ratelimit\t0.004s",
    ],
  },
  {
    name: "Cucumber 2.4 (Ruby) pretty formatter, every scenario passing",
    script: ["cucumber"],
    output: [
      "Feature: Shopping cart",
      "",
      "  Scenario: Empty cart  # features/cart.feature:2",
      "    Given an empty cart # features/step_definitions/cart_steps.rb:3",
      "    Then the total is 0 # features/step_definitions/cart_steps.rb:15",
      "",
      "  Scenario: Several units of one item # features/cart.feature:6",
      "    Given an empty cart               # features/step_definitions/cart_steps.rb:3",
      "    When I add 3 \"pens\" at 2 each     # features/step_definitions/cart_steps.rb:7",
      "    Then the total is 6               # features/step_definitions/cart_steps.rb:15",
      "",
      "  Scenario: Discount code          # features/cart.feature:11",
      "    Given an empty cart            # features/step_definitions/cart_steps.rb:3",
      "    When I add 1 \"book\" at 20 each # features/step_definitions/cart_steps.rb:7",
      "    And I apply the code \"SPRING\"  # features/step_definitions/cart_steps.rb:11",
      "    Then the total is 20           # features/step_definitions/cart_steps.rb:15",
      "",
      "3 scenarios (3 passed)",
      "9 steps (9 passed)",
      "0m0.011s",
    ],
  },
  {
    name: "@cucumber/cucumber 12.9 progress formatter, every scenario passing",
    script: ["npx cucumber-js"],
    output: [
      ".........",
      "",
      "3 scenarios (3 passed)",
      "9 steps (9 passed)",
      "0m00.032s (executing steps: 0m00.005s)",
    ],
  },
  {
    name: "SWI-Prolog 9.0 plunit with a blocked test (`% one test is blocked:` and its place)",
    script: ["swipl -g run_tests -t halt test/test_queue.pl"],
    output: [
      "% PL-Unit: queue ... passed 0.007 sec",
      "% one test is blocked:",
      "% /home/runner/work/plq/plq/test/test_queue.pl:18:",
      "\ttest pop_order: reorder",
      "% 3 tests passed",
    ],
  },
  {
    name: "ReScript 12 build with a warning (`Warning number 26`, its code frame and `Fix this by:`)",
    script: ["npx rescript build"],
    output: [
      "Cleaned previous build due to compiler update",
      "Cleaned 0/0",
      "Parsed 1 source files",
      "Compiled 1 modules",
      "",
      "  \u001b[1;33mWarning number 26\u001b[0m",
      "  \u001b[36m/home/runner/work/invoice/invoice/src/Invoice.res\u001b[0m:\u001b[2m6:32-37\u001b[0m",
      "",
      "  4 \u001b[2m\u2502\u001b[0m   lines->Array.reduce(0.0, (acc, l) => acc +. Int.toFloat(l.qty) *. l.pr",
      "    \u001b[2m\u2502\u001b[0m ice)",
      "  5 \u001b[2m\u2502\u001b[0m ",
      "  \u001b[1;33m6\u001b[0m \u001b[2m\u2502\u001b[0m let label = (l: line) => { let \u001b[1;33munused\u001b[0m = 1",
      "  7 \u001b[2m\u2502\u001b[0m   l.name ++ \" x\" ++ Int.toString(l.qty) }",
      "  8 \u001b[2m\u2502\u001b[0m ",
      "",
      "  unused variable unused.",
      "",
      "Fix this by:",
      "- Deleting the variable if it's not used anymore.",
      "- Prepending the variable name with `_` (like `_unused`) to ignore that the variable is unused.",
      "- Using the variable somewhere.",
    ],
  },
  {
    name: "reuse 1.1.2 lint of a compliant project (`Congratulations! Your project is compliant …`)",
    script: ["reuse lint"],
    output: [
      "# SUMMARY",
      "",
      "* Bad licenses:",
      "* Deprecated licenses:",
      "* Licenses without file extension:",
      "* Missing licenses:",
      "* Unused licenses:",
      "* Used licenses: MIT",
      "* Read errors: 0",
      "* Files with copyright information: 4 / 4",
      "* Files with license information: 4 / 4",
      "",
      "Congratulations! Your project is compliant with version 3.0 of the REUSE Specification :-)",
    ],
  },
  {
    name: "Doxygen 1.9.4 without WARN_AS_ERROR: its `file:line: warning:` lines, exit 0",
    script: ["doxygen Doxyfile"],
    output: [
      "/home/runner/work/ringdoc/ringdoc/include/ring.h:14: warning: argument 'flags' of command @param is not found in the argument list of ring_new(size_t capacity)",
      "/home/runner/work/ringdoc/ringdoc/include/ring.h:22: warning: The following parameter of ring_push(ring *r, unsigned char byte) is not documented:",
      "  parameter 'byte'",
    ],
  },
  {
    name: "Hugo 0.111.3 build that succeeds (its table of pages)",
    script: ["hugo --minify"],
    output: [
      "Start building sites \u2026 ",
      "hugo v0.111.3+extended linux/amd64 BuildDate=2023-03-16T08:41:31Z VendorInfo=debian:0.111.3-1",
      "",
      "                   | EN  ",
      "-------------------+-----",
      "  Pages            | 11  ",
      "  Paginator pages  |  0  ",
      "  Non-page files   |  0  ",
      "  Static files     |  0  ",
      "  Processed images |  0  ",
      "  Aliases          |  0  ",
      "  Sitemaps         |  1  ",
      "  Cleaned          |  0  ",
      "",
      "Total in 15 ms",
    ],
  },
  {
    name: "Jekyll 4.3.1 build that succeeds",
    script: ["jekyll build"],
    output: [
      "Configuration file: /home/runner/work/blog/blog/_config.yml",
      "            Source: /home/runner/work/blog/blog",
      "       Destination: /home/runner/work/blog/blog/_site",
      " Incremental build: disabled. Enable with --incremental",
      "      Generating... ",
      "                    done in 0.027 seconds.",
      " Auto-regeneration: disabled. Use --watch to enable.",
    ],
  },
  {
    name: "GnuCOBOL 3.1.2 cobc -Wall with a warning only (`[-Woverlap]`), exit 0",
    script: ["cobc -x -Wall -o build/payroll src/payroll.cob"],
    output: [
      "src/payroll.cob:10: warning: overlapping MOVE may produce unpredictable results [-Woverlap]",
    ],
  },
  {
    name: "cargo test with proptest 1.0, every property holding",
    script: ["cargo test"],
    output: [
      "    Finished `test` profile [unoptimized + debuginfo] target(s) in 0.99s",
      "     Running unittests src/lib.rs (target/debug/deps/slug-a6ee079550356eac)",
      "",
      "running 3 tests",
      "test tests::is_idempotent ... ok",
      "test tests::never_has_double_dashes ... ok",
      "test tests::simple_title ... ok",
      "",
      "test result: ok. 3 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.07s",
      "",
      "   Doc-tests slug",
      "",
      "running 0 tests",
      "",
      "test result: ok. 0 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s",
    ],
  },
  {
    name: "GNU Octave 7.3 test() passing, an `%!error <…>` block echoed as it runs (`***** error <N must be positive> …`)",
    script: ["octave-cli --no-gui run_tests.m"],
    output: [
      ">>>>> processing clamp",
      ">>>>> /home/runner/work/signal/signal/inst/clamp.m",
      "***** assert (clamp (5, 0, 3), 3)",
      "***** assert (clamp (-1, 0, 3), 0)",
      "***** assert (clamp ([1 9], 0, 3), [1 3])",
      ">>>>> processing moving_avg",
      ">>>>> /home/runner/work/signal/signal/inst/moving_avg.m",
      "***** assert (moving_avg ([1 2 3 4], 2), [1.5 2.5 3.5])",
      "***** assert (moving_avg ([2 2 2], 1), [2 2 2])",
      "***** error <N must be positive> moving_avg ([1 2], 0)",
      "***** test",
      " y = moving_avg (1:10, 5);",
      " assert (numel (y), 6);",
    ],
  },
];

describe("sweep 62: new toolchains' passing runs", () => {
  for (const run of PASSING_RUNS) {
    it(`reports nothing in ${run.name}`, async () => {
      // Prepare
      const log = ghaStep(run.script, run.output).join('\n');
      // Act
      const analysis = await analyzeLog(log);
      // Assert
      expect(analysis.failures.map((f) => `${f.rule}: ${f.lines[0]?.text}`)).toEqual([]);
    });
  }
});
