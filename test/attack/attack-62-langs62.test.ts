import { describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../shared/logs/index.js';
import { ghaStep } from '../support/gha-step.js';

// Attack on session 62's rules (branch langs62: Cucumber, plunit, Hugo, reuse lint, Ginkgo, UBSan, Octave, ReScript):
// other runs of the same tools than the fixtures', real output of the tools on this machine where they are installed
// (paths rewritten to the runner's), other versions' wordings, and other tools' lines next to the new formats. Each
// row failed before its fix, or runs as an expected failure with the reason.

/** A step that failed with exit code 1, as one string. */
const failedStepLog = (script: string, output: readonly string[]): string =>
  ghaStep(script, output, { exitCode: 1 }).join('\n');

describe("attack 62 (langs62): the session's rules on other runs of the same tools", () => {
  it("reads Cucumber's progress formatter (`--format progress`: the failed steps flush left under `(::) failed steps (::)`) as the failed step", async () => {
    // Prepare: Cucumber 2.4.0 (Ruby 3.1), one scenario whose last step raises (real output)
    const log = failedStepLog('bundle exec cucumber --format progress', [
      '..F',
      '',
      '(::) failed steps (::)',
      '',
      'expected 6 got 5 (RuntimeError)',
      "./features/step_definitions/cart_steps.rb:3:in `/^the total is (\\d+)$/'",
      "features/cart.feature:5:in `Then the total is 6'",
      '',
      'Failing Scenarios:',
      'cucumber features/cart.feature:2 # Scenario: Several units',
      '',
      '1 scenario (1 failed)',
      '3 steps (1 failed, 2 passed)',
      '0m0.031s',
    ]);
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('cucumber.step-failed');
    expect(analysis.category).toBe('test_failure');
  });

  it("does not read SWI-Prolog's own load error (`ERROR: /path/x.pl:2:` over `ERROR:    catch/3: Unknown procedure`) as a plunit test's failure", async () => {
    // Prepare: swipl 9.0.4 loading a file whose directive calls an undefined predicate (real output)
    const log = failedStepLog('swipl src/main.pl', [
      'ERROR: /home/runner/work/plq/plq/src/main.pl:2:',
      'ERROR:    catch/3: Unknown procedure: foo/1',
      'Warning: /home/runner/work/plq/plq/src/main.pl:2:',
      'Warning:    Goal (directive) failed: user:foo(1)',
    ]);
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures.map((f) => f.rule)).not.toContain('plunit.failed');
    expect(analysis.category).not.toBe('test_failure');
  });

  it("reads Hugo 0.12x's template errors (`parse of template failed:`, `execute of template failed at <.Foo>:`) as Hugo's", async () => {
    // Prepare: the wordings of Hugo since 0.120 (tpl/tplimpl), a site built in CI
    const parse = failedStepLog('hugo --minify', [
      'Start building sites … ',
      'hugo v0.139.0-2c3ad2d6ab32ccd3e7e8c4c6c2e4b6ccfb5a5f8e+extended linux/amd64 BuildDate=2024-11-18T16:17:45Z VendorInfo=gohugoio',
      '',
      'Total in 41 ms',
      'Error: error building site: "/home/runner/work/blog/blog/layouts/_default/taxonomy.html:44:1": parse of template failed: template: _default/taxonomy.html:44: unexpected EOF',
    ]);
    const execute = failedStepLog('hugo --minify', [
      'Start building sites … ',
      'ERROR render of "page" failed: "/home/runner/work/blog/blog/layouts/_default/single.html:4:3": execute of template failed at <.Params.cover.src>: nil pointer evaluating interface {}.src',
      'Total in 52 ms',
      'Error: error building site: render: failed to render pages: render of "page" failed: "/home/runner/work/blog/blog/layouts/_default/single.html:4:3": execute of template failed at <.Params.cover.src>: nil pointer evaluating interface {}.src',
    ]);
    // Act
    const analyses = [await analyzeLog(parse), await analyzeLog(execute)];
    // Assert
    expect(analyses.map((a) => [a.failures[0]?.rule, a.category])).toEqual([
      ['hugo.template-error', 'compilation'],
      ['hugo.template-error', 'compilation'],
    ]);
  });
});

describe('attack 62 (langs62): other tools next to the new formats', () => {
  it("does not put a recovered UBSan runtime error (the program went on: `ok …` under it) above a later compiler error of the same job", async () => {
    // Prepare: gcc 12 -fsanitize=undefined without -fno-sanitize-recover (the default): the report, then the program
    // carries on and passes; a later target does not compile (real output, paths rewritten)
    const log = failedStepLog('make test', [
      "tests/overflow.c:3:46: runtime error: signed integer overflow: 2147483647 + 1 cannot be represented in type 'int'",
      'ok -2147483648',
      'ok 1 - overflow test',
      'gcc -c src/parse.c -o src/parse.o',
      "src/parse.c:12:5: error: 'tok' undeclared (first use in this function)",
      'make: *** [Makefile:8: src/parse.o] Error 1',
    ]);
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect([analysis.failures[0]?.rule, analysis.category]).toEqual(['cc.error', 'compilation']);
  });

  it("keeps a script's own `***** ERROR *****` and `***** FAIL …` banners: Octave's echo of an `%!error` block is lowercase, an `<…>`, `id=` or code after it", async () => {
    // Prepare: a shell script's banners (the shape Octave's echo noise entry took, upper case)
    const log = failedStepLog('./run-all.sh', [
      'running integration suite',
      '***** ERROR ***** deploy check failed for service api',
      '***** FAIL  integration/api_test.sh (exit 3)',
      'done',
    ]);
    // Act
    const analysis = await analyzeLog(log);
    // Assert: what the base read, a failure on the first banner
    expect(analysis.failures[0]?.lines[0]?.text).toBe('***** ERROR ***** deploy check failed for service api');
  });

  it.each([
    ['***** ERROR deploy(prod) failed: quota exceeded'],
    ['***** FAIL (exit 3) integration/api_test.sh'],
  ])("keeps a script's banner with a call-like word after ERROR or FAIL (`%s`): Octave's echo is a whole statement, ending at its `)` or `;`", async (banner) => {
    // Prepare: a shell script's banner under NOISE_RE's case-insensitive Octave entry (review of the session's merge)
    const log = failedStepLog('./run-all.sh', ['running integration suite', banner, 'done']);
    // Act
    const analysis = await analyzeLog(log);
    // Assert: read as a failure line of its own, not the step's last output (the fallback for a step with no such line)
    expect([analysis.failures[0]?.rule, analysis.failures[0]?.lines[0]?.text]).toEqual(['generic.failed', banner]);
  });

  it("does not take a line of prose that is ReScript's banner, without ReScript's place under it, for its compiler error", async () => {
    // Prepare: a passing docs build quoting the banner (a changelog, a help text)
    const log = failedStepLog('make docs', [
      'Building docs...',
      "We've found a bug for you!",
      '# SUMMARY',
      'Done.',
    ]);
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures.map((f) => f.rule)).not.toContain('rescript.error');
  });

  it("puts a plain `go test` failure printed before a Ginkgo suite's failure first (`go test ./...`: one package of each)", async () => {
    // Prepare: go 1.19, a config package's table test fails, then a Ginkgo 1.16 suite's spec (its output as in
    // ginkgo-go-test.log)
    const log = failedStepLog('go test -v ./...', [
      '=== RUN   TestParseDuration',
      '    parse_test.go:14: ParseDuration("1x") = 0, want error',
      '--- FAIL: TestParseDuration (0.00s)',
      'FAIL',
      'FAIL\texample.com/app/config\t0.003s',
      '=== RUN   TestRatelimit',
      'Running Suite: Ratelimit Suite',
      '==============================',
      'Random Seed: 1795909566',
      'Will run 3 of 3 specs',
      '',
      '••',
      '------------------------------',
      '• Failure [0.001 seconds]',
      'Limiter',
      '/home/runner/work/app/app/ratelimit/limiter_test.go:10',
      '  Reset',
      '  /home/runner/work/app/app/ratelimit/limiter_test.go:28',
      '    accepts a key it has not seen [It]',
      '    /home/runner/work/app/app/ratelimit/limiter_test.go:34',
      '',
      '    Expected',
      '        <int>: 2',
      '    to equal',
      '        <int>: 3',
      '',
      '    /home/runner/work/app/app/ratelimit/limiter_test.go:36',
      '------------------------------',
      '',
      'Ran 3 of 3 Specs in 0.001 seconds',
      'FAIL! -- 2 Passed | 1 Failed | 0 Pending | 0 Skipped',
      '--- FAIL: TestRatelimit (0.00s)',
      'FAIL',
      'FAIL\texample.com/app/ratelimit\t0.004s',
      'FAIL',
    ]);
    // Act
    const analysis = await analyzeLog(log);
    // Assert: both, in the order the run printed them
    expect(analysis.failures.slice(0, 2).map((f) => f.rule)).toEqual(['go.test-failed', 'ginkgo.failed']);
  });

  it("starts reuse lint's report at its own first section, not at an upper-case comment of the step's script above the install's output", async () => {
    // Prepare: reuse 1.1.2 over a repository with one unlabelled file (real output), the step's script opening with a
    // `# CHECK LICENSES` comment (echoed in the header group), pip's output between
    const install = Array.from({ length: 30 }, (_, i) => `Collecting pkg${i + 1}`);
    const log = [
      '##[group]Run # CHECK LICENSES',
      '# CHECK LICENSES',
      'pip install reuse',
      'reuse lint',
      'shell: /usr/bin/bash -e {0}',
      '##[endgroup]',
      ...install,
      '# MISSING COPYRIGHT AND LICENSING INFORMATION',
      '',
      'The following files have no copyright and licensing information:',
      '* a.py',
      '',
      '',
      '# SUMMARY',
      '',
      '* Bad licenses:',
      '* Deprecated licenses:',
      '* Licenses without file extension:',
      '* Missing licenses:',
      '* Unused licenses:',
      '* Used licenses:',
      '* Read errors: 0',
      '* Files with copyright information: 0 / 1',
      '* Files with license information: 0 / 1',
      '',
      'Unfortunately, your project is not compliant with version 3.0 of the REUSE Specification :-(',
      '##[error]Process completed with exit code 1.',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    const top = analysis.failures[0];
    expect([top?.rule, top?.startLine]).toEqual(['reuse.not-compliant', 37]);
  });

  it("lists UBSan's `runtime error:` inside CTest's output like ASan's `==PID==ERROR:` (a test built with -fno-sanitize-recover, its output long)", async () => {
    // Prepare: CTest 3.25 over a clang 14 UBSan test that aborts on a signed overflow after printing 60 lines
    const printed = Array.from({ length: 60 }, (_, i) => `bucket ${i}: ${i * 3}`);
    const log = failedStepLog('ctest --test-dir build --output-on-failure', [
      'Test project /home/runner/work/histo/histo/build',
      '    Start 1: histo_basic',
      '1/2 Test #1: histo_basic ......................Subprocess aborted***Exception:   0.01 sec',
      ...printed,
      "/home/runner/work/histo/histo/src/histo.c:8:16: runtime error: signed integer overflow: 1073741823 * 3 cannot be represented in type 'int'",
      'SUMMARY: UndefinedBehaviorSanitizer: undefined-behavior /home/runner/work/histo/histo/src/histo.c:8:16 in ',
      '',
      ...printed,
      '    Start 2: histo_empty',
      '2/2 Test #2: histo_empty ......................   Passed    0.00 sec',
      '',
      '50% tests passed, 1 tests failed out of 2',
      '',
      'Total Test time (real) =   0.02 sec',
      '',
      'The following tests FAILED:',
      '\t  1 - histo_basic (Subprocess aborted)',
      'Errors while running CTest',
    ]);
    // Act
    const analysis = await analyzeLog(log);
    // Assert: the runtime error is among the lines listed (line 8 + 60)
    expect(analysis.failures[0]?.rule).toBe('ctest.failed');
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([7, 68]));
  });

  it("reads a Cucumber step failing in the feature's Background from its `Background:` line, with the error's message", async () => {
    // Prepare: Cucumber 2.4.0 (Ruby 3.1), a Background step dividing by zero (real output)
    const log = failedStepLog('cucumber', [
      'Feature: Cart',
      '',
      '  Background:              # features/cart.feature:2',
      '    Given an empty cart    # features/step_definitions/cart_steps.rb:1',
      '    And the tax rate is 20 # features/step_definitions/cart_steps.rb:4',
      '      divided by 0 (ZeroDivisionError)',
      "      ./features/step_definitions/cart_steps.rb:4:in `/'",
      "      ./features/step_definitions/cart_steps.rb:4:in `/^the tax rate is (\\d+)$/'",
      "      features/cart.feature:4:in `And the tax rate is 20'",
      '',
      '  Scenario: Several units  # features/cart.feature:6',
      '    When I add 3 at 2 each # features/step_definitions/cart_steps.rb:2',
      '    Then the total is 5    # features/step_definitions/cart_steps.rb:3',
      '',
      'Failing Scenarios:',
      'cucumber features/cart.feature:6 # Scenario: Several units',
      '',
      '1 scenario (1 failed)',
      '4 steps (1 failed, 2 skipped, 1 passed)',
      '0m0.041s',
    ]);
    // Act
    const analysis = await analyzeLog(log);
    // Assert: the report from the Background's line, its message listed
    const top = analysis.failures[0];
    expect([top?.rule, top?.startLine]).toEqual(['cucumber.step-failed', 7]);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([9, 10, 13]));
  });

  it("still reads plunit's failures where the test's line is an `ERROR:` line, not a tab (plunit of SWI-Prolog 9.1 and later)", async () => {
    // Prepare: the layout of the newer plunit's messages, each line behind `ERROR: ` (written from its message
    // templates, not run here: Debian 12 has SWI-Prolog 9.0.4)
    const log = failedStepLog('swipl -g run_tests -t halt test/test_queue.pl', [
      '[1/3] queue:size ..........................................  **FAILED (0.000 sec)',
      'ERROR: /home/runner/work/plq/plq/test/test_queue.pl:11:',
      'ERROR:     test queue:size: wrong answer (compared using =:=)',
      'ERROR:     Expected: 2',
      'ERROR:     Got:      3',
      '% 1 test failed',
      '% 2 tests passed',
    ]);
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect([analysis.failures[0]?.rule, analysis.failures[0]?.lines[0]?.line]).toEqual(['plunit.failed', 6]);
  });

  it("does not report a pending Cucumber step of a passing run (`TODO (Cucumber::Pending)` over its frames)", async () => {
    // Prepare: Cucumber 2.4.0 (Ruby 3.1), exit code 0 (real output)
    const log = [
      '##[group]Run cucumber',
      'cucumber',
      'shell: /usr/bin/bash -e {0}',
      '##[endgroup]',
      'Feature: Cart',
      '',
      '  Scenario: Several units       # features/cart.feature:2',
      '    Given an empty cart         # features/step_definitions/cart_steps.rb:1',
      '    When I add 3 at 2 each      # features/step_definitions/cart_steps.rb:2',
      '    Then the receipt is printed # features/step_definitions/cart_steps.rb:3',
      '      TODO (Cucumber::Pending)',
      "      ./features/step_definitions/cart_steps.rb:3:in `/^the receipt is printed$/'",
      "      features/cart.feature:5:in `Then the receipt is printed'",
      '',
      '1 scenario (1 pending)',
      '3 steps (1 pending, 2 passed)',
      '0m0.014s',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures.map((f) => f.rule)).toEqual([]);
  });
});
