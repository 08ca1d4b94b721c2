import { describe, expect, it } from 'vitest';
import { analyzeLog, type Category } from '../../../shared/logs/index.js';
import { CASCADE_RULES, FAILURE_LIST_ITEM_RULE, GENERIC_RULES, matchExitMarker, mayStartSection, PREFILTER_RE, PREFILTER_START_RE, RULES, SECTION_START_RE } from '../../../shared/logs/rules.js';
import { seededRandom } from '../../support/random.js';

interface Case {
  name: string;
  log: string;
  rule: string;
  category: Category;
  /** Text of the most telling line (index 0 of the top failure). */
  head: string;
  /** The line that opens the block, when the rule shows a later line first (a traceback's exception). */
  headline?: string;
  /** Lines (1-based) that must be inside the top failure's block. */
  covers?: number[];
}

const lines = (...l: string[]): string => l.join('\n');

// Real-shaped excerpts, each wrapped the way CI prints them (a command, its output, the exit marker).
const CASES: Case[] = [
  {
    name: 'pytest assertion',
    rule: 'pytest.failed',
    category: 'test_failure',
    head: 'E       assert 3 == 4',
    headline: '__________________________________ test_total __________________________________',
    covers: [4, 9, 11],
    log: lines(
      '$ pytest -q',
      '..F.                                                                     [100%]',
      '=================================== FAILURES ===================================',
      '__________________________________ test_total __________________________________',
      '',
      '    def test_total():',
      '>       assert total([1, 2]) == 4',
      'E       assert 3 == 4',
      'E        +  where 3 = total([1, 2])',
      '',
      'tests/test_cart.py:12: AssertionError',
      '=========================== short test summary info ============================',
      'FAILED tests/test_cart.py::test_total - assert 3 == 4',
      '========================= 1 failed, 3 passed in 0.12s =========================',
      'The command "pytest -q" exited with 1.',
    ),
  },
  {
    name: 'python unittest',
    rule: 'unittest.failed',
    category: 'test_failure',
    head: 'AssertionError: 80 != 8080',
    headline: 'FAIL: test_parse (tests.test_config.ConfigTest)',
    log: lines(
      '======================================================================',
      'FAIL: test_parse (tests.test_config.ConfigTest)',
      '----------------------------------------------------------------------',
      'Traceback (most recent call last):',
      '  File "/home/runner/work/app/app/tests/test_config.py", line 14, in test_parse',
      "    self.assertEqual(cfg['port'], 8080)",
      'AssertionError: 80 != 8080',
      '',
      '----------------------------------------------------------------------',
      'Ran 12 tests in 0.031s',
      'FAILED (failures=1)',
    ),
  },
  {
    name: 'python traceback',
    rule: 'python.traceback',
    category: 'dependency',
    head: "ModuleNotFoundError: No module named 'django'",
    headline: 'Traceback (most recent call last):',
    covers: [4],
    log: lines(
      '$ python manage.py migrate',
      'Traceback (most recent call last):',
      '  File "manage.py", line 8, in <module>',
      "ModuleNotFoundError: No module named 'django'",
      'The command "python manage.py migrate" exited with 1.',
    ),
  },
  {
    name: 'jest',
    rule: 'jest.failed',
    category: 'test_failure',
    head: '● Cart › adds tax',
    covers: [1, 6],
    log: lines(
      'FAIL src/cart.test.ts (5.1 s)',
      '  ● Cart › adds tax',
      '',
      '    expect(received).toBe(expected) // Object.is equality',
      '',
      '    Expected: 107',
      '    Received: 100',
      '',
      '      at Object.<anonymous> (src/cart.test.ts:14:23)',
      '',
      'Test Suites: 1 failed, 3 passed, 4 total',
    ),
  },
  {
    name: 'vitest',
    rule: 'vitest.failed',
    category: 'test_failure',
    head: 'FAIL  src/sum.test.ts > sum > adds',
    log: lines(
      ' ❯ src/sum.test.ts (2 tests | 1 failed) 4ms',
      '⎯⎯⎯⎯⎯⎯⎯ Failed Tests 1 ⎯⎯⎯⎯⎯⎯⎯',
      '',
      ' FAIL  src/sum.test.ts > sum > adds',
      'AssertionError: expected 3 to be 4 // Object.is equality',
      ' ❯ src/sum.test.ts:5:17',
      '',
      '⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯[1/1]⎯',
      ' Test Files  1 failed (1)',
    ),
  },
  {
    name: 'mocha',
    rule: 'test.numbered-failure',
    category: 'test_failure',
    head: "AssertionError: expected 'a' to equal 'b'",
    headline: '1) parser',
    covers: [7],
    log: lines(
      '  parser',
      '    ✓ parses numbers',
      '',
      '  1 passing (12ms)',
      '  1 failing',
      '',
      '  1) parser',
      '       parses strings:',
      "     AssertionError: expected 'a' to equal 'b'",
      '      at Context.<anonymous> (test/parser.test.js:9:20)',
      '',
      'npm ERR! Test failed.  See above for more details.',
    ),
  },
  {
    // A suite whose root title is empty: mocha prints the item's number alone, the titles on the lines below.
    name: 'mocha, the title under the number',
    rule: 'test.numbered-failure',
    category: 'test_failure',
    head: '     AssertionError: expected 1 to equal 2',
    covers: [6, 9],
    log: lines(
      '  65843 passing (11m)',
      '  2 failing',
      '',
      '  1) ',
      '       ',
      '         unittests:: Reuse program structure:: General',
      '           fails if change affects imports:',
      '     AssertionError: expected 1 to equal 2',
      '      at Context.<anonymous> (src/testRunner/unittests/reuseProgramStructure.ts:279:20)',
      '',
      '  2) ',
      '       ',
      '         unittests:: Reuse program structure:: General',
      '           fails if change affects type directives:',
      '     AssertionError: expected 1 to equal 2',
      '      at Context.<anonymous> (src/testRunner/unittests/reuseProgramStructure.ts:291:20)',
    ),
  },
  {
    // Emacs prints its backtrace two spaces in, every frame as deep as the `signal(…)` that heads it.
    name: 'emacs backtrace',
    rule: 'elisp.error',
    category: 'unknown',
    head: '  signal(error ("No version of fullframe >= nil is available"))',
    covers: [5],
    log: lines(
      'Loading /home/ci/.emacs.d/init.el...',
      '  signal(error ("No version of fullframe >= nil is available"))',
      '  error("No version of %s >= %S is available" fullframe nil)',
      '  (if no-refresh (error "No version of %s >= %S is available" package min-version) (package-refresh-contents))',
      '  require-package(fullframe)',
      '  eval-buffer(#<buffer  *load*> nil "/home/ci/.emacs.d/lisp/init-elpa.el" nil t)',
      'The command "emacs --batch -l init.el" exited with 255.',
    ),
  },
  {
    name: 'go test',
    rule: 'go.test-failed',
    category: 'test_failure',
    head: '    sum_test.go:12: got 3, want 4',
    headline: '--- FAIL: TestSum (0.00s)',
    covers: [3],
    log: lines(
      '=== RUN   TestSum',
      '--- FAIL: TestSum (0.00s)',
      '    sum_test.go:12: got 3, want 4',
      'FAIL',
      'FAIL\tgithub.com/acme/calc\t0.004s',
    ),
  },
  {
    name: 'go test -v (a test\'s messages before its --- FAIL)',
    rule: 'go.test-failed',
    category: 'test_failure',
    head: '    parse_test.go:21: Parse("a=1") = map[], want map[a:1]',
    headline: '--- FAIL: TestParse (0.00s)',
    covers: [4],
    log: lines(
      '=== RUN   TestSum',
      '--- PASS: TestSum (0.00s)',
      '=== RUN   TestParse',
      '    parse_test.go:21: Parse("a=1") = map[], want map[a:1]',
      '--- FAIL: TestParse (0.00s)',
      'FAIL',
      'FAIL\tgithub.com/acme/calc\t0.004s',
    ),
  },
  {
    // testify's lines are indented with spaces and then a tab, as go test -v prints a message's continuation lines.
    name: 'go test -v with a testify assertion (its lines before the --- FAIL)',
    rule: 'go.test-failed',
    category: 'test_failure',
    head: '        \tError:      \tNot equal: ',
    headline: '--- FAIL: TestParse (0.00s)',
    covers: [4, 5, 6, 7, 8, 9],
    log: lines(
      '=== RUN   TestSum',
      '--- PASS: TestSum (0.00s)',
      '=== RUN   TestParse',
      '    parse_test.go:21: ',
      '        \tError Trace:\t/home/runner/work/calc/calc/parse_test.go:21',
      '        \tError:      \tNot equal: ',
      '        \t            \texpected: 1',
      '        \t            \tactual  : 2',
      '        \tTest:       \tTestParse',
      '--- FAIL: TestParse (0.00s)',
      'FAIL',
      'FAIL\tgithub.com/acme/calc\t0.004s',
    ),
  },
  {
    name: 'go build',
    rule: 'go.build-error',
    category: 'compilation',
    head: './main.go:14:2: undefined: fmt.Printn',
    log: lines('# github.com/acme/tool', './main.go:14:2: undefined: fmt.Printn', '##[error]Process completed with exit code 1.'),
  },
  {
    // Real output of Go 1.19's `go test ./...`: vet's printf check runs before the tests and fails the package.
    name: "go test stopped by vet's printf check (the compiler's shape, vet's wording)",
    rule: 'go.vet-finding',
    category: 'lint',
    head: './ledger.go:6:9: fmt.Sprintf format %d has arg id of wrong type string',
    log: lines('# example.com/ledger', './ledger.go:6:9: fmt.Sprintf format %d has arg id of wrong type string', 'FAIL\texample.com/ledger [build failed]', 'FAIL'),
  },
  {
    // Real output of Go 1.19's `go build ./...` with GOFLAGS=-mod=mod (and GOPROXY=off: the lookup's reason varies).
    name: 'go build looking for a module that provides an imported package, and finding none',
    rule: 'go.import-missing',
    category: 'dependency',
    head: 'internal/slack/client.go:6:2: cannot find module providing package github.com/slack-go/slack: module lookup disabled by GOPROXY=off',
    log: lines(
      'go: finding module for package github.com/slack-go/slack',
      'internal/slack/client.go:6:2: cannot find module providing package github.com/slack-go/slack: module lookup disabled by GOPROXY=off',
      '##[error]Process completed with exit code 1.',
    ),
  },
  {
    // Real output of Go 1.19's `go build ./...` with GO111MODULE=off (a GOPATH workspace; the runner's paths): the
    // directories it searched, indented under the import it could not find.
    name: 'go build in GOPATH mode, an imported package in none of the directories it searched',
    rule: 'go.import-missing',
    category: 'dependency',
    head: 'main.go:6:2: cannot find package "github.com/pkg/errors" in any of:',
    covers: [1, 2, 3],
    log: lines(
      'main.go:6:2: cannot find package "github.com/pkg/errors" in any of:',
      '\t/opt/hostedtoolcache/go/1.19.8/x64/src/github.com/pkg/errors (from $GOROOT)',
      '\t/home/runner/go/src/github.com/pkg/errors (from $GOPATH)',
      '##[error]Process completed with exit code 1.',
    ),
  },
  {
    name: 'cargo test',
    rule: 'cargo.test-output',
    category: 'test_failure',
    head: '---- tests::adds stdout ----',
    log: lines(
      'running 2 tests',
      'test tests::adds ... FAILED',
      '',
      'failures:',
      '',
      '---- tests::adds stdout ----',
      "thread 'tests::adds' panicked at src/lib.rs:10:9:",
      'assertion `left == right` failed',
      '  left: 3',
      ' right: 4',
      '',
      'failures:',
      '    tests::adds',
    ),
  },
  {
    name: 'rustc',
    rule: 'rustc.error',
    category: 'compilation',
    head: 'error[E0308]: mismatched types',
    covers: [3],
    log: lines(
      '   Compiling calc v0.1.0 (/home/runner/work/calc/calc)',
      'error[E0308]: mismatched types',
      ' --> src/main.rs:4:18',
      '  |',
      '4 |     let x: u32 = "three";',
      '  |            ---   ^^^^^^^ expected `u32`, found `&str`',
      '',
      'error: could not compile `calc` (bin "calc") due to 1 previous error',
    ),
  },
  {
    name: 'maven surefire',
    rule: 'surefire.failed',
    category: 'test_failure',
    head: 'org.opentest4j.AssertionFailedError: expected: <4> but was: <3>',
    headline: '[ERROR] testAdd(com.acme.CalcTest)  Time elapsed: 0.012 s  <<< FAILURE!',
    log: lines(
      '[INFO] Running com.acme.CalcTest',
      '[ERROR] Tests run: 3, Failures: 1, Errors: 0, Skipped: 0, Time elapsed: 0.05 s <<< FAILURE! - in com.acme.CalcTest',
      '[ERROR] testAdd(com.acme.CalcTest)  Time elapsed: 0.012 s  <<< FAILURE!',
      'org.opentest4j.AssertionFailedError: expected: <4> but was: <3>',
      '\tat com.acme.CalcTest.testAdd(CalcTest.java:14)',
      '[ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:3.2.5:test (default-test) on project calc',
    ),
  },
  {
    name: 'maven surefire 3 (`Class.method -- Time elapsed`, the test named before its exception)',
    rule: 'surefire.failed',
    category: 'test_failure',
    head: 'org.opentest4j.AssertionFailedError: expected: <1> but was: <2>',
    headline: '[ERROR] com.acme.orders.OrderTest.sizeCountsLines -- Time elapsed: 0.109 s <<< FAILURE!',
    log: lines(
      '[INFO] Running com.acme.orders.OrderTest',
      '[ERROR] Tests run: 2, Failures: 1, Errors: 0, Skipped: 0, Time elapsed: 0.237 s <<< FAILURE! -- in com.acme.orders.OrderTest',
      '[ERROR] com.acme.orders.OrderTest.sizeCountsLines -- Time elapsed: 0.109 s <<< FAILURE!',
      'org.opentest4j.AssertionFailedError: expected: <1> but was: <2>',
      '\tat com.acme.orders.OrderTest.sizeCountsLines(OrderTest.java:20)',
      '[ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:3.2.5:test (default-test) on project orders',
    ),
  },
  {
    name: 'gradle test',
    rule: 'gradle.test-failed',
    category: 'test_failure',
    head: '    org.opentest4j.AssertionFailedError at CalcTest.java:12',
    headline: 'CalcTest > adds() FAILED',
    log: lines(
      '> Task :test',
      '',
      'CalcTest > adds() FAILED',
      '    org.opentest4j.AssertionFailedError at CalcTest.java:12',
      '',
      '3 tests completed, 1 failed',
      '',
      'FAILURE: Build failed with an exception.',
    ),
  },
  {
    name: 'rspec',
    rule: 'test.numbered-failure',
    category: 'test_failure',
    head: '1) Cart#total sums items',
    log: lines(
      'Failures:',
      '',
      '  1) Cart#total sums items',
      '     Failure/Error: expect(cart.total).to eq(4)',
      '',
      '       expected: 4',
      '            got: 3',
      '     # ./spec/cart_spec.rb:8:in `block (3 levels) in <top (required)>\'',
      '',
      'Finished in 0.01 seconds (files took 0.1 seconds to load)',
    ),
  },
  {
    name: 'phpunit',
    rule: 'phpunit.failed',
    category: 'test_failure',
    head: '1) App\\Tests\\CartTest::testTotal',
    log: lines(
      'There was 1 failure:',
      '',
      '1) App\\Tests\\CartTest::testTotal',
      'Failed asserting that 3 matches expected 4.',
      '',
      '/home/runner/work/app/app/tests/CartTest.php:14',
      '',
      'FAILURES!',
      'Tests: 5, Assertions: 9, Failures: 1.',
    ),
  },
  {
    name: '.NET test',
    rule: 'dotnet.test-failed',
    category: 'test_failure',
    head: 'Failed Calc.Tests.AddTests.Adds [12 ms]',
    log: lines(
      '  Failed Calc.Tests.AddTests.Adds [12 ms]',
      '  Error Message:',
      '   Assert.Equal() Failure',
      '  Stack Trace:',
      '     at Calc.Tests.AddTests.Adds() in /src/AddTests.cs:line 9',
      'Failed!  - Failed:     1, Passed:    11, Skipped:     0, Total:    12',
    ),
  },
  {
    name: 'tsc',
    rule: 'tsc.error',
    category: 'compilation',
    head: "src/index.ts(3,7): error TS2322: Type 'string' is not assignable to type 'number'.",
    log: lines('> tsc -p .', '', "src/index.ts(3,7): error TS2322: Type 'string' is not assignable to type 'number'.", 'Error: Process completed with exit code 2.'),
  },
  {
    name: 'javac',
    rule: 'javac.error',
    category: 'compilation',
    head: '[ERROR] /home/runner/work/app/app/src/main/java/App.java:[12,9] cannot find symbol',
    log: lines(
      '[ERROR] COMPILATION ERROR : ',
      '[ERROR] /home/runner/work/app/app/src/main/java/App.java:[12,9] cannot find symbol',
      '  symbol:   method prnt(java.lang.String)',
      '[INFO] 1 error',
    ),
  },
  {
    name: 'gcc',
    rule: 'cc.error',
    category: 'compilation',
    head: "src/main.c:10:5: error: 'y' undeclared (first use in this function)",
    log: lines(
      'gcc -O2 -c src/main.c -o main.o',
      "src/main.c:10:5: error: 'y' undeclared (first use in this function)",
      '   10 |     y = 3;',
      '      |     ^',
      'make: *** [Makefile:4: main.o] Error 1',
    ),
  },
  {
    name: "g++, with the template instantiation GCC names above the error (`In instantiation of`, `required from here`)",
    rule: 'cc.error',
    category: 'compilation',
    head: "src/stats.hpp:9:38: error: 'const struct geom::Circle' has no member named 'name'",
    covers: [3, 4],
    log: lines(
      '[ 75%] Building CXX object CMakeFiles/geom_cli.dir/src/main.cpp.o',
      'In file included from src/main.cpp:3:',
      "src/stats.hpp: In instantiation of 'std::map<Key, T> geom::tally(const std::vector<T>&) [with Key = std::string; T = Circle]':",
      'src/main.cpp:7:41:   required from here',
      "src/stats.hpp:9:38: error: 'const struct geom::Circle' has no member named 'name'",
      '    9 |   for (const auto& v : values) out[v.name] += v;',
      '      |                                    ~~^~~~',
      'gmake[2]: *** [CMakeFiles/geom_cli.dir/build.make:76: CMakeFiles/geom_cli.dir/src/main.cpp.o] Error 1',
    ),
  },
  {
    // GCC 14 quotes the source line of each `required from` with its gutter and `~^~` markers, as it quotes an
    // error's: the chain g++ 12 printed for this code (a real run), laid out as GCC 14 lays it out.
    name: "g++ 14, a chain of `required from` lines each with its quoted source line, above the error",
    rule: 'cc.error',
    category: 'compilation',
    head: "src/report.hpp:8:16: error: 'const struct Sample' has no member named 'label'",
    covers: [3, 4, 5, 6, 7, 10, 11],
    log: lines(
      '[ 50%] Building CXX object CMakeFiles/report.dir/src/main.cpp.o',
      'In file included from src/main.cpp:2:',
      "src/report.hpp: In instantiation of 'std::string cell(const Row&) [with Row = Sample; std::string = std::__cxx11::basic_string<char>]':",
      "src/report.hpp:16:20:   required from 'std::string render(const Rows&) [with Rows = std::vector<Sample>; std::string = std::__cxx11::basic_string<char>]'",
      '   16 |         out += cell(row) + "\\n";',
      '      |                ~~~~^~~~~',
      "src/report.hpp:23:33:   required from 'std::string report(const Rows&) [with Rows = std::vector<Sample>; std::string = std::__cxx11::basic_string<char>]'",
      '   23 |     return "# report\\n" + render(rows);',
      '      |                           ~~~~~~^~~~~~',
      'src/main.cpp:12:24:   required from here',
      '   12 |     std::cout << report(samples);',
      '      |                  ~~~~~~^~~~~~~~~',
      "src/report.hpp:8:16: error: 'const struct Sample' has no member named 'label'",
      '    8 |     return row.label() + ": " + std::to_string(row.value);',
      '      |            ~~~~^~~~~',
      'gmake[2]: *** [CMakeFiles/report.dir/build.make:76: CMakeFiles/report.dir/src/main.cpp.o] Error 1',
    ),
  },
  {
    // Real output of g++ 12 past -ftemplate-backtrace-limit (ten levels): GCC names the place it skips from, as it does
    // each `required from` line (`chain.cpp:8:53:   [ skipping 3 instantiation contexts, …]`).
    name: "g++, a chain longer than the backtrace limit, the skipped levels on a line of their own, above the error",
    rule: 'cc.error',
    category: 'compilation',
    head: 'chain.cpp:2:53: error: ‘const struct Sample’ has no member named ‘label’',
    covers: [2, 8, 14],
    log: lines(
      '[ 50%] Building CXX object CMakeFiles/chain.dir/chain.cpp.o',
      'chain.cpp: In instantiation of ‘int f0(const T&) [with T = Sample]’:',
      'chain.cpp:3:53:   required from ‘int f1(const T&) [with T = Sample]’',
      'chain.cpp:4:53:   required from ‘int f2(const T&) [with T = Sample]’',
      'chain.cpp:5:53:   required from ‘int f3(const T&) [with T = Sample]’',
      'chain.cpp:6:53:   required from ‘int f4(const T&) [with T = Sample]’',
      'chain.cpp:7:53:   required from ‘int f5(const T&) [with T = Sample]’',
      'chain.cpp:8:53:   [ skipping 3 instantiation contexts, use -ftemplate-backtrace-limit=0 to disable ]',
      'chain.cpp:11:53:   required from ‘int f9(const T&) [with T = Sample]’',
      'chain.cpp:12:54:   required from ‘int f10(const T&) [with T = Sample]’',
      'chain.cpp:13:55:   required from ‘int f11(const T&) [with T = Sample]’',
      'chain.cpp:14:55:   required from ‘int f12(const T&) [with T = Sample]’',
      'chain.cpp:15:55:   required from ‘int f13(const T&) [with T = Sample]’',
      'chain.cpp:16:24:   required from here',
      'chain.cpp:2:53: error: ‘const struct Sample’ has no member named ‘label’',
      '    2 | template <typename T> int f0(const T& t) { return t.label(); }',
      '      |                                                   ~~^~~~~',
      'gmake[2]: *** [CMakeFiles/chain.dir/build.make:76: CMakeFiles/chain.dir/chain.cpp.o] Error 1',
    ),
  },
  {
    // The same chain laid out as GCC 14 lays it out, each `required from` line's source quoted under it: 35 lines from
    // the instantiation to the error.
    name: "g++ 14, a chain longer than the backtrace limit with each level's source quoted, above the error",
    rule: 'cc.error',
    category: 'compilation',
    head: 'chain.cpp:2:53: error: ‘const struct Sample’ has no member named ‘label’',
    covers: [2, 18, 34],
    log: lines(
      '[ 50%] Building CXX object CMakeFiles/chain.dir/chain.cpp.o',
      'chain.cpp: In instantiation of ‘int f0(const T&) [with T = Sample]’:',
      'chain.cpp:3:53:   required from ‘int f1(const T&) [with T = Sample]’',
      '    3 | template <typename T> int f1(const T& t) { return f0(t) + 1; }',
      '      |                                                   ~~^~~',
      'chain.cpp:4:53:   required from ‘int f2(const T&) [with T = Sample]’',
      '    4 | template <typename T> int f2(const T& t) { return f1(t) + 2; }',
      '      |                                                   ~~^~~',
      'chain.cpp:5:53:   required from ‘int f3(const T&) [with T = Sample]’',
      '    5 | template <typename T> int f3(const T& t) { return f2(t) + 3; }',
      '      |                                                   ~~^~~',
      'chain.cpp:6:53:   required from ‘int f4(const T&) [with T = Sample]’',
      '    6 | template <typename T> int f4(const T& t) { return f3(t) + 4; }',
      '      |                                                   ~~^~~',
      'chain.cpp:7:53:   required from ‘int f5(const T&) [with T = Sample]’',
      '    7 | template <typename T> int f5(const T& t) { return f4(t) + 5; }',
      '      |                                                   ~~^~~',
      'chain.cpp:8:53:   [ skipping 3 instantiation contexts, use -ftemplate-backtrace-limit=0 to disable ]',
      'chain.cpp:11:53:   required from ‘int f9(const T&) [with T = Sample]’',
      '   11 | template <typename T> int f9(const T& t) { return f8(t) + 9; }',
      '      |                                                   ~~^~~',
      'chain.cpp:12:54:   required from ‘int f10(const T&) [with T = Sample]’',
      '   12 | template <typename T> int f10(const T& t) { return f9(t) + 10; }',
      '      |                                                    ~~^~~',
      'chain.cpp:13:55:   required from ‘int f11(const T&) [with T = Sample]’',
      '   13 | template <typename T> int f11(const T& t) { return f10(t) + 11; }',
      '      |                                                     ~~^~~',
      'chain.cpp:14:55:   required from ‘int f12(const T&) [with T = Sample]’',
      '   14 | template <typename T> int f12(const T& t) { return f11(t) + 12; }',
      '      |                                                     ~~^~~',
      'chain.cpp:15:55:   required from ‘int f13(const T&) [with T = Sample]’',
      '   15 | template <typename T> int f13(const T& t) { return f12(t) + 13; }',
      '      |                                                     ~~^~~',
      'chain.cpp:16:24:   required from here',
      '   16 | int main() { return f13(Sample{1}); }',
      '      |                      ~~^~~',
      'chain.cpp:2:53: error: ‘const struct Sample’ has no member named ‘label’',
      '    2 | template <typename T> int f0(const T& t) { return t.label(); }',
      '      |                                                   ~~^~~~~',
      'gmake[2]: *** [CMakeFiles/chain.dir/build.make:76: CMakeFiles/chain.dir/chain.cpp.o] Error 1',
    ),
  },
  {
    name: 'mix test --warnings-as-errors (the first warning, not the summary that names none)',
    rule: 'elixir.warnings-as-errors',
    category: 'compilation',
    head: '    warning: Shop.Money.round/2 is undefined or private. Did you mean:',
    headline: 'ERROR! Test suite aborted after successful execution due to warnings while using the --warnings-as-errors option',
    covers: [3, 12],
    log: lines(
      '$ mix test --warnings-as-errors',
      'Compiling 3 files (.ex)',
      '    warning: Shop.Money.round/2 is undefined or private. Did you mean:',
      '    │',
      ' 12 │     Shop.Money.round(total, 2)',
      '    │                ~',
      '    │',
      '    └─ lib/shop/invoice.ex:12:16: Shop.Invoice.total/1',
      '',
      'Finished in 0.3 seconds (0.1s async, 0.2s sync)',
      '42 tests, 0 failures',
      'ERROR! Test suite aborted after successful execution due to warnings while using the --warnings-as-errors option',
      'The command "mix test --warnings-as-errors" exited with 1.',
    ),
  },
  {
    name: 'Checkstyle through Gradle (its plain format), not a javac error',
    rule: 'checkstyle.violation',
    category: 'lint',
    head: "[ant:checkstyle] [ERROR] /home/runner/work/shop/shop/app/src/main/java/com/acme/Cart.java:56:35: ',' is not followed by whitespace. [WhitespaceAfter]",
    log: lines(
      '$ ./gradlew checkstyleMain',
      '> Task :app:checkstyleMain FAILED',
      "[ant:checkstyle] [ERROR] /home/runner/work/shop/shop/app/src/main/java/com/acme/Cart.java:56:35: ',' is not followed by whitespace. [WhitespaceAfter]",
      '',
      'FAILURE: Build failed with an exception.',
      'The command "./gradlew checkstyleMain" exited with 1.',
    ),
  },
  {
    name: 'Spotless through Maven',
    rule: 'spotless.violations',
    category: 'lint',
    head: '[ERROR] Failed to execute goal com.diffplug.spotless:spotless-maven-plugin:2.43.0:check (default-cli) on project core: The following files had format violations:',
    covers: [3],
    log: lines(
      '$ mvn -B spotless:check',
      '[ERROR] Failed to execute goal com.diffplug.spotless:spotless-maven-plugin:2.43.0:check (default-cli) on project core: The following files had format violations:',
      '[ERROR]     src/main/kotlin/no/acme/core/model/Employee.kt',
      "[ERROR] Run 'mvn spotless:apply' to fix these violations.",
      'The command "mvn -B spotless:check" exited with 1.',
    ),
  },
  {
    name: 'Biome 1.x parse error (a syntax error, so compilation)',
    rule: 'biome.diagnostic',
    category: 'compilation',
    head: '  ✖ expected a semicolon to end the class property, but found none',
    headline: 'src/cart.ts:3:10 parse ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━',
    log: lines(
      '$ npx biome ci .',
      'src/cart.ts:3:10 parse ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━',
      '',
      '  ✖ expected a semicolon to end the class property, but found none',
      '  ',
      '  > 3 │   total number = 0;',
      '      │         ^^^^^^',
      '',
      'Checked 12 files in 8ms. No fixes applied.',
      'Found 1 error.',
      'The command "npx biome ci ." exited with 1.',
    ),
  },
  {
    name: 'kubeconform, a resource it could not validate',
    rule: 'kubeconform.invalid',
    category: 'configuration',
    head: 'k8s/cronjob.yaml - CronJob nightly failed validation: could not find schema for CronJob',
    log: lines(
      '$ kubeconform -summary k8s/',
      'k8s/cronjob.yaml - CronJob nightly failed validation: could not find schema for CronJob',
      'Summary: 5 resources found in 3 files - Valid: 4, Invalid: 0, Errors: 1, Skipped: 0',
      'The command "kubeconform -summary k8s/" exited with 1.',
    ),
  },
  {
    name: 'cargo audit: its summary names the scan\'s first advisory',
    rule: 'cargo-audit.vulnerable',
    category: 'security_scan',
    head: 'Title:     Potential segfault in the time crate',
    headline: 'error: 2 vulnerabilities found!',
    covers: [4, 12],
    log: lines(
      '$ cargo audit',
      '    Scanning Cargo.lock for vulnerabilities (212 crate dependencies)',
      'Crate:     time',
      'Title:     Potential segfault in the time crate',
      'ID:        RUSTSEC-2020-0071',
      'Dependency tree:',
      'time 0.1.45',
      'Crate:     openssl',
      'Title:     `openssl` `X509StoreRef::objects` is unsound',
      'ID:        RUSTSEC-2025-0022',
      '',
      'error: 2 vulnerabilities found!',
      'The command "cargo audit" exited with 1.',
    ),
  },
  {
    name: 'mypy (its own rule, not the C compilers\' `file:line: error:`)',
    rule: 'mypy.error',
    category: 'compilation',
    head: 'src/app/api/routes.py:18: error: Argument 1 to "charge" has incompatible type "int"; expected "Decimal"  [arg-type]',
    covers: [3],
    log: lines(
      '$ mypy src',
      'src/app/api/routes.py:18: error: Argument 1 to "charge" has incompatible type "int"; expected "Decimal"  [arg-type]',
      'src/app/api/routes.py:18: note: Revealed type is "builtins.int"',
      'Found 1 error in 1 file (checked 37 source files)',
      'The command "mypy src" exited with 1.',
    ),
  },
  {
    name: "linker, with ld's `in function` line above the reference it locates",
    rule: 'linker.error',
    category: 'compilation',
    head: "main.c:(.text+0x1d): undefined reference to `compute'",
    covers: [1],
    log: lines("/usr/bin/ld: main.o: in function `main':", "main.c:(.text+0x1d): undefined reference to `compute'", 'collect2: error: ld returned 1 exit status'),
  },
  {
    // binutils before 2.32 (Ubuntu 18.04's 2.30): no `ld:` in front of the function's line, and the first definition
    // on a line of its own (2.32 on put it after a `;` on the same line: the real-tools corpus has that form).
    name: "linker, a symbol defined twice as binutils before 2.32 printed it, its first definition on the next line",
    rule: 'linker.error',
    category: 'compilation',
    head: "ids.c:(.text+0x0): multiple definition of `next_id'",
    covers: [2, 3, 4],
    log: lines(
      'cc -o app main.o util.o ids.o',
      "ids.o: In function `next_id':",
      "ids.c:(.text+0x0): multiple definition of `next_id'",
      'util.o:util.c:(.text+0x0): first defined here',
      'collect2: error: ld returned 1 exit status',
      "make: *** [Makefile:4: app] Error 1",
    ),
  },
  {
    // Real output of LLVM's lld 14 (`cc -fuse-ld=lld`): the symbol on the error line, where it is defined or used
    // on the `>>> ` lines under it.
    name: 'lld, a symbol defined twice, the two definitions under it',
    rule: 'lld.error',
    category: 'compilation',
    head: 'ld.lld: error: duplicate symbol: next_id',
    covers: [3, 4, 5, 6],
    log: lines(
      'cc -fuse-ld=lld -o app main.o util.o ids.o',
      'ld.lld: error: duplicate symbol: next_id',
      '>>> defined at util.c',
      '>>>            util.o:(next_id)',
      '>>> defined at ids.c',
      '>>>            ids.o:(.text+0x0)',
      'collect2: error: ld returned 1 exit status',
    ),
  },
  {
    name: 'lld, an undefined symbol and where it is referenced',
    rule: 'lld.error',
    category: 'compilation',
    head: 'ld.lld: error: undefined symbol: compute',
    covers: [3, 4],
    log: lines('cc -fuse-ld=lld -o u undef.o', 'ld.lld: error: undefined symbol: compute', '>>> referenced by undef.c', '>>>               undef.o:(main)', 'collect2: error: ld returned 1 exit status'),
  },
  {
    name: 'eslint',
    rule: 'eslint.error',
    category: 'lint',
    head: "  12:7  error  'unused' is assigned a value but never used  no-unused-vars",
    covers: [2],
    log: lines(
      '> eslint .',
      '/home/runner/work/app/app/src/util.js',
      "  12:7  error  'unused' is assigned a value but never used  no-unused-vars",
      '',
      '✖ 1 problem (1 error, 0 warnings)',
    ),
  },
  {
    name: 'flake8',
    rule: 'lint.pep8-style',
    category: 'lint',
    head: "app/models.py:3:1: F401 'os' imported but unused",
    log: lines('$ flake8 app', "app/models.py:3:1: F401 'os' imported but unused", 'The command "flake8 app" exited with 1.'),
  },
  {
    name: 'shellcheck (tty format: the location, the quoted source line and the finding under it are the report\'s; the finding first)',
    rule: 'shellcheck',
    category: 'lint',
    head: '       ^--^ SC2086 (info): Double quote to prevent globbing and word splitting.',
    headline: 'In deploy.sh line 4:',
    covers: [2, 3],
    log: lines('In deploy.sh line 4:', 'rm -rf $DIR/*', '       ^--^ SC2086 (info): Double quote to prevent globbing and word splitting.'),
  },
  {
    name: 'npm ci without a lock file (npm 11: `code EUSAGE`, then the message, then the command\'s usage)',
    rule: 'npm.ci-no-lockfile',
    category: 'dependency',
    head: 'npm error The `npm ci` command can only install with an existing package-lock.json or',
    covers: [2, 5, 6],
    log: lines(
      '$ npm ci',
      'npm error code EUSAGE',
      'npm error',
      'npm error The `npm ci` command can only install with an existing package-lock.json or',
      'npm error npm-shrinkwrap.json with lockfileVersion >= 1. Run an install with npm@5 or',
      'npm error later to generate a package-lock.json file, then try again.',
      'npm error',
      'npm error Clean install a project',
      'npm error',
      'npm error Usage:',
      'npm error npm ci',
      'npm error A complete log of this run can be found in: /home/runner/.npm/_logs/2026-11-28T08_07_34_336Z-debug-0.log',
    ),
  },
  {
    name: "node's CommonJS require of a missing package, with the `Require stack:` that names the file requiring it",
    rule: 'node.module-missing',
    category: 'dependency',
    head: "Error: Cannot find module 'express'",
    covers: [6, 7, 8],
    log: lines(
      '> node server.js',
      'node:internal/modules/cjs/loader:1433',
      '  throw err;',
      '  ^',
      "Error: Cannot find module 'express'",
      'Require stack:',
      '- /home/runner/work/cjs/cjs/server.js',
      '    at Function._resolveFilename (node:internal/modules/cjs/loader:1430:15)',
      '    at Object.<anonymous> (/home/runner/work/cjs/cjs/server.js:1:17) {',
      "  code: 'MODULE_NOT_FOUND',",
      "  requireStack: [ '/home/runner/work/cjs/cjs/server.js' ]",
      '}',
      'Node.js v22.23.3',
    ),
  },
  {
    name: 'rspec, a spec file that fails to load (the error outside of examples, with its frames)',
    rule: 'rspec.load-error',
    category: 'test_failure',
    head: 'An error occurred while loading ./spec/tax_spec.rb. - Did you mean?',
    covers: [5, 7, 8, 9, 10],
    log: lines(
      '$ bundle exec rspec',
      'An error occurred while loading ./spec/tax_spec.rb. - Did you mean?',
      '                    rspec ./spec/invoice_spec.rb',
      '',
      'Failure/Error: require_relative "../lib/tax"',
      '',
      'LoadError:',
      '  cannot load such file -- /home/runner/work/invoice/invoice/lib/tax',
      "# ./spec/tax_spec.rb:1:in `require_relative'",
      "# ./spec/tax_spec.rb:1:in `<top (required)>'",
      '',
      '',
      'Finished in 0.00009 seconds (files took 0.26835 seconds to load)',
      '0 examples, 0 failures, 1 error occurred outside of examples',
    ),
  },
  {
    name: 'npm registry 404',
    rule: 'npm.error',
    category: 'dependency',
    head: 'npm ERR! code E404',
    log: lines(
      'npm ERR! code E404',
      "npm ERR! 404 Not Found - GET https://registry.npmjs.org/left-padd - Not found",
      'npm ERR! A complete log of this run can be found in: /home/runner/.npm/_logs/debug.log',
    ),
  },
  {
    name: 'pip resolution',
    rule: 'pip.resolve',
    category: 'dependency',
    head: 'ERROR: Could not find a version that satisfies the requirement torch==9.9 (from versions: 2.2.0, 2.3.0)',
    log: lines(
      'Collecting torch==9.9',
      'ERROR: Could not find a version that satisfies the requirement torch==9.9 (from versions: 2.2.0, 2.3.0)',
      'ERROR: No matching distribution found for torch==9.9',
    ),
  },
  {
    name: 'bundler',
    rule: 'bundler.error',
    category: 'dependency',
    head: "Could not find gem 'rails (= 9.0.0)' in locally installed gems.",
    log: lines('$ bundle install', "Could not find gem 'rails (= 9.0.0)' in locally installed gems.", 'The command "bundle install" exited with 7.'),
  },
  {
    name: 'apt',
    rule: 'apt.error',
    category: 'dependency',
    head: 'E: Unable to locate package libfoo-dev',
    log: lines('Reading package lists...', 'E: Unable to locate package libfoo-dev'),
  },
  {
    name: 'docker build',
    rule: 'docker.build',
    category: 'compilation',
    head: 'ERROR: failed to solve: process "/bin/sh -c npm run build" did not complete successfully: exit code: 2',
    log: lines('#12 [build 5/6] RUN npm run build', '#12 DONE 0.1s', 'ERROR: failed to solve: process "/bin/sh -c npm run build" did not complete successfully: exit code: 2'),
  },
  {
    name: 'OOM',
    rule: 'infra.oom',
    category: 'out_of_memory',
    head: 'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory',
    log: lines('<--- Last few GCs --->', 'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory', ' 1: 0xb7a940 node::Abort() [node]'),
  },
  {
    name: 'exit 137',
    rule: 'infra.oom',
    category: 'out_of_memory',
    head: 'Error: Process completed with exit code 137.',
    log: lines('Running webpack...', 'Error: Process completed with exit code 137.'),
  },
  {
    name: 'disk full',
    rule: 'infra.disk-full',
    category: 'infrastructure',
    head: 'write /var/lib/docker/tmp/layer: no space left on device',
    log: lines('Extracting layer', 'write /var/lib/docker/tmp/layer: no space left on device'),
  },
  {
    // The exception that says so keeps its frames, one level in.
    name: 'disk full, with the stack trace under it',
    rule: 'infra.disk-full',
    category: 'infrastructure',
    head: 'java.io.IOException: No space left on device',
    covers: [4],
    log: lines(
      '[INFO] spoon.support.JavaOutputProcessor',
      'java.io.IOException: No space left on device',
      '    at java.io.UnixFileSystem.createFileExclusively (Native Method)',
      '    at java.io.File.createNewFile (File.java:1026)',
      '[INFO] BUILD FAILURE',
    ),
  },
  {
    name: 'DNS',
    rule: 'network.error',
    category: 'network',
    head: "fatal: unable to access 'https://github.com/acme/lib.git/': Could not resolve host: github.com",
    log: lines('Cloning into lib...', "fatal: unable to access 'https://github.com/acme/lib.git/': Could not resolve host: github.com"),
  },
  {
    name: 'TLS',
    rule: 'network.error',
    category: 'network',
    head: 'curl: (60) SSL certificate problem: unable to get local issuer certificate',
    log: lines('$ curl -fsSL https://example.internal/install.sh', 'curl: (60) SSL certificate problem: unable to get local issuer certificate'),
  },
  {
    name: 'rate limit',
    rule: 'infra.rate-limit',
    category: 'infrastructure',
    head: 'Error: API rate limit exceeded for installation ID 4242.',
    log: lines('Fetching releases', 'Error: API rate limit exceeded for installation ID 4242.'),
  },
  {
    name: 'job timeout',
    rule: 'infra.timeout',
    category: 'timeout',
    head: '##[error]The job running on runner GitHub Actions 12 has exceeded the maximum execution time of 360 minutes.',
    log: lines('Running soak test', '##[error]The job running on runner GitHub Actions 12 has exceeded the maximum execution time of 360 minutes.'),
  },
  {
    name: 'cancellation',
    rule: 'infra.timeout',
    category: 'timeout',
    head: '##[error]The operation was canceled.',
    log: lines('Running e2e', '##[error]The operation was canceled.'),
  },
  {
    name: 'runner lost',
    rule: 'infra.runner-lost',
    category: 'infrastructure',
    head: '##[error]The runner has received a shutdown signal. This can happen when the runner service is stopped, or a manually started runner is canceled.',
    log: lines('Building', '##[error]The runner has received a shutdown signal. This can happen when the runner service is stopped, or a manually started runner is canceled.'),
  },
  {
    name: 'service container',
    rule: 'infra.service-container',
    category: 'infrastructure',
    head: '##[error]Failed to initialize container postgres:16',
    log: lines('Starting postgres service container', '##[error]Failed to initialize container postgres:16'),
  },
  {
    name: 'security scanner',
    rule: 'security.vulnerability',
    category: 'security_scan',
    head: 'Total: 3 (UNKNOWN: 0, LOW: 1, MEDIUM: 1, HIGH: 0, CRITICAL: 1)',
    log: lines('app:latest (alpine 3.19.1)', '', 'Total: 3 (UNKNOWN: 0, LOW: 1, MEDIUM: 1, HIGH: 0, CRITICAL: 1)'),
  },
  {
    name: 'missing action input',
    rule: 'config.missing-input',
    category: 'configuration',
    head: '##[error]Input required and not supplied: token',
    log: lines('Run acme/deploy-action@v2', '##[error]Input required and not supplied: token'),
  },
  {
    name: 'command not found',
    rule: 'shell.command-not-found',
    category: 'configuration',
    head: '/home/runner/work/_temp/1c2d.sh: line 1: pnpm: command not found',
    log: lines('##[group]Run pnpm install', 'pnpm install', '##[endgroup]', '/home/runner/work/_temp/1c2d.sh: line 1: pnpm: command not found', '##[error]Process completed with exit code 127.'),
  },
  {
    name: 'java exception',
    rule: 'java.exception',
    category: 'unknown',
    head: 'Exception in thread "main" java.lang.IllegalStateException: no config',
    covers: [3],
    log: lines('$ java -jar app.jar', 'Exception in thread "main" java.lang.IllegalStateException: no config', '\tat com.acme.Main.main(Main.java:7)', 'The command "java -jar app.jar" exited with 1.'),
  },
  {
    // A Zig program's panic outside a test (`zig build run`): the panic line, its first frame inside the block.
    name: 'Zig panic (std.debug panic handler, multi-threaded build)',
    rule: 'zig.panic',
    category: 'test_failure',
    head: 'thread 96316 panic: integer overflow',
    covers: [3, 4],
    log: lines(
      '$ zig build run -- --rows 3',
      'thread 96316 panic: integer overflow',
      '/home/runner/work/grid/grid/src/main.zig:14:22: 0x1033e49 in main (grid)',
      '    const cells = rows * cols;',
      '                     ^',
      '???:?:?: 0x0 in ??? (???)',
      'error: the following command terminated unexpectedly:',
      'The command "zig build run -- --rows 3" exited with 134.',
    ),
  },
  {
    // cmd/go names a module whose checksum go.sum lacks (go mod download, go list -m), not only an import.
    name: 'go: missing go.sum entry for a module',
    rule: 'go.sum-missing',
    category: 'dependency',
    head: 'go: github.com/spf13/pflag@v1.0.5: missing go.sum entry; to add it:',
    log: lines('$ go mod download', 'go: github.com/spf13/pflag@v1.0.5: missing go.sum entry; to add it:', '\tgo mod download github.com/spf13/pflag', 'The command "go mod download" exited with 1.'),
  },
  {
    // A stack's first deployment fails: CREATE_FAILED, the clock in 24-hour form (the CLI prints the local time).
    name: 'AWS CDK resource that fails to create',
    rule: 'cdk.resource-failed',
    category: 'configuration',
    head: 'AssetsStack | 1/3 | 14:02:11 | CREATE_FAILED        | AWS::S3::Bucket | Assets (Assets5CB76180) assets-acme-prod already exists',
    log: lines(
      '$ npx cdk deploy AssetsStack --require-approval never',
      'AssetsStack | 0/3 | 14:02:09 | CREATE_IN_PROGRESS   | AWS::S3::Bucket | Assets (Assets5CB76180) ',
      'AssetsStack | 1/3 | 14:02:11 | CREATE_FAILED        | AWS::S3::Bucket | Assets (Assets5CB76180) assets-acme-prod already exists',
      ' ❌  AssetsStack failed: Error: The stack named AssetsStack failed creation, it may need to be manually deleted from the AWS console: ROLLBACK_COMPLETE: assets-acme-prod already exists',
      'The command "npx cdk deploy AssetsStack --require-approval never" exited with 1.',
    ),
  },
  {
    // kubeval says ERR for a file it could not validate at all, WARN for an invalid one; neither is a warning.
    name: 'kubeval invalid manifest (its WARN is the failure)',
    rule: 'kubeval.invalid',
    category: 'configuration',
    head: 'WARN - deploy/web.yaml contains an invalid Deployment (web) - spec.replicas: Invalid type. Expected: [integer,null], given: string',
    log: lines(
      '$ kubeval --strict deploy/*.yaml',
      'PASS - deploy/svc.yaml contains a valid Service (web)',
      'WARN - deploy/web.yaml contains an invalid Deployment (web) - spec.replicas: Invalid type. Expected: [integer,null], given: string',
      'The command "kubeval --strict deploy/*.yaml" exited with 1.',
    ),
  },
  {
    // Sphinx before 8.1 stops at the first warning under -W: the warning is the line after the announcement.
    name: 'Sphinx -W before 8.1 (the first warning stops the build)',
    rule: 'sphinx.warning-as-error',
    category: 'compilation',
    head: "/home/runner/work/ledger/ledger/docs/usage.rst:42:undefined label: 'config-file'",
    log: lines(
      '$ sphinx-build -W -b html docs docs/_build/html',
      'Running Sphinx v7.2.6',
      'writing output... [100%] usage',
      '',
      'Warning, treated as error:',
      "/home/runner/work/ledger/ledger/docs/usage.rst:42:undefined label: 'config-file'",
      'The command "sphinx-build -W -b html docs docs/_build/html" exited with 2.',
    ),
  },
  {
    // Gradle's report holds no line a rule knows: its summary under `* What went wrong:` says which task failed.
    name: 'Gradle failure summary',
    rule: 'cascade.gradle-wrong',
    category: 'compilation',
    head: "Execution failed for task ':app:jar'.",
    headline: '* What went wrong:',
    covers: [6],
    log: lines(
      '$ ./gradlew build',
      '> Task :app:jar',
      'FAILURE: Build failed with an exception.',
      '',
      '* What went wrong:',
      "Execution failed for task ':app:jar'.",
      '> Entry META-INF/LICENSE is a duplicate but no duplicate handling strategy has been set.',
      '',
      '* Try:',
      '> Run with --stacktrace option to get the stack trace.',
      '',
      'BUILD FAILED in 3s',
      'The command "./gradlew build" exited with 1.',
    ),
  },
  {
    // tasty's console reporter: the test's name and `FAIL` aligned by padding, the reason indented under it.
    name: 'Haskell tasty',
    rule: 'tasty.failed',
    category: 'test_failure',
    head: '    applies the discount before tax:     FAIL (0.02s)',
    covers: [9, 10, 11],
    log: lines(
      '$ cabal test --test-show-details=direct',
      'Running 1 test suites...',
      'Test suite shop-test: RUNNING...',
      'Tests',
      '  Invoice',
      '    sums the lines:                      OK',
      '    applies the discount before tax:     FAIL (0.02s)',
      '      test/InvoiceTest.hs:41:',
      '      expected: 9720',
      '       but got: 9800',
      "      Use -p '/applies the discount before tax/' to rerun this test only.",
      '',
      '1 out of 2 tests failed (0.03s)',
      'Test suite shop-test: FAIL',
      'The command "cabal test --test-show-details=direct" exited with 1.',
    ),
  },
  {
    // GHC's error about no place in a file: a module the build lists but cannot find.
    name: 'GHC error without a location',
    rule: 'ghc.error',
    category: 'compilation',
    head: '<no location info>: error: [GHC-87897]',
    covers: [4],
    log: lines(
      '$ cabal build',
      'Building library for shop-0.1.0.0...',
      '<no location info>: error: [GHC-87897]',
      '    module ‘shop-0.1.0.0-inplace:Shop.Tax’ cannot be found locally',
      'Error: [Cabal-7125]',
      'The command "cabal build" exited with 1.',
    ),
  },
  {
    // CTest with --output-on-failure: the test's status line (`***Failed`, `***Exception: SegFault`, `***Timeout`),
    // its output below it, up to the next test's `Start N:` line.
    name: 'CTest failed test',
    rule: 'ctest.failed',
    category: 'test_failure',
    head: '/home/runner/work/geo/geo/tests/area_test.cpp:31: Failure',
    headline: '2/4 Test #2: area_test ........................***Failed    0.03 sec',
    covers: [6, 9, 14],
    log: lines(
      '$ ctest --test-dir build --output-on-failure',
      'Test project /home/runner/work/geo/geo/build',
      '    Start 1: parse_test',
      '1/4 Test #1: parse_test .......................   Passed    0.01 sec',
      '    Start 2: area_test',
      '2/4 Test #2: area_test ........................***Failed    0.03 sec',
      '[==========] Running 2 tests from 1 test suite.',
      '[ RUN      ] Area.Square',
      '/home/runner/work/geo/geo/tests/area_test.cpp:31: Failure',
      'Expected equality of these values:',
      '  area(square(2))',
      '    Which is: 3.9999',
      '  4.0',
      '[  FAILED  ] Area.Square (0 ms)',
      '    Start 3: crash_test',
      '3/4 Test #3: crash_test .......................***Exception: SegFault  0.01 sec',
      '',
      '50% tests passed, 2 tests failed out of 4',
      'The command "ctest --test-dir build --output-on-failure" exited with 8.',
    ),
  },
  {
    // rustfmt (`cargo fmt -- --check`) since 1.5 heads each hunk `Diff in path:line:` (`Diff in path at line N:` before).
    name: 'rustfmt check',
    rule: 'prettier.check',
    category: 'lint',
    head: 'Diff in /home/runner/work/cli/cli/src/args.rs:40:',
    log: lines(
      '$ cargo fmt --all -- --check',
      'Diff in /home/runner/work/cli/cli/src/args.rs:40:',
      '     match flag {',
      '-        Flag::Quiet => { level = 0 }',
      '+        Flag::Quiet => level = 0,',
      '     }',
      'The command "cargo fmt --all -- --check" exited with 1.',
    ),
  },
  {
    // pip 22+ quotes a build backend that failed between `× … did not run successfully.` and `[end of output]`; the
    // compiler's error inside says why, pip's `ERROR: Failed building wheel for x` after it only which package.
    name: 'pip subprocess error (a wheel that does not build)',
    rule: 'pip.subprocess-error',
    category: 'dependency',
    head: '      psycopg/psycopg.h:36:10: fatal error: libpq-fe.h: No such file or directory',
    headline: '  × Building wheel for psycopg2 (pyproject.toml) did not run successfully.',
    covers: [5, 10],
    log: lines(
      '$ pip install psycopg2==2.9.9',
      '  Building wheel for psycopg2 (pyproject.toml): finished with status \'error\'',
      '  error: subprocess-exited-with-error',
      '  ',
      '  × Building wheel for psycopg2 (pyproject.toml) did not run successfully.',
      '  │ exit code: 1',
      '  ╰─> [5 lines of output]',
      '      running build_ext',
      '      gcc -pthread -fPIC -I/usr/include/postgresql -c psycopg/psycopgmodule.c -o build/psycopgmodule.o',
      '      psycopg/psycopg.h:36:10: fatal error: libpq-fe.h: No such file or directory',
      '      compilation terminated.',
      '      error: command \'/usr/bin/gcc\' failed with exit code 1',
      '      [end of output]',
      '  ',
      '  note: This error originates from a subprocess, and is likely not a problem with pip.',
      '  ERROR: Failed building wheel for psycopg2',
      'ERROR: Could not build wheels for psycopg2, which is required to install pyproject.toml-based projects',
      'The command "pip install psycopg2==2.9.9" exited with 1.',
    ),
  },
];

describe('rule families', () => {
  for (const c of CASES) {
    it(`recognises ${c.name}`, async () => {
      // Act
      const analysis = await analyzeLog(c.log);
      // Assert
      const top = analysis.failures[0];
      expect(top?.rule).toBe(c.rule);
      expect(top?.category).toBe(c.category);
      expect(top?.lines[0]?.text.trim()).toBe(c.head.trim());
      for (const line of c.covers ?? []) {
        expect(top?.startLine).toBeLessThanOrEqual(line);
        expect(top?.endLine).toBeGreaterThanOrEqual(line);
      }
      expect(analysis.category).toBe(c.category);
      expect(analysis.evidence?.text.trim()).toBe(c.head.trim());
    });
  }
});

describe('exit markers', () => {
  it('read the status from whichever group took part, and 1 (failed) from a marker without one', () => {
    expect(matchExitMarker('The command "make test" exited with 2.')).toEqual({ code: 2, jobEnd: false });
    expect(matchExitMarker('The command "make test" failed 3 times.')).toEqual({ code: 1, jobEnd: false });
    expect(matchExitMarker("##[error]Process completed with exit code 137.")).toEqual({ code: 137, jobEnd: false });
    expect(matchExitMarker("##[error]The action 'x' failed with exit code '3'")).toEqual({ code: 3, jobEnd: false });
    expect(matchExitMarker('ERROR: Job failed: exit code 1')).toEqual({ code: 1, jobEnd: true });
    expect(matchExitMarker('ERROR: Job failed: the runner went away')).toEqual({ code: 1, jobEnd: true });
    expect(matchExitMarker('Finished: ABORTED')).toEqual({ code: 1, jobEnd: true });
    expect(matchExitMarker('The build passed')).toBeNull();
  });
});

describe('rule ids', () => {
  it('are unique and printable: a block without a picked line is deduplicated by its id alone, a picked one by id, NUL and headline', () => {
    const ids = [...RULES, ...CASCADE_RULES, ...GENERIC_RULES, FAILURE_LIST_ITEM_RULE].map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id, id).toMatch(/^[a-z0-9][a-z0-9.-]*$/);
  });
});

describe('keyword pre-filter', () => {
  it('lets every sample headline through to the rule table', () => {
    for (const c of CASES) {
      const head = (c.headline ?? c.head).replace(/^##\[error\]/, '');
      expect(PREFILTER_RE.test(head) || PREFILTER_START_RE.test(head), c.name).toBe(true);
    }
  });

  it('skips ordinary output', () => {
    for (const line of ['Compiling 65 files (.ex)', 'added 612 packages in 9s', 'HEAD is now at 8c1f2e7 Merge', '  ✓ parses numbers (3 ms)']) {
      expect(PREFILTER_RE.test(line) || PREFILTER_START_RE.test(line), line).toBe(false);
    }
  });
});

describe('section-start gate', () => {
  it('lets through every line the section-start expression matches, and few others', () => {
    const starts = [
      '$ npm test',
      '##[group]Run npm ci',
      '##[section]Starting: Build',
      '[Pipeline] sh',
      '[Pipeline] powershell',
      '~~~ Running tests',
      'section_start:1700000000:build_script',
    ];
    const random = seededRandom(13);
    const pieces = ['$', ' ', '##[', 'group]Run ', 'section]Starting: ', '[Pipeline] ', 'sh', 'bat', '~~~', 'section_start:', '12', '3', ':', 'x', 's', '#', '['];
    const heads = ['$ ', '##[', '[Pipeline] ', '~~~ ', 'section_start:'];
    const piece = (list: string[]): string => list[Math.floor(random() * list.length)] as string;
    const lines = [
      ...starts,
      ...Array.from({ length: 20_000 }, () => (random() < 0.5 ? piece(heads) : '') + Array.from({ length: 1 + Math.floor(random() * 5) }, () => piece(pieces)).join('')),
    ];
    let matched = 0;
    for (const line of lines) {
      if (!SECTION_START_RE.test(line)) continue;
      matched++;
      expect(mayStartSection(line), line).toBe(true);
    }
    expect(matched).toBeGreaterThan(1000);
    expect(['src/app.ts(3,4): error TS2345', 'sh: 1: x: not found', '[INFO] Build', '#12 0.5 done', '$HOME'].filter(mayStartSection)).toEqual([]);
  });
});
