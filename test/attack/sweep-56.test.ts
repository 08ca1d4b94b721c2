import { describe, it } from 'vitest';
import { expectTopFailure, type TopFailureRow } from '../support/top-failure.js';

// Session 56's review of the extractor's rule changes: real output of tools the new rules were not written for, or
// written for in forms the change did not see, each expected to be read as it was before the change or better.
const ROWS: TopFailureRow[] = [
  {
    // A program's own message that names a file with a dot in it is not RSpec's: RSpec's line ends on the spec
    // file's name and its period (or `- Did you mean?`). Taken as RSpec's, it swallowed the traceback under it.
    name: "a Python script's `An error occurred while loading config/settings.json: …` above its traceback",
    rule: 'python.traceback',
    head: "ModuleNotFoundError: No module named 'missing_module'",
    absent: 'rspec.load-error',
    log: [
      'An error occurred while loading config/settings.json: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)',
      'continuing with defaults',
      'Traceback (most recent call last):',
      '  File "/home/runner/work/app/app/load.py", line 8, in <module>',
      '    import missing_module',
      "ModuleNotFoundError: No module named 'missing_module'",
    ],
  },
  {
    // rspec-core 3.12 on Ruby 3.1, a spec file with a syntax error (no other spec file to suggest).
    name: 'RSpec, a spec file that does not parse (the line ends on the file name and its period)',
    rule: 'rspec.load-error',
    head: 'An error occurred while loading ./spec/c_spec.rb.',
    log: [
      '',
      'An error occurred while loading ./spec/c_spec.rb.',
      'Failure/Error: __send__(method, file)',
      '',
      'SyntaxError:',
      "  /home/runner/work/rb/rb/spec/c_spec.rb:3: syntax error, unexpected `end', expecting '}'",
      "# /usr/share/rubygems-integration/all/gems/rspec-core-3.12.0/lib/rspec/core/configuration.rb:2117:in `load'",
      "# /usr/bin/rspec:4:in `<main>'",
      '',
      '',
      'Finished in 0.00006 seconds (files took 0.34679 seconds to load)',
      '0 examples, 0 failures, 1 error occurred outside of examples',
    ],
  },
  {
    // `rspec --force-color`: the suggestion is coloured, right after the period.
    name: 'RSpec in colour, the `- Did you mean?` behind an escape',
    rule: 'rspec.load-error',
    head: 'An error occurred while loading ./spec/a_spec.rb. - Did you mean?',
    log: [
      '',
      'An error occurred while loading ./spec/a_spec.rb.\u001b[31m - Did you mean?',
      '                    rspec ./spec/b_spec.rb',
      '\u001b[0m',
      "\u001b[31mFailure/Error: require_relative '../lib/missing'\u001b[0m",
      '\u001b[31m\u001b[0m',
      '\u001b[31mLoadError:\u001b[0m',
      '\u001b[31m  cannot load such file -- /home/runner/work/rb/rb/lib/missing\u001b[0m',
      "\u001b[36m# ./spec/a_spec.rb:1:in `require_relative'\u001b[0m",
      '',
      '',
      'Finished in 0.00004 seconds (files took 0.0859 seconds to load)',
      '\u001b[31m0 examples, 0 failures, 1 error occurred outside of examples\u001b[0m',
    ],
  },
  {
    // GNU make over two files: g++ warns in one file's template instantiation, then fails on a plain error in the
    // next. The instantiation and its `required from` line are the warning's: the error's look-back stops at the
    // first line that is not a `required from` one (here make's command line, and GCC's `In function` line).
    name: "g++ under make, an error below another file's warning and the instantiation chain that led to the warning",
    rule: 'cc.error',
    head: "main.cpp:2:29: error: ‘undeclared’ was not declared in this scope",
    startLine: 9,
    log: [
      'g++ -Wall   -c -o stats.o stats.cpp',
      'stats.cpp: In instantiation of ‘int f(T) [with T = int]’:',
      'stats.cpp:2:21:   required from here',
      'stats.cpp:1:61: warning: comparison of integer expressions of different signedness: ‘unsigned int’ and ‘int’ [-Wsign-compare]',
      '    1 | template <typename T> int f(T t) { unsigned u = 0; return u < t; }',
      '      |                                                           ~~^~~',
      'g++ -Wall   -c -o main.o main.cpp',
      'main.cpp: In function ‘int main()’:',
      'main.cpp:2:29: error: ‘undeclared’ was not declared in this scope',
      '    2 | int main() { return use() + undeclared; }',
      '      |                             ^~~~~~~~~~',
      'make: *** [<builtin>: main.o] Error 1',
    ],
  },
  {
    // `-fdiagnostics-plain-output` (GCC 11+): no source quote under a diagnostic, so the line under the first error
    // is GCC's scope line of the next one, which that one's look-back takes; it is not the first error's quote.
    name: 'g++ -fdiagnostics-plain-output, a plain error, then a template error with its instantiation line',
    rule: 'cc.error',
    head: "two.cpp:3:22: error: ‘undeclared’ was not declared in this scope",
    startLine: 2,
    endLine: 2,
    log: [
      'two.cpp: In function ‘int main()’:',
      "two.cpp:3:22: error: ‘undeclared’ was not declared in this scope",
      'two.cpp: In instantiation of ‘int g(T) [with T = S]’:',
      'two.cpp:3:46:   required from here',
      "two.cpp:2:45: error: ‘struct S’ has no member named ‘missing’",
    ],
  },
  {
    // Surefire 3.2.5 with JUnit 5.10: a parameterized test's header names the parameters' types, with spaces
    // (`add(int, int, int)[2]`). Unread, the first failure fell to java.exception while the second test's header made
    // its own failure the top one.
    name: 'Surefire 3, a parameterized test failing before a plain one: the first failure stays first',
    rule: 'surefire.failed',
    head: 'org.opentest4j.AssertionFailedError: expected: <5> but was: <4>',
    startLine: 3,
    log: [
      '[INFO] Running com.acme.CalcTest',
      '[ERROR] Tests run: 3, Failures: 2, Errors: 0, Skipped: 0, Time elapsed: 0.585 s <<< FAILURE! -- in com.acme.CalcTest',
      '[ERROR] com.acme.CalcTest.add(int, int, int)[2] -- Time elapsed: 0.053 s <<< FAILURE!',
      'org.opentest4j.AssertionFailedError: expected: <5> but was: <4>',
      '\tat org.junit.jupiter.api.AssertionFailureBuilder.build(AssertionFailureBuilder.java:151)',
      '\tat org.junit.jupiter.api.Assertions.assertEquals(Assertions.java:531)',
      '\tat com.acme.CalcTest.add(CalcTest.java:10)',
      '\tat java.base/java.util.ArrayList.forEach(ArrayList.java:1511)',
      '\tat java.base/java.util.ArrayList.forEach(ArrayList.java:1511)',
      '',
      '[ERROR] com.acme.CalcTest.sub -- Time elapsed: 0.003 s <<< FAILURE!',
      'org.opentest4j.AssertionFailedError: expected: <1> but was: <2>',
      '\tat org.junit.jupiter.api.AssertionFailureBuilder.build(AssertionFailureBuilder.java:151)',
      '\tat org.junit.jupiter.api.Assertions.assertEquals(Assertions.java:531)',
      '[INFO] ',
      '[INFO] Results:',
      '[INFO] ',
      '[ERROR] Failures: ',
      '[ERROR]   CalcTest.add:10 expected: <5> but was: <4>',
      '[ERROR]   CalcTest.sub:12 expected: <1> but was: <2>',
      '[INFO] ',
      '[ERROR] Tests run: 3, Failures: 2, Errors: 0, Skipped: 0',
      '[INFO] ',
      '[INFO] ------------------------------------------------------------------------',
      '[INFO] BUILD FAILURE',
      '[INFO] ------------------------------------------------------------------------',
      '[INFO] Total time:  6.864 s',
      '[INFO] Finished at: 2026-11-28T08:51:45Z',
      '[INFO] ------------------------------------------------------------------------',
      '[ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:3.2.5:test (default-test) on project calc: There are test failures.',
    ],
  },
];

describe('sweep 56: the extractor on real formats the new rules must leave alone', () => {
  it.each(ROWS)('$name', expectTopFailure);
});
