import { describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../../shared/logs/index.js';

const lines = (...l: string[]): string => l.join('\n');

/**
 * Reports of toolchains session 58 ran for real (test/fixtures/gha-real-tools, "Session 58"): what each report is
 * made of, where it ends, and the look-alike lines that are not one.
 */
describe('reports of other ecosystems (session 58)', () => {
  it("Go's race detector: the DATA RACE report, its accesses and frames, is the failure, not only the test's line", async () => {
    // Prepare: `go test -race ./...` (Go 1.19) over a counter incremented outside its mutex.
    const log = lines(
      '==================',
      'WARNING: DATA RACE',
      'Read at 0x00c000012088 by goroutine 9:',
      '  example.com/hitcounter/counter.(*Counter).Hit()',
      '      /home/runner/work/hitcounter/hitcounter/counter/counter.go:20 +0xe4',
      '',
      'Previous write at 0x00c000012088 by goroutine 10:',
      '  example.com/hitcounter/counter.(*Counter).Hit()',
      '      /home/runner/work/hitcounter/hitcounter/counter/counter.go:20 +0xfc',
      '',
      'Goroutine 9 (running) created at:',
      '  example.com/hitcounter/counter.TestConcurrentHits()',
      '      /home/runner/work/hitcounter/hitcounter/counter/counter_test.go:13 +0x104',
      '==================',
      '--- FAIL: TestConcurrentHits (0.00s)',
      '    testing.go:1319: race detected during execution of test',
      'FAIL',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('go.data-race');
    expect(analysis.failures[0]?.lines[0]?.line).toBe(2);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([2, 3, 4, 5, 7, 8, 9, 15, 16]));
    expect(analysis.category).toBe('test_failure');
  });

  it("Go's race detector: a program's own `WARNING: DATA RACE` text inside a sentence is no report", async () => {
    // Prepare: a line that mentions the words but is not the detector's headline.
    const log = lines('note: WARNING: DATA RACE reports are uploaded as artifacts', 'done');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures.map((f) => f.rule)).not.toContain('go.data-race');
  });

  it("TeX: `! Undefined control sequence.` with its `l.N` context and the fatal line is the error", async () => {
    // Prepare: pdfTeX (TeX Live 2022) under -interaction=nonstopmode -halt-on-error, and a missing package.
    const log = lines(
      '(/usr/share/texlive/texmf-dist/tex/latex/l3backend/l3backend-pdftex.def)',
      'No file thesis.aux.',
      '! Undefined control sequence.',
      'l.14 The burst is \\burstsize',
      '                            {} requests, see Section~\\ref{sec:eval}.',
      '!  ==> Fatal error occurred, no output PDF file produced!',
      'Transcript written on thesis.log.',
    );
    const missing = lines(
      '(/usr/share/texlive/texmf-dist/tex/latex/base/size10.clo))',
      '',
      "! LaTeX Error: File `tikzfoo.sty' not found.",
      '',
      'Type X to quit or <RETURN> to proceed,',
      'or enter new name. (Default extension: sty)',
      '',
      'Enter file name: ',
      '! Emergency stop.',
      '<read *> ',
      '         ',
      'l.3 \\begin',
      '          {document}^^M',
      '!  ==> Fatal error occurred, no output PDF file produced!',
      'Transcript written on p.log.',
    );
    // Act
    const [analysis, ofMissing] = await Promise.all([analyzeLog(log), analyzeLog(missing)]);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('tex.error');
    expect(predictionLines(analysis)).toEqual([3, 4, 5, 6]);
    expect(analysis.category).toBe('compilation');
    expect(ofMissing.failures[0]?.rule).toBe('tex.error');
    expect(ofMissing.failures[0]?.lines[0]?.line).toBe(3);
    expect(predictionLines(ofMissing)).toEqual(expect.arrayContaining([3, 9, 12, 13, 14]));
    expect(predictionLines(ofMissing)).not.toContain(15);
  });

  it("pydocstyle: each `file:line in public method \\`x\\`:` line and its indented code are one report", async () => {
    // Prepare: pydocstyle 6.2's default output.
    const log = lines(
      'ratelimit/__init__.py:1 at module level:',
      '        D104: Missing docstring in public package',
      'ratelimit/window.py:9 in public method `allow`:',
      '        D102: Missing docstring in public method',
      'ratelimit/bucket.py:4 in public class `TokenBucket`:',
      '        D101: Missing docstring in public class',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('pydocstyle.violation');
    expect(predictionLines(analysis)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(analysis.category).toBe('lint');
  });

  it("Groovy: MultipleCompilationErrorsException's errors, each with its `@ line N, column M.` and code, down to `N errors`", async () => {
    // Prepare: groovyc 2.4, and a Jenkins pipeline's WorkflowScript error in the same report.
    const log = lines(
      'org.codehaus.groovy.control.MultipleCompilationErrorsException: startup failed:',
      'src/org/acme/Deploy.groovy: 14: unable to resolve class SlackClient ',
      ' @ line 14, column 21.',
      '           SlackClient client = new SlackClient(channel)',
      '                       ^',
      '',
      'src/org/acme/Release.groovy: 19: unable to resolve class VersionParts ',
      ' @ line 19, column 22.',
      '           VersionParts parts = VersionParts.of(version)',
      '                        ^',
      '',
      '2 errors',
      '',
      'BUILD FAILED',
    );
    const jenkins = lines(
      'org.codehaus.groovy.control.MultipleCompilationErrorsException: startup failed:',
      "WorkflowScript: 5: expecting ')', found '{' @ line 5, column 27.",
      "           if (env.BRANCH == 'main' {",
      '                             ^',
      '',
      '1 error',
      '',
      '\tat org.codehaus.groovy.control.ErrorCollector.failIfErrors(ErrorCollector.java:310)',
    );
    // Act
    const [analysis, ofJenkins] = await Promise.all([analyzeLog(log), analyzeLog(jenkins)]);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('groovy.compile');
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([1, 2, 3, 4, 7, 8, 9]));
    expect(predictionLines(analysis)).not.toContain(14);
    expect(analysis.category).toBe('compilation');
    expect(ofJenkins.failures[0]?.rule).toBe('groovy.compile');
    expect(predictionLines(ofJenkins)).toEqual(expect.arrayContaining([1, 2, 3]));
  });

  it("hspec: a failure's location line above its numbered name belongs to it, each failure its own report", async () => {
    // Prepare: hspec 2.8's report (`runghc test/Spec.hs`, the same under `cabal test`).
    const log = lines(
      '  counts refunds as negative FAILED [1]',
      '',
      'Failures:',
      '',
      '  test/Spec.hs:10:51: ',
      '  1) balance counts refunds as negative',
      '       expected: 7',
      '        but got: 13',
      '',
      '  To rerun use: --match "/balance/counts refunds as negative/"',
      '',
      '  test/Spec.hs:17:41: ',
      '  2) parseEntry reads a negative amount',
      '       expected: Just (-4)',
      '        but got: Just 4',
      '',
      '  To rerun use: --match "/parseEntry/reads a negative amount/"',
      '',
      'Randomized with seed 152499918',
      '',
      '5 examples, 2 failures',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('hspec.failed');
    expect([5, 6, 7]).toContain(analysis.failures[0]?.lines[0]?.line);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([5, 6, 7, 8, 12, 13, 14, 15]));
  });

  it("Ansible: the failed task's `TASK [name]` line and the exception line above `fatal:` are its report", async () => {
    // Prepare: ansible-playbook (ansible-core 2.14), a template with an undefined variable.
    const log = lines(
      'TASK [Create the app directory] ************************************************',
      'changed: [localhost]',
      '',
      'TASK [Render the app config] ***************************************************',
      "An exception occurred during task execution. To see the full traceback, use -vvv. The error was: ansible.errors.AnsibleUndefinedVariable: 'app_name' is undefined. 'app_name' is undefined",
      'fatal: [localhost]: FAILED! => {"changed": false, "msg": "AnsibleUndefinedVariable: \'app_name\' is undefined. \'app_name\' is undefined"}',
      '',
      'PLAY RECAP *********************************************************************',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('ansible.task-failed');
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([4, 5, 6]));
    expect(predictionLines(analysis)).not.toContain(1);
  });

  it("protoc: an import it cannot find (`x.proto: File not found.`) is its error too", async () => {
    // Prepare: protoc 3.21 without the well-known types installed.
    const log = lines(
      'google/protobuf/timestamp.proto: File not found.',
      'orders/v1/orders.proto:5:1: Import "google/protobuf/timestamp.proto" was not found or had errors.',
      'orders/v1/orders.proto:11:3: "google.protobuf.Timestamp" is not defined.',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('protoc.error');
    expect(analysis.failures[0]?.lines[0]?.line).toBe(2);
    expect([...predictionLines(analysis)].sort()).toEqual([1, 2, 3]);
  });

  it("configure: the failed check above `configure: error:` is its report; a missing library is a dependency", async () => {
    // Prepare: autoconf 2.71's AC_CHECK_LIB with AC_MSG_ERROR, and PKG_CHECK_MODULES; a compiler that does not work.
    const lib = lines('checking for unistd.h... (cached) yes', 'checking for WebPDecodeRGBA in -lwebp... no', 'configure: error: libwebp is required: install libwebp-dev');
    const pkg = lines(
      'checking for GLIB... no',
      'configure: error: Package requirements (glib-2.0 >= 2.56) were not met:',
      '',
      "No package 'glib-2.0' found",
    );
    const compiler = lines('checking whether the C compiler works... no', 'configure: error: in `/home/runner/work/x/x\':', 'configure: error: C compiler cannot create executables');
    // Act
    const [ofLib, ofPkg, ofCompiler] = await Promise.all([analyzeLog(lib), analyzeLog(pkg), analyzeLog(compiler)]);
    // Assert
    expect([...predictionLines(ofLib)].sort()).toEqual([2, 3]);
    expect(ofLib.category).toBe('dependency');
    expect(ofPkg.category).toBe('dependency');
    expect(ofCompiler.category).toBe('configuration');
  });
});

describe("xmllint's parser errors (session 58)", () => {
  it('each error takes the source line it quotes and the caret under it, whatever the quoted line holds', async () => {
    // Prepare: xmllint 2.9.14 --noout over an Android layout with an unclosed tag and a strings file with a bare `&`.
    const log = lines(
      'app/src/main/res/layout/activity_main.xml:14: parser error : Opening and ending tag mismatch: TextView line 7 and LinearLayout',
      '</LinearLayout>',
      '               ^',
      'app/src/main/res/layout/activity_main.xml:15: parser error : Premature end of data in tag LinearLayout line 2',
      '',
      '^',
      'app/src/main/res/values/strings.xml:4: parser error : xmlParseEntityRef: no name',
      '    <string name="start">Start & go</string>',
      '                                ^',
      'Publishing the layout lint report',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('xmllint.error');
    expect([...predictionLines(analysis)].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(analysis.category).toBe('lint');
  });
});

describe('Clojure, doctest, msgfmt and behave (session 58)', () => {
  it("Clojure: `Syntax error compiling at (file:line:col).` and the message under it are the error", async () => {
    // Prepare: Clojure 1.11 requiring a namespace that uses an undefined var.
    const log = lines(
      'Syntax error compiling at (cart/tax.clj:9:27).',
      'Unable to resolve symbol: default-rate in this context',
      '',
      'Full report at:',
      '/tmp/clojure-7972897249870995641.edn',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('clojure.syntax-error');
    expect(predictionLines(analysis)).toEqual([1, 2]);
    expect(analysis.category).toBe('compilation');
  });

  it("doctest: each failed example's report under the row of stars, Expected/Got or the exception raised", async () => {
    // Prepare: `python -m doctest` (CPython 3.11).
    const stars = '*'.repeat(70);
    const log = lines(
      stars,
      'File "/w/ratelimit/units.py", line 22, in units.parse_rate',
      'Failed example:',
      '    parse_rate("600/m")',
      'Expected:',
      '    10',
      'Got:',
      '    10.0',
      stars,
      'File "/w/ratelimit/units.py", line 11, in units.per_second',
      'Failed example:',
      '    per_second(5, 0)',
      'Exception raised:',
      '    Traceback (most recent call last):',
      '      File "/w/ratelimit/units.py", line 14, in per_second',
      '        return count / window',
      '    ZeroDivisionError: division by zero',
      stars,
      '2 items had failures:',
      '   1 of   2 in units.parse_rate',
      '***Test Failed*** 2 failures.',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('doctest.failed');
    expect([2, 5, 6, 7, 8]).toContain(analysis.failures[0]?.lines[0]?.line);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([2, 4, 5, 6, 7, 8, 10, 12, 17]));
    expect(analysis.category).toBe('test_failure');
  });

  it("msgfmt: its located errors fail the check, its `warning:` lines about the header do not", async () => {
    // Prepare: GNU gettext 0.21's `msgfmt -c --check-format`.
    const log = lines(
      "po/de.po:2: warning: header field 'Project-Id-Version' missing in header",
      "po/de.po:2: warning: header field 'Last-Translator' missing in header",
      "po/de.po:8: format specifications in 'msgid' and 'msgstr' for argument 1 are not the same",
      "po/de.po:18: number of format specifications in 'msgid' and 'msgstr' does not match",
      'msgfmt: found 2 fatal errors',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('msgfmt.error');
    expect(predictionLines(analysis)).toEqual([3, 4, 5]);
    expect(analysis.category).toBe('compilation');
  });

  it("behave: a failed step's assertion or exception, with its scenario and steps, is one report", async () => {
    // Prepare: behave 1.2.6's plain formatter (`--no-color`).
    const log = lines(
      'Feature: Shopping cart # features/cart.feature:1',
      '',
      '  Scenario: Adding items updates the total  # features/cart.feature:3',
      '    Given an empty cart                     # features/steps/cart_steps.py:6',
      '    Then the total is 1.45                  # features/steps/cart_steps.py:23',
      '      Assertion Failed: total is 1.35, expected 1.45',
      '',
      '',
      '  Scenario: A discount code lowers the total  # features/cart.feature:9',
      '    Given an empty cart                       # features/steps/cart_steps.py:6',
      '    And I apply the code "SUMMER10"           # features/steps/cart_steps.py:17',
      '      Traceback (most recent call last):',
      '        File "features/steps/cart_steps.py", line 20, in apply_code',
      '          context.codes.append(rates[code])',
      "      KeyError: 'SUMMER10'",
      '',
      '    Then the total is 2.70                    # None',
      '',
      'Failing scenarios:',
      '  features/cart.feature:3  Adding items updates the total',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('behave.step-failed');
    expect([5, 6]).toContain(analysis.failures[0]?.lines[0]?.line);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([3, 5, 6, 9, 11, 15]));
    expect(analysis.category).toBe('test_failure');
  });
});

describe("ansible-lint's report (session 58)", () => {
  it("ansible-lint's linked report in colour is read like its plain one", async () => {
    // Prepare: two violations as ansible-lint 6.13 prints them (colour and links even without a terminal).
    const link = (url: string, text: string): string => `\x1b]8;id=1;${url}\x1b\\${text}\x1b]8;;\x1b\\`;
    const log = lines(
      'WARNING  Listing 2 violation(s) that are fatal',
      `${link('https://ansible-lint.readthedocs.io/rules/name/', '\x1b[1;91mname[play]\x1b[0m')}\x1b[2m:\x1b[0m \x1b[91mAll plays should be named.\x1b[0m`,
      '\x1b[34mplaybooks/deploy.yml\x1b[0m:2',
      '',
      `${link('https://ansible-lint.readthedocs.io/rules/yaml/', '\x1b[1;91myaml[truthy]\x1b[0m')}\x1b[2m:\x1b[0m \x1b[91mTruthy value should be one of [false, true]\x1b[0m`,
      '\x1b[34mplaybooks/deploy.yml\x1b[0m:3',
      '',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('ansible-lint.report');
    expect(analysis.failures[0]?.lines[0]?.line).toBe(2);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([2, 3, 5, 6]));
  });
});
