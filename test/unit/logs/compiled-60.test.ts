import { describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../../shared/logs/index.js';

const lines = (...l: string[]): string => l.join('\n');

/**
 * Compiled-language and JVM/.NET-style toolchains session 60 ran for real (test/fixtures/gha-real-tools, "Session 60"):
 * each test is other real output of the same tool than the fixture's (another project, another fault), so a rule is
 * read off the format and checked on a run it was not written from.
 */
describe('reports of compiled-language, JVM and Mono test runners (session 60)', () => {
  it("NUnit 2.6's console runner: `N) Test Failure : Name` and `N) Test Error : Name` with the message under them", async () => {
    // Prepare: nunit-console 2.6.4 on Mono 6.8, an IndexOutOfRangeException, an IsTrue with a message, an AreEqual.
    const log = lines(
      'ProcessModel: Default    DomainUsage: Single',
      'Execution Runtime: mono-4.0',
      '.F.F.F',
      'Tests run: 3, Errors: 1, Failures: 2, Inconclusive: 0, Time: 0.0405479 seconds',
      '  Not run: 0, Invalid: 0, Ignored: 0, Skipped: 0',
      '',
      'Errors and Failures:',
      '1) Test Error : CartTests.Empty',
      '   System.IndexOutOfRangeException : Index was outside the bounds of the array.',
      '  at CartTests.Empty () [0x00007] in <79f5e9428faf43429558906ddd30111b>:0 ',
      '',
      '2) Test Failure : CartTests.Name',
      '     name prefix',
      '  Expected: True',
      '  But was:  False',
      '',
      'at CartTests.Name () [0x0000f] in <79f5e9428faf43429558906ddd30111b>:0',
      '',
      '3) Test Failure : CartTests.Total',
      '     Expected: 30',
      '  But was:  25',
      '',
      'at CartTests.Total () [0x00000] in <79f5e9428faf43429558906ddd30111b>:0',
      '',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(8);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([8, 9, 12, 13, 14, 15, 19, 20, 21]));
    expect(analysis.category).toBe('test_failure');
  });

  it("go build's type checker: the tab-indented `have (…)`/`want (…)` lines belong to their error", async () => {
    // Prepare: Go 1.19, a call with too few arguments and a value that does not implement an interface.
    const log = lines(
      '# example.com/g',
      './g.go:11:11: not enough arguments in call to pair',
      '\thave (number)',
      '\twant (int, int)',
      './g.go:12:16: cannot use Sq{} (value of type Sq) as type Shape in variable declaration:',
      '\tSq does not implement Shape (Area method has pointer receiver)',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(2);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([2, 3, 4, 5, 6]));
    expect(analysis.category).toBe('compilation');
  });

  it("JUnit 5's console launcher: each entry under `Failures (N):` with its `=> exception` and the test's frame", async () => {
    // Prepare: junit-platform-console-standalone 1.9.1 (--disable-banner, colour off), assertEquals and assertNotNull.
    const log = lines(
      '╷',
      '├─ JUnit Platform Suite ✔',
      '├─ JUnit Jupiter ✔',
      '│  └─ QueueTest ✔',
      '│     ├─ ok() ✔',
      '│     ├─ size() ✘ expected: <3> but was: <2>',
      '│     └─ peekEmpty() ✘ head of an empty queue ==> expected: not <null>',
      '└─ JUnit Vintage ✔',
      '',
      'Failures (2):',
      '  JUnit Jupiter:QueueTest:size()',
      "    MethodSource [className = 'QueueTest', methodName = 'size', methodParameterTypes = '']",
      '    => org.opentest4j.AssertionFailedError: expected: <3> but was: <2>',
      '       org.junit.jupiter.api.AssertionFailureBuilder.build(AssertionFailureBuilder.java:151)',
      '       org.junit.jupiter.api.AssertEquals.assertEquals(AssertEquals.java:145)',
      '       org.junit.jupiter.api.Assertions.assertEquals(Assertions.java:528)',
      '       QueueTest.size(QueueTest.java:5)',
      '       java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)',
      '       [...]',
      '  JUnit Jupiter:QueueTest:peekEmpty()',
      "    MethodSource [className = 'QueueTest', methodName = 'peekEmpty', methodParameterTypes = '']",
      '    => org.opentest4j.AssertionFailedError: head of an empty queue ==> expected: not <null>',
      '       org.junit.jupiter.api.AssertionFailureBuilder.build(AssertionFailureBuilder.java:152)',
      '       org.junit.jupiter.api.Assertions.assertNotNull(Assertions.java:309)',
      '       QueueTest.peekEmpty(QueueTest.java:4)',
      '       [...]',
      '',
      'Test run finished after 66 ms',
      '[         3 tests found           ]',
      '[         1 tests successful      ]',
      '[         2 tests failed          ]',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([11, 13, 17, 20, 22, 25]));
    expect(analysis.category).toBe('test_failure');
  });

  it("common_test: the failed case's report ends at ct_run's verdict, not on its `Updating … index.html` lines", async () => {
    // Prepare: ct_run of OTP 25 over a suite with one badmatch.
    const log = lines(
      'TEST INFO: 1 test(s), 2 case(s) in 1 suite(s)',
      '',
      'Testing v.ct: Starting test, 2 test cases',
      '',
      '- - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - -',
      'kv_SUITE:lookup failed on line 4',
      'Reason: {badmatch,{ok,2}}',
      '- - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - -',
      '',
      'Testing v.ct: *** FAILED test case 1 of 2 ***',
      'Testing v.ct: TEST COMPLETE, 1 ok, 1 failed of 2 test cases',
      '',
      'Updating /home/runner/work/kv/kv/logs/index.html ... done',
      'Updating /home/runner/work/kv/kv/logs/all_runs.html ... done',
      '',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(6);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([6, 7]));
    expect(predictionLines(analysis).filter((l) => l > 11)).toEqual([]);
  });

  it("Crystal 1.6's compile error: `In file.cr:line:col`, the source and its caret, then `Error: …`, is the code's", async () => {
    // Prepare: `crystal build` over a call of a method the module lacks, then over a file cut off before its `end`.
    const log = lines(
      'Showing last frame. Use --error-trace for full trace.',
      '',
      'In src/c2.cr:2:12',
      '',
      ' 2 | puts Money.fmt(3)',
      '                ^--',
      "Error: undefined method 'fmt' for Money:Module",
      'In src/c3.cr:4:1',
      "Error: expecting identifier 'end', not 'EOF'",
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect([3, 7]).toContain(analysis.failures[0]?.lines[0]?.line);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([3, 7, 8, 9]));
    expect(analysis.category).toBe('compilation');
  });

  it("a Node script's thrown `Error:` under its caret stays Node's, not Crystal's", async () => {
    // Prepare: Node 22 printing an uncaught Error: the file and line, the code, the caret, a blank line.
    const log = lines(
      '/home/runner/work/app/app/scripts/build.js:3',
      "  throw new Error('manifest is missing');",
      '  ^',
      '',
      'Error: manifest is missing',
      '    at Object.<anonymous> (/home/runner/work/app/app/scripts/build.js:3:9)',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('node.uncaught');
  });

  it("TestNG with -verbose 2: `FAILED: name` heads the exception and frames printed under it", async () => {
    // Prepare: TestNG 6.9 run with plain java, a NumberFormatException and an assertEquals with a message.
    const log = lines(
      '[TestNG] Running:',
      '  Command line suite',
      '',
      'PASSED: fine',
      'FAILED: parse',
      'java.lang.NumberFormatException: For input string: "x1"',
      '\tat OrderTest.parse(OrderTest.java:5)',
      '',
      'FAILED: total',
      'java.lang.AssertionError: total of two pairs expected [5] but found [4]',
      '\tat OrderTest.total(OrderTest.java:4)',
      '',
      '',
      '===============================================',
      '    Command line test',
      '    Tests run: 3, Failures: 2, Skips: 0',
      '===============================================',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect([5, 6]).toContain(analysis.failures[0]?.lines[0]?.line);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([5, 6, 7, 9, 10, 11]));
    expect(predictionLines(analysis)).not.toContain(4);
    expect(analysis.category).toBe('test_failure');
  });

  it("Ninja's `FAILED: target` over a compiler's error stays the build's wrapper line", async () => {
    // Prepare: CMake with Ninja, a C++ error under ninja's FAILED line (its target bare, as a top-level executable's).
    const log = lines(
      '[1/2] Building CXX object CMakeFiles/app.dir/main.cpp.o',
      'FAILED: app ',
      'main.cpp:3:5: error: use of undeclared identifier \'x\'',
      'ninja: build stopped: subcommand failed.',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(3);
    expect(analysis.category).toBe('compilation');
  });

  it("dune's diff action: `File \"x.expected\", line 1, characters 0-0:` heads the diff under it, a test's failure", async () => {
    // Prepare: dune 2.9 runtest, a rule's output that differs from its expected file (git's diff, as dune runs it).
    const log = lines(
      'File "t/hello.expected", line 1, characters 0-0:',
      '         git (internal) (exit 1)',
      '(cd _build/default && /usr/bin/git --no-pager diff --no-index --color=always -u t/hello.expected t/hello.out)',
      'diff --git a/t/hello.expected b/t/hello.out',
      'index 19b5863..4899d3b 100644',
      '--- a/t/hello.expected',
      '+++ b/t/hello.out',
      '@@ -1,2 +1,2 @@',
      '-Hello, world',
      '+hello, world',
      ' bye',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(1);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([1, 9, 10]));
    expect(analysis.category).toBe('test_failure');
  });

  it("dialyzer's warnings after `Proceeding with analysis...` are a static analysis's findings, not compile errors", async () => {
    // Prepare: dialyzer of OTP 25 over a module whose guard can never succeed (exit 2).
    const log = lines(
      '  Checking whether the PLT /home/runner/.cache/otp25.plt is up-to-date... yes',
      '  Proceeding with analysis...',
      'kv.erl:5:43: Guard test is_list',
      '         (N :: non_neg_integer()) can never succeed',
      ' done in 0m0.13s',
      'done (warnings were emitted)',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(3);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([3, 4]));
    expect(analysis.category).toBe('lint');
  });

  it("rustdoc's lints under RUSTDOCFLAGS=-D warnings fail the documentation build, not a linter's check", async () => {
    // Prepare: cargo doc of rustc 1.95 over a broken intra-doc link and a bare URL.
    const log = lines(
      ' Documenting rd v0.1.0 (/home/runner/work/rd/rd)',
      'error: unresolved link to `x`',
      ' --> src/lib.rs:3:15',
      '  |',
      '3 | /// Doubles [`x`].',
      '  |               ^ no item named `x` in scope',
      '  |',
      "  = help: to escape `[` and `]` characters, add '\\' before them like `\\[` or `\\]`",
      '  = note: `-D rustdoc::broken-intra-doc-links` implied by `-D warnings`',
      '  = help: to override `-D warnings` add `#[allow(rustdoc::broken_intra_doc_links)]`',
      '',
      'error: this URL is not a hyperlink',
      ' --> src/lib.rs:1:9',
      '  |',
      '1 | //! See https://example.com/rd for more.',
      '  |         ^^^^^^^^^^^^^^^^^^^^^^',
      '  |',
      '  = note: bare URLs are not automatically turned into clickable links',
      '  = note: `-D rustdoc::bare-urls` implied by `-D warnings`',
      '  = help: to override `-D warnings` add `#[allow(rustdoc::bare_urls)]`',
      'help: use an automatic link instead',
      '  |',
      '1 | //! See <https://example.com/rd> for more.',
      '  |         +                      +',
      '',
      'error: could not document `rd`',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(2);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([2, 3, 12, 13]));
    expect(analysis.category).toBe('compilation');
  });

  it("a rustc lint denied by RUSTFLAGS=-D warnings stays a lint finding", async () => {
    // Prepare: cargo build of rustc 1.95 under RUSTFLAGS=-D warnings, an unused variable (the compiler's own lint).
    const log = lines(
      '   Compiling rd v0.1.0 (/home/runner/work/rd/rd)',
      'error: unused variable: `total`',
      ' --> src/lib.rs:4:36',
      '  |',
      '4 | pub fn double(x: i32) -> i32 { let total = 0; x * 2 }',
      '  |                                    ^^^^^ help: if this is intentional, prefix it with an underscore: `_total`',
      '  |',
      '  = note: `-D unused-variables` implied by `-D warnings`',
      "  = help: to override `-D warnings` add `#[allow(unused_variables)]`",
      '',
      'error: could not compile `rd` (lib) due to 1 previous error',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.category).toBe('lint');
  });

  it("the JUnit 5 console launcher's summary of zero counts (`[ 0 containers failed ]`, `0 tests aborted`) is no failure", async () => {
    // Prepare: junit-platform-console-standalone 1.9.1's summary of a run whose one test passed and one was disabled.
    const log = lines(
      'Test run finished after 317 ms',
      '[         4 containers found      ]',
      '[         0 containers skipped    ]',
      '[         4 containers started    ]',
      '[         0 containers aborted    ]',
      '[         4 containers successful ]',
      '[         0 containers failed     ]',
      '[         2 tests found           ]',
      '[         1 tests skipped         ]',
      '[         1 tests started         ]',
      '[         0 tests aborted         ]',
      '[         1 tests successful      ]',
      '[         0 tests failed          ]',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures.map((f) => `${f.rule}@${f.startLine}`)).toEqual([]);
  });
});
