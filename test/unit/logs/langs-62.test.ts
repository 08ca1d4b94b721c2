import { describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../../shared/logs/index.js';
import { ghaStep, lineOf } from '../../support/gha-step.js';

/** A step that failed with `exitCode`, its lines. */
const failedStepLines = (script: string, output: readonly string[], exitCode: number): string[] =>
  ghaStep(script, output, { exitCode });

/**
 * Toolchains session 62 ran for real (test/fixtures/gha-real-tools, "Session 62: new toolchains"): each test is other
 * real output of the same tool than the fixture's (another project, another fault), so a rule is read off the format
 * and checked on a run it was not written from. Paths rewritten to the runner's.
 */
describe('reports of new toolchains (session 62)', () => {
  it("CTest over sanitized tests: each test's LeakSanitizer or AddressSanitizer report, not the shadow bytes' map", async () => {
    // Prepare: gcc 12 `-fsanitize=address`, CTest 3.25 --output-on-failure: a leak at exit, then a heap-buffer-overflow.
    const log = failedStepLines('ctest --test-dir build --output-on-failure', [
      "Internal ctest changing into directory: /home/runner/work/tok/tok/build",
      "Test project /home/runner/work/tok/tok/build",
      "    Start 1: tok_split",
      "1/2 Test #1: tok_split ........................***Failed    0.26 sec",
      "",
      "=================================================================",
      "==18782==ERROR: LeakSanitizer: detected memory leaks",
      "",
      "Direct leak of 6 byte(s) in 1 object(s) allocated from:",
      "    #0 0x7f1fe5c7077b in __interceptor_strdup ../../../../src/libsanitizer/asan/asan_interceptors.cpp:439",
      "    #1 0x56424ef041d6 in main /home/runner/work/tok/tok/test_tok.c:4",
      "    #2 0x7f1fe5a45249 in __libc_start_call_main ../sysdeps/nptl/libc_start_call_main.h:58",
      "",
      "SUMMARY: AddressSanitizer: 6 byte(s) leaked in 1 allocation(s).",
      "",
      "    Start 2: tok_overflow",
      "2/2 Test #2: tok_overflow .....................***Failed    0.17 sec",
      "=================================================================",
      "==18796==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x602000000034 at pc 0x5604f74cc22b bp 0x7ffd88d708f0 sp 0x7ffd88d708e8",
      "WRITE of size 1 at 0x602000000034 thread T0",
      "    #0 0x5604f74cc22a in main /home/runner/work/tok/tok/test_tok.c:5",
      "    #1 0x7fbc1b845249 in __libc_start_call_main ../sysdeps/nptl/libc_start_call_main.h:58",
      "    #2 0x7fbc1b845304 in __libc_start_main_impl ../csu/libc-start.c:360",
      "    #3 0x5604f74cc0f0 in _start (/home/runner/work/tok/tok/build/test_tok+0x10f0)",
      "",
      "0x602000000034 is located 0 bytes to the right of 4-byte region [0x602000000030,0x602000000034)",
      "allocated by thread T0 here:",
      "    #0 0x7fbc1bab89cf in __interceptor_malloc ../../../../src/libsanitizer/asan/asan_malloc_linux.cpp:69",
      "    #1 0x5604f74cc1ea in main /home/runner/work/tok/tok/test_tok.c:5",
      "    #2 0x7fbc1b845249 in __libc_start_call_main ../sysdeps/nptl/libc_start_call_main.h:58",
      "",
      "SUMMARY: AddressSanitizer: heap-buffer-overflow /home/runner/work/tok/tok/test_tok.c:5 in main",
      "Shadow bytes around the buggy address:",
      "  0x0c047fff7fb0: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00",
      "  0x0c047fff7fc0: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00",
      "  0x0c047fff7fd0: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00",
      "  0x0c047fff7fe0: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00",
      "  0x0c047fff7ff0: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00",
      "=>0x0c047fff8000: fa fa 06 fa fa fa[04]fa fa fa fa fa fa fa fa fa",
      "  0x0c047fff8010: fa fa fa fa fa fa fa fa fa fa fa fa fa fa fa fa",
      "  0x0c047fff8020: fa fa fa fa fa fa fa fa fa fa fa fa fa fa fa fa",
      "  0x0c047fff8030: fa fa fa fa fa fa fa fa fa fa fa fa fa fa fa fa",
      "  0x0c047fff8040: fa fa fa fa fa fa fa fa fa fa fa fa fa fa fa fa",
      "  0x0c047fff8050: fa fa fa fa fa fa fa fa fa fa fa fa fa fa fa fa",
      "Shadow byte legend (one shadow byte represents 8 application bytes):",
      "  Addressable:           00",
      "  Partially addressable: 01 02 03 04 05 06 07 ",
      "  Heap left redzone:       fa",
      "  Freed heap region:       fd",
      "  Stack left redzone:      f1",
      "  Stack mid redzone:       f2",
      "  Stack right redzone:     f3",
      "  Stack after return:      f5",
      "  Stack use after scope:   f8",
      "  Global redzone:          f9",
      "  Global init order:       f6",
      "  Poisoned by user:        f7",
      "  Container overflow:      fc",
      "  Array cookie:            ac",
      "  Intra object redzone:    bb",
      "  ASan internal:           fe",
      "  Left alloca redzone:     ca",
      "  Right alloca redzone:    cb",
      "==18796==ABORTING",
      "",
      "",
      "0% tests passed, 2 tests failed out of 2",
      "",
      "Total Test time (real) =   0.43 sec",
      "",
      "The following tests FAILED:",
      "\t  1 - tok_split (Failed)",
      "\t  2 - tok_overflow (Failed)",
      "Errors while running CTest",
    ], 8);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    const lines = predictionLines(analysis);
    const leak = lineOf(log, 'ERROR: LeakSanitizer');
    const overflow = lineOf(log, 'ERROR: AddressSanitizer: heap-buffer-overflow');
    expect([lineOf(log, '1/2 Test #1'), leak]).toContain(analysis.failures[0]?.lines[0]?.line);
    expect(lines).toEqual(expect.arrayContaining([
      leak, lineOf(log, 'Direct leak of 6 byte(s)'), lineOf(log, 'in main /home/runner/work/tok/tok/test_tok.c:4'), lineOf(log, 'SUMMARY: AddressSanitizer: 6 byte(s) leaked'),
      overflow, lineOf(log, 'WRITE of size 1'), lineOf(log, '#0 0x5604f74cc22a in main'), lineOf(log, 'SUMMARY: AddressSanitizer: heap-buffer-overflow'),
    ]));
    expect(lines).not.toContain(lineOf(log, 'Shadow byte legend'));
  });

  it("UBSan without recovery: the `runtime error:` and clang's `SUMMARY: UndefinedBehaviorSanitizer:` under it", async () => {
    // Prepare: clang 14 `-fsanitize=undefined -fno-sanitize-recover=all`, a shift past the type's width.
    const log = failedStepLines('make check', [
      "./bits",
      "bits.c:3:46: runtime error: shift exponent 40 is too large for 32-bit type 'unsigned int'",
      "SUMMARY: UndefinedBehaviorSanitizer: undefined-behavior bits.c:3:46 in ",
      "make: *** [Makefile:4: check] Error 1",
    ], 2);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    const error = lineOf(log, 'runtime error: shift exponent');
    expect(analysis.failures[0]?.lines[0]?.line).toBe(error);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([error, lineOf(log, 'SUMMARY: UndefinedBehaviorSanitizer')]));
    expect(analysis.category).toBe('test_failure');
  });

  it("Cucumber (Ruby) pretty formatter: a failed step's message and frames down to the feature's line, under its scenario or example row", async () => {
    // Prepare: cucumber 2.4, a ZeroDivisionError in an outline's second example and a RuntimeError in a plain scenario.
    const log = failedStepLines('cucumber', [
      "Feature: Division",
      "",
      "  Scenario Outline: Dividing two numbers # features/divide.feature:2",
      "    Given the numbers <a> and <b>        # features/divide.feature:3",
      "    When I divide them                   # features/divide.feature:4",
      "    Then the result is <result>          # features/divide.feature:5",
      "",
      "    Examples: ",
      "      | a  | b | result |",
      "      | 10 | 2 | 5      |",
      "      | 7  | 0 | 0      |",
      "      divided by 0 (ZeroDivisionError)",
      "      ./features/step_definitions/steps.rb:7:in `/'",
      "      ./features/step_definitions/steps.rb:7:in `/^I divide them$/'",
      "      features/divide.feature:10:in `When I divide them'",
      "      features/divide.feature:4:in `When I divide them'",
      "",
      "  Scenario: Rounding          # features/divide.feature:12",
      "    Given the numbers 7 and 2 # features/step_definitions/steps.rb:1",
      "    When I divide them        # features/step_definitions/steps.rb:6",
      "    Then the result is 3.5    # features/step_definitions/steps.rb:10",
      "      expected 3.5, got 3 (RuntimeError)",
      "      ./features/step_definitions/steps.rb:11:in `/^the result is ([\\d.]+)$/'",
      "      features/divide.feature:15:in `Then the result is 3.5'",
      "",
      "Failing Scenarios:",
      "cucumber features/divide.feature:10 # Scenario Outline: Dividing two numbers, Examples (#2)",
      "cucumber features/divide.feature:12 # Scenario: Rounding",
      "",
      "3 scenarios (2 failed, 1 passed)",
      "9 steps (2 failed, 1 skipped, 6 passed)",
      "0m0.014s",
    ], 1);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(lineOf(log, 'divided by 0 (ZeroDivisionError)'));
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([
      lineOf(log, '| 7  | 0 | 0      |'), lineOf(log, 'divided by 0 (ZeroDivisionError)'), lineOf(log, "features/divide.feature:10:in `When I divide them'"),
      lineOf(log, 'Scenario: Rounding'), lineOf(log, 'Then the result is 3.5'), lineOf(log, 'expected 3.5, got 3 (RuntimeError)'),
      lineOf(log, "features/divide.feature:15:in `Then the result is 3.5'"),
    ]));
    expect(analysis.category).toBe('test_failure');
  });

  it('Ginkgo 1 under go test: each spec\'s `• Failure`/`•! Panic` report above the `--- FAIL` of the suite\'s test', async () => {
    // Prepare: ginkgo 1.16 and gomega 1.10 (colour, as ginkgo 1 prints by default): a panic in an It, a failed
    // BeforeEach.
    const log = failedStepLines('go test ./...', [
      "Running Suite: Tally Suite",
      "==========================",
      "Random Seed: \u001b[1m1795909505\u001b[0m",
      "Will run \u001b[1m2\u001b[0m of \u001b[1m2\u001b[0m specs",
      "",
      "\u001b[91m\u001b[1m\u2022! Panic [0.000 seconds]\u001b[0m",
      "Counter",
      "\u001b[90m/home/runner/work/tally/tally/tally_test.go:10\u001b[0m",
      "  \u001b[91m\u001b[1mcounts a key [It]\u001b[0m",
      "  \u001b[90m/home/runner/work/tally/tally/tally_test.go:11\u001b[0m",
      "",
      "  \u001b[91m\u001b[1mTest Panicked\u001b[0m",
      "  \u001b[91massignment to entry in nil map\u001b[0m",
      "  /opt/hostedtoolcache/go/1.19.8/x64/src/runtime/map_faststr.go:205",
      "",
      "  \u001b[91mFull Stack Trace\u001b[0m",
      "  example.com/tally.(*Counter).Add(...)",
      "  \t/home/runner/work/tally/tally/tally.go:5",
      "  example.com/tally_test.glob..func1.1()",
      "  \t/home/runner/work/tally/tally/tally_test.go:13 +0x45",
      "  example.com/tally_test.TestTally(0x0?)",
      "  \t/home/runner/work/tally/tally/tally_suite_test.go:12 +0x85",
      "  testing.tRunner(0xc000085380, 0x7921f8)",
      "  \t/opt/hostedtoolcache/go/1.19.8/x64/src/testing/testing.go:1446 +0x10b",
      "  created by testing.(*T).Run",
      "  \t/opt/hostedtoolcache/go/1.19.8/x64/src/testing/testing.go:1493 +0x35f",
      "\u001b[90m------------------------------\u001b[0m",
      "\u001b[91m\u001b[1m\u2022 Failure in Spec Setup (BeforeEach) [0.000 seconds]\u001b[0m",
      "Counter",
      "\u001b[90m/home/runner/work/tally/tally/tally_test.go:10\u001b[0m",
      "  with a loaded file",
      "  \u001b[90m/home/runner/work/tally/tally/tally_test.go:17\u001b[0m",
      "    \u001b[91m\u001b[1mreads the counts [BeforeEach]\u001b[0m",
      "    \u001b[90m/home/runner/work/tally/tally/tally_test.go:22\u001b[0m",
      "",
      "    \u001b[91mExpected",
      "        <string>: fixtures/none.txt",
      "    to exist\u001b[0m",
      "",
      "    /home/runner/work/tally/tally/tally_test.go:19",
      "\u001b[90m------------------------------\u001b[0m",
      "",
      "",
      "\u001b[91m\u001b[1mSummarizing 2 Failures:\u001b[0m",
      "",
      "\u001b[91m\u001b[1m[Panic!] \u001b[0m\u001b[90mCounter \u001b[0m\u001b[91m\u001b[1m[It] counts a key \u001b[0m",
      "\u001b[37m/opt/hostedtoolcache/go/1.19.8/x64/src/runtime/map_faststr.go:205\u001b[0m",
      "",
      "\u001b[91m\u001b[1m[Fail] \u001b[0m\u001b[90mCounter \u001b[0m\u001b[0mwith a loaded file \u001b[0m\u001b[91m\u001b[1m[BeforeEach] reads the counts \u001b[0m",
      "\u001b[37m/home/runner/work/tally/tally/tally_test.go:19\u001b[0m",
      "",
      "\u001b[1m\u001b[91mRan 2 of 2 Specs in 0.000 seconds\u001b[0m",
      "\u001b[1m\u001b[91mFAIL!\u001b[0m -- \u001b[32m\u001b[1m0 Passed\u001b[0m | \u001b[91m\u001b[1m2 Failed\u001b[0m | \u001b[33m\u001b[1m0 Pending\u001b[0m | \u001b[36m\u001b[1m0 Skipped\u001b[0m",
      "--- FAIL: TestTally (0.00s)",
      "FAIL",
      "FAIL\texample.com/tally\t0.009s",
      "FAIL",
    ], 1);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(lineOf(log, '•! Panic'));
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([
      lineOf(log, 'counts a key [It]'), lineOf(log, 'assignment to entry in nil map'),
      lineOf(log, '• Failure in Spec Setup (BeforeEach)'), lineOf(log, 'reads the counts [BeforeEach]'), lineOf(log, '<string>: fixtures/none.txt'),
      lineOf(log, '/home/runner/work/tally/tally/tally_test.go:19', lineOf(log, 'to exist')),
    ]));
    expect(analysis.category).toBe('test_failure');
  });

  it("plunit (SWI-Prolog 9.0): each failed test's `ERROR: file:line:` and the tab-indented test line under it", async () => {
    // Prepare: a wrong answer (Expected/Got), a test that failed, a test that raised a type error.
    const log = failedStepLines('swipl -g run_tests -t halt test/test_stack.pl', [
      "% PL-Unit: stack .",
      "ERROR: /home/runner/work/stack/stack/test/test_stack.pl:10:",
      "\ttest depth: wrong answer (compared using ==)",
      "ERROR:     Expected: 3",
      "ERROR:     Got:      2",
      "ERROR: /home/runner/work/stack/stack/test/test_stack.pl:11:",
      "\ttest empty_top: failed",
      "",
      "ERROR: /home/runner/work/stack/stack/test/test_stack.pl:12:",
      "\ttest atom_depth: received error: length/2: Type error: `list' expected, found `abc' (an atom)",
      "**FAILED 0.010 sec",
      "% 3 tests failed",
      "% 1 tests passed",
      "ERROR: -g run_tests: false",
    ], 1);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(lineOf(log, 'test_stack.pl:10:'));
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([
      lineOf(log, 'test depth: wrong answer'), lineOf(log, 'Expected: 3'), lineOf(log, 'Got:      2'),
      lineOf(log, 'test_stack.pl:11:'), lineOf(log, 'test empty_top: failed'),
      lineOf(log, 'test_stack.pl:12:'), lineOf(log, 'test atom_depth: received error'),
    ]));
    expect(analysis.category).toBe('test_failure');
  });

  it("ReScript 12: each `We've found a bug for you!` with its location, code frame and message", async () => {
    // Prepare: `rescript build` over two modules: an int concatenated to a string, an unbound value.
    const log = failedStepLines('npx rescript build', [
      "Cleaned 0/0",
      "Parsed 2 source files",
      "Compiled 2 modules",
      "",
      "  \u001b[1;31mWe've found a bug for you!\u001b[0m",
      "  \u001b[36m/home/runner/work/greet/greet/src/Count.res\u001b[0m:\u001b[2m3:13-29\u001b[0m",
      "",
      "  1 \u001b[2m\u2502\u001b[0m let count = (xs: array<string>) => xs->Array.length",
      "  2 \u001b[2m\u2502\u001b[0m ",
      "  \u001b[1;31m3\u001b[0m \u001b[2m\u2502\u001b[0m let label = \u001b[1;31mcount([\"a\", \"b\"])\u001b[0m ++ \" items\"",
      "  4 \u001b[2m\u2502\u001b[0m ",
      "",
      "  This has type: \u001b[1;31mint\u001b[0m",
      "  But string concatenation is expecting: \u001b[1;33mstring\u001b[0m",
      "  ",
      "  You can convert \u001b[1;33mint\u001b[0m to \u001b[1;33mstring\u001b[0m with \u001b[1;33mInt.toString\u001b[0m.",
      "",
      "",
      "  \u001b[1;31mWe've found a bug for you!\u001b[0m",
      "  \u001b[36m/home/runner/work/greet/greet/src/Greet.res\u001b[0m:\u001b[2m5:21-24\u001b[0m",
      "",
      "  3 \u001b[2m\u2502\u001b[0m let main = () => {",
      "  4 \u001b[2m\u2502\u001b[0m   let who = \"world\"",
      "  \u001b[1;31m5\u001b[0m \u001b[2m\u2502\u001b[0m   Console.log(greet(\u001b[1;31mwhom\u001b[0m))",
      "  6 \u001b[2m\u2502\u001b[0m }",
      "  7 \u001b[2m\u2502\u001b[0m ",
      "",
      "  The value whom can't be found",
      "  ",
      "  \u001b[1;33mHint: Did you mean who?\u001b[0m",
      "",
      "",
      "Incremental build failed. Error: \u001b[2K",
      "  Failed to Compile. See Errors Above",
    ], 1);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    const first = lineOf(log, "We've found a bug for you!");
    expect(analysis.failures[0]?.lines[0]?.line).toBe(first);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([
      lineOf(log, 'src/Count.res'), lineOf(log, 'This has type:'), lineOf(log, 'But string concatenation is expecting:'),
      lineOf(log, "We've found a bug for you!", first), lineOf(log, 'src/Greet.res'), lineOf(log, "The value whom can't be found"),
    ]));
    expect(analysis.category).toBe('compilation');
  });

  it("reuse lint: the report's sections, from the first, with the verdict `not compliant with … the REUSE Specification`", async () => {
    // Prepare: reuse 1.1.2, a license that is neither SPDX's nor in LICENSES/, an unused license, a file with no header.
    const log = failedStepLines('reuse lint', [
      "# BAD LICENSES",
      "",
      "'MyCustomLicense' found in:",
      "* lib/b.c",
      "",
      "",
      "# MISSING LICENSES",
      "",
      "'MyCustomLicense' found in:",
      "* lib/b.c",
      "",
      "",
      "# UNUSED LICENSES",
      "",
      "The following licenses are not used:",
      "* MIT",
      "",
      "",
      "# MISSING COPYRIGHT AND LICENSING INFORMATION",
      "",
      "The following files have no copyright and licensing information:",
      "* lib/c.c",
      "",
      "",
      "# SUMMARY",
      "",
      "* Bad licenses: MyCustomLicense",
      "* Deprecated licenses:",
      "* Licenses without file extension:",
      "* Missing licenses: MyCustomLicense",
      "* Unused licenses: MIT",
      "* Used licenses: Apache-2.0, MyCustomLicense",
      "* Read errors: 0",
      "* Files with copyright information: 2 / 3",
      "* Files with license information: 2 / 3",
      "",
      "Unfortunately, your project is not compliant with version 3.0 of the REUSE Specification :-(",
    ], 1);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(lineOf(log, "'MyCustomLicense' found in:"));
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([
      lineOf(log, '* lib/b.c'), lineOf(log, '* MIT'), lineOf(log, '* lib/c.c'), lineOf(log, 'Unfortunately, your project is not compliant'),
    ]));
    expect(analysis.category).toBe('lint');
  });

  it("Hugo: a template's error, however Hugo words where it failed, is the site's build failing (`compilation`)", async () => {
    // Prepare: hugo 0.111.3, `dict` called with an odd number of arguments in a list template, logged per page kind.
    const log = failedStepLines('hugo', [
      "Start building sites \u2026 ",
      "hugo v0.111.3+extended linux/amd64 BuildDate=2023-03-16T08:41:31Z VendorInfo=debian:0.111.3-1",
      "ERROR 2026/11/28 23:45:40 render of \"section\" failed: \"/home/runner/work/notes/notes/layouts/_default/list.html:1:118\": execute of template failed: template: _default/list.html:1:118: executing \"main\" at <dict \"year\" .Date.Year \"x\">: error calling dict: invalid dictionary call",
      "ERROR 2026/11/28 23:45:40 render of \"taxonomy\" failed: \"/home/runner/work/notes/notes/layouts/_default/list.html:1:118\": execute of template failed: template: _default/list.html:1:118: executing \"main\" at <dict \"year\" .Date.Year \"x\">: error calling dict: invalid dictionary call",
      "ERROR 2026/11/28 23:45:40 render of \"term\" failed: \"/home/runner/work/notes/notes/layouts/_default/list.html:1:118\": execute of template failed: template: _default/list.html:1:118: executing \"main\" at <dict \"year\" .Date.Year \"x\">: error calling dict: invalid dictionary call",
      "ERROR 2026/11/28 23:45:40 render of \"taxonomy\" failed: \"/home/runner/work/notes/notes/layouts/_default/list.html:1:118\": execute of template failed: template: _default/list.html:1:118: executing \"main\" at <dict \"year\" .Date.Year \"x\">: error calling dict: invalid dictionary call",
      "Error: Error building site: failed to render pages: render of \"home\" failed: \"/home/runner/work/notes/notes/layouts/_default/list.html:1:118\": execute of template failed: template: _default/list.html:1:118: executing \"main\" at <dict \"year\" .Date.Year \"x\">: error calling dict: invalid dictionary call",
      "Total in 114 ms",
    ], 255);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(lineOf(log, 'ERROR 2026/11/28'));
    expect(predictionLines(analysis)).toContain(lineOf(log, 'Error: Error building site'));
    expect(analysis.category).toBe('compilation');
  });

  it("GNU Octave's test: each failed block's `!!!!! … failed`, the block's code above it and the error under it", async () => {
    // Prepare: Octave 7.3, a `%!test` block calling a function with too many inputs, an `%!error <…>` block whose
    // function raised another message.
    const log = failedStepLines('octave-cli --no-gui run_tests.m', [
      ">>>>> processing clamp",
      ">>>>> /home/runner/work/signal/signal/inst/clamp.m",
      "***** assert (clamp (5, 0, 3), 3)",
      "***** assert (clamp (-1, 0, 3), 0)",
      "***** test",
      " y = clamp ([1 9], 0, 3, 1);",
      " assert (y, [1 3]);",
      "!!!!! test failed",
      "clamp: function called with too many inputs",
      ">>>>> processing moving_avg",
      ">>>>> /home/runner/work/signal/signal/inst/moving_avg.m",
      "***** assert (moving_avg ([1 2 3 4], 2), [1.5 2.5 3.5])",
      "***** assert (moving_avg ([2 2 2], 1), [2 2 2])",
      "***** error <N must be positive> moving_avg ([1 2], 0)",
      "!!!!! error failed.",
      "Expected <N must be positive>, but got <moving_avg: invalid window>",
    ], 1);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(lineOf(log, '!!!!! test failed'));
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([
      lineOf(log, '***** test'), lineOf(log, 'y = clamp ([1 9], 0, 3, 1);'), lineOf(log, 'clamp: function called with too many inputs'),
      lineOf(log, '***** error <N must be positive>'), lineOf(log, '!!!!! error failed.'), lineOf(log, 'Expected <N must be positive>, but got'),
    ]));
    expect(predictionLines(analysis)).not.toContain(lineOf(log, '***** assert (clamp (5, 0, 3), 3)'));
    expect(analysis.category).toBe('test_failure');
  });
});
